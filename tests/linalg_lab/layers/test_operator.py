"""conv_operator agrees with torch's conv2d (every padding and stride) and with its own dense adjoint."""
import numpy as np
import pytest

from linalg_lab import InputTypeError, InputValueError
from linalg_lab.layers import conv_operator
from linalg_lab.testing import assert_close
from linalg_lab.tolerance import gamma

CASES = [(2, 3, 3, (5, 5)), (3, 2, 2, (4, 6)), (4, 4, 1, (3, 3)), (2, 3, 5, (7, 6)), (1, 2, 4, (6, 6))]


def _torch_conv(K, x, op):
    torch = pytest.importorskip("torch")
    F = torch.nn.functional
    t, b, left, r = op.pads
    xt = torch.tensor(x)
    if op.padding != "valid":
        xt = F.pad(xt, (left, r, t, b), mode="circular" if op.padding == "circular" else "constant")
    return F.conv2d(xt, torch.tensor(K), stride=op.stride).numpy()


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c[0]}x{c[1]}k{c[2]}n{c[3]}")
@pytest.mark.parametrize("padding", ["circular", "zeros", "same", "valid"])
@pytest.mark.parametrize("stride", [1, 2, 3])
def test_agrees_with_torch_conv2d(case, padding, stride, rng):
    pytest.importorskip("torch")
    c_out, c_in, k, shape = case
    K = rng.standard_normal((c_out, c_in, k, k))
    op = conv_operator(K, shape, padding=padding, stride=stride)
    x = rng.standard_normal((2, c_in) + shape)
    y = op.apply(x)
    yt = _torch_conv(K, x, op)
    assert y.shape == yt.shape
    # each output is a sum of c_in k^2 products on both sides: |error| <= 2 gamma_{c_in k^2} sum |K||x|
    scale = np.abs(K).sum() * np.abs(x).max()
    assert_close(y, yt, atol=2 * gamma(c_in * k * k) * scale, rtol=0.0, name=f"conv_operator vs torch ({padding})")
    if padding == "same" and stride == 1 and k % 2 == 1:  # torch's own padding="same"
        import torch

        ys = torch.nn.functional.conv2d(torch.tensor(x), torch.tensor(K), padding="same").numpy()
        assert_close(y, ys, atol=2 * gamma(c_in * k * k) * scale, rtol=0.0, name="conv_operator vs torch same")


@pytest.mark.parametrize("padding", ["circular", "zeros", "valid"])
@pytest.mark.parametrize("stride", [1, 2])
def test_adjoint_and_dense(padding, stride, rng):
    K = rng.standard_normal((3, 2, 3, 3))
    op = conv_operator(K, (6, 5), padding=padding, stride=stride)
    A = op.dense()
    assert A.shape == op.shape
    Y = rng.standard_normal((op.shape[0], 3))
    X = rng.standard_normal((op.shape[1], 3))
    tol = gamma(2 * 3 * 9) * np.abs(K).sum() * 4
    assert_close(op.rmatmat(Y), A.T @ Y, atol=tol * np.abs(Y).max(), rtol=0.0, name="adjoint vs dense")
    assert_close(op.matmat(X), A @ X, atol=tol * np.abs(X).max(), rtol=0.0, name="matmat vs dense")
    assert_close(op.rmatvec(Y[:, 0]), A.T @ Y[:, 0], atol=tol * np.abs(Y).max(), rtol=0.0, name="rmatvec")


def test_tf_layout_is_a_transpose(rng):
    K = rng.standard_normal((4, 3, 3, 2))
    a = conv_operator(np.transpose(K, (2, 3, 1, 0)), 5, layout="tf").dense()
    b = conv_operator(K, 5).dense()
    assert np.array_equal(a, b)


def test_bad_inputs():
    K = np.ones((2, 2, 3, 3))
    with pytest.raises(InputValueError, match="must be a 4-D array"):
        conv_operator(np.ones((3, 3)), 4)
    with pytest.raises(InputValueError, match="non-finite"):
        conv_operator(np.full((1, 1, 2, 2), np.nan), 4)
    with pytest.raises(InputTypeError, match="complex"):
        conv_operator(K + 0j, 4)
    with pytest.raises(InputValueError, match="non-empty"):
        conv_operator(np.ones((0, 2, 3, 3)), 4)
    with pytest.raises(InputValueError, match="'padding' parameter of conv_operator must be one of"):
        conv_operator(K, 4, padding="reflect")
    with pytest.raises(InputValueError, match="'stride' parameter of conv_operator must be >= 1"):
        conv_operator(K, 4, stride=0)
    with pytest.raises(InputValueError, match="input_shape"):
        conv_operator(K, (4, 0))
    with pytest.raises(InputValueError, match="at least as large as the kernel"):
        conv_operator(K, 2, padding="valid")
    with pytest.raises(InputValueError, match="'layout' parameter"):
        conv_operator(K, 4, layout="jax")
    with pytest.raises(InputValueError, match="entries, more than"):
        conv_operator(np.ones((64, 64, 3, 3)), 64).dense()
    assert conv_operator(np.ones((1, 1, 1, 1), dtype=np.int64), 2).dense().dtype == np.float64
