"""How the app uses SQLite (the embedded default): connection settings, write transactions,
and WAL checkpoints run beside the requests instead of inside one of them.

In WAL mode a commit appends to the write-ahead log; a checkpoint copies the log back into
the database file and syncs it. By default SQLite runs that checkpoint inside whichever
COMMIT takes the log past 1,000 pages, so one request in every few dozen writes waits for it
(2-5 ms, for a staff action that otherwise commits in under 1 ms). A serving process instead
checkpoints every SQLITE_CHECKPOINT_INTERVAL seconds on a connection of its own, in an operating
system thread (the gevent loop keeps serving meanwhile), and leaves the in-commit
checkpoint only as a backstop for a log that grows past BACKSTOP_PAGES.
"""

from __future__ import annotations

import logging
import sqlite3

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

from workstation.extensions import db, socketio

log = logging.getLogger(__name__)
BACKSTOP_PAGES = 20000  # ~80 MB of log: reached only if the checkpoints stop
CHECKPOINTER_KEY = "sqlite_checkpointer"


def _is_sqlite(dbapi_connection) -> bool:
    return type(dbapi_connection).__module__.startswith("sqlite3")


@event.listens_for(Engine, "connect")
def _connection_settings(dbapi_connection, _record):
    if _is_sqlite(dbapi_connection):
        # Take the write lock when a transaction starts (BEGIN IMMEDIATE), so two
        # read-then-write transactions queue instead of failing with "database is locked".
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()


@event.listens_for(Engine, "begin")
def _begin_immediate(connection):
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def checkpoint(connection: sqlite3.Connection) -> tuple[int, int]:
    """Copy what the log holds into the database file without waiting for anyone; returns
    (pages in the log, pages copied). The next writer starts the log over once it is copied."""
    _busy, in_log, copied = connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
    return in_log, copied


def _off_the_loop(function, *args):
    """Run a blocking call in an operating system thread when the server runs on gevent (the
    sqlite3 module releases the interpreter lock while SQLite works); directly otherwise,
    where background tasks are threads already."""
    if socketio.server.eio.async_mode.startswith("gevent"):
        import gevent

        return gevent.get_hub().threadpool.apply(function, args)
    return function(*args)


class Checkpointer:
    """This process's checkpoints of one database file, every `interval` seconds."""

    def __init__(self, path: str, interval: float):
        self.path, self.interval, self.stopped = path, interval, False

    def run(self) -> None:
        connection = None
        while not self.stopped:
            socketio.sleep(self.interval)
            try:
                if connection is None:
                    connection = sqlite3.connect(self.path, isolation_level=None,
                                                 check_same_thread=False)
                    connection.execute("PRAGMA busy_timeout=1000")
                _off_the_loop(checkpoint, connection)
            except sqlite3.Error:
                log.exception("WAL checkpoint of %s failed; commits checkpoint past %d pages",
                              self.path, BACKSTOP_PAGES)
        if connection is not None:
            connection.close()

    def stop(self) -> None:
        self.stopped = True


def _backstop_only(dbapi_connection, _record):
    dbapi_connection.execute(f"PRAGMA wal_autocheckpoint={BACKSTOP_PAGES}")


def ensure_checkpointer(app: Flask) -> None:
    """Start this process's checkpoints once, on a SQLite file; SQLITE_CHECKPOINT_INTERVAL=0
    (the tests' setting) leaves them to the commits."""
    interval = app.config.get("SQLITE_CHECKPOINT_INTERVAL")
    if not interval or app.extensions.get(CHECKPOINTER_KEY):
        return
    engine = db.engine
    if engine.dialect.name != "sqlite" or engine.url.database in (None, "", ":memory:"):
        app.extensions[CHECKPOINTER_KEY] = "not used"
        return
    event.listen(engine, "connect", _backstop_only)
    engine.dispose()  # connections opened before keep SQLite's in-commit checkpoint
    checkpointer = app.extensions[CHECKPOINTER_KEY] = Checkpointer(engine.url.database, interval)
    socketio.start_background_task(checkpointer.run)
