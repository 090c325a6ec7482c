"""CI gate, loaded with `-p tests.ci_plugin`: with CI_FAIL_ON_SKIP=1 a skipped test fails,
and a run that collects no test fails too (instead of pytest's exit code 5)."""

from __future__ import annotations

import os

import pytest

ENV_SWITCH = "CI_FAIL_ON_SKIP"


def _enabled() -> bool:
    return os.environ.get(ENV_SWITCH, "0") == "1"


def _skip_reason(longrepr) -> str:
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        return str(longrepr[2])
    return str(longrepr)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Turn a skipped test (not an expected failure) into a failed one."""
    outcome = yield
    report = outcome.get_result()
    if _enabled() and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = (
            f"{ENV_SWITCH}=1: a skipped test counts as a failure ({_skip_reason(report.longrepr)})"
        )


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector):
    """Turn a module skipped at import (pytest.skip, importorskip) into a collection error."""
    outcome = yield
    report = outcome.get_result()
    if _enabled() and report.skipped:
        report.outcome = "failed"
        report.longrepr = (
            f"{ENV_SWITCH}=1: a skipped module counts as a failure "
            f"({_skip_reason(report.longrepr)})"
        )


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session, exitstatus):
    """No test collected is a failure, not a success with nothing to show."""
    if _enabled() and exitstatus == pytest.ExitCode.NO_TESTS_COLLECTED:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_report_header(config):
    """Say in the header that the gate is on."""
    if _enabled():
        return f"{ENV_SWITCH}=1: skipped tests and empty runs fail"
    return None
