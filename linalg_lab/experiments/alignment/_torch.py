"""Optional torch backend of :func:`~linalg_lab.experiments.alignment.train` (forward pass and gradient)."""
from __future__ import annotations

from numpy.typing import NDArray

from ..._validation import InputValueError

__all__ = ["TorchBackend"]


class TorchBackend:
    """Forward pass and gradient in torch (float64); returns numpy arrays for the diagnostics."""

    def __init__(self, X: NDArray, y: NDArray, a: NDArray, gamma: float, activation: str, device: str | None):
        try:
            import torch
        except ImportError:  # pragma: no cover - depends on the environment
            raise InputValueError("train: backend='torch' needs PyTorch; pip install torch") from None
        self.torch = torch
        dev = device or ("cuda" if torch.cuda.is_available() else "cpu")
        self.dev = torch.device(dev)
        self.X = torch.as_tensor(X, dtype=torch.float64, device=self.dev)
        self.y = torch.as_tensor(y, dtype=torch.float64, device=self.dev)
        self.a = torch.as_tensor(a, dtype=torch.float64, device=self.dev)
        self.gamma = gamma
        self.activation = activation

    def forward_gradient(self, W: NDArray) -> tuple[NDArray, NDArray, NDArray]:
        torch = self.torch
        Wt = torch.as_tensor(W, dtype=torch.float64, device=self.dev)
        Z = self.X @ Wt.T
        if self.activation == "relu":
            H, Sp = torch.relu(Z), (Z > 0).to(Z.dtype)
        elif self.activation == "sigmoid":
            H = torch.sigmoid(Z)
            Sp = H * (1 - H)
        else:
            H = torch.tanh(Z)
            Sp = 1 - H * H
        r = self.gamma * (H @ self.a) - self.y
        G = (self.gamma / self.X.shape[0]) * ((Sp * r[:, None] * self.a[None, :]).T @ self.X)
        return r.cpu().numpy(), Sp.cpu().numpy(), G.cpu().numpy()

