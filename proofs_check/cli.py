"""The ``proofs-check`` command: certificates for linalg-lab's claims (thin over the library).

Exit codes: 0 proved/certified, 1 could not certify (or refuted), 2 usage or input errors.
"""
from __future__ import annotations

import argparse
from collections.abc import Sequence

from linalg_lab._cli_util import emit, run_main

from . import __version__

__all__ = ["main", "FAMILY_CLIS"]

FAMILY_CLIS: tuple[str, ...] = (
    "proofs_check.newton_schulz._cli",
    "proofs_check.norms._cli",
    "proofs_check.svd._cli",
)


def _spectral_norm(args: argparse.Namespace) -> int:
    from linalg_lab.io import load_matrix

    from .spectral import spectral_norm_enclosure

    A = load_matrix(args.file, sparse_ok=False)
    cert = spectral_norm_enclosure(A)
    return emit(cert, args, ok=cert.certified)


def _builtin(sub: argparse._SubParsersAction, parent: argparse.ArgumentParser) -> None:
    p = sub.add_parser("spectral-norm", parents=[parent], help="rigorous enclosure of ||A||_2 (Arb)")
    p.add_argument("file", help="matrix file (.npy, .npz[:KEY], .txt, .csv, .mtx)")
    p.set_defaults(handler=_spectral_norm)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``proofs-check``; returns the exit code."""
    return run_main("proofs-check", "Certify linalg-lab's numerical claims rigorously.", __version__,
                    FAMILY_CLIS, _builtin, argv)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
