"""Customer tasks on real gevent servers: ack round trip, push latency (staff HTTP action ->
event on the phone) with 1,000 / 5,000 idle devices connected, memory per connection, replay
of pending tasks, and push across two workers through Redis. Beside the push latency, the
same server answering a route that only emits (`push.app_floor`): what the framework costs
before the staff action does any work of its own. Baselines come from a bare
python-socketio server on the same stack (gevent, websocket), measured in the same run with
the same number of idle devices connected; for the push latency it is sent the very request
the staff action sends (the signed-in browser's send form, cookie and all), so that the
client's share of building and sending it is on both sides of the ratio; the phone whose
events are timed runs in a process of its own, as a phone is a device of its own. Idle devices
connect spread over one ping interval, as phones do, so their keep-alive pings are spread too
(devices that all connect at once ping in bursts that hold up every process on the machine
together). The latency is measured on SQLite (the embedded default) and again on PostgreSQL
when one answers (the scale-out database), and beside it what a durable commit alone costs on
the disk the run uses.

`python -m bench.bench_push` runs it alone; BENCH_PUSH_DEVICES="1000,5000" sets the idle
device counts, BENCH_REDIS_URL the Redis used for the cross-process figure, BENCH_POSTGRES_URL
the PostgreSQL server (a private database is created on it for the run).
"""

from __future__ import annotations

import os
import tempfile
import time
from contextlib import contextmanager

import requests
import socketio
from cryptography.fernet import Fernet

from bench.figures import Figure, median, percentile
from bench.push_peers import IDLE, Phone, RemotePhone, rss_kb, spawn

ROUND_TRIPS = 500
PUSHES = 1000  # a p99 from 1,000 samples is the 10th slowest, not the 2nd
REPLAY_TASKS = 1000
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")


# --- the world the servers run on ---------------------------------------------------------------

def _prepare_database(url: str, key: str):
    from flask_migrate import upgrade

    from tests import helpers
    from workstation import create_app
    from workstation.extensions import db
    from workstation.models import Role

    app = create_app({**helpers.test_config(url, key), "TESTING": False})
    with app.app_context():
        upgrade()
        branch = helpers.make_branch()
        db.session.commit()
        manager = helpers.make_staff("benchmanager", Role.MANAGER, branch.id)
        measured = helpers.make_customer(1, "Wang Fang", "+86 138 0013 8001", manager.id)
        idle = helpers.make_customer(2, "Li Wei", "+86 139 1234 5678", manager.id)
    return app, manager, measured, idle


def _token(app, phone: str) -> str:
    from tests.channel.builders import device_token

    return device_token(app, phone, "bench")


def _timed_pushes(post, phone, count: int) -> list[float]:
    """From the start of the action to the event reaching the device, which may be before
    the action's own HTTP response has come back to the staff member's browser."""
    samples = []
    for n in range(count + 10):
        phone.expect()
        started = time.monotonic()
        post(n)
        arrived = phone.arrival(10)
        if arrived is None:
            raise RuntimeError("a pushed task never arrived")
        samples.append((arrived - started) * 1000)
    return samples[10:]


def _warm_up(post, phone) -> None:
    """Emit until one arrives: a Redis subscriber misses what is published before it listens."""
    for n in range(40):
        phone.expect()
        post(-n - 1)
        if phone.arrival(0.25) is not None:
            return
    raise RuntimeError("nothing arrived through the message queue")


def _round_trips(call, count: int) -> list[float]:
    samples = []
    for _ in range(count + 20):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    return samples[20:]


def _pair(stem: str, samples: list[float], base: list[float], base_name: str, note: str):
    return [
        Figure(f"{stem}_median", median(samples), "ms", median(base), base_name, note),
        Figure(f"{stem}_p99", percentile(samples, 99), "ms", percentile(base, 99),
               base_name, note),
    ]


# --- the measurements ---------------------------------------------------------------------------

