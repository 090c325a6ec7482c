"""Checks that the system libraries WeasyPrint needs are installed (used by `make run`)."""

from __future__ import annotations

import sys


def main() -> int:
    """Exit 0 when WeasyPrint can load its libraries, 1 with the reason otherwise."""
    try:
        import weasyprint  # noqa: F401  (loading it opens pango and harfbuzz)
    except OSError as error:
        print(f"WeasyPrint cannot load a system library: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
