"""Card-service tests reuse the real-server and Chromium fixtures of the browser tests."""

from tests.e2e.conftest import browser, live_server, screenshots  # noqa: F401