def _bare_pushes(port: int, like=None) -> list[float]:
    """HTTP POST -> emit -> device on the bare server, with whatever else is connected. With
    `like` (a signed-in StaffBrowser) the POST is that browser's send form, the very request
    the measured staff action sends (its session cookie, CSRF token and form; the bare server
    reads it and does nothing with it), so both sides pay the same for sending it; without,
    an empty POST."""
    url = f"http://127.0.0.1:{port}"
    phone = RemotePhone(url, namespace="/")
    if like is None:
        http = requests.Session()

        def post(n):
            http.post(url + "/emit", timeout=10)
    else:
        def post(n):
            like.post_send_form(url + "/emit", f"bench {n}")
    try:
        return _timed_pushes(post, phone, PUSHES)
    finally:
        phone.disconnect()


def _baseline(port: int) -> dict:
    phone = Phone(f"http://127.0.0.1:{port}", namespace="/")
    echo = _round_trips(lambda: phone.call("echo", {"id": "x"}), ROUND_TRIPS)
    phone.disconnect()
    return {"echo": echo, "push": _bare_pushes(port)}


def _with_idle_devices(url: str, namespace: str, token: str, count: int, pid: int, measure):
    """Connect `count` idle devices to one server, then run `measure`: its result and the
    server's memory per connection. The devices leave afterwards, so each server is measured
    with only its own idle devices on the machine."""
    holder = spawn("hold", url, namespace, token, str(count))
    try:
        before = rss_kb(pid)
        line = holder.stdout.readline()
        if not line.startswith("ready"):
            raise RuntimeError(f"idle devices did not connect: {line!r}")
        time.sleep(1)
        per_connection = (rss_kb(pid) - before) / count
        return measure(), per_connection
    finally:
        holder.stdin.close()
        holder.wait(60)


def _push_with_idle(prefix, server, staff, phone, customer_id, token, count, bare):
    samples, ours_kb = _with_idle_devices(
        server.url, "/customer", token, count, server.process.pid,
        lambda: _timed_pushes(lambda n: staff.send_message(server.url, customer_id,
                                                           f"bench {count}/{n}"), phone, PUSHES))
    base_push, bare_kb = _with_idle_devices(
        f"http://127.0.0.1:{bare[1]}", "/", IDLE, count, bare[0],
        lambda: _bare_pushes(bare[1], like=staff))
    note = f"{count} idle devices connected to one gevent worker"
    base_name = (f"bare python-socketio emit after the same HTTP POST, {count} idle devices "
                 "connected")
    return _pair(f"{prefix}.latency_{count}_devices", samples, base_push, base_name, note) + [
        Figure(f"{prefix}.memory_per_connection_{count}", ours_kb, "KB", bare_kb,
               "bare python-socketio server", note)]


def _replay(app, phone, customer_id: int, base_phone_url: str) -> list[Figure]:
    from workstation.audit import Actor
    from workstation.extensions import db
    from workstation.tasks.service import create_task

    with app.app_context():
        for n in range(REPLAY_TASKS):
            create_task(Actor.system("bench"), customer_id, "notice", {"message": f"n{n}"})
        db.session.commit()
    reply: dict = {}
    samples = _round_trips(lambda: reply.update(phone.call("task:sync", {"after_seq": 0})), 20)
    assert len(reply["tasks"]) >= REPLAY_TASKS
    base = Phone(base_phone_url, namespace="/")
    base_samples = _round_trips(lambda: base.call("echo", reply), 20)
    base.disconnect()
    note = f"task:sync returning {len(reply['tasks'])} open tasks"
    return [Figure("push.replay_median", median(samples), "ms", median(base_samples),
                   "echo of the same bytes", note)]


