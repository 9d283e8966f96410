"""The SQLite write queue (``surveyapp.transactions``): one writer at a time across threads
and processes, released when the transaction ends; nothing to do on PostgreSQL."""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
import threading

import sqlalchemy as sa

from surveyapp.transactions import begin_statement, queue_for

HOLDS = (
    "import fcntl, os, sys\n"
    "fd = os.open(sys.argv[1], os.O_RDWR)\n"
    "try:\n"
    "    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)\n"
    "except BlockingIOError:\n"
    "    sys.exit(3)\n"
)


def test_one_queue_per_database_file_and_none_in_memory(tmp_path):
    url = sa.make_url(f"sqlite:///{tmp_path / 'a.sqlite'}")
    assert queue_for(url) is queue_for(sa.make_url(f"sqlite:///{tmp_path}/./a.sqlite"))
    assert queue_for(sa.make_url("sqlite://")) is None


def test_a_held_queue_blocks_other_threads_and_other_processes(tmp_path):
    queue = queue_for(sa.make_url(f"sqlite:///{tmp_path / 'b.sqlite'}"))
    queue.acquire()
    other = subprocess.run([sys.executable, "-c", HOLDS, queue.path], check=False)
    assert other.returncode == 3  # another process cannot take it
    entered = threading.Event()

    def second_writer():
        queue.acquire()
        entered.set()
        queue.release()

    thread = threading.Thread(target=second_writer)
    thread.start()
    assert not entered.wait(0.3)  # another thread waits
    queue.release()
    assert entered.wait(5)
    thread.join()
    fd = os.open(queue.path, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # free again
    finally:
        os.close(fd)


def test_a_writing_transaction_begins_immediate_and_others_deferred():
    class Connection:
        def __init__(self, options):
            self.options = options

        def get_execution_options(self):
            return self.options

    assert begin_statement(Connection({})) == "BEGIN"
    assert begin_statement(Connection({"sqlite_begin": "BEGIN IMMEDIATE"})) == "BEGIN IMMEDIATE"
