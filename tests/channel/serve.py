"""Run `wsgi.py` as a scale-out worker does: gevent, with the standard library patched first.

Like gunicorn, the listening socket gets TCP_NODELAY (gevent's pywsgi leaves Nagle on, which
adds a 40 ms delayed-ACK stall to small HTTP responses on loopback).
"""

from gevent import monkey

monkey.patch_all()

import runpy  # noqa: E402
import socket  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

from gevent import pywsgi  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]


def no_delay_server() -> None:
    """Make every gevent WSGI server of this process listen with TCP_NODELAY."""
    original = pywsgi.WSGIServer.init_socket

    def init_socket(self):
        original(self)
        self.socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    pywsgi.WSGIServer.init_socket = init_socket


if __name__ == "__main__":
    no_delay_server()
    sys.path.insert(0, str(ROOT))
    runpy.run_path(str(ROOT / "wsgi.py"), run_name="__main__")
