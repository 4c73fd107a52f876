"""The NS GPU benchmark's CPU dry-run path and, with CUDA, one small bf16 run (issue 15, item 6)."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from linalg_lab.tolerance import gamma, record

BENCH = Path(__file__).resolve().parents[3] / "benchmarks" / "bench_ns_gpu.py"


def _load():
    spec = importlib.util.spec_from_file_location("bench_ns_gpu", BENCH)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_gpu_benchmark_cpu_dry_run(capsys):
    torch = pytest.importorskip("torch")
    mod = _load()
    if not torch.cuda.is_available():  # the plain invocation skips cleanly without CUDA
        assert mod.main(["--no-json"]) == 0
        assert "no CUDA device" in capsys.readouterr().out
    rows, data = mod.run(device="cpu", dtype_name="float32", sizes=[(48, 96), (2, 32, 80)], repeat=1,
                         compile_=False, block=16)
    # every variant computes the same products in another order: float32 differences of a few
    # gamma_n per product (n <= 96), carried through 5 steps whose slopes are O(1) on the output;
    # 20 gamma_96 leaves room for the first step's slope (~8.5) on the small singular values
    tol = 20 * gamma(96, "float32")
    assert {r[1] for r in rows} == {"plain", "linalg_lab", "addmm", "sym"}
    for rec in data:
        for name in ("linalg_lab", "addmm", "sym"):
            chk = record(f"bench_ns_gpu dry run {name} {rec['shape']}", rec[f"{name}_max_abs_diff_vs_plain"], tol)
            assert chk.passed


@pytest.mark.gpu
def test_gpu_benchmark_small_cuda_run():
    torch = pytest.importorskip("torch")
    if not torch.cuda.is_available():
        pytest.skip("needs a CUDA device")
    mod = _load()
    rows, data = mod.run(device="cuda", dtype_name="bfloat16", sizes=[(1024, 1024)], repeat=2,
                         compile_=False, block=512)
    assert data[0]["plain_tflops"] > 0 and data[0]["linalg_lab_ratio_vs_plain"] > 0
