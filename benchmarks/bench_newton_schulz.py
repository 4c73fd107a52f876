"""Benchmark: one Newton–Schulz quintic step against its three plain matrix products, and the full
``muon`` schedule against ``scipy.linalg.polar`` (SVD based), in one run.

Targets (issue 3): a quintic step on the CPU within 1.2x the time of its three plain matrix products
(X X^T, G G, B X as general products), or faster where symmetry is used; the ratio against
scipy.linalg.polar for n in {256, 1024, 2048}.  When torch with CUDA is present: torch bf16
throughput of ``muon`` on 4096x4096 within 10% of a plain torch loop of the same steps (H100 anchor
about 3.5 ms).

    python benchmarks/bench_newton_schulz.py [--quick] [--torch]
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import scipy.linalg

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import best_time, table, write_json  # noqa: E402

from linalg_lab.ns import PRESETS, newton_schulz  # noqa: E402
from linalg_lab.ns.iteration import _step_native  # noqa: E402


def _plain_products(X: np.ndarray, Xc: np.ndarray, coeffs: tuple[float, float, float]) -> np.ndarray:
    """The quintic step as three general matrix products (syrk detection defeated by a copy)."""
    a, b, c = coeffs
    G = X @ Xc.T          # general product, 2 m^2 n flops
    G2 = G @ G.copy()     # general product, 2 m^3 flops
    B = b * G + c * G2
    return a * X + B @ X  # general product, 2 m^2 n flops


def _cpu_rows(sizes: list[int], repeat: int) -> tuple[list[list], list[dict]]:
    rng = np.random.default_rng(0)
    st = PRESETS["muon"].steps[0]
    coeffs = st.as_floats()
    rows, data = [], []
    for n in sizes:
        A = rng.standard_normal((n, n))
        X = A / np.linalg.norm(A)
        Xc = X.copy()
        t_step, Y1 = best_time(lambda: _step_native(X, st), repeat=repeat)
        t_plain, Y2 = best_time(lambda: _plain_products(X, Xc, coeffs), repeat=repeat)
        agree = float(np.max(np.abs(Y1 - Y2)))
        t_ns, r = best_time(lambda: newton_schulz(A, "muon"), repeat=repeat)
        t_polar, (P, _) = best_time(lambda: scipy.linalg.polar(A), repeat=max(1, repeat - 1))
        rows.append([f"{n}x{n}", t_step * 1e3, t_plain * 1e3, t_step / t_plain, t_ns * 1e3, t_polar * 1e3,
                     t_ns / t_polar, f"{agree:.1e}"])
        data.append({"n": n, "quintic_step_ms": t_step * 1e3, "three_plain_products_ms": t_plain * 1e3,
                     "ratio_step_vs_plain": t_step / t_plain, "target_ratio": 1.2,
                     "muon_5_steps_ms": t_ns * 1e3, "scipy_polar_ms": t_polar * 1e3,
                     "ratio_muon_vs_polar": t_ns / t_polar, "step_vs_plain_max_abs_diff": agree})
    return rows, data


def _torch_rows(n: int, repeat: int) -> tuple[list[list], list[dict]]:
    import torch

    if not torch.cuda.is_available():
        return [], [{"torch": "skipped: no CUDA device"}]
    dev = "cuda"
    G = torch.randn(n, n, device=dev, dtype=torch.float32)
    coeffs = [s.as_floats() for s in PRESETS["muon"].steps_for(5)]

    def plain():
        X = G.bfloat16()
        X = X / (X.norm() + 1e-7)
        for a, b, c in coeffs:
            A = X @ X.mT
            B = b * A + c * A @ A
            X = a * X + B @ X
        return X

    def ours():
        return newton_schulz(G, "muon", precision="bfloat16").X

    def timed(fn):
        for _ in range(3):
            fn()
        torch.cuda.synchronize()
        ts = []
        for _ in range(repeat * 5):
            t0 = time.perf_counter()
            fn()
            torch.cuda.synchronize()
            ts.append(time.perf_counter() - t0)
        return min(ts)

    t_plain = timed(plain)
    t_ours = timed(ours)
    flops = 5 * (4 * n**3 + 2 * n**3)
    rows = [[f"torch bf16 muon {n}x{n} ({torch.cuda.get_device_name()})", t_ours * 1e3, t_plain * 1e3,
             t_ours / t_plain, flops / t_ours / 1e12]]
    data = [{"n": n, "device": torch.cuda.get_device_name(), "ours_ms": t_ours * 1e3, "plain_loop_ms": t_plain * 1e3,
             "ratio": t_ours / t_plain, "target_ratio": 1.10, "tflops_ours": flops / t_ours / 1e12}]
    return rows, data


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="small sizes (64, 128, 256)")
    ap.add_argument("--torch", action="store_true", help="also time torch bf16 on a CUDA device (4096x4096)")
    ap.add_argument("--repeat", type=int, default=3, help="best of this many runs (default 3)")
    args = ap.parse_args(argv)
    sizes = [64, 128, 256] if args.quick else [256, 1024, 2048]
    repeat = max(1, args.repeat)
    rows, data = _cpu_rows(sizes, repeat)
    print(f"Newton–Schulz on the CPU (float64; times in ms, best of {repeat}; one quintic step = 3 products)")
    print(table(["size", "quintic step", "3 plain products", "ratio (target <= 1.2)", "muon 5 steps",
                 "scipy polar", "muon/polar", "max |diff|"], rows))
    out = {"cpu": data}
    if args.torch:
        trows, tdata = _torch_rows(1024 if args.quick else 4096, repeat)
        out["torch"] = tdata
        if trows:
            print("\ntorch bf16 (ms; target ratio <= 1.10)")
            print(table(["case", "newton_schulz", "plain torch loop", "ratio", "TFLOP/s"], trows))
        else:
            print(f"\ntorch: {tdata[0]['torch']}")
    p = write_json("newton_schulz", out)
    print(f"\nresults written to {p}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
