"""Gradient, decomposition and mu of the low-rank-gradient experiment (arXiv:2510.01303).

Tolerances are derived in the tests' comments: finite differences from the step size, a rigorous
bound on the third derivative and a rounding bound on the loss; the decomposition identity from
the rounding error of length-n dot products.
"""
from __future__ import annotations

import math

import mpmath
import numpy as np
import pytest

from linalg_lab import InputTypeError, InputValueError
from linalg_lab.experiments.alignment import (
    ACTIVATIONS,
    expected_activation_derivative,
    first_layer_gradient,
    gradient_decomposition,
    half_mse,
    init_weights,
    network_output,
    spiked_data,
)
from linalg_lab.testing import gamma as gamma_n
from linalg_lab.testing import unit_roundoff

U = unit_roundoff(np.float64)

# sup |sigma^(k)| for k = 1, 2, 3 (sigmoid: 1/4, 1/(6 sqrt 3), 1/8; tanh: 1, 4/(3 sqrt 3), 2;
# relu: piecewise linear, so 0 for k >= 2 away from kinks).
SUP_DERIVS = {
    "sigmoid": (0.25, 1 / (6 * math.sqrt(3)), 0.125),
    "tanh": (1.0, 4 / (3 * math.sqrt(3)), 2.0),
    "relu": (1.0, 0.0, 0.0),
}


def _problem(n=40, d=30, m=50, nu=0.25, seed=3, outer="sign", scale="1"):
    D = spiked_data(n, d, nu=nu, teacher="tanh", noise=0.3, seed=seed)
    W, a = init_weights(m, d, outer=outer, outer_scale=scale, seed=seed)
    return D, W, a


def _loss_rounding_bound(X, W, a, y, gamma, act):
    """A-priori bound on |fl(L) - L| for L = (1/2n) sum (gamma a^T sigma(W x_i) - y_i)^2.

    z_ij = w_j . x_i carries at most gamma_d |w_j|.|x_i|; sigma adds a relative rounding of a few u
    (libm: |err| <= 2u |sigma|); f_i is a length-m dot product (gamma_{m+2}); the residual and the
    mean of squares add gamma_{n+3} relative on the sum of squares.
    """
    n, d = X.shape
    m = W.shape[0]
    s, _ = ACTIVATIONS[act]
    C1 = SUP_DERIVS[act][0]
    Z = X @ W.T
    H = s(Z)
    dz = gamma_n(d) * (np.abs(X) @ np.abs(W).T)
    dH = C1 * dz + 2 * U * np.abs(H)
    f = gamma * (H @ a)
    df = gamma * ((dH + gamma_n(m + 2) * np.abs(H)) @ np.abs(a))
    r = f - y
    dr = df + U * (np.abs(f) + np.abs(y))
    return float(np.mean(np.abs(r) * dr) + gamma_n(n + 3) * 0.5 * np.mean(r * r)) + 1e-300


def _third_derivative_bound(X, W, a, y, V, gamma, act, h):
    """sup_{|t| <= h} |g'''(t)| for g(t) = L(W + t V), from sup |sigma^(k)|:
    g''' = (1/n) sum_i [3 f_i' f_i'' + (f_i - y_i) f_i'''] with |f^(k)_i| <= gamma sum_j |a_j| C_k |v_ij|^k."""
    C1, C2, C3 = SUP_DERIVS[act]
    P = np.abs(X @ V.T)  # |v_ij| = |V_j . x_i|
    F1 = gamma * (P @ np.abs(a)) * C1
    F2 = gamma * (P**2 @ np.abs(a)) * C2
    F3 = gamma * (P**3 @ np.abs(a)) * C3
    r = np.abs(network_output(X, W, a, gamma=gamma, activation=act) - y) + h * F1
    return float(np.mean(3 * F1 * F2 + r * F3))


