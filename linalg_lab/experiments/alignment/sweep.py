"""The nu-sweep at initialisation: gradient structure over spike strength, activation, regime and seed."""
from __future__ import annotations

import dataclasses
import math
import time
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..._results import Result, Rigour, Status, text_table
from ..._validation import InputValueError, check_int, check_option, check_real
from ...subspace import alignment
from .configs import AlignmentConfig, get_config
from .data import NU_GRID, SpikedData, init_weights, rng, spiked_data
from .decomposition import mu_exact
from .model import ACTIVATIONS, SCALINGS, gradient, resolve_gamma
from .spectra import top_triplets_body, warm_norm_body

__all__ = ["SweepResult", "NuSweepPoint", "nu_sweep", "nu_sweep_point", "collect_nu_sweep"]


@dataclasses.dataclass(frozen=True)
class SweepResult(Result):
    """Alignment of the leading gradient direction at initialisation over nu, activation, scaling, seed.

    Arrays have shape (len(nus), len(activations), len(scalings), seeds).

    Attributes
    ----------
    nus : tuple of float
    activations, scalings : tuple of str
    seeds : int
    base : str
        Name of the base configuration (sizes, teacher, outer weights).
    alignment_q, alignment_residue : ndarray
        ``|cos|`` of the leading right singular vector of G with q, resp. ``X_B^T r``.
    sv_ratio : ndarray
        ``sigma_2 / sigma_1`` of G (small: rank one; near 1: two comparable directions).
    norm_S1, norm_spike, norm_E, norm_G : ndarray
        ``||S1||_2``, ``||S12 + S2||_2`` (both along q: rank one), ``||E||_2`` and ``||G||_2``.
    elapsed_s : float
    rigour : Rigour
        NUMERICAL.
    """

    nus: tuple[float, ...]
    activations: tuple[str, ...]
    scalings: tuple[str, ...]
    seeds: int
    base: str
    alignment_q: NDArray[np.float64]
    alignment_residue: NDArray[np.float64]
    sv_ratio: NDArray[np.float64]
    norm_S1: NDArray[np.float64]
    norm_spike: NDArray[np.float64]
    norm_E: NDArray[np.float64]
    norm_G: NDArray[np.float64]
    elapsed_s: float
    rigour: Rigour
    status: Status
    reason: str

    def table(self) -> tuple[list[str], list[list[str]]]:
        """Header and rows of the compact table (cells: residue / q alignment, mean over seeds) that the
        report and ``summary()`` print."""
        header = ["sigma", "scaling"] + [f"nu={v:g}" for v in self.nus]
        rows = [[act, sc] + [f"{self.alignment_residue[i, ia, isc].mean():.2f} / {self.alignment_q[i, ia, isc].mean():.2f}"
                             for i in range(len(self.nus))]
                for ia, act in enumerate(self.activations) for isc, sc in enumerate(self.scalings)]
        return header, rows

    def summary(self) -> str:
        lines = [f"nu-sweep at initialisation (base '{self.base}', {self.seeds} seeds; cells: residue / q "
                 "alignment, mean over seeds)", text_table(*self.table()), "",
                 "details (mean over seeds):",
                 "  activation scaling     nu   align_q  align_res  s2/s1  ||S1||/||G||  ||S12+S2||/||G||"]
        for ia, act in enumerate(self.activations):
            for isc, sc in enumerate(self.scalings):
                for inu, nu in enumerate(self.nus):
                    sl = (inu, ia, isc)
                    g = self.norm_G[sl]
                    lines.append(
                        f"  {act:<10} {sc:<10} {nu:5.3f} {self.alignment_q[sl].mean():8.3f} "
                        f"{self.alignment_residue[sl].mean():10.3f} {self.sv_ratio[sl].mean():6.3f} "
                        f"{(self.norm_S1[sl] / g).mean():13.3f} {(self.norm_spike[sl] / g).mean():17.3f}")
        return "\n".join(lines)



