"""Run batches of small LAPACK calls on one BLAS thread (when ``threadpoolctl`` is installed).

Per-frequency work (thousands of SVDs of ``c x c`` matrices) makes one LAPACK call per matrix; a
multi-threaded OpenBLAS wakes its threads for each, which on a busy machine costs far more than the
arithmetic (measured here under load: 100 SVDs of 128x128 complex matrices in 12.6 s with two BLAS
threads, 0.42 s with one).  :func:`all_blas_threads` lifts the limit again for BLAS-3 work inside
such a block (the sparse certificate's supernodal factorisations).  Without ``threadpoolctl`` both
do nothing.
"""
from __future__ import annotations

import contextlib

__all__ = ["one_blas_thread", "all_blas_threads"]


def one_blas_thread() -> contextlib.AbstractContextManager:
    """A context manager limiting BLAS to one thread, or a no-op without ``threadpoolctl``."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        return contextlib.nullcontext()
    return threadpool_limits(limits=1, user_api="blas")


def all_blas_threads() -> contextlib.AbstractContextManager:
    """Undo an enclosing :func:`one_blas_thread` for BLAS-3 work: every BLAS library at the machine's
    core count (a no-op without ``threadpoolctl``)."""
    import os

    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        return contextlib.nullcontext()
    return threadpool_limits(limits=os.cpu_count() or 1, user_api="blas")
