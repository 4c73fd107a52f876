"""pytest plugin (entry point ``pytest11``): tolerance reports for any project using linalg-lab.

Options
-------
``--tolerance-report``
    Collect every :class:`~linalg_lab.tolerance.Check` made during the session (by
    :func:`linalg_lab.testing.assert_close`, :func:`~linalg_lab.testing.record` or the
    ``tolerance_report`` fixture), list the numerical stack's versions in the session header and
    print a table of the checks in the terminal summary.  The option takes no separate value: in
    ``pytest --tolerance-report tests/test_x.py`` the test path stays a test path.
``--tolerance-report=PATH``
    The same, and also write the report as JSON and Markdown: ``PATH.json`` and ``PATH.md`` when
    PATH ends in ``.json`` or ``.md`` (either names both), otherwise
    ``PATH/tolerance-report.json`` and ``PATH/tolerance-report.md``.  A PATH naming an existing
    file of another kind is refused with a usage error before any test runs.

Under pytest-xdist every worker records its own checks and sends them to the controller attached
to each test report (an extra report attribute, which pytest serialises for xdist); checks made
outside a test travel in the worker's ``workeroutput``.  The controller prints the table and
writes the files; workers write nothing.

The fixture ``tolerance_report`` works with or without the option: its ``check(name, actual,
desired, *, rtol=None, atol=0.0, err_msg="", equal_nan=True, strict=False)`` asserts like
``assert_close`` and records the check, and its ``record(name, error, tolerance)`` logs a scalar
score against a bound and asserts that it passes.

Import cost: this module imports only pytest and the standard library.  numpy and
:mod:`linalg_lab.tolerance` are imported when the option is given or a check is made, so projects
that have linalg-lab installed but never use the plugin pay nothing for it (beyond what importing
the ``linalg_lab`` package itself costs).
"""
from __future__ import annotations

import copy
import platform
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:  # pragma: no cover - typing only
    from .tolerance import Check, ToleranceReport

__all__ = ["stack_versions", "tolerance_report"]

_OPTION = "--tolerance-report"
_REPORT_KEY = pytest.StashKey["ToleranceReport"]()
_STATE_KEY = pytest.StashKey[dict]()
#: Name of the extra attribute that carries a worker's checks on a test report to the controller.
_ATTR = "linalg_lab_checks"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("linalg-lab")
    group.addoption(
        _OPTION,
        action="store",
        nargs="?",
        const="",
        default=None,
        metavar="PATH",
        help="print a table of every tolerance check made during the run (default: off); "
             "--tolerance-report=PATH also writes JSON and Markdown there (PATH.json/PATH.md, or "
             "PATH/tolerance-report.{json,md}).  PATH only after '=': a following argument is "
             "never taken as the path",
    )


def _split_value_from_flag(args: list[str]) -> bool:
    """Rewrite each bare ``--tolerance-report`` token into ``--tolerance-report=`` (in place).

    argparse gives an option with an optional value the next argument when it does not start with
    "-", so ``--tolerance-report tests/test_x.py`` would take the test file as the report path.
    With an explicit empty value the option stands alone.  Tokens after ``--`` are positional and
    left alone.  Returns whether anything changed.
    """
    changed = False
    for i, tok in enumerate(args):
        if tok == "--":
            break
        if tok == _OPTION:
            args[i] = _OPTION + "="
            changed = True
    return changed


@pytest.hookimpl(tryfirst=True)
def pytest_load_initial_conftests(early_config: pytest.Config, parser: pytest.Parser,
                                  args: list[str]) -> None:
    # pytest parses ``args`` (command line, PYTEST_ADDOPTS and ini addopts merged) once more after
    # this hook, so rewriting the list here fixes the final parse (pytest documents mutating args
    # in this hook).  The early namespace was parsed from the unrewritten list: parse it again so
    # that the initial conftests are looked up beside the right test paths.
    if _split_value_from_flag(args):
        old = early_config.known_args_namespace
        ns = parser.parse_known_args(args, namespace=copy.copy(early_config.option))
        ns.confcutdir = old.confcutdir
        early_config.known_args_namespace = ns


def _spec(config: pytest.Config) -> str | None:
    return config.getoption(_OPTION, default=None)


def _enabled(config: pytest.Config) -> bool:
    return _spec(config) is not None


def _is_worker(config: pytest.Config) -> bool:
    return hasattr(config, "workerinput")


def stack_versions() -> dict[str, str]:
    """Versions of the numerical stack (numpy, scipy, BLAS, mpmath, python-flint, python)."""
    out: dict[str, str] = {"python": platform.python_version()}
    try:
        import numpy as np

        out["numpy"] = np.__version__
        try:
            cfg = np.show_config(mode="dicts") or {}
        except TypeError:  # numpy < 1.25: no mode argument, no machine-readable configuration
            cfg = {}
        # the dict layout may change between numpy releases: read what is there, else say so
        blas = cfg.get("Build Dependencies", {}).get("blas", {}) if isinstance(cfg, dict) else {}
        out["blas"] = f"{blas.get('name', 'unknown')} {blas.get('version', '')}".strip()
    except ImportError:
        out["numpy"] = "not installed"
    for mod, label in (("scipy", "scipy"), ("mpmath", "mpmath"), ("flint", "python-flint")):
        try:
            out[label] = __import__(mod).__version__
        except (ImportError, AttributeError):
            out[label] = "not installed"
    return out