@pytest.mark.parametrize("act", ["sigmoid", "tanh", "relu"])
@pytest.mark.parametrize("gamma", [1 / math.sqrt(50), 1 / 50])
def test_gradient_matches_central_differences(act, gamma, tolerance_report):
    D, W, a = _problem()
    X, y = D.X, D.y
    G = first_layer_gradient(X, W, a, y, gamma=gamma, activation=act)
    rng = np.random.default_rng(11)
    for k in range(3):
        V = rng.standard_normal(W.shape)
        V /= np.linalg.norm(V)
        eps_L = _loss_rounding_bound(X, W, a, y, gamma, act)
        if act == "relu":
            # No kink may lie within [-h, h]: then g is exactly quadratic in t (f is linear), the
            # central difference has no truncation error, and h only trades rounding (eps_L / h).
            h = 1e-5
            ratio = np.abs(X @ W.T) / np.maximum(np.abs(X @ V.T), 1e-300)
            assert ratio.min() > h, "a ReLU kink lies inside the FD stencil; pick another seed"
            M3 = 0.0
        else:
            # Optimal step for h^2 M3 / 6 + eps_L / h, from a rough M3 at h = 1e-3, then re-bounded.
            M3 = _third_derivative_bound(X, W, a, y, V, gamma, act, 1e-3)
            h = min(1e-3, (3 * eps_L / M3) ** (1 / 3))
            M3 = _third_derivative_bound(X, W, a, y, V, gamma, act, h)
        lp = half_mse(X, W + h * V, a, y, gamma=gamma, activation=act)
        lm = half_mse(X, W - h * V, a, y, gamma=gamma, activation=act)
        fd = (lp - lm) / (2 * h)
        exact = float(np.sum(G * V))
        # analytic side: G entries are length-n dot products (gamma_{n+3}) summed over m d terms.
        n = X.shape[0]
        Sp = ACTIVATIONS[act][1](X @ W.T)
        r = network_output(X, W, a, gamma=gamma, activation=act) - y
        absG = gamma / n * ((np.abs(Sp) * np.abs(r)[:, None] * np.abs(a)[None, :]).T @ np.abs(X))
        err_exact = gamma_n(n + 3 + W.size) * float(np.sum(absG * np.abs(V)))
        tol = h * h * M3 / 6 + eps_L / h + err_exact
        tolerance_report.record(f"FD directional derivative {act} gamma={gamma:.3g} dir {k}", abs(fd - exact), tol)
        assert abs(fd - exact) <= tol, (fd, exact, tol)
        # the check must be able to fail: the tolerance is far below the derivative itself
        assert tol < 1e-4 * abs(exact) or abs(exact) < 1e-12


def test_gradient_finite_difference_detects_a_wrong_gamma():
    # A gradient with gamma applied twice in the forward pass (the seed notebook's defect) would
    # differ by a factor gamma in one of the two places; the FD check above rejects it.
    D, W, a = _problem()
    g = 0.2
    G = first_layer_gradient(D.X, W, a, D.y, gamma=g, activation="tanh")
    V = np.random.default_rng(0).standard_normal(W.shape)
    h = 1e-5
    fd = (half_mse(D.X, W + h * V, a, D.y, gamma=g, activation="tanh")
          - half_mse(D.X, W - h * V, a, D.y, gamma=g, activation="tanh")) / (2 * h)
    assert abs(fd - np.sum(G * V)) < 1e-6 * abs(fd)
    assert abs(fd - g * np.sum(G * V)) > 0.5 * abs(fd)


def _prob_identity_bound(res, n):
    """Probabilistic rounding model (Higham & Mary 2019, doi:10.1137/18M1226312): the rounding
    errors of a length-n dot product are independent, mean-zero, each at most u times a partial
    sum, so an entry's error has standard deviation <= sqrt(n + 5) u M_ij and the Frobenius norm
    of the error matrix (a sum over m d entries, which concentrates) is about
    sqrt(n + 5) u ||M||_F per term.  Four terms added linearly and a margin lambda = 3 give
    3 * 4 sqrt(n + 5) u ||M||_F / ||G||_F."""
    ratio = res.identity_bound / (4 * gamma_n(n + 5))  # = ||M||_F / ||G||_F
    return 3 * 4 * math.sqrt(n + 5) * U * ratio


