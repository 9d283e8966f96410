"""No submission lost or stored twice under load: 200 trainees send their post-class survey
at the same moment to a real server (gunicorn, 4 processes x 8 threads), each sending the same
submission several times (a double tap, then retries after a timeout), on the suite's engine
(SQLite in WAL mode with a busy timeout, or PostgreSQL). Like the page script, a sending
answered 503 (the database busy beyond its timeout) is tried again a little later; every
sending must end with the one receipt, and nothing else than 303 or 503 may be answered."""

from __future__ import annotations

import threading
import time
import uuid

from benchmarks.serve import Server
from tests.faults.live import filled, live_world, post, stored_counts

SUBMITTERS = 200
CLASSES = 10
SENDINGS = 4  # two at once (a double tap), then two retries
BUSY_RETRIES = 20
APP = "surveyapp:create_app()"


def send(url, seat, data) -> tuple[int, dict, str, int]:
    """One sending as the page script makes it: a 503 (busy) is tried again shortly."""
    busy = 0
    while True:
        status, headers, text = post(url, seat, data)
        if status != 503 or busy == BUSY_RETRIES:
            return status, headers, text, busy
        busy += 1
        time.sleep(0.2)


def submit_repeatedly(url, seat, body, start: threading.Event, results: list) -> None:
    data = filled(body, seat, str(uuid.uuid4()))
    twin: list = []
    double_tap = threading.Thread(target=lambda: twin.append(send(url, seat, data)))
    start.wait()
    double_tap.start()
    got = [send(url, seat, data)]
    double_tap.join()
    got += twin
    got += [send(url, seat, data) for _ in range(SENDINGS - 2)]
    results.append((seat, got))


def test_each_of_200_concurrent_submitters_is_stored_exactly_once(live_database):
    app, secret, world, people, body = live_world(live_database, CLASSES, SUBMITTERS // CLASSES)
    env = {
        "SURVEYAPP_DATABASE_URL": live_database,
        "SURVEYAPP_SECRET_KEY": secret,
        "SURVEYAPP_RATELIMIT_ENABLED": "false",  # 200 people behind one address here
    }
    results: list = []
    start = threading.Event()
    with Server(APP, workers=4, threads=8, preload=True, env=env, ready_path="/c") as s:
        threads = [
            threading.Thread(target=submit_repeatedly, args=(s.url, seat, body, start, results))
            for seat in people
        ]
        for thread in threads:
            thread.start()
        start.set()
        for thread in threads:
            thread.join()
        log = s.log()
    assert len(results) == SUBMITTERS
    for _seat, replies in results:
        statuses = [status for status, _headers, _text, _busy in replies]
        assert statuses == [303] * SENDINGS, (statuses, replies[0][2][:500], log[-2000:])
        receipts = {headers["Location"] for _status, headers, _text, _busy in replies}
        assert len(receipts) == 1, receipts  # every sending got the same receipt
    counts = stored_counts(app)
    answered = sum(1 for item in world.items if item.qtype != "note")
    assert counts == {
        "responses": SUBMITTERS,
        "people": SUBMITTERS,
        "answers": SUBMITTERS * answered,
    }
