"""Run under gevent: render a long document in the process pool while the event loop ticks.

Prints one JSON line: how long the render took and the longest pause the loop saw.
"""

from gevent import monkey

monkey.patch_all()

import json  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

import gevent  # noqa: E402


def main() -> None:
    from workstation.documents.rendering import render_pdf

    html = "<table>" + "<tr><td>Payment</td><td>37.25</td></tr>" * 900 + "</table>"
    render_pdf("<p>warm-up</p>", None, reason="", location="", pool="process", workers=1)
    gaps: list[float] = []

    def ticker() -> None:
        last = time.perf_counter()
        while True:
            gevent.sleep(0.005)
            now = time.perf_counter()
            gaps.append(now - last)
            last = now

    loop = gevent.spawn(ticker)
    gevent.sleep(0.02)
    started = time.perf_counter()
    render_pdf(html, None, reason="", location="", pool="process", workers=1)
    elapsed = time.perf_counter() - started
    loop.kill()
    print(json.dumps({"render_s": elapsed, "max_gap_s": max(gaps), "ticks": len(gaps)}))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