@pytest.mark.parametrize("act", ["relu", "sigmoid", "tanh"])
@pytest.mark.parametrize("nu", [0.0, 0.25, 0.75])
def test_decomposition_identity_float64(act, nu, tolerance_report):
    n, d, m = 300, 200, 250
    D = spiked_data(n, d, nu=nu, alpha=0.5, seed=2)
    W, a = init_weights(m, d, outer="sign", outer_scale="1", seed=2)
    gamma = 1 / math.sqrt(m)
    mu = expected_activation_derivative(W, activation=act, zeta=D.zeta, q=D.q, bulk_eigenvalues=D.bulk_eigenvalues)
    for m_arg in (mu, None):
        res = gradient_decomposition(D.X_bulk, D.X_spike, W, a, D.y, gamma=gamma, activation=act, mu=m_arg)
        assert res.ok, res.reason
        for name in ("G", "S1", "S12", "S2", "E"):
            assert getattr(res, name).shape == (m, d)
        # G is the gradient at X = X_B + X_S exactly as first_layer_gradient computes it
        G = first_layer_gradient(D.X_bulk + D.X_spike, W, a, D.y, gamma=gamma, activation=act)
        assert np.array_equal(res.G, G)
        prob = _prob_identity_bound(res, n)
        # The 1e-12 is justified when the probabilistic bound lies below it (it does here:
        # up to 6.3e-13); the worst-case bound 4 gamma_{n+5} ||M||/||G|| is looser (~1e-12..1e-11).
        assert prob <= 1e-12
        tolerance_report.record(f"identity {act} nu={nu} mu={'exact' if m_arg is not None else 'sample'}",
                                res.identity_error, 1e-12)
        tolerance_report.record(f"identity vs worst-case bound {act} nu={nu}", res.identity_error, res.identity_bound)
        assert res.identity_error <= min(1e-12, res.identity_bound)


def test_decomposition_terms_have_the_stated_structure():
    D = spiked_data(120, 60, nu=0.5, seed=4)
    W, a = init_weights(80, 60, outer="sign", outer_scale="1", seed=4)
    res = gradient_decomposition(D.X_bulk, D.X_spike, W, a, D.y, gamma=1 / 80, activation="sigmoid")
    sv = {k: np.linalg.svd(getattr(res, k), compute_uv=False) for k in ("S1", "S12", "S2", "E", "G")}
    for k in ("S1", "S12", "S2"):  # rank one
        assert sv[k][1] <= 1e-12 * sv[k][0]
        assert res.norms[k] == pytest.approx(sv[k][0], rel=1e-8)
    # S12 and S2 act along q: their rows are multiples of q
    for k in ("S12", "S2"):
        T = getattr(res, k)
        assert np.linalg.norm(T - np.outer(T @ D.q, D.q)) <= 1e-12 * np.linalg.norm(T)
    # S1 acts along X_B^T r
    r = network_output(D.X, W, a, gamma=1 / 80, activation="sigmoid") - D.y
    v = D.X_bulk.T @ r
    assert np.linalg.norm(res.S1 - np.outer(res.S1 @ v, v) / (v @ v)) <= 1e-12 * np.linalg.norm(res.S1)
    assert res.norms["E"] == pytest.approx(sv["E"][0], rel=1e-8)
    assert res.to_dict()["norms"]["G"] == pytest.approx(sv["G"][0], rel=1e-8)


