/* Trainee pages, progressive enhancement: every page works without this file.
   - Drafts: the answers of the page shown are kept on the device (localStorage), under
     class + form + person (data-journey) and the submission id, and put back when the
     page is shown again for the same submission. "I am a different person" clears them.
   - Sending: the last "Send" is posted in the background (Accept: application/json). If
     the network is down it waits in a queue on the device (IndexedDB, else localStorage)
     and is posted again on the "online" event, on page load and after a backoff with
     jitter, one request at a time. It leaves the queue once the server answered with a
     receipt or a definitive refusal; a draft is cleared only by a receipt.
   Texts come translated in the data-* attributes of #journey-status. ES5 on purpose:
   old Android browsers. */
(function () {
  "use strict";
  var DRAFT = "journey.draft.", QUEUE = "journey.queue", DAY = 864e5, KEEP = 7 * DAY;
  var status = document.getElementById("journey-status");
  var form = document.querySelector("form[data-journey]");
  var local = storage(), idb = null, draft = null, saving = null;
  var busy = false, again = null, timer = null, delay = 0, blocked = {}, action = "next";
  var scope, key, page, sidInput, startInput;

  function storage() {
    try {
      var s = window.localStorage;
      s.setItem(DRAFT + "t", "1");
      s.removeItem(DRAFT + "t");
      return s;
    } catch (e) {
      return null;
    }
  }
  function read(k) {
    try { return JSON.parse(local.getItem(k)); } catch (e) { return null; }
  }
  function write(k, value) {
    try { local.setItem(k, JSON.stringify(value)); } catch (e) { /* full or private: no draft */ }
  }
  function forget(k) {
    if (local) local.removeItem(k);
  }
  function drafts(test) {  // remove the drafts for which test(draft) is true
    if (!local) return;
    for (var i = local.length - 1; i >= 0; i--) {
      var k = local.key(i);
      if (k && k.indexOf(DRAFT) === 0 && test(read(k) || {})) forget(k);
    }
  }
  function say(name, code) {
    if (!status) return;
    var text = status.getAttribute("data-" + name) || "";
    status.textContent = code ? text.replace("{code}", code) : text;
  }

  /* ---- the queue: IndexedDB, else localStorage ---- */
  function database() {
    if (!idb) {
      idb = new Promise(function (resolve) {
        try {
          var req = window.indexedDB.open("journey", 1);
          req.onupgradeneeded = function () { req.result.createObjectStore("queue", {keyPath: "sid"}); };
          req.onsuccess = function () { resolve(req.result); };
          req.onerror = req.onblocked = function () { resolve(null); };
        } catch (e) {
          resolve(null);
        }
      });
    }
    return idb;
  }
  function queue(verb, arg) {  // verb: "all", "put" (item) or "delete" (sid)
    return database().then(function (db) {
      if (!db) {
        var all = (local && read(QUEUE)) || {};
        if (verb === "all") return Object.keys(all).map(function (k) { return all[k]; });
        if (verb === "put") all[arg.sid] = arg; else delete all[arg];
        if (local) write(QUEUE, all);
        return [];
      }
      return new Promise(function (resolve, reject) {
        var tx = db.transaction("queue", verb === "all" ? "readonly" : "readwrite");
        var st = tx.objectStore("queue"), items = [];
        if (verb === "all") {
          st.openCursor().onsuccess = function (e) {
            var c = e.target.result;
            if (c) { items.push(c.value); c["continue"](); }
          };
        } else {
          st[verb](arg);
        }
        tx.oncomplete = function () { resolve(items); };
        tx.onerror = tx.onabort = function () { reject(tx.error); };
      });
    });
  }

  /* ---- sending, one request at a time ---- */
  function mine(item) {
    return !!form && item.sid === sidInput.value;
  }
  function flush(extra) {
    if (busy) { again = extra || again || true; return; }
    busy = true;
    clearTimeout(timer);
    queue("all").then(null, function () { return []; }).then(function (items) {
      if (extra && !items.some(function (i) { return i.sid === extra.sid; })) items.push(extra);
      return next(items.filter(function (i) {
        if (Date.now() - i.t > KEEP) { drop(i); return false; }
        return !blocked[i.sid];
      }));
    }).then(done, done);
  }
  function done() {
    busy = false;
    if (again) { var extra = again; again = null; flush(extra === true ? null : extra); }
  }
  function next(items) {
    var item = items.shift();
    if (!item) return null;
    return send(item).then(function (goOn) { return goOn ? next(items) : null; });
  }
  function send(item) {
    if (mine(item)) say("sending");
    return fetch(item.url, {
      method: "POST", body: item.body, credentials: "same-origin", redirect: "manual",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        "Accept": "application/json",
        "X-Journey-Person": item.person
      }
    }).then(function (res) {
      var s = res.status, json = (res.headers.get("Content-Type") || "").indexOf("json") >= 0;
      if (s >= 500 || s === 408 || s === 429) return later(item);
      if (res.type === "opaqueredirect" || (s < 300 && !json)) {
        blocked[item.sid] = 1;  // not identified here now: keep it for its own person
        return true;
      }
      if (!json) return refused(item, {});
      return res.json().then(function (data) { return answer(item, data); },
        function () { return refused(item, {}); });
    }, function () { return later(item); });
  }
  function later(item) {  // no network or a busy server: try again after a while
    if (mine(item)) say("queued");
    delay = Math.min(delay ? delay * 2 : 2000, 300000);
    clearTimeout(timer);
    timer = setTimeout(flush, delay / 2 + Math.random() * delay / 2);
    return false;
  }
  function drop(item) {
    return queue("delete", item.sid).then(null, function () { return null; });
  }
  function tell(text) {
    if (status) status.textContent = text;
  }
  function answer(item, data) {
    delay = 0;
    if (data.status === "other_person") { blocked[item.sid] = 1; return true; }
    if (data.status !== "stored") return refused(item, data);
    forget(item.draft);
    return drop(item).then(function () {  // out of the queue before leaving the page
      if (!mine(item)) { say("sent-earlier", data.receipt); return true; }
      say("sent", data.receipt);
      window.location.replace(data.url);
      return false;
    });
  }
  function refused(item, data) {  // a definitive answer: out of the queue, the draft kept
    return drop(item).then(function () {
      var kind = data.status, goOn = true;
      if (!mine(item)) {
        say("failed");
      } else if (kind === "continue" || (kind === "invalid" &&
          (data.problem || String(data.page) !== page || !showErrors(data.errors || {})))) {
        post();  // the server shows the next page, or the answers to check, as without script
        goOn = false;
      } else if (kind === "invalid") {
        say("invalid");
      } else if (data.message) {
        tell(data.message);
      } else {
        say("failed");
      }
      return goOn;
    });
  }
  function showErrors(errors) {
    var keys = Object.keys(errors);
    if (!keys.length || keys.some(function (k) { return !document.getElementById("item-" + k); })) {
      return false;
    }
    var old = form.querySelectorAll(".items p.error, .items .has-error");
    for (var i = 0; i < old.length; i++) {
      if (old[i].tagName === "P") old[i].parentNode.removeChild(old[i]);
      else {
        old[i].className = old[i].className.replace(" has-error", "");
        describe(old[i], null);
      }
    }
    keys.forEach(function (k) {
      var box = document.getElementById("item-" + k), p = document.createElement("p");
      var at = box.querySelector(".item-options, .likert, input, textarea");
      p.className = "error";
      p.id = "item-" + k + "-error";
      p.setAttribute("role", "alert");
      p.textContent = errors[k];
      at.parentNode.insertBefore(p, at);
      box.className += " has-error";
      describe(box, p.id);
    });
    var first = form.querySelector(".items .has-error");  // the first on the page
    first.scrollIntoView();
    var field = first.querySelector("input, textarea, select");
    if (field) field.focus();  // keyboard and screen-reader users land on the first problem
    return true;
  }
  function describe(box, errorId) {  // as the server renders it: aria-invalid, aria-describedby
    var hint = box.querySelector(".hint"), ids = [];
    if (hint && hint.id) ids.push(hint.id);
    if (errorId) ids.push(errorId);
    var target = box.querySelector("fieldset") || box.querySelector("input, textarea, select");
    if (target) {
      if (ids.length) target.setAttribute("aria-describedby", ids.join(" "));
      else target.removeAttribute("aria-describedby");
    }
    var inputs = box.querySelectorAll("input, textarea, select");
    for (var i = 0; i < inputs.length; i++) {
      if (errorId) inputs[i].setAttribute("aria-invalid", "true");
      else inputs[i].removeAttribute("aria-invalid");
    }
  }
  function post() {  // the ordinary form post, as without JavaScript
    var a = document.createElement("input");
    a.type = "hidden";
    a.name = "action";
    a.value = "next";
    form.appendChild(a);
    form.submit();
  }

  /* ---- the form page: draft and the last "Send" ---- */
  function fields(hiddenToo) {  // [name, value] pairs, as the browser would post them
    var out = [], els = form.elements;
    for (var i = 0; i < els.length; i++) {
      var el = els[i], t = el.type;
      if (!el.name || el.disabled || t === "submit" || t === "button") continue;
      if ((t === "hidden" && !hiddenToo) || ((t === "radio" || t === "checkbox") && !el.checked)) {
        continue;
      }
      out.push([el.name, el.value]);
    }
    return out;
  }
  function filled(pairs) {
    return pairs.some(function (p) { return p[1] !== ""; });
  }
  function restore(pairs) {
    var els = form.elements;
    for (var i = 0; i < els.length; i++) {
      var el = els[i], t = el.type, values = [];
      if (!el.name || t === "hidden" || t === "submit" || t === "button") continue;
      pairs.forEach(function (p) { if (p[0] === el.name) values.push(p[1]); });
      if (t === "radio" || t === "checkbox") el.checked = values.indexOf(el.value) >= 0;
      else if (values.length) el.value = values[0];
    }
  }
  function save() {
    clearTimeout(saving);
    if (!local || !draft) return;
    draft.p[page] = fields(false);
    draft.t = Date.now();
    write(key, draft);
  }
  function loadDraft() {
    var d = read(key), blank = !form.hasAttribute("data-errors") && !filled(fields(false));
    if (d && d.p && d.sid !== sidInput.value && blank && form.hasAttribute("data-first")) {
      // The form shown again (reloaded, or opened again): keep the first submission id
      // while the server still accepts its start time (two days).
      if (Date.now() - Date.parse(d.st) < 47 * 36e5) {
        sidInput.value = d.sid;
        startInput.value = d.st;
      } else {
        d.sid = sidInput.value;
        d.st = startInput.value;
      }
    }
    if (d && d.p && d.sid === sidInput.value) {
      if (blank && d.p[page] && filled(d.p[page])) { restore(d.p[page]); say("restored"); }
    } else {
      d = {sid: sidInput.value, st: startInput.value, p: {}};
    }
    draft = d;
    if (filled(fields(false)) || read(key)) save();
  }
  function encode(pairs) {
    return pairs.map(function (p) {
      return encodeURIComponent(p[0]) + "=" + encodeURIComponent(p[1]);
    }).join("&");
  }
  function onSubmit(e) {
    save();
    if (!window.fetch || !window.Promise) return;  // an old browser: the ordinary post
    if (!form.hasAttribute("data-last") || action !== "next") {
      if (navigator.onLine === false) { e.preventDefault(); say("offline"); }
      return;
    }
    e.preventDefault();
    var item = {
      sid: sidInput.value, url: form.getAttribute("action"), person: scope.split(".").pop(),
      body: encode(fields(true).concat([["action", "next"]])), draft: key, t: Date.now()
    };
    say("sending");
    queue("put", item).then(null, function () { return null; }).then(function () {
      delay = 0;
      flush(item);
    });
  }
  function setUp() {
    scope = form.getAttribute("data-journey");
    key = DRAFT + scope;
    page = form.getAttribute("data-page");
    sidInput = form.querySelector("input[name=submission_id]");
    startInput = form.querySelector("input[name=started_at]");
    if (!sidInput || !startInput) { form = null; return; }
    if (local) loadDraft();
    var soon = function () { clearTimeout(saving); saving = setTimeout(save, 300); };
    form.addEventListener("input", soon);
    form.addEventListener("change", soon);
    form.addEventListener("click", function (e) {
      if (e.target && e.target.type === "submit") action = e.target.value;
    });
    form.addEventListener("submit", onSubmit);
  }

  /* ---- every trainee page ---- */
  drafts(function (d) { return !(Date.now() - d.t < KEEP); });
  var leaving = document.querySelectorAll("form[action$='/forget']");
  for (var i = 0; i < leaving.length; i++) {
    leaving[i].addEventListener("submit", function () { drafts(function () { return true; }); });
  }
  if (form) setUp();
  if (window.fetch && window.Promise) {
    window.addEventListener("online", function () { delay = 0; flush(); });
    flush();
  }
})();
