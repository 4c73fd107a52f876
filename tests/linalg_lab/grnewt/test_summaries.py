"""Summaries: exact vs torch (<= 1e-12 relative), FD within its estimate, brute-force full tensors."""
from __future__ import annotations

import numpy as np
import pytest

from linalg_lab._validation import InputTypeError, InputValueError
from linalg_lab.grnewt import MLP, PolynomialModel, blocks, by_suffix, canonical, summaries, trivial
from linalg_lab.testing import record


def _models(rng):
    X, Y = rng.standard_normal((20, 3)), rng.standard_normal((20, 2))
    return {
        "mlp-tanh": MLP(X, Y, hidden=4, activation="tanh", seed=1),
        "mlp-softplus": MLP(X, Y, hidden=4, activation="softplus", seed=2),
        "poly7": PolynomialModel(sizes=(3, 4, 2), terms=6, seed=3),
    }


def _rel(a, b):
    return float(np.max(np.abs(a - b)) / max(np.max(np.abs(b)), 1e-300))


@pytest.fixture
def models(rng):
    return _models(rng)


@pytest.mark.parametrize("name", ["mlp-tanh", "mlp-softplus", "poly7"])
@pytest.mark.parametrize("part", [canonical, trivial, by_suffix])
def test_exact_vs_torch(models, name, part, rng):
    torch = pytest.importorskip("torch")
    m = models[name]
    th = m.initial()
    u = m.gradient(th) + 0.1 * rng.standard_normal(m.n_params)
    grp = part(m.params)
    ex = summaries(m, th, u, grp, method="exact")
    ts = [torch.tensor(a) for a in m.unflatten(th)]
    tt = summaries(m.torch_loss, ts, m.unflatten(u), grp, method="torch")
    # both are exact up to rounding in sums of O(P) products: 1e-12 leaves ~4 digits of headroom
    for what in ("H", "g", "order3"):
        err = _rel(getattr(ex, what), getattr(tt, what))
        assert record(f"summaries exact vs torch {name} {what}", err, 1e-12, kind="relative").passed


@pytest.mark.parametrize("name", ["mlp-tanh", "mlp-softplus", "poly7"])
def test_fd_within_estimate(models, name, rng):
    m = models[name]
    th = m.initial()
    u = m.gradient(th) + 0.1 * rng.standard_normal(m.n_params)
    grp = canonical(m.params)
    ex = summaries(m, th, u, grp, method="exact")
    fd = summaries(m, th, u, grp, method="fd")
    assert fd.ok and np.all(fd.steps > 0)
    errH = np.abs(fd.H - ex.H)
    err3 = np.abs(fd.order3 - ex.order3)
    ratio = max(float(np.max(errH / fd.H_error)), float(np.max(err3 / fd.order3_error)))
    assert record(f"fd error / estimate {name}", ratio, 1.0, kind="ratio").passed
    # and the estimate is informative, not vacuous
    assert np.max(fd.H_error) <= 1e-6 * np.max(np.abs(ex.H))
    np.testing.assert_array_equal(fd.g, ex.g)


@pytest.mark.parametrize("act", ["tanh", "softplus"])
def test_mlp_against_full_torch_tensors(act, rng):
    torch = pytest.importorskip("torch")
    from torch.func import jacrev

    # a tiny network (P = 9) so that the full third-derivative tensor is cheap
    m = MLP(rng.standard_normal((6, 2)), rng.standard_normal((6, 1)), hidden=2, activation=act, seed=4)
    name = f"mlp-{act}"
    th = m.initial()
    u = rng.standard_normal(m.n_params)
    grp = blocks(m.params, 2)

    def f(x):
        return m.torch_loss([x[i:j].reshape(s) for (i, j), s in zip(_spans(m), m.shapes)])

    x = torch.tensor(th)
    Hf = jacrev(jacrev(f))(x).numpy()
    Tf = jacrev(jacrev(jacrev(f)))(x).numpy()
    V = np.zeros((m.n_params, grp.n_groups))
    for s, ix in enumerate(grp.flat_indices()):
        V[ix, s] = u[ix]
    ex = summaries(m, th, u, grp, method="exact")
    assert record(f"H̄ vs V^T H V {name}", _rel(ex.H, V.T @ Hf @ V), 1e-12, kind="relative").passed
    o3 = np.einsum("abc,as,bs,cs->s", Tf, V, V, V)
    assert record(f"order3 vs full tensor {name}", _rel(ex.order3, o3), 1e-12, kind="relative").passed
    # the model's own hvp on unit vectors reproduces the full Hessian
    Hcols = np.column_stack([m.hvp(th, e) for e in np.eye(m.n_params)])
    assert record(f"hvp columns vs torch hessian {name}", _rel(Hcols, Hf), 1e-12, kind="relative").passed


