"""lipschitz_bound: lower (attained) <= upper (product of layer norms), exact for linear chains."""
import numpy as np
import pytest

from linalg_lab import InputTypeError, InputValueError
from linalg_lab.layers import Conv, Dense, conv_operator, lipschitz_bound


def test_linear_chain_lower_is_the_product_norm(rng):
    W1, W2 = rng.standard_normal((6, 5)), rng.standard_normal((4, 6))
    r = lipschitz_bound([Dense(W1), Dense(W2)], activation="identity", iterations=200)
    ref = np.linalg.norm(W2 @ W1, 2)
    assert r.lower == pytest.approx(ref, rel=1e-10) and r.lower <= ref * (1 + 1e-14)
    assert r.upper >= np.linalg.norm(W1, 2) * np.linalg.norm(W2, 2) * (1 - 1e-15)
    assert r.ratio >= 1


def test_conv_relu_network(rng):
    K1 = rng.standard_normal((4, 2, 3, 3))
    K2 = rng.standard_normal((3, 4, 3, 3))
    net = [Conv(K1, (6, 6)), Conv(K2, (6, 6), padding="zeros", stride=2), Dense(rng.standard_normal((5, 27)))]
    r = lipschitz_bound(net, points=3, iterations=30)
    assert r.ok and 0 < r.lower <= r.upper and r.layer_kinds == ["conv", "conv", "dense"]
    A = [conv_operator(K1, 6).dense(), conv_operator(K2, 6, padding="zeros", stride=2).dense()]
    for a, s in zip(A, r.layer_norms):
        assert np.linalg.norm(a, 2) <= s * (1 + 1e-14)
    # with certified bounds passed in, the product uses them
    r2 = lipschitz_bound(net, layer_upper_bounds=[x * 2 for x in r.layer_norms])
    assert r2.upper >= 8 * r.upper * (1 - 1e-15) and r2.upper_rigour.value == "certified"


def test_bad_inputs(rng):
    with pytest.raises(InputValueError, match="takes inputs of size"):
        lipschitz_bound([Dense(np.ones((3, 4))), Dense(np.ones((2, 5)))])
    with pytest.raises(InputTypeError, match="must be a Dense or Conv layer"):
        lipschitz_bound([np.ones((3, 3))])
    with pytest.raises(InputValueError, match="non-empty sequence"):
        lipschitz_bound([])
    with pytest.raises(InputValueError, match="layer_upper_bounds"):
        lipschitz_bound([Dense(np.ones((3, 4)))], layer_upper_bounds=[1.0, 2.0])
    with pytest.raises(InputValueError, match="'activation' parameter"):
        lipschitz_bound([Dense(np.ones((3, 4)))], activation="gelu")
