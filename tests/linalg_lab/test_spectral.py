"""spectral_norm: the bracket contains ||A||_2 on every kind of input; power_iteration for comparison."""
import math

import numpy as np
import pytest
import scipy.sparse as sp
from scipy.sparse.linalg import aslinearoperator

from linalg_lab import Status, power_iteration, spectral_norm
from linalg_lab.spectral import gram_cholesky_certificate, kw_lanczos_epsilon


def _cases(rng):
    u, _ = np.linalg.qr(rng.standard_normal((120, 40)))
    v, _ = np.linalg.qr(rng.standard_normal((40, 40)))
    return {
        "dense": rng.standard_normal((150, 90)),
        "wide": rng.standard_normal((30, 200)),
        "rank-one": np.outer(rng.standard_normal(80), rng.standard_normal(50)),
        "ill-conditioned": (u * np.logspace(0, -15, 40)) @ v.T,
        "1xn": rng.standard_normal((1, 300)),
        "nx1": rng.standard_normal((300, 1)),
        "huge": rng.standard_normal((40, 30)) * 1e300,
        "tiny": rng.standard_normal((40, 30)) * 1e-300,
        "sparse": sp.random_array((400, 300), density=0.02, rng=rng, format="csr"),
    }


def test_bracket_contains_lapack_norm(rng, tolerance_report):
    for name, A in _cases(rng).items():
        dense = A.toarray() if sp.issparse(A) else A
        ref = np.linalg.norm(dense, 2)
        r = spectral_norm(A, seed=1)
        assert r.ok, (name, r.reason)
        assert r.upper_kind == "deterministic"
        # LAPACK's norm has its own rounding error, a few ulps times min(m, n)
        slack = 4 * min(dense.shape) * np.finfo(float).eps * ref
        assert r.lower <= ref + slack and ref - slack <= r.upper, name
        assert r.relative_gap <= 1e-8
        tolerance_report.check(f"spectral_norm estimate vs LAPACK ({name})", r.estimate, ref, rtol=1e-8)


def test_lower_is_attained_by_returned_vectors(rng):
    A = rng.standard_normal((60, 45))
    r = spectral_norm(A, seed=2)
    assert abs(np.linalg.norm(r.v) - 1) < 1e-12
    assert np.linalg.norm(A @ r.v) >= r.lower
    assert r.u.shape == (60,) and r.v.shape == (45,)


def test_linear_operator_and_probabilistic_bound(rng):
    A = rng.standard_normal((200, 100))
    ref = np.linalg.norm(A, 2)
    r = spectral_norm(aslinearoperator(A), rtol=1e-2, seed=3)
    assert r.upper_kind == "probabilistic" and r.failure_probability == 1e-6
    assert "Kuczy" in r.theorem
    # an operator's products carry no rounding allowance in `lower`: compare with LAPACK's own slack
    slack = 4 * 100 * np.finfo(float).eps * ref
    assert r.lower <= ref + slack and ref <= r.upper
    big = sp.random_array((6000, 5000), density=2e-3, rng=rng, format="csr")
    r2 = spectral_norm(big, rtol=1e-8, seed=0, maxiter=50, bound="probabilistic")
    assert r2.upper_kind in ("probabilistic", "trivial")
    assert r2.status in (Status.BRACKET_TOO_WIDE, Status.NOT_CONVERGED) and not r2.ok
    assert "increase maxiter" in r2.reason or "steps" in r2.reason


def test_zero_matrix_is_exact():
    r = spectral_norm(np.zeros((5, 3)))
    assert (r.lower, r.upper, r.ok) == (0.0, 0.0, True)


def test_power_method_and_power_iteration(rng):
    A = rng.standard_normal((50, 40))
    ref = np.linalg.norm(A, 2)
    r = spectral_norm(A, method="power", rtol=1e-6, maxiter=5000, seed=0)
    assert r.lower <= ref <= r.upper
    p = power_iteration(A, iterations=5, seed=0)
    assert p.history.shape == (5,) and p.estimate <= ref * (1 + 1e-12)
    assert np.all(np.diff(p.history) >= -1e-9 * ref)  # monotone in exact arithmetic


def test_kw_epsilon_formula():
    eps = kw_lanczos_epsilon(100, 1000, 1e-3)
    assert math.isclose(1.648 * math.sqrt(1000) * math.exp(-math.sqrt(eps) * 199), 1e-3, rel_tol=1e-12)
    assert kw_lanczos_epsilon(1, 10**6, 1e-9) == 1.0


def test_certificate_refuses_a_false_bound(rng):
    A = rng.standard_normal((40, 30)) / 10
    s = np.linalg.norm(A, 2)
    assert gram_cholesky_certificate(A, (s * (1 + 1e-9)) ** 2).proved
    assert not gram_cholesky_certificate(A, (s * (1 - 1e-9)) ** 2).proved


def test_result_to_dict_is_json():
    import json

    r = spectral_norm(np.eye(3) * 2)
    d = json.loads(json.dumps(r.to_dict()))
    assert d["status"] == "ok" and d["ok"] is True and d["upper_kind"] == "deterministic"
    assert "v" not in d
