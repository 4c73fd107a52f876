"""Registries of CLI commands and report sections: objects, discovered from their folders.

Adding a command, a report section or a sweepable analysis touches one file: a module in
``linalg_lab/app/commands/``, ``linalg_lab/app/report/sections/`` or ``linalg_lab/app/analyses/``
that calls :func:`register_command`, :func:`register_section` or :func:`register_analysis` at
import.  :func:`discover` imports every module of those folders (in
name order), so the CLI, the report and the tests see the new entry without edits elsewhere.
"""
from __future__ import annotations

import argparse
import dataclasses
import importlib
import pkgutil
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, Literal, TypeVar

from .._results import Result, Rigour

__all__ = [
    "Command", "ReportSection", "SectionOutput", "ReportContext", "COMMANDS", "SECTIONS",
    "register_command", "register_section", "discover", "commands_for", "ordered_sections", "ANALYSES",
    "register_analysis", "GROUPS", "register_group",
]

Tool = Literal["linalg-lab", "proofs-check"]
T = TypeVar("T")


@dataclasses.dataclass(frozen=True)
class Command:
    """One CLI command.

    ``path`` names it: ``("spectral-norm",)`` is ``linalg-lab spectral-norm``; ``("ns", "run")`` is
    ``linalg-lab ns run`` (a group and its subcommand).  ``arguments(parser)`` adds its options,
    each with help text that states the default.  ``run(args)`` computes through the library and
    returns a :class:`~linalg_lab._results.Result`; the CLI prints it (``--json``: exactly its
    ``to_dict()``) and exits 0 when ``result.ok``, else 1.  Bad input raises ``InputError`` (exit 2).
    ``render(result, args)`` may return the text to print instead of ``result.summary()``;
    ``example(tmp_dir)`` gives a quick valid invocation for the tests.
    """

    path: tuple[str, ...]
    tool: Tool
    help: str
    arguments: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], Result]
    description: str = ""
    render: Callable[[Result, argparse.Namespace], str] | None = None
    #: ``example(tmp_dir) -> argv``: writes any input files into ``tmp_dir`` and returns a quick,
    #: valid argument list; the test suite runs every command's example with ``--json`` and checks
    #: the output against the result's JSON schema.
    example: Callable[[Path], list[str]] | None = None


@dataclasses.dataclass(frozen=True)
class SectionOutput:
    """What a report section returns; the builder renders it (and never recomputes).

    ``markdown``: the body (tables, ``![caption](figures/NAME.png)`` links); ``conclusion``: one
    sentence a user should take away; ``rigour``: the highest level of the section's claims;
    ``results``: the results behind the tables (``report.json`` holds their ``to_dict()``);
    ``figures``: the files written.  The section's acceptance checks are the
    ``linalg_lab.tolerance`` checks made while it was built (the builder records them).
    """

    markdown: str
    conclusion: str
    rigour: Rigour
    results: dict[str, Any] = dataclasses.field(default_factory=dict)
    figures: list[Path] = dataclasses.field(default_factory=list)


