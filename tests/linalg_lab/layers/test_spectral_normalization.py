"""spectral_normalize matches torch.nn.utils.parametrizations.spectral_norm over 100 persistent steps."""
import numpy as np
import pytest

from linalg_lab import InputTypeError, InputValueError
from linalg_lab.layers import WARMUP_ITERATIONS, spectral_normalize
from linalg_lab.testing import assert_close
from linalg_lab.tolerance import gamma


@pytest.mark.parametrize("shape,dim", [((6, 3, 3, 3), 0), ((7, 5), 0), ((3, 6, 3, 3), 1), ((5, 4, 2), 0)])
@pytest.mark.parametrize("n_power_iterations", [1, 3])
def test_matches_torch_over_100_persistent_steps(shape, dim, n_power_iterations, rng):
    torch = pytest.importorskip("torch")
    from torch.nn.utils import parametrize
    from torch.nn.utils.parametrizations import spectral_norm

    W = rng.standard_normal(shape)
    mod = torch.nn.Module()
    mod.weight = torch.nn.Parameter(torch.tensor(W))
    torch.manual_seed(0)
    spectral_norm(mod, n_power_iterations=n_power_iterations, dim=dim)
    p = mod.parametrizations.weight[0]
    u, v = p._u.numpy().copy(), p._v.numpy().copy()  # the state after torch's 15 warm-up iterations
    worst = 0.0
    for step in range(100):
        if step:  # a training step changes the weight between calls
            delta = 0.01 * rng.standard_normal(shape)
            W = W + delta
            with torch.no_grad():
                mod.parametrizations.weight.original.copy_(torch.tensor(W))
        with torch.no_grad():
            wt = mod.weight.numpy()
        r = spectral_normalize(W, u=u, v=v, n_power_iterations=n_power_iterations, dim=dim)
        u, v = r.u, r.v
        worst = max(worst, float(np.max(np.abs(r.weight - wt)) / np.max(np.abs(wt))),
                    float(np.max(np.abs(u - p._u.numpy()))), float(np.max(np.abs(v - p._v.numpy()))))
    # to rounding: every step's products differ only in summation order (gamma_n relative per
    # product, n the longer side of W_mat); the contraction of the power iteration keeps the
    # differences from growing, so 100 steps stay within a few times gamma_n.
    n = max(r.matrix_shape)
    tol = 16 * gamma(n)
    assert_close(worst, 0.0, atol=tol, rtol=0.0, name=f"spectral_normalize vs torch, 100 steps {shape}")


def test_fresh_state_includes_warmup_and_converges():
    W = np.diag([5.0, 2.0, 1.0])
    r = spectral_normalize(W, seed=1)
    assert r.iterations == WARMUP_ITERATIONS + 1
    assert r.sigma == pytest.approx(5.0, rel=1e-12)
    assert np.allclose(r.weight, W / r.sigma)
    r0 = spectral_normalize(W, u=r.u, v=r.v, n_power_iterations=0)
    assert r0.sigma == pytest.approx(float(r.u @ W @ r.v), rel=1e-15)


def test_u_only_derives_v(rng):
    W = rng.standard_normal((4, 6))
    u = rng.standard_normal(4)
    r = spectral_normalize(W, u=u, n_power_iterations=0)
    v = W.T @ u / np.linalg.norm(W.T @ u)
    assert np.allclose(r.v, v) and r.sigma == pytest.approx(float(u @ W @ v))


def test_one_d_weight():
    torch = pytest.importorskip("torch")
    w = np.array([3.0, 4.0])
    r = spectral_normalize(w)
    assert r.sigma == 5.0 and np.allclose(r.weight, [0.6, 0.8])
    ref = torch.nn.functional.normalize(torch.tensor(w), dim=0, eps=1e-12).numpy()
    assert np.array_equal(r.weight, ref)


def test_zero_weight_is_reported():
    r = spectral_normalize(np.zeros((3, 3)), seed=0)
    assert r.status.name == "INACCURATE" and "sigma is 0" in r.reason


def test_bad_inputs():
    with pytest.raises(InputValueError, match="'u' must have 3 entries"):
        spectral_normalize(np.ones((3, 2)), u=np.ones(2))
    with pytest.raises(InputValueError, match="'v' was given without 'u'"):
        spectral_normalize(np.ones((3, 2)), v=np.ones(2))
    with pytest.raises(InputValueError, match="non-finite"):
        spectral_normalize(np.array([[1.0, np.inf]]))
    with pytest.raises(InputTypeError, match="complex"):
        spectral_normalize(np.ones((2, 2)) * 1j)
    with pytest.raises(InputValueError, match="'eps' parameter of spectral_normalize must lie in"):
        spectral_normalize(np.ones((2, 2)), eps=0.0)
    with pytest.raises(InputValueError, match="'dim' parameter"):
        spectral_normalize(np.ones((2, 2)), dim=2)
    with pytest.raises(InputValueError, match="'n_power_iterations' parameter"):
        spectral_normalize(np.ones((2, 2)), n_power_iterations=-1)
