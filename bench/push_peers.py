"""The other ends of the push benchmark: a bare python-socketio server (the baseline), the
workstation's own server with an emit-only route (how much of the gap is the framework), a
process holding thousands of idle devices, and the phone whose events are timed.

bench_push starts them as `python -m bench.push_peers baseline PORT [REDIS_URL]`,
`python -m bench.push_peers app-floor CUSTOMER_ID` (with the server's environment),
`python -m bench.push_peers hold URL NAMESPACE TOKEN COUNT` and
`python -m bench.push_peers phone URL NAMESPACE TOKEN`.
"""

from __future__ import annotations

import sys

if __name__ == "__main__" and sys.argv[1:2] in (["baseline"], ["app-floor"]):
    # The standard library is patched before anything imports it, as the workstation's
    # server does (tests/channel/serve.py).
    from gevent import monkey

    monkey.patch_all()

import os  # noqa: E402
import select  # noqa: E402
import subprocess  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import socketio  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
IDLE = "idle"  # the token idle devices show the bare server
BATCH = 25
SPREAD_S = 25.0  # python-socketio's default ping interval


def baseline_server(port: int, redis_url: str = "") -> None:
    """A bare python-socketio server: `echo` acks its data, POST /emit emits `task` to room r;
    with a Redis URL it also takes emits from other processes (channel `bench-bare`)."""
    from gevent import pywsgi

    from tests.channel.serve import like_gunicorn

    like_gunicorn()  # the same server behaviour as the workstation's server in this run

    manager = socketio.RedisManager(redis_url, channel="bench-bare") if redis_url else None
    sio = socketio.Server(async_mode="gevent", client_manager=manager)

    def connect(sid, environ, auth=None):
        if (auth or {}).get("token") != IDLE:  # idle devices stay out of the measured room
            sio.enter_room(sid, "r")

    sio.on("connect", connect)
    sio.on("echo", lambda sid, data: data)

    def http(environ, start_response):
        if environ["PATH_INFO"] == "/emit":
            sio.emit("task", {"id": str(time.time()), "seq": 1}, room="r")
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"ok"]

    pywsgi.WSGIServer(("127.0.0.1", port), socketio.WSGIApp(sio, http), log=None).serve_forever()


def app_floor_server(customer_id: int) -> None:
    """The workstation's server as tests/channel/serve.py runs it, plus POST /bench/emit,
    which emits `task` to the customer's devices and nothing else: no sign-in, no database,
    no audit. Against the bare server it shows what the framework itself costs; the rest of
    a staff push is the action's own work."""
    from tests.channel.serve import like_gunicorn

    like_gunicorn()
    from wsgi import app, serve
    from workstation.extensions import csrf, socketio
    from workstation.realtime import CUSTOMER_NAMESPACE, customer_room, emit_to_room

    def emit():
        emit_to_room(customer_room(customer_id), "task", {"id": str(time.time()), "seq": 1},
                     CUSTOMER_NAMESPACE)
        socketio.sleep(0)  # as the app does after a commit's emits
        return "ok"

    app.add_url_rule("/bench/emit", "bench_emit", csrf.exempt(emit), methods=["POST"])
    serve()


def hold_connections(url: str, namespace: str, token: str, count: int) -> None:
    """Open `count` idle connections (asyncio), print `ready`, hold them until stdin ends."""
    import asyncio

    async def main():
        clients = []
        loop = asyncio.get_running_loop()
        started = loop.time()
        batches = range(0, count, BATCH)
        for number, start in enumerate(batches):
            # Real phones connect at scattered moments, so their keep-alive pings are spread
            # over the ping interval; batches paced over one interval keep it so here too.
            await asyncio.sleep(max(0.0, started + number * SPREAD_S / len(batches) - loop.time()))
            batch = [socketio.AsyncClient(reconnection=False)
                     for _ in range(min(BATCH, count - start))]
            await asyncio.gather(*(c.connect(url, namespaces=[namespace], auth={"token": token},
                                             transports=["websocket"], wait_timeout=60)
                                   for c in batch))
            clients += batch
        print("ready", len(clients), flush=True)
        await loop.run_in_executor(None, sys.stdin.read)
        await asyncio.gather(*(c.disconnect() for c in clients), return_exceptions=True)

    asyncio.run(main())


def spawn(*args: str) -> subprocess.Popen:
    """One of the peers above in a process of its own (stdin open: closing it ends `hold`)."""
    return subprocess.Popen([sys.executable, "-m", "bench.push_peers", *args], cwd=ROOT,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


class Phone:
    """A device with one socket: answers calls, and tells `on_task` the time (time.monotonic)
    and data of each `task` event that reaches it."""

    def __init__(self, url: str, token: str | None = None, namespace: str = "/customer",
                 on_task=None):
        self.namespace = namespace
        self.sio = socketio.Client(reconnection=False)
        if on_task:
            self.sio.on("task", lambda data: on_task(time.monotonic(), data), namespace=namespace)
        self.sio.connect(url, namespaces=[namespace], auth={"token": token} if token else None,
                         transports=["websocket"])

    def call(self, event: str, data):
        return self.sio.call(event, data, namespace=self.namespace, timeout=30)

    def disconnect(self) -> None:
        self.sio.disconnect()


class RemotePhone:
    """A Phone in a process of its own, as a phone is a device of its own. In the measuring
    process its socket's reader (python-socketio starts a thread for each event) would wait
    for the interpreter lock while that process reads the staff action's HTTP response: a
    delay no phone has. time.monotonic is the system-wide clock, so its times compare with
    this process's."""

    def __init__(self, url: str, token: str | None = None, namespace: str = "/customer"):
        self.process = spawn("phone", url, namespace, token or "")
        self._pending = b""
        self.last_id = ""
        if self._line(30) != "ready":
            raise RuntimeError("the phone did not connect")

    def _line(self, timeout: float) -> str | None:
        deadline = time.monotonic() + timeout
        while b"\n" not in self._pending:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self.process.stdout], [], [], left)[0]:
                return None
            chunk = os.read(self.process.stdout.fileno(), 4096)
            if not chunk:
                raise RuntimeError("the phone's process ended")
            self._pending += chunk
        line, self._pending = self._pending.split(b"\n", 1)
        return line.decode()

    def expect(self) -> None:
        while self._line(0) is not None:  # a late arrival is not the next event's
            pass

    def arrival(self, timeout: float) -> float | None:
        line = self._line(timeout)
        if line is None:
            return None
        at, self.last_id = line.split(" ", 1)
        return float(at)

    def disconnect(self) -> None:
        self.process.stdin.close()
        self.process.wait(10)


def phone_process(url: str, namespace: str, token: str) -> None:
    """The process of a RemotePhone: `ready`, then `<monotonic time> <task id>` per event."""
    def arrived(at: float, data: dict) -> None:
        sys.stdout.buffer.write(f"{at:.9f} {data.get('id', '')}\n".encode())
        sys.stdout.buffer.flush()

    phone = Phone(url, token or None, namespace, on_task=arrived)
    print("ready", flush=True)
    sys.stdin.read()
    phone.disconnect()


if __name__ == "__main__":
    if sys.argv[1:2] == ["baseline"]:
        baseline_server(int(sys.argv[2]), *sys.argv[3:4])
    elif sys.argv[1:2] == ["app-floor"]:
        app_floor_server(int(sys.argv[2]))
    elif sys.argv[1:2] == ["hold"]:
        hold_connections(sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]))
    elif sys.argv[1:2] == ["phone"]:
        phone_process(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        raise SystemExit(__doc__)