def _cross_process(database_url, key, manager, customer, app, same_process) -> list[Figure]:
    import redis

    from tests.channel.servers import Server, StaffBrowser

    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.RedisError:
        return []
    workers = [Server(f"bench-{n}", database_url, key, redis_url=REDIS_URL) for n in "ab"]
    try:
        for worker in workers:
            worker.start()
        phone = RemotePhone(workers[1].url, _token(app, customer.phone))
        staff = StaffBrowser(manager).sign_in(workers[0].url)
        samples = _timed_pushes(
            lambda n: staff.send_message(workers[0].url, customer.id, f"x{n}"), phone, PUSHES)
        phone.disconnect()
    finally:
        for worker in workers:
            worker.kill()
    return _pair("push.cross_process", samples, same_process, "push within one worker",
                 "staff HTTP action on worker A, phone on worker B, Redis message queue")


def _app_floor(database_url, key, customer_id: int, token: str, bare: list[float]):
    """The workstation's own server emitting on an HTTP POST with nothing else to do (no
    sign-in, database, audit): the framework's share of the gap to the bare server; the rest
    of the staff push latency is the action's own work."""
    from tests.channel.servers import Server

    server = Server("bench-floor", database_url, key,
                    command=("-m", "bench.push_peers", "app-floor", str(customer_id)))
    try:
        server.start()
        phone, http = RemotePhone(server.url, token), requests.Session()
        samples = _timed_pushes(lambda n: http.post(server.url + "/bench/emit", timeout=10),
                                phone, PUSHES)
        phone.disconnect()
    finally:
        server.kill()
    return _pair("push.app_floor", samples, bare, "bare python-socketio emit after an HTTP "
                 "POST", "the workstation's server, a route that only emits (no sign-in, "
                 "database or audit)")


@contextmanager
def _bare_server(redis_url: str = ""):
    """A bare python-socketio server of its own (pid, port), taking emits from other processes
    through `redis_url` if given: the memory per connection it reports starts from an empty
    process, not from one that held the previous run's devices."""
    from tests.channel.servers import free_port

    port = free_port()
    process = spawn("baseline", str(port), *([redis_url] if redis_url else []))
    try:
        time.sleep(1)
        yield process.pid, port
    finally:
        process.kill()
        process.wait(10)


def _external_emits(database_url, key, app, customer) -> list[Figure]:
    """A separate process (CLI, scheduler) emits through Redis: the channel alone, no HTTP."""
    import redis
    from flask_socketio import SocketIO

    from tests.channel.servers import Server

    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.RedisError:
        return []
    server = Server("bench-queue", database_url, key, redis_url=REDIS_URL)
    try:
        server.start()
        time.sleep(1)
        ours = RemotePhone(server.url, _token(app, customer.phone))
        emitter = SocketIO(message_queue=REDIS_URL)
        room = f"customer:{customer.id}"

        def emit_ours(n):
            emitter.emit("task", {"id": str(n), "seq": n}, to=room, namespace="/customer")

        _warm_up(emit_ours, ours)
        samples = _timed_pushes(emit_ours, ours, PUSHES)
        ours.disconnect()
    finally:
        server.kill()
    with _bare_server(REDIS_URL) as (_, port):
        base = RemotePhone(f"http://127.0.0.1:{port}", namespace="/")
        writer = socketio.RedisManager(REDIS_URL, write_only=True, channel="bench-bare")

        def emit_bare(n):
            writer.emit("task", {"id": str(n)}, room="r", namespace="/")

        _warm_up(emit_bare, base)
        base_samples = _timed_pushes(emit_bare, base, PUSHES)
        base.disconnect()
    return _pair("push.external_emit", samples, base_samples, "bare python-socketio server, "
                 "write-only RedisManager", "emit from another process through Redis")


