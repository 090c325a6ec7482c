"""The CI gate (tests/ci_plugin.py): with CI_FAIL_ON_SKIP=1 a skip or an empty run fails."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _pytest(folder: Path, gate: bool, *files: tuple[str, str]) -> subprocess.CompletedProcess:
    for name, body in files:
        (folder / name).write_text(body)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "CI_FAIL_ON_SKIP": "1" if gate else "0"}
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "tests.ci_plugin",
            "-p",
            "no:cacheprovider",
            "-q",
            str(folder),
        ],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


SKIPPING = ("test_skips.py", "import pytest\n\ndef test_later():\n    pytest.skip('no server')\n")
MARKED = (
    "test_marked.py",
    "import pytest\n\n@pytest.mark.skipif(True, reason='not here')\ndef test_m():\n    pass\n",
)
MODULE = ("test_module.py", "import pytest\n\npytest.importorskip('no_such_module_xyz')\n")
XFAIL = (
    "test_xfail.py",
    "import pytest\n\n@pytest.mark.xfail(reason='known')\ndef test_x():\n    assert False\n",
)


@pytest.mark.parametrize("case", [SKIPPING, MARKED, MODULE], ids=["call", "marker", "module"])
def test_a_skip_fails_the_run_when_the_gate_is_on(tmp_path, case):
    result = _pytest(tmp_path, True, case)
    assert result.returncode != 0, result.stdout
    assert "counts as a failure" in result.stdout


def test_a_skip_passes_without_the_gate(tmp_path):
    assert _pytest(tmp_path, False, SKIPPING).returncode == 0


def test_an_empty_run_fails_when_the_gate_is_on(tmp_path):
    assert _pytest(tmp_path, False).returncode == pytest.ExitCode.NO_TESTS_COLLECTED
    assert _pytest(tmp_path, True).returncode == pytest.ExitCode.TESTS_FAILED


def test_an_expected_failure_is_not_a_skip(tmp_path):
    result = _pytest(tmp_path, True, XFAIL, ("test_ok.py", "def test_ok():\n    pass\n"))
    assert result.returncode == 0, result.stdout
