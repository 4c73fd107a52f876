"""Benchmark: Newton–Schulz on torch CUDA tensors in bf16 against a plain torch loop (issue 15, item 6).

Variants, all running the same quintic schedule (default: 5 designed steps, ``ns_design(lo=1e-3,
steps=5)``) on the wide orientation:

- ``linalg_lab``: :func:`linalg_lab.newton_schulz` on the tensor (``precision=None`` keeps bf16);
- ``plain``: the Muon reference pattern ``A = X X^T; B = b A + c A A; X = a X + B X`` (the reference
  every ratio is taken against);
- ``addmm``: fused ``baddbmm`` for ``b A + c A A`` and ``a X + B X``;
- ``sym``: the Gram ``X X^T`` and ``A A`` formed block-upper-triangle only and mirrored (the
  products are symmetric: ``k (k + 1) / 2`` of the ``k^2`` blocks, ~half the flops for large ``k``;
  torch has no syrk, so this is the symmetry the library allows);
- ``compiled``: ``torch.compile`` of the plain loop.

Each quintic step costs ``4 m^2 n + 2 m^3`` flops (``m <= n``); TFLOP/s use that count (the
symmetric variant is credited with the same nominal count, so its TFLOP/s read as "effective").
A plain bf16 GEMM of the same ``m x n x m`` shape is timed in the same run as the achievable peak.

    python benchmarks/bench_ns_gpu.py [--quick] [--no-compile]   # needs a CUDA device
    python benchmarks/bench_ns_gpu.py --dry-run                   # tiny sizes on the CPU (float32)

Without CUDA (and without ``--dry-run``) it prints why and exits 0.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any, Callable

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import table, write_json  # noqa: E402

SIZES = [(1024, 1024), (2048, 2048), (4096, 4096), (8192, 8192)]
BATCHED = (4, 2048, 8192)


def _coeffs() -> list[tuple[float, float, float]]:
    from linalg_lab.ns.design import ns_design

    return [st.as_floats() for st in ns_design(lo=1e-3, steps=5).steps]


def _plain(X: Any, coeffs) -> Any:
    for a, b, c in coeffs:
        A = X @ X.mT
        B = b * A + c * A @ A
        X = a * X + B @ X
    return X


def _addmm(X: Any, coeffs) -> Any:
    import torch

    batched = X.ndim == 3
    for a, b, c in coeffs:
        A = X @ X.mT
        if batched:
            B = torch.baddbmm(A, A, A, beta=b, alpha=c)
            X = torch.baddbmm(X, B, X, beta=a)
        else:
            B = torch.addmm(A, A, A, beta=b, alpha=c)
            X = torch.addmm(X, B, X, beta=a)
    return X


def _sym_product(L: Any, R: Any, block: int) -> Any:
    """``L R^T`` for a product known to be symmetric: upper block triangle only, then mirrored."""
    import torch

    m = L.shape[-2]
    out = torch.empty(*L.shape[:-2], m, m, dtype=L.dtype, device=L.device)
    for i in range(0, m, block):
        ri = slice(i, min(m, i + block))
        # one product per block row: rows i.. against columns i..m (the upper part)
        out[..., ri, i:] = L[..., ri, :] @ R[..., i:, :].mT
        out[..., i:, ri] = out[..., ri, i:].mT
    return out


def _sym(X: Any, coeffs, block: int) -> Any:
    for a, b, c in coeffs:
        A = _sym_product(X, X, block)
        A2 = _sym_product(A, A, block)  # A A = A A^T (A symmetric)
        B = b * A + c * A2
        X = a * X + B @ X
    return X


def _timeit(fn: Callable[[], Any], sync: Callable[[], None], repeat: int) -> tuple[float, Any]:
    out = fn()  # warm-up (and compilation)
    sync()
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        sync()
        best = min(best, time.perf_counter() - t0)
    return best, out


def _flops(shape: tuple[int, ...], steps: int) -> float:
    m, n = sorted(shape[-2:])
    batch = shape[0] if len(shape) == 3 else 1
    return batch * steps * (4.0 * m * m * n + 2.0 * m ** 3)


def run(*, device: str, dtype_name: str, sizes: list[tuple[int, ...]], repeat: int, compile_: bool,
        block: int) -> tuple[list[list], list[dict]]:
    import torch

    from linalg_lab.ns import newton_schulz
    from linalg_lab.ns.design import ns_design

    threads = torch.get_num_threads()
    if device == "cpu":
        torch.set_num_threads(1)  # tiny products: thread start-up would dominate
    try:
        return _run(torch, newton_schulz, ns_design, device, dtype_name, sizes, repeat, compile_, block)
    finally:
        torch.set_num_threads(threads)


def _run(torch, newton_schulz, ns_design, device, dtype_name, sizes, repeat, compile_, block):
    dtype = getattr(torch, dtype_name)
    sched = ns_design(lo=1e-3, steps=5)
    coeffs = _coeffs()
    sync = torch.cuda.synchronize if device == "cuda" else (lambda: None)
    compiled = torch.compile(_plain) if compile_ else None
    gen = torch.Generator(device=device).manual_seed(0)
    rows, data = [], []
    for shape in sizes:
        G = torch.randn(*shape, device=device, dtype=torch.float32, generator=gen)
        X0 = (G / torch.linalg.vector_norm(G, dim=(-2, -1), keepdim=True)).to(dtype)
        if X0.shape[-2] > X0.shape[-1]:
            X0 = X0.mT
        fl = _flops(tuple(X0.shape), len(coeffs))
        t_plain, Yp = _timeit(lambda: _plain(X0, coeffs), sync, repeat)
        variants: dict[str, Callable[[], Any]] = {
            "linalg_lab": lambda: newton_schulz(X0, sched).X,
            "addmm": lambda: _addmm(X0, coeffs),
            "sym": lambda: _sym(X0, coeffs, min(block, X0.shape[-2])),
        }
        if compiled is not None:
            variants["compiled"] = lambda: compiled(X0, coeffs)
        m, n = X0.shape[-2], X0.shape[-1]
        gemm_a, gemm_b = X0, X0.mT.contiguous()
        t_gemm, _ = _timeit(lambda: gemm_a @ gemm_b, sync, repeat)
        gemm_tf = (X0.shape[0] if X0.ndim == 3 else 1) * 2.0 * m * m * n / t_gemm / 1e12
        label = "x".join(str(s) for s in shape)
        rows.append([label, "plain", t_plain * 1e3, 1.0, fl / t_plain / 1e12, gemm_tf, 0.0])
        rec = {"shape": list(shape), "dtype": dtype_name, "device": device, "plain_ms": t_plain * 1e3,
               "plain_tflops": fl / t_plain / 1e12, "gemm_tflops": gemm_tf}
        for name, fn in variants.items():
            t, Y = _timeit(fn, sync, repeat)
            diff = float((Y.float() - Yp.float()).abs().max())
            rows.append([label, name, t * 1e3, t / t_plain, fl / t / 1e12, gemm_tf, diff])
            rec[f"{name}_ms"] = t * 1e3
            rec[f"{name}_ratio_vs_plain"] = t / t_plain
            rec[f"{name}_tflops"] = fl / t / 1e12
            rec[f"{name}_max_abs_diff_vs_plain"] = diff
        data.append(rec)
    return rows, data


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dry-run", action="store_true", help="tiny sizes on the CPU in float32 (default: off)")
    ap.add_argument("--quick", action="store_true", help="CUDA: only 1024^2 and 4096^2 (default: all sizes)")
    ap.add_argument("--no-compile", action="store_true", help="skip the torch.compile variant (default: included on CUDA)")
    ap.add_argument("--repeat", type=int, default=5, help="timed repeats per variant, best kept (default 5)")
    ap.add_argument("--no-json", action="store_true", help="do not write benchmarks/results/*.json (default: write)")
    ap.add_argument("--block", type=int, default=1024, help="block size of the symmetric products (default 1024)")
    args = ap.parse_args(argv)
    try:
        import torch
    except ImportError:
        print("torch is not installed: nothing to benchmark")
        return 0
    if args.dry_run:
        sizes: list[tuple[int, ...]] = [(64, 64), (48, 96), (2, 32, 80)]
        rows, data = run(device="cpu", dtype_name="float32", sizes=sizes, repeat=1, compile_=False, block=16)
        name = "ns_gpu_dryrun"
    else:
        if not torch.cuda.is_available():
            print("no CUDA device: skipping the GPU benchmark (run with --dry-run for the CPU path)")
            return 0
        sizes = [(1024, 1024), (4096, 4096)] if args.quick else SIZES + [BATCHED]
        rows, data = run(device="cuda", dtype_name="bfloat16", sizes=sizes, repeat=args.repeat,
                         compile_=not args.no_compile, block=args.block)
        name = "ns_gpu"
        print(f"device: {torch.cuda.get_device_name()}")
    print(table(["shape", "variant", "ms", "ratio vs plain", "TFLOP/s", "GEMM TFLOP/s", "max |diff|"], rows))
    if not args.no_json:
        print(f"results: {write_json(name, data)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