def test_decomposition_ok_status_can_fail():
    # A mu of the wrong shape is refused; a result whose bound is violated would be INACCURATE:
    D, W, a = _problem(n=20, d=10, m=12)
    with pytest.raises(InputValueError, match=r"gradient_decomposition: 'mu' must have shape \(12,\)"):
        gradient_decomposition(D.X_bulk, D.X_spike, W, a, D.y, gamma=0.1, activation="relu", mu=np.ones(5))
    with pytest.raises(InputValueError, match="'X_spike' must have the shape of X_bulk"):
        gradient_decomposition(D.X_bulk, D.X_spike[:5], W, a, D.y, gamma=0.1, activation="relu")


# ------------------------------------------------------------------------------------------
# mu = E sigma'(w^T x)
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("act", ["sigmoid", "tanh"])
@pytest.mark.parametrize("s", [1e-3, 0.3, 1.0, 2.5, 17.0, 150.0])
def test_mu_exact_matches_mpmath_quadrature(act, s, tolerance_report):
    d = 3
    q = np.array([0.0, 0.0, 1.0])
    W = np.array([[s, 0.0, 0.0]])  # s^2 = w^T w with Sigma = I, w . q = 0
    mu = expected_activation_derivative(W, activation=act, zeta=5.0, q=q)[0]
    with mpmath.workdps(30):
        if act == "sigmoid":
            f = lambda t: mpmath.exp(-abs(t)) / (1 + mpmath.exp(-abs(t))) ** 2  # noqa: E731
        else:
            f = lambda t: 1 / mpmath.cosh(t) ** 2  # noqa: E731
        ref = mpmath.quad(lambda g: f(s * g) * mpmath.npdf(g), [-mpmath.inf, -1, 0, 1, mpmath.inf]) if s < 1 else \
            mpmath.quad(lambda t: f(t) * mpmath.npdf(t / s) / s, [-mpmath.inf, -1, 0, 1, mpmath.inf])
        ref = float(ref)
    # 16-point Gauss-Legendre panels of width <= 1/4 of the feature scale: quadrature error far
    # below u; the sum of 1024 weighted terms adds gamma_1024 relative (2.3e-13 worst case).
    tolerance_report.check(f"mu {act} s={s}", mu, ref, rtol=gamma_n(1024) + 16 * U)


def test_mu_relu_closed_form_and_sample_agree():
    D = spiked_data(50, 20, nu=0.5, alpha=1.0, seed=0)
    W, _ = init_weights(30, 20, seed=0)
    exact = expected_activation_derivative(W, activation="relu", zeta=D.zeta, q=D.q, bulk_eigenvalues=D.bulk_eigenvalues)
    assert np.all(exact == 0.5)
    for act in ("relu", "sigmoid", "tanh"):
        ex = expected_activation_derivative(W, activation=act, zeta=D.zeta, q=D.q, bulk_eigenvalues=D.bulk_eigenvalues)
        sm = expected_activation_derivative(W, activation=act, zeta=D.zeta, q=D.q, bulk_eigenvalues=D.bulk_eigenvalues,
                                            method="sample", n_samples=40_000, seed=1)
        # Monte Carlo: |sigma'| <= 1, so the standard error is <= 0.5/sqrt(N); 6 standard errors.
        assert np.max(np.abs(ex - sm)) <= 6 * 0.5 / math.sqrt(40_000)


# ------------------------------------------------------------------------------------------
# input validation and the seed's shape defects
# ------------------------------------------------------------------------------------------


def test_column_targets_are_refused_with_a_reason():
    D, W, a = _problem(n=10, d=5, m=6)
    with pytest.raises(InputValueError, match=r"first_layer_gradient: 'y' must be a 1-D array, got shape \(10, 1\)"):
        first_layer_gradient(D.X, W, a, D.y.reshape(-1, 1), gamma=0.5, activation="relu")
    with pytest.raises(InputValueError, match=r"'a' must be a 1-D array, got shape \(6, 1\)"):
        first_layer_gradient(D.X, W, a.reshape(-1, 1), D.y, gamma=0.5, activation="relu")
    with pytest.raises(InputValueError, match=r"'y' must be a 1-D array, got shape \(1, 10\).*row and column"):
        first_layer_gradient(D.X, W, a, D.y.reshape(1, -1), gamma=0.5, activation="relu")