def _paths(spec: str) -> tuple[Path, Path]:
    p = Path(spec)
    if p.suffix in (".json", ".md"):
        return p.with_suffix(".json"), p.with_suffix(".md")
    return p / "tolerance-report.json", p / "tolerance-report.md"


def _check_spec(spec: str) -> None:
    """Refuse, before any test runs, a PATH the report files cannot be written to."""
    p = Path(spec)
    if p.suffix in (".json", ".md"):
        return
    if p.exists() and not p.is_dir():
        raise pytest.UsageError(
            f"--tolerance-report={spec}: {spec} is an existing file; give a directory or a path "
            "ending in .json or .md (the report is written as PATH.json and PATH.md)"
        )


def pytest_configure(config: pytest.Config) -> None:
    spec = _spec(config)
    if spec is None:
        return
    if spec and not _is_worker(config):
        _check_spec(spec)
    from .tolerance import ToleranceReport, _ACTIVE

    report = ToleranceReport()
    config.stash[_REPORT_KEY] = report
    # Collect for the whole session: the context variable is set in the main thread.
    config.stash[_STATE_KEY] = {"token": _ACTIVE.set(report), "sent": 0}
    if not _is_worker(config):
        config.pluginmanager.register(_Collector(config), "linalg-lab-tolerance-collector")


def pytest_unconfigure(config: pytest.Config) -> None:
    state = config.stash.get(_STATE_KEY, None)
    if state is None:
        return
    from .tolerance import _ACTIVE

    try:
        _ACTIVE.reset(state["token"])
    except ValueError:  # reset from another context: clear instead
        _ACTIVE.set(None)


def pytest_report_header(config: pytest.Config) -> list[str] | None:
    if not _enabled(config):
        return None
    v = stack_versions()
    return ["linalg-lab tolerance report: " + ", ".join(f"{k} {val}" for k, val in v.items())]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> Any:
    if _REPORT_KEY not in item.config.stash:
        return (yield)
    from .tolerance import _WHERE

    token = _WHERE.set(item.nodeid)  # checks made in setup, call and teardown name this test
    try:
        return (yield)
    finally:
        _WHERE.reset(token)


def _unsent(config: pytest.Config) -> list[dict[str, Any]]:
    """A worker's checks not yet sent to the controller, as plain dicts (and mark them sent)."""
    state = config.stash[_STATE_KEY]
    checks = config.stash[_REPORT_KEY].checks
    new = checks[state["sent"]:]
    state["sent"] = len(checks)
    return [c.to_transport() for c in new]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    if _REPORT_KEY in item.config.stash and _is_worker(item.config):
        # pytest copies extra report attributes when it serialises a report for xdist
        setattr(report, _ATTR, _unsent(item.config))
    return report


class _Collector:
    """Registered on the controller (or a plain run) with the option: receives workers' checks."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config

    def _receive(self, checks: list[dict[str, Any]]) -> None:
        from .tolerance import Check

        report = self.config.stash[_REPORT_KEY]
        for d in checks:
            report.add(Check.from_transport(d))

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        checks = getattr(report, _ATTR, None)  # set only by xdist workers
        if checks:
            self._receive(checks)

    @pytest.hookimpl(optionalhook=True)
    def pytest_testnodedown(self, node: Any, error: Any) -> None:
        """pytest-xdist hook: a worker finished; take the checks it made outside any test."""
        checks = getattr(node, "workeroutput", {}).get(_ATTR)
        if checks:
            self._receive(checks)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    config = session.config
    if _is_worker(config) and _REPORT_KEY in config.stash:
        # checks made outside any test (a session fixture's teardown, a plugin): send them now
        config.workeroutput[_ATTR] = _unsent(config)  # type: ignore[attr-defined]


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    if _is_worker(config) or _REPORT_KEY not in config.stash:
        return
    report = config.stash[_REPORT_KEY]
    tr = terminalreporter
    tr.section("linalg-lab tolerance report")
    if not report.checks:
        tr.write_line("no tolerance checks were recorded")
    else:
        tr.write_line(report.table())
    spec = _spec(config)
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
              atol: float = 0.0, err_msg: str = "", equal_nan: bool = True,
              strict: bool = False) -> Check:
        """Assert closeness like :func:`~linalg_lab.testing.assert_close` and record the check."""
        __tracebackhide__ = True
        from .tolerance import assert_close

        c = assert_close(actual, desired, rtol=rtol, atol=atol, name=name, err_msg=err_msg,
                         equal_nan=equal_nan, strict=strict)
        self.checks.append(c)
        return c

    def record(self, name: str, error: float, tolerance: float, **kw: Any) -> Check:
        """Record a scalar score against a bound, asserting that it passes."""
        __tracebackhide__ = True
        from .tolerance import record

        c = record(name, error, tolerance, **kw)
        self.checks.append(c)
        if not c.passed:
            raise AssertionError(f"{name}: {error:.6g} exceeds its bound {tolerance:.6g}")
        return c


@pytest.fixture
def tolerance_report(request: pytest.FixtureRequest) -> _Recorder:
    """Record-and-assert helper: ``tolerance_report.check(name, actual, desired, rtol=..., atol=...)``."""
    return _Recorder(request.node.nodeid)
