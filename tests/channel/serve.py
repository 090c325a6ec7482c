"""Run `wsgi.py` as a scale-out worker does: gevent, with the standard library patched first.

gevent's pywsgi differs from gunicorn's gevent worker (what production runs) in two ways that
matter here, and both are set as gunicorn has them: the listening socket gets TCP_NODELAY
(pywsgi leaves Nagle on, which adds a 40 ms delayed-ACK stall to small HTTP responses on
loopback), and a connection ends with its WebSocket. Under pywsgi, python-engineio answers
"200 OK" once a WebSocket it served has ended, pywsgi writes that into the WebSocket and then
reads the client's next frames as HTTP requests: a browser that closes its socket reports
"Invalid frame header".
"""

from gevent import monkey

monkey.patch_all()

import runpy  # noqa: E402
import socket  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

from gevent import pywsgi  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]


def like_gunicorn() -> None:
    """Make every gevent WSGI server of this process listen with TCP_NODELAY and close a
    connection once the WebSocket it was upgraded to has ended."""
    init_socket, run_application = pywsgi.WSGIServer.init_socket, pywsgi.WSGIHandler.run_application

    def init_socket_without_delay(self):
        init_socket(self)
        self.socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def run_application_then_close_websocket(self):
        if self.environ.get("HTTP_UPGRADE", "").lower() != "websocket":
            return run_application(self)
        self.close_connection = True
        answers = []
        result = self.application(self.environ, lambda status, headers, exc_info=None:
                                  answers.append((status, headers)) or (lambda data: None))
        try:
            body = b"".join(result)
        finally:
            getattr(result, "close", lambda: None)()
        if answers and not answers[-1][0].startswith("200"):  # an upgrade refused: say why
            self.start_response(*answers[-1])
            self.write(body)
        return None

    pywsgi.WSGIServer.init_socket = init_socket_without_delay
    pywsgi.WSGIHandler.run_application = run_application_then_close_websocket


if __name__ == "__main__":
    like_gunicorn()
    sys.path.insert(0, str(ROOT))
    runpy.run_path(str(ROOT / "wsgi.py"), run_name="__main__")
