"""Shared plumbing for the ``linalg-lab`` and ``proofs-check`` commands (no numerics here).

A command family registers subcommands with ``register(subparsers, parent)``; each subcommand sets
``handler=fn`` where ``fn(args) -> int`` computes a result through the library and returns
:func:`emit`'s exit code.  Exit codes: 0 success, 1 the analysis failed or could not certify,
2 usage or input errors, always with a one-line reason on stderr.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from typing import Any

from ._results import AnalysisFailed, to_jsonable
from ._validation import InputError

__all__ = ["common_parent", "emit", "run_main", "UsageError", "EXIT_OK", "EXIT_FAILED", "EXIT_USAGE"]

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class UsageError(InputError, ValueError):
    """A bad command line that argparse could not catch (exit code 2)."""


def common_parent() -> argparse.ArgumentParser:
    """Options every subcommand accepts (``--json``), as an argparse parent parser."""
    p = argparse.ArgumentParser(add_help=False)
    p.add_argument("--json", action="store_true", default=argparse.SUPPRESS,
                   help="print the result as JSON (exactly its to_dict())")
    return p


def emit(result: Any, args: argparse.Namespace, *, text: str | None = None, ok: bool | None = None,
         reason: str | None = None) -> int:
    """Print ``result`` (JSON with --json, else ``text`` or ``result.summary()``); return the exit code.

    ``ok`` and ``reason`` default to the result's own; a failure prints one line on stderr.
    """
    if ok is None:
        ok = bool(getattr(result, "ok", True))
    if getattr(args, "json", False):
        data = result.to_dict() if hasattr(result, "to_dict") else to_jsonable(result)
        print(json.dumps(data, indent=2))
    else:
        print(text if text is not None else (result.summary() if hasattr(result, "summary") else str(result)))
    if not ok:
        why = reason or getattr(result, "reason", "") or getattr(getattr(result, "status", None), "value", "failed")
        print(f"{args.prog_name}: failed: {why}".splitlines()[0], file=sys.stderr)
        return EXIT_FAILED
    return EXIT_OK


def run_main(
    prog: str, description: str, version: str, families: Sequence[str],
    builtin: Callable[[Any, argparse.ArgumentParser], None] | None, argv: Sequence[str] | None,
) -> int:
    """Build the parser from the family modules, dispatch, and map exceptions to exit codes."""
    import importlib

    parser = argparse.ArgumentParser(prog=prog, description=description)
    parser.add_argument("--version", action="version", version=f"{prog} {version}")
    parser.add_argument("--json", action="store_true", default=False,
                        help="print results as JSON (exactly each result's to_dict())")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    parent = common_parent()
    if builtin is not None:
        builtin(sub, parent)
    for mod in families:
        importlib.import_module(mod).register(sub, parent)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse printed usage and the reason on stderr
        return int(exc.code) if isinstance(exc.code, int) else EXIT_USAGE
    args.prog_name = prog
    if getattr(args, "handler", None) is None:
        parser.print_help(sys.stderr)
        print(f"{prog}: error: a command is required", file=sys.stderr)
        return EXIT_USAGE
    try:
        return int(args.handler(args))
    except BrokenPipeError:  # output piped to `head` and closed: not an error of ours
        import os

        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except OSError:
            pass
        return EXIT_OK
    except InputError as exc:
        print(f"{prog}: error: {exc}".splitlines()[0], file=sys.stderr)
        return EXIT_USAGE
    except AnalysisFailed as exc:
        print(f"{prog}: failed: {exc}".splitlines()[0], file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        print(f"{prog}: interrupted", file=sys.stderr)
        return 130