@pytest.mark.parametrize("bad, exc, msg", [
    ("nan", InputValueError, r"'X' has 1 non-finite entries"),
    ("complex", InputTypeError, r"'X' must be real, got complex dtype"),
    ("empty", InputValueError, r"'X' must be non-empty"),
    ("1d", InputValueError, r"'X' must be a 2-D array, got shape \(5,\)"),
    ("shapeW", InputValueError, r"'W' must have shape \(m, 5\) to match X of shape \(10, 5\), got \(6, 4\)"),
    ("shapea", InputValueError, r"'a' must have shape \(6,\) to match W"),
    ("shapey", InputValueError, r"'y' must have shape \(10,\) to match X"),
    ("gamma", InputValueError, r"The 'gamma' parameter of first_layer_gradient must lie in \(0.0, inf\]"),
    ("act", InputValueError, r"The 'activation' parameter of first_layer_gradient must be one of"),
])
def test_bad_inputs(bad, exc, msg):
    D, W, a = _problem(n=10, d=5, m=6)
    X, y, g, act = D.X.copy(), D.y, 0.5, "relu"
    if bad == "nan":
        X[2, 3] = np.nan
    elif bad == "complex":
        X = X + 0j
    elif bad == "empty":
        X = np.zeros((0, 5))
    elif bad == "1d":
        X = X[0]
    elif bad == "shapeW":
        W = W[:, :4]
    elif bad == "shapea":
        a = a[:4]
    elif bad == "shapey":
        y = y[:4]
    elif bad == "gamma":
        g = 0.0
    elif bad == "act":
        act = "gelu"
    with pytest.raises(exc, match=msg):
        first_layer_gradient(X, W, a, y, gamma=g, activation=act)


def test_integer_inputs_are_converted():
    X = np.array([[1, 2], [3, -1]])
    W = np.array([[1, 0], [0, 1], [1, 1]])
    a = np.array([1, -1, 1])
    y = np.array([0, 1])
    G = first_layer_gradient(X, W, a, y, gamma=1, activation="relu")
    assert G.dtype == np.float64 and G.shape == (3, 2)
    assert np.array_equal(G, first_layer_gradient(X.astype(float), W.astype(float), a.astype(float),
                                                  y.astype(float), gamma=1.0, activation="relu"))


def test_gamma_is_applied_once():
    # The seed's forward pass computed gamma^2 a^T sigma; ours is linear in gamma.
    D, W, a = _problem(n=15, d=8, m=9)
    f1 = network_output(D.X, W, a, gamma=1.0, activation="sigmoid")
    for g in (0.5, 1 / 9, 1 / 3):
        assert np.allclose(network_output(D.X, W, a, gamma=g, activation="sigmoid"), g * f1, rtol=4 * U, atol=0)
    H = ACTIVATIONS["sigmoid"][0](D.X @ W.T)
    assert np.array_equal(f1, H @ a)


def test_public_names_exist():
    import linalg_lab.experiments as ex
    from linalg_lab.experiments import alignment as al

    for name in ex.__all__:
        assert hasattr(ex, name), name
    for name in al.__all__:
        assert hasattr(al, name), name
    assert {"first_layer_gradient", "gradient_decomposition", "CONFIGS", "train"} <= set(ex.__all__)


def test_float32_inputs_are_promoted():
    D, W, a = _problem(n=12, d=6, m=7)
    G64 = first_layer_gradient(D.X, W, a, D.y, gamma=0.3, activation="tanh")
    G32 = first_layer_gradient(D.X.astype(np.float32), W.astype(np.float32), a, D.y, gamma=0.3, activation="tanh")
    assert G32.dtype == np.float64
    # the only difference is the float32 rounding of the inputs (relative 2^-24 per entry)
    assert np.linalg.norm(G32 - G64) <= 1e-5 * np.linalg.norm(G64)
