"""The ``linalg-lab`` and ``proofs-check`` commands: argparse over the command registry.

No numerics here.  Every command comes from :mod:`linalg_lab.app.registry` (modules in
``app/commands/``).  One grammar everywhere:

- ``--json`` is accepted at every level (before or after the command) and prints exactly the
  result's ``to_dict()``; on any error it prints ``{"kind": "error", "reason": ..., "exit_code": N}``.
- Exit codes: 0 success (for ``proofs-check``: certified), 1 the analysis failed or could not
  certify, 2 usage or input errors; always a one-line reason on stderr.
- Exceptions are caught here, in one place: an unexpected one becomes exit 1 with its one-line
  reason (set ``LINALG_LAB_TRACEBACK=1`` to see the traceback instead).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from typing import Any

from .. import __version__
from .._results import AnalysisFailed, Result
from .._validation import InputError
from .registry import GROUPS, Command, Tool, commands_for

__all__ = ["main", "proofs_check_main", "UsageError", "EXIT_OK", "EXIT_FAILED", "EXIT_USAGE"]

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2

_DESCRIPTIONS = {
    "linalg-lab": "Verify and analyse spectral linear algebra (numerics with honest error statements).",
    "proofs-check": "Certify linalg-lab's numerical claims rigorously (exit 0 only when certified).",
}


class UsageError(InputError, ValueError):
    """A bad command line (exit code 2)."""


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser that raises instead of exiting, so errors can be printed as JSON."""

    def error(self, message: str) -> Any:  # type: ignore[override]
        raise UsageError(f"{self.prog}: {message}")


def _json_flag(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", default=argparse.SUPPRESS,
                   help="print the result as JSON (exactly its to_dict()); errors as a JSON error object")


def build_parser(tool: Tool) -> argparse.ArgumentParser:
    """The parser of ``tool`` with every registered command (groups become nested subcommands)."""
    parser = _Parser(prog=tool, description=_DESCRIPTIONS[tool])
    parser.add_argument("--version", action="version", version=f"{tool} {__version__}")
    _json_flag(parser)
    root = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    groups: dict[tuple[str, ...], Any] = {(): root}
    group_parsers: dict[tuple[str, ...], argparse.ArgumentParser] = {}
    for cmd in commands_for(tool):
        for i in range(1, len(cmd.path)):
            prefix = cmd.path[:i]
            if prefix not in groups:
                text = GROUPS.get((tool, prefix), f"{' '.join(prefix)} commands")
                gp = groups[prefix[:-1]].add_parser(prefix[-1], help=text, description=text)
                _json_flag(gp)
                groups[prefix] = gp.add_subparsers(dest="_".join(("command",) + prefix), metavar="COMMAND",
                                                   parser_class=_Parser)
                group_parsers[prefix] = gp
        p = groups[cmd.path[:-1]].add_parser(
            cmd.path[-1], help=cmd.help, description=cmd.description or cmd.help,
            formatter_class=argparse.ArgumentDefaultsHelpFormatter)
        _json_flag(p)
        cmd.arguments(p)
        p.set_defaults(_command=cmd)
    for prefix, gp in group_parsers.items():
        gp.set_defaults(_group=" ".join(prefix))
    return parser


def _error(tool: str, kind: str, reason: str, code: int, want_json: bool) -> int:
    line = reason.strip().splitlines()[0] if reason.strip() else kind
    if want_json:
        print(json.dumps({"kind": "error", "error": kind, "reason": line, "exit_code": code}))
    print(f"{tool}: {'error' if code == EXIT_USAGE else 'failed'}: {line}", file=sys.stderr)
    return code


def _success(tool: Tool, result: Result) -> bool:
    ok = bool(getattr(result, "ok", True))
    if tool == "proofs-check":
        ok = ok and bool(getattr(result, "certified", True))
    return ok


def emit(tool: Tool, cmd: Command, result: Result, args: argparse.Namespace) -> int:
    """Print ``result`` (JSON with --json, else the command's rendering or its summary); exit code."""
    if getattr(args, "json", False):
        print(json.dumps(result.to_dict(), indent=2, allow_nan=False))
    else:
        print(cmd.render(result, args) if cmd.render is not None else result.summary())
    if not _success(tool, result):
        why = getattr(result, "reason", "") or getattr(getattr(result, "status", None), "value", "failed")
        print(f"{tool}: failed: {why}".splitlines()[0], file=sys.stderr)
        return EXIT_FAILED
    return EXIT_OK


def run(tool: Tool, argv: Sequence[str] | None) -> int:
    """Parse, dispatch and map every exception to an exit code (the one place they are caught)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    want_json = "--json" in argv
    try:
        parser = build_parser(tool)
        try:
            args = parser.parse_args(argv)
        except SystemExit as exc:  # --help / --version printed and asked to exit
            return int(exc.code) if isinstance(exc.code, int) else EXIT_USAGE
        cmd: Command | None = getattr(args, "_command", None)
        if cmd is None:
            group = getattr(args, "_group", None)
            sub = f"'{tool} {group} --help'" if group else f"'{tool} --help'"
            raise UsageError(f"a command is required; see {sub}")
        result = cmd.run(args)
        return emit(tool, cmd, result, args)
    except BrokenPipeError:  # output piped to `head` and closed: not an error of ours
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except OSError:
            pass
        return EXIT_OK
    except InputError as exc:
        return _error(tool, "input", str(exc), EXIT_USAGE, want_json)
    except AnalysisFailed as exc:
        return _error(tool, "analysis failed", str(exc), EXIT_FAILED, want_json)
    except KeyboardInterrupt:
        print(f"{tool}: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # the single catch-all of the CLI face: exit 1 with the one-line reason
        if os.environ.get("LINALG_LAB_TRACEBACK"):
            raise
        return _error(tool, type(exc).__name__, f"{type(exc).__name__}: {exc}", EXIT_FAILED, want_json)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``linalg-lab``; returns the exit code (0 ok, 1 analysis failed, 2 usage/input)."""
    return run("linalg-lab", argv)


def proofs_check_main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``proofs-check``; returns the exit code (0 certified, 1 not, 2 usage/input)."""
    return run("proofs-check", argv)
