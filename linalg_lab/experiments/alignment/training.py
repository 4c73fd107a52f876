"""Full-batch gradient descent with row renormalisation, tracking the first-layer gradient's structure."""
from __future__ import annotations

import dataclasses
import math
import time
from collections.abc import Callable
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from ..._results import Result, Rigour, Status, field_nojson
from ..._validation import check_int, check_option
from ...subspace import alignment, projection_ratio
from .configs import AlignmentConfig, get_config
from .data import SpikedData, init_weights, rng, spiked_data
from .decomposition import mu_exact
from .model import ACTIVATIONS, gradient, half_mse_body
from .spectra import norm_bracket, top_triplets_body, warm_norm_body

__all__ = ["HISTORY_KEYS", "TrainResult", "train"]

HISTORY_KEYS: tuple[str, ...] = (
    "loss", "test_loss", "weight_norm", "alignment_q",
    "alignment_residue", "energy", "gradient_norm", "singular_values", "svd_residual", "svd_sweeps",
    "term_norm_S1", "term_norm_S12", "term_norm_S2", "term_norm_E",
)


@dataclasses.dataclass(frozen=True)
class TrainResult(Result):
    """Per-epoch history of one training run.

    Attributes
    ----------
    config : AlignmentConfig
    seed : int
    gamma, a_scale, output_scale : float
        The split of the total output scale: ``f = gamma a^T sigma(W x)`` with ``|a_j| ~ a_scale``,
        ``output_scale = gamma * a_scale`` (NTK: ``1/sqrt(m)``, mean field: ``1/m``).
    history : dict of ndarray
        Entry ``t`` of every array is evaluated at the weights ``W_t`` at which the ``t``-th
        gradient is taken (``t = 0`` is the initialisation).  Keys: "loss", "test_loss" (half
        MSE), "weight_norm" (``||W_t||_2`` to about 1e-8 relative, by
        :func:`~linalg_lab.experiments.alignment.warm_norm_estimate` started from the previous epoch's
        vector, the first from :func:`linalg_lab.spectral_norm`'s), "alignment_q" and
        "alignment_residue" (``|cos|`` between the gradient's leading right singular vector and q,
        resp. ``X_B^T r_t``), "energy" (``||W_t Q||_F / ||W_t||_F``, Q an orthonormal basis of
        span{X_B^T y, q}), "gradient_norm" (``||G_t||_2``), "singular_values" (epochs x top_k: the
        first to ``svd_rtol``, the others Ritz values of the tracked block, which are lower bounds),
        "svd_residual" (``||G^T u_1 - s_1 v_1|| / s_1``), "svd_sweeps", "term_norm_S1",
        "term_norm_S12", "term_norm_S2", "term_norm_E" (NaN if not tracked).
    final : dict
        loss, test_loss, weight_norm, energy at the final weights ``W_epochs``; "refit_test_loss"
        after refitting ``a`` (NaN if not requested).
    weight_norm_brackets : dict
        ``{"initial": {"lower", "upper"}, "final": {"lower", "upper"}}``: deterministic brackets of
        ``||W_0||_2`` and ``||W_epochs||_2`` from :func:`linalg_lab.spectral_norm` (relative width 1e-8).
    weight_norm_prediction : float
        ``1 + sqrt(m/d)``, the random-matrix prediction of ``||W_0||_2`` for ``m, d`` large.
    elapsed_s : float
    rigour : Rigour
        NUMERICAL (a floating-point experiment; only the weight-norm brackets are guaranteed).
    weights : (m, d) ndarray
        Final weights (not in to_dict()); ``leading_vectors`` (epochs, d) and ``snapshots``
        (epoch -> W) likewise.
    """

    config: AlignmentConfig
    seed: int
    gamma: float
    a_scale: float
    output_scale: float
    history: dict[str, NDArray[np.float64]]
    final: dict[str, float]
    weight_norm_brackets: dict[str, dict[str, float]]
    weight_norm_prediction: float
    elapsed_s: float
    rigour: Rigour
    status: Status
    reason: str
    weights: NDArray[np.float64] = field_nojson(repr=False, default=None)
    leading_vectors: NDArray[np.float64] = field_nojson(repr=False, default=None)
    snapshots: dict[int, NDArray[np.float64]] = field_nojson(repr=False, default_factory=dict)

    def summary(self) -> str:
        c = self.config
        h = self.history
        lines = [f"alignment training '{c.name}' (seed {self.seed}): {self.status.value}",
                 f"  n={c.n} d={c.d} m={c.m} nu={c.nu:g} alpha={c.alpha:g} activation={c.activation} "
                 f"scaling={c.scaling} (output scale {self.output_scale:.4g} = gamma {self.gamma:.4g} x "
                 f"a_scale {self.a_scale:.4g}) lr={c.lr:.4g} epochs={c.epochs}",
                 f"  ||W_0||_2 = {h['weight_norm'][0]:.4f} (random-matrix prediction 1 + sqrt(m/d) = "
                 f"{self.weight_norm_prediction:.4f})",
                 "  epoch      loss  test_loss   ||W||_2   ||G||_2  align_q  align_res  energy"]
        T = len(h["loss"])
        idx = sorted(set([0, 1, 2, T // 4, T // 2, 3 * T // 4, T - 1]) & set(range(T)))
        for t in idx:
            lines.append(f"  {t:5d} {h['loss'][t]:9.4g} {h['test_loss'][t]:10.4g} {h['weight_norm'][t]:9.4g} "
                         f"{h['gradient_norm'][t]:9.3g} {h['alignment_q'][t]:8.3f} {h['alignment_residue'][t]:10.3f} "
                         f"{h['energy'][t]:7.3f}")
        f = self.final
        lines.append(f"  final: loss {f['loss']:.4g}, test loss {f['test_loss']:.4g}, ||W||_2 {f['weight_norm']:.4g} "
                     f"(sqrt(m) = {math.sqrt(c.m):.4g}), refit test loss {f['refit_test_loss']:.4g}; "
                     f"{self.elapsed_s:.1f} s")
        if not self.ok:
            lines.append(f"  reason: {self.reason}")
        return "\n".join(lines)


def _row_normalise(W: NDArray) -> bool:
    norms = np.linalg.norm(W, axis=1, keepdims=True)
    if not np.all(norms > 0) or not np.all(np.isfinite(norms)):
        return False
    W /= norms
    return True


class _Tracker:
    """Per-epoch diagnostics of one run (everything at the same weights W_t)."""

    def __init__(self, cfg: AlignmentConfig, data: SpikedData, a: NDArray, gamma: float, seed: int) -> None:
        self.cfg, self.data, self.a, self.gamma, self.seed = cfg, data, a, gamma, seed
        E = cfg.epochs
        self.hist = {k: np.full(E, np.nan) for k in HISTORY_KEYS if k != "singular_values"}
        self.hist["singular_values"] = np.full((E, cfg.top_k), np.nan)
        self.lead = np.full((E, cfg.d), np.nan)
        self.block = np.linalg.qr(rng(seed, 5).standard_normal((cfg.d, min(cfg.d, cfg.top_k + 5))))[0]
        self.basis = np.column_stack([data.X_bulk.T @ data.y, data.q])
        self.worst_res = 0.0
        self.norm_vectors: dict[str, NDArray] = {}
        self.brackets: dict[str, dict[str, float]] = {}

    def warm_norm(self, key: str, A: NDArray, rtol: float) -> float:
        """``||A||_2`` by :func:`warm_norm_estimate` from the previous epoch's vector of the same
        quantity; the first start for W is :func:`linalg_lab.spectral_norm`'s vector (whose bracket of
        ``||W_0||_2`` is kept in ``weight_norm_brackets``)."""
        v = self.norm_vectors.get(key)
        if v is None and key == "W":
            sn = norm_bracket(A, rtol=1e-8, seed=self.seed)
            self.brackets["initial"] = {"lower": sn.lower, "upper": sn.upper}
            v = sn.v
        elif v is None:  # ||E_0||: an estimate only, from a seeded random start
            v = rng(self.seed + 1, 6).standard_normal(A.shape[1])
        est = warm_norm_body(A, v, rtol, 300)
        self.norm_vectors[key] = est.v
        return est.estimate

    def record(self, t: int, W: NDArray, r: NDArray, Sp: NDArray, G: NDArray) -> None:
        cfg, D, h = self.cfg, self.data, self.hist
        h["test_loss"][t] = half_mse_body(D.X_test, W, self.a, D.y_test, self.gamma, cfg.activation)
        h["weight_norm"][t] = self.warm_norm("W", W, 1e-8)
        h["energy"][t] = projection_ratio(W, self.basis)
        tr = top_triplets_body(G, cfg.top_k, self.block, cfg.svd_rtol, 30)
        self.block = tr.block
        self.worst_res = max(self.worst_res, tr.residual)
        h["svd_sweeps"][t] = tr.sweeps
        h["singular_values"][t] = tr.s
        h["gradient_norm"][t] = tr.s[0]
        h["svd_residual"][t] = tr.residual
        v1 = tr.V[:, 0]
        self.lead[t] = v1
        resid_vec = D.X_bulk.T @ r
        h["alignment_q"][t] = alignment(v1, D.q)
        h["alignment_residue"][t] = alignment(v1, resid_vec) if np.any(resid_vec) else np.nan
        if cfg.track_terms:
            self._terms(t, W, r, Sp, G, resid_vec)

    def _terms(self, t: int, W: NDArray, r: NDArray, Sp: NDArray, G: NDArray, resid_vec: NDArray) -> None:
        D, h, a = self.data, self.hist, self.a
        c = self.gamma / self.cfg.n
        mu = mu_exact(W, self.cfg.activation, D.zeta, D.q, D.bulk_eigenvalues)
        am = a * mu
        n_am = float(np.linalg.norm(am))
        h["term_norm_S1"][t] = c * n_am * float(np.linalg.norm(resid_vec))
        spike_r = D.zeta * float(D.z @ r)  # X_S^T r = zeta (z^T r) q, ||q|| = 1
        h["term_norm_S12"][t] = c * n_am * abs(spike_r)
        s2vec = a * ((Sp - mu[None, :]).T @ (r * D.z)) * D.zeta
        h["term_norm_S2"][t] = c * float(np.linalg.norm(s2vec))
        Emat = G - c * np.outer(am, resid_vec + spike_r * D.q) - c * np.outer(s2vec, D.q)
        h["term_norm_E"][t] = self.warm_norm("E", Emat, 1e-6)

    def final(self, W: NDArray, X: NDArray, y: NDArray) -> dict[str, float]:
        cfg, D, a, g = self.cfg, self.data, self.a, self.gamma
        out = dict.fromkeys(("loss", "test_loss", "weight_norm", "energy", "refit_test_loss"), math.nan)
        if not np.all(np.isfinite(W)):
            return out
        out["loss"] = half_mse_body(X, W, a, y, g, cfg.activation)
        out["test_loss"] = half_mse_body(D.X_test, W, a, D.y_test, g, cfg.activation)
        sn = norm_bracket(W, rtol=1e-8, seed=self.seed)
        out["weight_norm"] = sn.estimate
        self.brackets["final"] = {"lower": sn.lower, "upper": sn.upper}
        out["energy"] = projection_ratio(W, self.basis)
        if cfg.refit:
            H = g * ACTIVATIONS[cfg.activation][0](X @ W.T)
            a_fit = np.linalg.lstsq(H, y, rcond=None)[0]
            out["refit_test_loss"] = half_mse_body(D.X_test, W, a_fit, D.y_test, g, cfg.activation)
        return out


def train(
    config: str | AlignmentConfig, *, seed: int = 0, progress: Callable[..., Any] | None = None,
    snapshot_every: int | None = None, backend: Literal["numpy", "torch"] = "numpy", device: str | None = None,
) -> TrainResult:
    """Full-batch gradient descent with row renormalisation, tracking the gradient's structure.

    Parameters
    ----------
    config : str or AlignmentConfig
        A name from :data:`CONFIGS` or a configuration object.
    seed : int
        Data and initial weights are drawn from this seed (two configs with the same data fields
        and seed see the same data and initial weights).
    progress : callable, optional
        Called as ``progress(1)`` after every epoch.
    snapshot_every : int, optional
        Keep a copy of ``W_t`` every that many epochs (and the final weights) in ``snapshots``.
    backend : {"numpy", "torch"}
        "torch" runs the forward pass, gradient and update in torch (float64) on ``device``
        (default: CUDA when available); diagnostics are computed identically in numpy.
    device : str, optional
        Torch device.

    Returns
    -------
    TrainResult
        ``status`` is INACCURATE when the loss became non-finite (lower ``lr``) or a row of W
        vanished, or when the leading singular triplet missed ``svd_rtol``.

    Notes
    -----
    Per epoch: three (n x d x m) products (forward on train and test data, gradient), a few
    block products with G for the warm-started top-k triplets
    (:func:`~linalg_lab.experiments.alignment.top_singular_triplets`), :func:`linalg_lab.spectral_norm`
    for ``||W||_2`` (and ``||E||_2``), and O(m) quadrature nodes per neuron for mu.  No full SVD is
    taken.

    Examples
    --------
    >>> from linalg_lab.experiments.alignment import CONFIGS
    >>> res = train(CONFIGS["tiny-relu"].replace(epochs=3))
    >>> res.ok, res.history["loss"].shape, res.history["singular_values"].shape
    (True, (3,), (3, 5))
    """
    func = "train"
    cfg = get_config(config)
    seed = check_int(seed, "seed", func=func, minimum=0)
    snapshot_every = check_int(snapshot_every, "snapshot_every", func=func, minimum=1, allow_none=True)
    check_option(backend, "backend", ("numpy", "torch"), func=func)
    t0 = time.perf_counter()
    data = spiked_data(cfg.n, cfg.d, nu=cfg.nu, alpha=cfg.alpha, teacher=cfg.teacher, n_index=cfg.n_index,
                       noise=cfg.noise, n_test=cfg.n_test, seed=seed)
    W, a = init_weights(cfg.m, cfg.d, outer=cfg.outer, outer_scale=cfg.outer_scale, seed=seed)
    gamma = cfg.gamma
    step = cfg.lr / gamma if cfg.lr_per_gamma else cfg.lr
    tracker = _Tracker(cfg, data, a, gamma, seed)
    X, y = data.X, data.y
    s_fn, ds_fn = ACTIVATIONS[cfg.activation]
    snaps: dict[int, NDArray] = {}
    status, reason = Status.OK, "training finished; every leading singular triplet met svd_rtol"
    if backend == "torch":
        from ._torch import TorchBackend

        backend_impl = TorchBackend(X, y, a, gamma, cfg.activation, device)
    else:
        backend_impl = None
    for t in range(cfg.epochs):
        if snapshot_every is not None and t % snapshot_every == 0:
            snaps[t] = W.copy()
        if backend_impl is not None:
            r, Sp, G = backend_impl.forward_gradient(W)
        else:
            Z = X @ W.T
            r = gamma * (s_fn(Z) @ a) - y
            Sp = ds_fn(Z)
            G = gradient(X, r, a, Sp, gamma)
        loss = float(0.5 * np.mean(r * r))
        tracker.hist["loss"][t] = loss
        if not np.isfinite(loss) or not np.all(np.isfinite(G)):
            status, reason = Status.INACCURATE, f"training diverged at epoch {t} (non-finite loss or gradient); lower lr"
            break
        tracker.record(t, W, r, Sp, G)
        W = W - step * G  # gradient step, then row renormalisation
        if not _row_normalise(W):
            status, reason = Status.INACCURATE, f"a row of W became zero or non-finite at epoch {t}; lower lr"
            break
        if progress is not None:
            progress(1)
    if status is Status.OK and tracker.worst_res > cfg.svd_rtol:
        status = Status.INACCURATE
        reason = (f"the leading singular triplet reached a residual of {tracker.worst_res:.2e} > svd_rtol = "
                  f"{cfg.svd_rtol:.1e}; the gap below sigma_1 is small, raise svd_rtol or top_k")
    final = tracker.final(W, X, y)
    if snapshot_every is not None:
        snaps[cfg.epochs] = W.copy()
    return TrainResult(
        config=cfg, seed=seed, gamma=gamma, a_scale=cfg.a_scale, output_scale=cfg.output_scale,
        history=tracker.hist, final=final, weight_norm_brackets=tracker.brackets,
        weight_norm_prediction=1.0 + math.sqrt(cfg.m / cfg.d),
        elapsed_s=time.perf_counter() - t0, rigour=Rigour.NUMERICAL, status=status, reason=reason,
        weights=W, leading_vectors=tracker.lead, snapshots=snaps,
    )