def _analyse(D: SpikedData, W: NDArray, a: NDArray, act: str, gamma: float, n: int, seed: int,
             H: NDArray, Sp: NDArray, mu: NDArray) -> dict[str, float]:
    """The gradient at initialisation and its split, for one (data, activation, gamma)."""
    r = gamma * (H @ a) - D.y
    G = gradient(D.X, r, a, Sp, gamma)
    start = np.linalg.qr(rng(seed, 5).standard_normal((G.shape[1], min(G.shape[1], 7))))[0]
    tr = top_triplets_body(G, 2, start, 1e-8, 200)
    s, v1 = tr.s, tr.V[:, 0]
    rv = D.X_bulk.T @ r
    c = gamma / n
    am = a * mu
    spike_r = D.zeta * float(D.z @ r)
    s2vec = a * ((Sp - mu[None, :]).T @ (r * D.z)) * D.zeta
    spike_left = c * (am * spike_r + s2vec)  # S12 + S2 = spike_left q^T
    Emat = G - c * np.outer(am, rv) - np.outer(spike_left, D.q)
    return {"aq": alignment(v1, D.q), "ar": alignment(v1, rv),
            "ratio": s[1] / s[0] if len(s) > 1 and s[0] > 0 else math.nan,
            "s1": c * float(np.linalg.norm(am) * np.linalg.norm(rv)), "sp": float(np.linalg.norm(spike_left)),
            # ||E||_2: a Lanczos estimate (the sweep evaluates E 42 times per seed; a deterministic
            # spectral_norm bracket each time would cost ~7x the whole sweep and is not needed here)
            "e": warm_norm_body(Emat, rng(seed, 6).standard_normal(Emat.shape[1]), 1e-8, 300).estimate,
            "g": float(s[0])}


_KEYS = ("aq", "ar", "ratio", "s1", "sp", "e", "g")


@dataclasses.dataclass(frozen=True)
class NuSweepPoint(Result):
    """One (nu, seed) data draw of the nu-sweep: the gradient analysis for every activation and scaling.

    The unit a sweep stores (``linalg-lab sweep nu-sweep``); :func:`collect_nu_sweep` assembles
    points into the :class:`SweepResult` that :func:`nu_sweep` returns.

    Attributes
    ----------
    base : str
    nu : float
    seed : int
        The experiment's seed (data ``spiked_data(..., seed=seed)``, weights ``init_weights(..., seed=seed)``).
    activations, scalings : list of str
    values : dict
        ``"{activation}/{scaling}"`` -> {"aq", "ar", "ratio", "s1", "sp", "e", "g"} (see
        :class:`SweepResult`: alignments with q and the residue, sigma_2/sigma_1, ||S1||, ||S12 + S2||,
        ||E||, ||G||).
    """

    base: str
    nu: float
    seed: int
    activations: list[str]
    scalings: list[str]
    values: dict[str, dict[str, float]]
    elapsed_s: float
    status: Status
    reason: str
    rigour: Rigour = Rigour.NUMERICAL

    def summary(self) -> str:
        return f"nu-sweep point nu={self.nu:g}, seed {self.seed} ({self.base}): {len(self.values)} (activation, scaling)"

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "NuSweepPoint":
        """Rebuild a point from its ``to_dict()`` (as stored by a sweep): ``null`` -> nan."""
        return cls(base=str(d["base"]), nu=float(d["nu"]), seed=int(d["seed"]),
                   activations=list(d["activations"]), scalings=list(d["scalings"]),
                   values={k: {f: math.nan if x is None else float(x) for f, x in v.items()}
                           for k, v in d["values"].items()},
                   elapsed_s=float(d["elapsed_s"]), status=Status(d["status"]), reason=str(d["reason"]))


