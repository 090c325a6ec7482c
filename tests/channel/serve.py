"""Run `wsgi.py` as a scale-out worker does: gevent, with the standard library patched first."""

from gevent import monkey

monkey.patch_all()

import runpy  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
runpy.run_path(str(ROOT / "wsgi.py"), run_name="__main__")
