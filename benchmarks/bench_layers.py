"""Benchmark: convolution-layer spectra (FFT-SVD) against the dense and matrix-free routes, and the
certified enclosure against the FFT-SVD route, in one run.

Targets (issue 12): ``conv_singular_values`` at a 64x64 input, 128->128 channels, k = 3, against the
dense LAPACK route (where feasible) and ``spectral_norm`` on the operator; the certified enclosure
``proofs_check.conv_spectral_norm_enclosure`` at n = 32, c = 64, k = 3 in under 10 s.

    python benchmarks/bench_layers.py [--quick] [--single-thread-check]

``--single-thread-check`` reruns the enclosure in a child process with ``OPENBLAS_NUM_THREADS=1``:
its thousands of small LAPACK calls suffer from BLAS threads fighting over a loaded machine.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import best_time, table, write_json  # noqa: E402

from linalg_lab.layers import conv_operator, conv_singular_values  # noqa: E402
from linalg_lab.spectral import spectral_norm  # noqa: E402


def _kernel(c_out: int, c_in: int, k: int, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).standard_normal((c_out, c_in, k, k)) / np.sqrt(c_in * k * k)


def _enclosure_only(n: int, c: int) -> None:
    from proofs_check.layers import conv_spectral_norm_enclosure

    K = _kernel(c, c, 3)
    t0 = time.perf_counter()
    e = conv_spectral_norm_enclosure(K, n)
    print(f"{time.perf_counter() - t0:.3f} {e.relative_width:.3e} {e.certified}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--quick", action="store_true", help="smaller sizes (default: off)")
    ap.add_argument("--single-thread-check", action="store_true",
                    help="also time the enclosure with OPENBLAS_NUM_THREADS=1 in a child (default: off)")
    ap.add_argument("--enclosure-only", nargs=2, type=int, metavar=("N", "C"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.enclosure_only:
        _enclosure_only(*args.enclosure_only)
        return 0
    from proofs_check.layers import conv_spectral_norm_enclosure

    rows: list = []
    data: list = []

    class _Rows(list):
        def append(self, row):  # print each row as soon as it is measured (long runs on busy machines)
            super().append(row)
            print("  ".join(f"{x:.4g}" if isinstance(x, float) else str(x) for x in row), flush=True)

    rows = _Rows()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    # 1. Certified enclosure vs the FFT-SVD route at n = 32, c = 64.
    n, c = (16, 32) if args.quick else (32, 64)
    K = _kernel(c, c, 3)
    t_fft, r = best_time(lambda: conv_singular_values(K, n))
    t_cert, e = best_time(lambda: conv_spectral_norm_enclosure(K, n), repeat=2)
    contains = e.lower - r.error_estimate <= r.sigma_max <= e.upper + r.error_estimate
    rows.append([f"{n}x{n}, {c}->{c}, k=3", "certified enclosure", t_fft, t_cert, t_cert / t_fft,
                 f"width {e.relative_width:.1e}, certified {e.certified}, contains FFT value {contains}, "
                 f"target < 10 s: {t_cert < 10}"])
    entry = {"case": f"enclosure n={n} c={c}", "fft_svd_s": t_fft, "enclosure_s": t_cert, "ratio": t_cert / t_fft,
             "relative_width": e.relative_width, "certified": e.certified, "target_s": 10.0,
             "arb_frequencies": e.arb_frequencies, "load_average": load}
    if args.single_thread_check:
        env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")
        out = subprocess.run([sys.executable, __file__, "--enclosure-only", str(n), str(c)], env=env,
                             capture_output=True, text=True, check=True).stdout.split()
        entry["enclosure_single_thread_s"] = float(out[0])
        rows.append([f"{n}x{n}, {c}->{c}, k=3", "certified enclosure, 1 BLAS thread", t_fft, float(out[0]),
                     float(out[0]) / t_fft, f"width {out[1]}"])
    data.append(entry)
    # 2. Dense route where feasible: FFT-SVD vs LAPACK SVD of the brute-force operator.
    for n, c in ([(6, 8), (8, 16)] if args.quick else [(8, 16), (12, 16)]):
        K = _kernel(c, c, 3)
        t_fft, r = best_time(lambda: conv_singular_values(K, n))
        t_dense, s = best_time(lambda: np.linalg.svd(conv_operator(K, n).dense(), compute_uv=False), repeat=1)
        err = float(np.max(np.abs(r.singular_values - s[: r.count])) / s[0])
        rows.append([f"{n}x{n}, {c}->{c}, k=3", "dense LAPACK SVD", t_fft, t_dense, t_dense / t_fft, f"{err:.1e}"])
        data.append({"case": f"n={n} c={c}", "fft_svd_s": t_fft, "dense_svd_s": t_dense, "speedup": t_dense / t_fft,
                     "max_rel_diff": err})
    # 3. The target size: FFT-SVD vs matrix-free Lanczos on the operator.
    n, c = (32, 64) if args.quick else (64, 128)
    K = _kernel(c, c, 3)
    t_fft, r = best_time(lambda: conv_singular_values(K, n), repeat=1)
    dense_gb = (c * n * n) ** 2 * 8 / 1e9
    op = conv_operator(K, n)
    t0 = time.perf_counter()
    sn = spectral_norm(op, rtol=1e-6, maxiter=20, seed=0, bound="probabilistic")
    t_sn = time.perf_counter() - t0
    rows.append([f"{n}x{n}, {c}->{c}, k=3", "spectral_norm (20 Lanczos steps)", t_fft, t_sn, t_sn / t_fft,
                 f"Lanczos est. rel. err {abs(sn.estimate - r.sigma_max) / r.sigma_max:.1e}"])
    rows.append([f"{n}x{n}, {c}->{c}, k=3", "dense LAPACK SVD", t_fft, float("nan"), float("nan"),
                 f"infeasible: the dense matrix needs {dense_gb:.0f} GB"])
    data.append({"case": f"n={n} c={c}", "fft_svd_s": t_fft, "spectral_norm_s": t_sn, "ratio": t_sn / t_fft,
                 "sigma_max": r.sigma_max, "lanczos_estimate": sn.estimate, "lanczos_bracket": [sn.lower, sn.upper],
                 "lanczos_status": sn.status.value, "values": r.count, "dense_gb": dense_gb})
    try:
        import threadpoolctl  # noqa: F401

        tpc = "installed (the enclosure runs BLAS single-threaded)"
    except ImportError:
        tpc = "not installed (BLAS threads may thrash on a loaded machine; see --single-thread-check)"
    print(f"load average at start: {load:.1f} (timings are wall-clock; run on an idle machine); "
          f"threadpoolctl {tpc}")
    print(table(["case", "other route", "FFT-SVD (s)", "other (s)", "other / FFT-SVD", "notes"], rows))
    print(f"results written to {write_json('layers', data)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