@dataclasses.dataclass(frozen=True)
class ReportContext:
    """What a section's ``build`` gets: where to write, how much to compute, and progress."""

    out_dir: Path
    fig_dir: Path
    quick: bool = False
    certify: bool = True
    seed: int = 0
    section: str = ""
    on_case: Callable[[str, str], None] | None = dataclasses.field(default=None, repr=False)
    executor: str | None = "serial"
    workers: int | None = None

    def figure_path(self, name: str) -> Path:
        """Path for a figure file (PNG) inside the report's figure folder."""
        return self.fig_dir / name

    def case(self, name: str) -> None:
        """Announce that the section starts the case ``name`` (a progress line on stderr)."""
        if self.on_case is not None:
            self.on_case(self.section, name)

    def sweep(self, analysis: str, grid: Any) -> list[dict[str, Any]]:
        """Run the registered analysis ``analysis`` over ``grid`` with :func:`linalg_lab.sweep.run` and
        return the points' results (``to_dict()``, grid order).

        The rows go to the store ``out_dir/sweeps/<analysis>/`` (points already there are reused:
        the report clears the folder unless ``--resume``), on ``executor`` (in-process by default;
        ``linalg-lab report --scheduler/--workers`` choose local processes or Dask).  A point that
        failed fails the section with its reason: nothing is left out silently.
        """
        from .. import __version__
        from ..sweep import Store, expand_grid, point_key
        from ..sweep import run as run_sweep

        an = ANALYSES[analysis]
        points = expand_grid(grid)
        folder = self.out_dir / "sweeps" / analysis
        total = len(points)

        def progress(done: int, failed: int, remaining: int, note: str) -> None:
            self.case(f"{analysis} {done}/{done + remaining}" + (f" ({failed} failed)" if failed else ""))

        self.case(f"{analysis}: {total} point(s) -> {folder}")
        res = run_sweep(an, points, store=folder, executor=self.executor, workers=self.workers, resume=True,
                        root_seed=self.seed, progress=progress)
        with Store(folder) as st:
            latest = st.latest(analysis)
        rows = [latest[point_key(analysis, an.params(p), __version__)] for p in points]
        bad = [r for r in rows if r.failed]
        if bad:
            raise RuntimeError(f"sweep {analysis}: {len(bad)} of {total} point(s) failed ({res.executor}); first: "
                                 f"{bad[0].params}: {bad[0].reason}; rows in {folder}")
        return [r.result_dict() or {} for r in rows]

    def track(self, items: Iterable[T], name: Callable[[T], str] | None = None) -> Iterator[T]:
        """Iterate over ``items`` announcing each as a case (``name(item)``, or the key of a pair)."""
        for it in items:
            if name is not None:
                label = name(it)
            elif isinstance(it, tuple) and it and isinstance(it[0], str):
                label = it[0]
            else:
                label = str(it)
            self.case(label)
            yield it


@dataclasses.dataclass(frozen=True)
class ReportSection:
    """One section of ``linalg-lab report``; ``order`` sorts the sections."""

    name: str
    title: str
    order: int
    build: Callable[[ReportContext], SectionOutput]
    summary: str = ""  # what the section checks, in a few words (the report's opening summary)


COMMANDS: dict[tuple[str, tuple[str, ...]], Command] = {}
SECTIONS: dict[str, ReportSection] = {}
#: Sweepable analyses (``linalg_lab.sweep.Analysis`` objects), by name.
ANALYSES: dict[str, Any] = {}


def register_analysis(analysis: Any) -> Any:
    """Add a :class:`linalg_lab.sweep.Analysis` to :data:`ANALYSES` (``linalg-lab sweep NAME``)."""
    ANALYSES[analysis.name] = analysis
    return analysis


#: Help text of command groups (``("ns",)`` -> "Newton–Schulz ..."), by tool and path.
GROUPS: dict[tuple[str, tuple[str, ...]], str] = {}


def register_group(path: tuple[str, ...], help: str, *, tool: Tool = "linalg-lab") -> None:
    """Give the command group ``path`` (e.g. ``("ns",)``) its one-line help text."""
    GROUPS[(tool, tuple(path))] = help


def register_command(cmd: Command) -> Command:
    """Add ``cmd`` to :data:`COMMANDS` (keyed by tool and path); a second registration replaces it."""
    COMMANDS[(cmd.tool, cmd.path)] = cmd
    return cmd


def register_section(sec: ReportSection) -> ReportSection:
    """Add ``sec`` to :data:`SECTIONS`."""
    SECTIONS[sec.name] = sec
    return sec


_DISCOVERED = False


def discover() -> None:
    """Import every module of ``app/commands`` and ``app/report/sections`` once (they register)."""
    global _DISCOVERED
    if _DISCOVERED:
        return
    _DISCOVERED = True
    for pkg_name in ("linalg_lab.app.analyses", "linalg_lab.app.commands", "linalg_lab.app.report.sections"):
        pkg = importlib.import_module(pkg_name)
        for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda m: m.name):
            if not info.name.startswith("_"):
                importlib.import_module(f"{pkg_name}.{info.name}")


def commands_for(tool: Tool) -> list[Command]:
    """The registered commands of one tool, in path order."""
    discover()
    return sorted((c for (t, _), c in COMMANDS.items() if t == tool), key=lambda c: c.path)


def ordered_sections() -> list[ReportSection]:
    """The registered report sections in report order."""
    discover()
    return sorted(SECTIONS.values(), key=lambda s: (s.order, s.name))