def _check_lists(activations: Sequence[str], scalings: Sequence[str], func: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    if isinstance(activations, str):
        activations = (activations,)
    if isinstance(scalings, str):
        scalings = (scalings,)
    acts = tuple(check_option(v, "activations", tuple(ACTIVATIONS), func=func) for v in activations)
    scs = tuple(check_option(v, "scalings", tuple(SCALINGS), func=func) for v in scalings)
    if not acts or not scs:
        raise InputValueError(f"{func}: 'activations' and 'scalings' must be non-empty")
    return acts, scs


def nu_sweep_point(base: str | AlignmentConfig, nu: float, seed: int, *,
                   activations: Sequence[str] = ("relu", "sigmoid", "tanh"),
                   scalings: Sequence[str] = ("ntk", "mean-field")) -> NuSweepPoint:
    """The gradient at initialisation for one spike strength and seed, every activation and scaling.

    One data draw and one weight draw are shared by all (activation, scaling) pairs, as in
    :func:`nu_sweep` (which is this function over a grid followed by :func:`collect_nu_sweep`).

    Parameters
    ----------
    base : str or AlignmentConfig
        The configuration (a key of :data:`CONFIGS` or the object) that sets ``n``, ``d``, ``m``,
        the data model and the outer weights.
    nu : float
        The spike exponent, finite and ``>= 0``: the spike strength is ``zeta = n**nu``.
    seed : int
        The seed of the data and weight draws, ``>= 0``.
    activations : sequence of str, default ("relu", "sigmoid", "tanh")
        Keyword-only: keys of :data:`ACTIVATIONS` (a single string counts as one), non-empty.
    scalings : sequence of str, default ("ntk", "mean-field")
        Keyword-only: keys of :data:`SCALINGS` (a single string counts as one), non-empty.

    Returns
    -------
    NuSweepPoint
        ``values["{activation}/{scaling}"]``: the alignments with the spike direction ``q``
        (``"aq"``) and the residue (``"ar"``), ``sigma_2/sigma_1`` (``"ratio"``) and the norms
        ``||S1||``, ``||S12 + S2||``, ``||E||``, ``||G||`` (``"s1"``, ``"sp"``, ``"e"``,
        ``"g"``) of the gradient at initialisation (numerical).

    Raises
    ------
    InputValueError
        Unknown configuration, activation or scaling; empty lists; ``nu < 0`` or not finite;
        ``seed < 0``.
    InputTypeError
        ``base`` neither a name nor a configuration; ``nu`` not a real number; ``seed`` not an
        int.

    Examples
    --------
    >>> p = nu_sweep_point("tiny-paper", 0.75, 0, activations=("relu",), scalings=("ntk",))
    >>> sorted(p.values), p.values["relu/ntk"]["aq"] > 0.5
    (['relu/ntk'], True)
    """
    func = "nu_sweep_point"
    t0 = time.perf_counter()
    cfg = get_config(base)
    nu = check_real(nu, "nu", func=func, lo=0.0)
    sd = check_int(seed, "seed", func=func, minimum=0)
    acts, scs = _check_lists(activations, scalings, func)
    D = spiked_data(cfg.n, cfg.d, nu=nu, alpha=cfg.alpha, teacher=cfg.teacher, n_index=cfg.n_index,
                    noise=cfg.noise, n_test=1, seed=sd)
    W, a = init_weights(cfg.m, cfg.d, outer=cfg.outer, outer_scale=cfg.outer_scale, seed=sd)
    Z = D.X @ W.T
    values: dict[str, dict[str, float]] = {}
    for act in acts:
        s_fn, ds_fn = ACTIVATIONS[act]
        H, Sp = s_fn(Z), ds_fn(Z)
        mu = mu_exact(W, act, D.zeta, D.q, D.bulk_eigenvalues)
        for sc in scs:
            gamma = resolve_gamma(sc, cfg.m, outer_scale=cfg.outer_scale)
            values[f"{act}/{sc}"] = _analyse(D, W, a, act, gamma, cfg.n, sd, H, Sp, mu)
    return NuSweepPoint(base=cfg.name, nu=nu, seed=sd, activations=list(acts), scalings=list(scs), values=values,
                        elapsed_s=time.perf_counter() - t0, status=Status.OK, reason="ok")


def collect_nu_sweep(points: Sequence[NuSweepPoint]) -> SweepResult:
    """Assemble points (any order) into the (nu, activation, scaling, seed) arrays of :class:`SweepResult`.

    The points must form a full grid: one per (nu, seed) for the same base, activations and
    scalings; a missing or repeated point is an error (nothing is filled in silently).

    Parameters
    ----------
    points : sequence of NuSweepPoint
        The points of one sweep (from :func:`nu_sweep_point`), in any order.

    Returns
    -------
    SweepResult
        Arrays of shape (number of nus, activations, scalings, seeds), nus ascending and seeds in
        ascending order; ``elapsed_s`` is the points' total.

    Raises
    ------
    InputValueError
        No points; points with different bases, activations or scalings; a repeated (nu, seed);
        an incomplete (nu, seed) grid.
    """
    func = "collect_nu_sweep"
    if not points:
        raise InputValueError(f"{func}: no points to collect")
    p0 = points[0]
    for p in points:
        if (p.base, p.activations, p.scalings) != (p0.base, p0.activations, p0.scalings):
            raise InputValueError(f"{func}: points mix bases, activations or scalings "
                                  f"({p.base} {p.activations} {p.scalings} vs {p0.base} {p0.activations} {p0.scalings})")
    nus = tuple(sorted({p.nu for p in points}))
    seeds = sorted({p.seed for p in points})
    have = {(p.nu, p.seed): p for p in points}
    if len(have) != len(points):
        raise InputValueError(f"{func}: a (nu, seed) point appears twice")
    missing = [(nu, sd) for nu in nus for sd in seeds if (nu, sd) not in have]
    if missing:
        raise InputValueError(f"{func}: the grid is incomplete; missing (nu, seed) points {missing[:5]}")
    acts, scs = tuple(p0.activations), tuple(p0.scalings)
    shape = (len(nus), len(acts), len(scs), len(seeds))
    out = {k: np.full(shape, np.nan) for k in _KEYS}
    for inu, nu in enumerate(nus):
        for isd, sd in enumerate(seeds):
            vals = have[(nu, sd)].values
            for ia, act in enumerate(acts):
                for isc, sc in enumerate(scs):
                    for k in _KEYS:
                        out[k][inu, ia, isc, isd] = vals[f"{act}/{sc}"][k]
    return SweepResult(
        nus=nus, activations=acts, scalings=scs, seeds=len(seeds), base=p0.base,
        alignment_q=out["aq"], alignment_residue=out["ar"], sv_ratio=out["ratio"], norm_S1=out["s1"],
        norm_spike=out["sp"], norm_E=out["e"], norm_G=out["g"], elapsed_s=sum(p.elapsed_s for p in points),
        rigour=Rigour.NUMERICAL, status=Status.OK, reason="sweep finished",
    )


def nu_sweep(
    base: str | AlignmentConfig = "paper", *, nus: Sequence[float] = NU_GRID,
    activations: Sequence[str] = ("relu", "sigmoid", "tanh"), scalings: Sequence[str] = ("ntk", "mean-field"),
    seeds: int = 3, progress: Callable[..., Any] | None = None,
) -> SweepResult:
    """Gradient structure at initialisation over spike strength, activation, regime and seeds.

    For every combination the data are drawn with ``nu`` and the base configuration's other data
    fields (sizes, alpha, teacher, noise), the weights as in the base configuration, and the
    gradient at initialisation is analysed: its leading right singular vector's alignment with q
    and with ``X_B^T r``, ``sigma_2/sigma_1``, and the norms of S1, S12 + S2 (mu exact) and E.

    Parameters
    ----------
    base : str or AlignmentConfig
        Base configuration (default "paper": n=750, d=1000, m=1250, a in {±1}).
    nus : sequence of float
        Spike exponents (default 0, 1/8, ..., 3/4).
    activations : sequence of str
    scalings : sequence of str
        Regimes by total output scale ("ntk", "mean-field"); gamma follows from the base's outer scale.
    seeds : int
        Seeds 0, ..., seeds-1.
    progress : callable, optional
        Called once per (nu, seed) data draw.

    Returns
    -------
    SweepResult

    Notes
    -----
    This is :func:`nu_sweep_point` at every (nu, seed) followed by :func:`collect_nu_sweep`; the
    report and ``linalg-lab sweep nu-sweep`` store the points and collect them the same way.

    Examples
    --------
    >>> sw = nu_sweep("tiny-paper", nus=(0.0, 0.75), activations=("relu",), scalings=("ntk",), seeds=1)
    >>> sw.alignment_q.shape, bool(sw.alignment_q[1].mean() > sw.alignment_q[0].mean())
    ((2, 1, 1, 1), True)
    """
    func = "nu_sweep"
    cfg = get_config(base)
    seeds = check_int(seeds, "seeds", func=func, minimum=1)
    nus = tuple(check_real(v, "nus", func=func, lo=0.0) for v in nus)
    if not nus:
        raise InputValueError(f"{func}: 'nus' must be non-empty")
    acts, scs = _check_lists(activations, scalings, func)
    points = []
    for nu in nus:
        for sd in range(seeds):
            points.append(nu_sweep_point(cfg, nu, sd, activations=acts, scalings=scs))
            if progress is not None:
                progress(1)
    return collect_nu_sweep(points)
