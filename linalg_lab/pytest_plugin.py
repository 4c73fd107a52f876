"""pytest plugin (entry point ``pytest11``): tolerance reports for any project using linalg-lab.

Adds the option ``--tolerance-report[=PATH]``.  With it, every :class:`~linalg_lab.tolerance.Check`
made during the session (by :func:`linalg_lab.testing.assert_close`, :func:`~linalg_lab.testing.record`
or the ``tolerance_report`` fixture) is collected; the session header lists the numerical stack's
versions, and the terminal summary prints a table of the checks.  Given PATH, the report is also
written as JSON and Markdown: ``PATH.json`` and ``PATH.md`` when PATH ends in ``.json`` or ``.md``
(either names both), otherwise ``PATH/tolerance-report.json`` and ``PATH/tolerance-report.md``.

The fixture ``tolerance_report`` works with or without the option: its ``check(name, actual,
desired, *, rtol=None, atol=0.0)`` asserts like ``assert_close`` and records the check, and its
``record(name, error, tolerance)`` logs a scalar score against a bound.
"""
from __future__ import annotations

import platform
from pathlib import Path
from typing import Any

import pytest

from .tolerance import Check, ToleranceReport, _ACTIVE, _set_where, assert_close, record

_KEY = pytest.StashKey[ToleranceReport]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("linalg-lab")
    group.addoption(
        "--tolerance-report",
        action="store",
        nargs="?",
        const="",
        default=None,
        metavar="PATH",
        help="print a table of every tolerance check made during the run; with PATH also write "
             "JSON and Markdown there (PATH.json/PATH.md, or PATH/tolerance-report.{json,md})",
    )


def _enabled(config: pytest.Config) -> bool:
    return config.getoption("--tolerance-report", default=None) is not None


def stack_versions() -> dict[str, str]:
    """Versions of the numerical stack (numpy, scipy, BLAS, mpmath, python-flint, python)."""
    out: dict[str, str] = {"python": platform.python_version()}
    try:
        import numpy as np

        out["numpy"] = np.__version__
        try:
            cfg = np.show_config(mode="dicts")
            blas = cfg.get("Build Dependencies", {}).get("blas", {})
            out["blas"] = f"{blas.get('name', '?')} {blas.get('version', '')}".strip()
        except Exception:
            out["blas"] = "unknown"
    except ImportError:
        pass
    for mod, label in (("scipy", "scipy"), ("mpmath", "mpmath"), ("flint", "python-flint")):
        try:
            out[label] = __import__(mod).__version__
        except Exception:
            out[label] = "not installed"
    return out


def pytest_configure(config: pytest.Config) -> None:
    if _enabled(config):
        report = ToleranceReport()
        config.stash[_KEY] = report
        # Collect for the whole session: the context variable is set in the main thread.
        config._linalg_lab_token = _ACTIVE.set(report)  # type: ignore[attr-defined]


def pytest_unconfigure(config: pytest.Config) -> None:
    token = getattr(config, "_linalg_lab_token", None)
    if token is not None:
        try:
            _ACTIVE.reset(token)
        except ValueError:  # reset from another context: clear instead
            _ACTIVE.set(None)


def pytest_report_header(config: pytest.Config) -> list[str] | None:
    if not _enabled(config):
        return None
    v = stack_versions()
    return ["linalg-lab tolerance report: " + ", ".join(f"{k} {val}" for k, val in v.items())]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Any:
    token = _set_where(item.nodeid)
    try:
        return (yield)
    finally:
        from .tolerance import _WHERE

        _WHERE.reset(token)


def _paths(spec: str) -> tuple[Path, Path]:
    p = Path(spec)
    if p.suffix in (".json", ".md"):
        return p.with_suffix(".json"), p.with_suffix(".md")
    return p / "tolerance-report.json", p / "tolerance-report.md"


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    if not _enabled(config) or _KEY not in config.stash:
        return
    report = config.stash[_KEY]
    tr = terminalreporter
    tr.section("linalg-lab tolerance report")
    if not report.checks:
        tr.write_line("no tolerance checks were recorded")
    else:
        tr.write_line(report.table())
    spec = config.getoption("--tolerance-report")
    if spec:
        jpath, mpath = _paths(spec)
        jpath.parent.mkdir(parents=True, exist_ok=True)
        jpath.write_text(report.to_json())
        header = "\n".join(f"- {k}: {v}" for k, v in stack_versions().items())
        mpath.write_text(f"# Tolerance report\n\n{header}\n\n{report.markdown()}")
        tr.write_line(f"tolerance report written to {jpath} and {mpath}")


class _Recorder:
    """The object behind the ``tolerance_report`` fixture."""

    def __init__(self, where: str) -> None:
        self.where = where
        self.checks: list[Check] = []

    def check(self, name: str, actual: Any, desired: Any, *, rtol: float | None = None,
              atol: float = 0.0) -> Check:
        """Assert closeness like :func:`~linalg_lab.testing.assert_close` and record the check."""
        c = assert_close(actual, desired, rtol=rtol, atol=atol, name=name)
        self.checks.append(c)
        return c

    def record(self, name: str, error: float, tolerance: float, **kw: Any) -> Check:
        """Record a scalar score against a bound, asserting that it passes."""
        c = record(name, error, tolerance, **kw)
        self.checks.append(c)
        assert c.passed, f"{name}: {error:.6g} exceeds its bound {tolerance:.6g}"
        return c


@pytest.fixture
def tolerance_report(request: pytest.FixtureRequest) -> _Recorder:
    """Record-and-assert helper: ``tolerance_report.check(name, actual, desired, rtol=..., atol=...)``."""
    return _Recorder(request.node.nodeid)
