"""Issue 11 point 13: a torch input that requires grad keeps its autograd graph through newton_schulz."""
import numpy as np
import pytest

from linalg_lab.ns import newton_schulz

torch = pytest.importorskip("torch")


def test_requires_grad_keeps_the_graph():
    torch.manual_seed(0)
    A = torch.randn(3, 5, dtype=torch.float64, requires_grad=True)
    r = newton_schulz(A, "cubic", steps=6)
    assert r.X.requires_grad and r.X.grad_fn is not None  # before: a tensor without gradient
    (r.X * torch.ones_like(r.X)).sum().backward()
    assert A.grad is not None and A.grad.shape == A.shape and bool(torch.isfinite(A.grad).all())


@pytest.mark.parametrize("schedule, shape", [("muon", (3, 5)), ("cans-5", (2, 6, 4))])
def test_gradient_matches_finite_differences(schedule, shape):
    """torch.autograd.gradcheck: analytic vs central differences in float64 (its default tolerances,
    atol 1e-5 / rtol 1e-3, are far above the O(sqrt(u)) truncation error of its step 1e-6)."""
    torch.manual_seed(1)
    A = torch.randn(*shape, dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(lambda B: newton_schulz(B, schedule, steps=3).X, (A,))


def test_no_grad_input_and_no_grad_mode_unchanged():
    A = torch.randn(4, 6, dtype=torch.float64)
    assert not newton_schulz(A, "muon").X.requires_grad
    B = A.clone().requires_grad_(True)
    with torch.no_grad():
        assert not newton_schulz(B, "muon").X.requires_grad
    # the graph does not change the values: same result as without gradient
    np.testing.assert_array_equal(newton_schulz(B, "muon").X.detach().numpy(), newton_schulz(A, "muon").X.numpy())


def test_low_precision_with_grad_backpropagates():
    A = torch.randn(3, 5, requires_grad=True)
    r = newton_schulz(A, "muon", precision="bfloat16")
    assert r.X.dtype == torch.bfloat16 and r.X.requires_grad
    r.X.float().sum().backward()
    assert bool(torch.isfinite(A.grad).all())
