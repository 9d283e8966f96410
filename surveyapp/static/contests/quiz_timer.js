// Quiz countdown: rewrites the timer line every second from the server's remaining time.
// The server decides what is late; this only helps the pupil watch the clock.
(function () {
  "use strict";
  var timer = document.querySelector(".quiz-timer[data-remaining]");
  if (!timer) { return; }
  var endsAt = Date.now() + 1000 * parseInt(timer.getAttribute("data-remaining"), 10);
  var lang = document.documentElement.lang || "vi";
  var words = lang === "en"
    ? { left: "Time left: ", up: "Time is up: send your answers now; they will be marked late." }
    : { left: "Còn lại: ", up: "Đã hết giờ: hãy gửi bài ngay; bài sẽ bị ghi là nộp muộn." };
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function tick() {
    var left = Math.max(0, Math.round((endsAt - Date.now()) / 1000));
    if (left <= 0) {
      timer.textContent = words.up;
      timer.classList.add("quiz-timer-up");
      return;
    }
    timer.textContent = words.left + Math.floor(left / 60) + ":" + pad(left % 60);
    if (left <= 60) { timer.classList.add("quiz-timer-low"); }
    window.setTimeout(tick, 1000);
  }
  tick();
}());