def test_poly7_against_closed_form_tensors(models, rng):
    m = models["poly7"]
    th, u = m.initial(), rng.standard_normal(m.n_params)
    grp = canonical(m.params)
    V = np.zeros((m.n_params, grp.n_groups))
    for s, ix in enumerate(grp.flat_indices()):
        V[ix, s] = u[ix]
    ex = summaries(m, th, u, grp, method="exact")
    assert _rel(ex.H, V.T @ m.full_hessian(th) @ V) <= 1e-13
    assert _rel(ex.order3, np.einsum("abc,as,bs,cs->s", m.full_third(th), V, V, V)) <= 1e-13


def test_torch_module_path(rng):
    torch = pytest.importorskip("torch")
    X, Y = rng.standard_normal((10, 3)), rng.standard_normal((10, 1))
    m = MLP(X, Y, hidden=3, seed=0)
    net = torch.nn.Sequential(torch.nn.Linear(3, 3), torch.nn.Tanh(), torch.nn.Linear(3, 1)).double()
    with torch.no_grad():
        for p, a in zip(net.parameters(), m.unflatten(m.initial())):
            p.copy_(torch.tensor(a))
    Xt, Yt = torch.tensor(X), torch.tensor(Y)
    grp = canonical(net)
    assert grp.names == ("0.weight", "0.bias", "2.weight", "2.bias")
    th = m.initial()
    u = m.gradient(th)
    tt = summaries(lambda: 0.5 * torch.sum((net(Xt) - Yt) ** 2) / 10, net, m.unflatten(u), grp,
                   method="torch")
    ex = summaries(m, th, u, canonical(m.params), method="exact")
    assert _rel(tt.H, ex.H) <= 1e-12 and _rel(tt.order3, ex.order3) <= 1e-12


def _spans(m):
    out, k = [], 0
    for s in m.shapes:
        n = int(np.prod(s))
        out.append((k, k + n))
        k += n
    return out


def test_partitions(rng):
    params = [("l1.weight", np.ones((2, 2))), ("l1.bias", np.ones(2)), ("l2.weight", np.ones(3)),
              ("scale", np.ones(1))]
    assert canonical(params).n_groups == 4
    assert trivial(params).groups == ((0, 1, 2, 3),)
    assert by_suffix(params).group_names == ("weights", "biases", "others")
    assert blocks(params, 3).groups == ((0, 1), (2,), (3,))
    ix = canonical(params).flat_indices()
    assert np.concatenate(ix).tolist() == list(range(10))
    with pytest.raises(InputValueError, match="'k' parameter of blocks must be <= 4"):
        blocks(params, 5)
    with pytest.raises(InputValueError, match="unique"):
        canonical([("a", np.ones(1)), ("a", np.ones(1))])
    with pytest.raises(InputTypeError, match="pair"):
        canonical([np.ones(1)])


def test_bad_inputs(models):
    m = models["poly7"]
    grp = canonical(m.params)
    th = m.initial()
    with pytest.raises(InputValueError, match="method"):
        summaries(m, th, th, grp, method="exactly")
    with pytest.raises(InputValueError, match="9 entries"):
        summaries(m, th[:-1], th, grp)
    with pytest.raises(InputValueError, match="non-finite"):
        summaries(m, th, np.full_like(th, np.nan), grp)
    with pytest.raises(InputTypeError, match="Partition"):
        summaries(m, th, th, [[0, 1]])
    with pytest.raises(InputTypeError, match="lacks hvp"):
        summaries(type("G", (), {"gradient": lambda self, t: t})(), th, th, grp, method="exact")