def _disk_commits(directory: str) -> list[Figure]:
    """What a durable commit costs on this disk by itself: a bare SQLite transaction (WAL,
    synchronous FULL as the app uses it) writing three rows of the size of a push's."""
    import sqlite3

    connection = sqlite3.connect(f"{directory}/disk.db", isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("CREATE TABLE rows (id INTEGER PRIMARY KEY, body TEXT)")

    def commit():
        connection.execute("BEGIN IMMEDIATE")
        for _ in range(3):
            connection.execute("INSERT INTO rows (body) VALUES (?)", (os.urandom(400).hex(),))
        connection.execute("COMMIT")

    samples = _round_trips(commit, PUSHES * 5)
    connection.close()
    note = "bare SQLite commit (WAL, fsync) of three ~800-byte rows on the bench's disk"
    return [Figure("push.disk_commit_median", median(samples), "ms", note=note),
            Figure("push.disk_commit_p99", percentile(samples, 99), "ms", note=note)]


def _postgres_database():
    """A private PostgreSQL database for the run (URL, drop), or None without a server."""
    from sqlalchemy import create_engine, text

    from tests.helpers import private_postgres_database

    base = os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
    try:
        with create_engine(base).connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 (no server: the figures are left out)
        return None
    return private_postgres_database(base, "bench_push")


def _on_database(label: str, database_url: str, key: str, base: dict, bare: tuple[int, int],
                 *, everything: bool) -> tuple[list[Figure], tuple]:
    """Push latency and memory with 0 / 1,000 / 5,000 idle devices on one gevent worker on this
    database; `everything` adds the ack round trip and replay figures."""
    from tests.channel.servers import Server, StaffBrowser

    prefix = "push" if everything else f"push.{label}"
    app, manager, measured, idle = _prepare_database(database_url, key)
    server = Server(f"bench-{label}", database_url, key)
    figures: list[Figure] = []
    try:
        server.start()
        measured_token = _token(app, measured.phone)
        phone = RemotePhone(server.url, measured_token)
        staff = StaffBrowser(manager).sign_in(server.url)
        same = _timed_pushes(lambda n: staff.send_message(server.url, measured.id, f"p{n}"),
                             phone, PUSHES)
        figures += _pair(f"{prefix}.latency_idle", same, _bare_pushes(bare[1], like=staff),
                         "bare python-socketio emit after the same HTTP POST",
                         f"staff HTTP action -> task event on the phone ({label})")
        if everything:
            last, acking = {"id": phone.last_id}, Phone(server.url, measured_token)
            acks = _round_trips(lambda: acking.call("task:ack", last), ROUND_TRIPS)
            acking.disconnect()
            figures += _pair("push.ack_round_trip", acks, base["echo"],
                             "bare python-socketio echo",
                             "task:ack: device check, row lock, commit, ack; one client")
        idle_token = _token(app, idle.phone)
        for count in [int(c) for c in os.environ.get("BENCH_PUSH_DEVICES", "1000,5000").split(",")]:
            figures += _push_with_idle(prefix, server, staff, phone, measured.id, idle_token,
                                       count, bare)
        phone.disconnect()
        if everything:  # on the idle customer, whose only open tasks are the replayed ones
            replaying = Phone(server.url, idle_token)
            figures += _replay(app, replaying, idle.id, f"http://127.0.0.1:{bare[1]}")
            replaying.disconnect()
    finally:
        server.kill()
    if everything:
        figures += _app_floor(database_url, key, measured.id, measured_token, base["push"])
    return figures, (app, manager, measured, same)


def run() -> list[Figure]:
    """All figures of the push channel (see the module docstring): on the embedded SQLite
    database, and the latency again on PostgreSQL (the scale-out database) when one answers."""
    directory = tempfile.mkdtemp(prefix="bench_push_")
    database_url = f"sqlite:///{directory}/bench.db"
    key = Fernet.generate_key().decode()
    figures: list[Figure] = []
    with _bare_server() as bare:
        base = _baseline(bare[1])
        measured_here, (app, manager, measured, same) = _on_database(
            "sqlite", database_url, key, base, bare, everything=True)
        figures += measured_here
    postgres = _postgres_database()
    if postgres is not None:
        url, drop = postgres
        try:
            with _bare_server() as bare:
                figures += _on_database("postgresql", url, key, base, bare, everything=False)[0]
        finally:
            drop()
    figures += _cross_process(database_url, key, manager, measured, app, same)
    figures += _external_emits(database_url, key, app, measured)
    figures += _disk_commits(directory)
    return figures


if __name__ == "__main__":
    for figure in run():
        print(figure)
