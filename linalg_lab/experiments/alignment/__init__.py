"""Low-rank first-layer gradients of two-layer networks: spectrum, exact split and alignment.

A reproduction, with the seed notebook's defects fixed, of the experiments of Sonthalia, Murray and
Montúfar, *Low Rank Gradients and Where to Find Them* (NeurIPS 2025, arXiv:2510.01303).

Modules (one concept each): :mod:`.model` (network, regimes, loss, gradient), :mod:`.data`
(spiked data, initial weights), :mod:`.decomposition` (mu and ``G = S1 + S12 + S2 + E``),
:mod:`.spectra` (norms through :func:`linalg_lab.spectral_norm`, warm-started top triplets),
:mod:`.configs` (the registry: CONFIGS, PAIRS, SWEEPS), :mod:`.training`, :mod:`.comparison`,
:mod:`.sweep` (nu-sweep at initialisation) and :mod:`.experiment` (one entry point for the faces).

Model and data
--------------
* Network ``f(x) = gamma * a^T sigma(W x)`` with ``W`` of shape (m, d) (rows on the unit sphere),
  fixed outer weights ``a`` (Rademacher ``±s`` or Gaussian ``N(0, s^2)`` with ``s = 1/sqrt(m)`` or
  ``s = 1``) and ``sigma`` in {relu, sigmoid, tanh}.
* The regime is named by the **total output scale** ``gamma * s``: "ntk" is ``1/sqrt(m)``,
  "mean-field" is ``1/m`` (the paper's gammas for ``a in {±1}^m``), whatever the split; a
  configuration's ``gamma`` is ``total / s`` (``a_scale = s``).
* Spiked inputs ``X = X_B + X_S`` with bulk rows ``N(0, Sigma)``, ``lambda_k(Sigma) = k^(-alpha)``,
  and spike ``X_S = zeta z q^T``, ``zeta = n^nu``, ``z ~ N(0, I_n)``, ``||q|| = 1``.
* Targets from a single- or multi-index teacher ``y = mean_l phi(beta_l^T x) + noise * N(0, 1)``
  with orthonormal ``beta_l`` and ``phi`` in {sigmoid, relu, tanh}.

Gradient and its split (Proposition 2.1 of the paper, in the (m, d) layout of ``W``)
----------------------------------------------------------------------------------
For ``L = (1/2n) sum_i (f(x_i) - y_i)^2`` and ``r = f - y``,
``G = (gamma/n) D^T X`` with ``D = (r a^T) o sigma'(X W^T)``.  With ``mu_j`` the mean of
``sigma'(w_j^T x)`` and ``sigma'_perp = sigma' - mu``, ``G = S1 + S12 + S2 + E`` exactly, where
``S1 = (gamma/n) (a o mu) (X_B^T r)^T``, ``S12 = (gamma/n) (a o mu) (X_S^T r)^T``,
``S2 = (gamma/n) [(r a^T) o sigma'_perp]^T X_S`` and ``E = (gamma/n) [(r a^T) o sigma'_perp]^T X_B``.
``S1`` is the residue spike (along ``X_B^T r``); ``S12`` and ``S2`` lie along ``q``.

Differences from the seed notebook (each one a defect it had)
--------------------------------------------------------------
1. ``a = randint(0, 2) - 1`` drew ``{-1, 0}``; here ``a`` is ``±1`` (times its scale) or Gaussian.
2. The forward pass applied ``gamma`` twice (``f = gamma^2 a^T sigma``) while the loss derivative
   applied it once; here ``f = gamma a^T sigma`` everywhere (training, test, refit, alignment).
3. The test loss broadcast an (N, 1) prediction against an (N,) target (an N x N mean); here every
   prediction and target is 1-D and the loss is ``(1/2N) sum (f - y)^2`` (the seed's train loss
   had no 1/2; ours is the L whose gradient we take).
4. The final "refit" of ``a`` predicted with the inconsistent ``gamma^2``; here the refit solves the
   minimum-norm least-squares problem for ``gamma sigma(X W^T) a = y`` and predicts with ``gamma``.
5. Power iteration redrew its random start every epoch (and ran 200 fixed steps without a
   convergence test); here ``||W||_2`` comes from :func:`linalg_lab.spectral_norm` (Lanczos with a
   deterministic bracket, kept in the history as lower/upper) and the gradient's top singular
   triplets from :func:`top_singular_triplets`, warm-started from the previous epoch's block and
   iterated until the leading residual is below ``svd_rtol``.
6. The residue alignment used the residual at the post-update weights against the singular vector
   of the pre-update gradient, and the test loss was taken after the update while the train loss
   was taken before it; here every quantity of epoch ``t`` is evaluated at the same ``W_t``.
7. Not a defect of the values: the "NTK vs mean field" cell passes ``gamma = 1`` (NTK) and
   ``gamma = 1/sqrt(m)`` (mean field) with ``a ~ N(0, 1/m)``, i.e. total output scales ``1/sqrt(m)``
   and ``1/m``, which are the right regimes once ``gamma`` is applied once (defect 2).  The
   configurations here therefore name the regime by the total scale and derive ``gamma``
   (issue 10, point 14; an earlier version used ``gamma = 1/sqrt(m)`` on top of ``a ~ N(0, 1/m)`` for
   "ntk", which is the mean-field total).  The notebook's first "ReLU vs sigmoid" cell
   (``gamma = 1/sqrt(m)``, ``a = ±1/sqrt(m)``) is thus mean field, and is labelled so.
8. Row renormalisation divided by ``||w_j|| + 1e-8``; here rows are divided by their exact norm
   (a zero row is an error, reported through the status).

Kept from the notebook: the step is ``W <- W - (lr/gamma) G`` (``lr_per_gamma=True``), so the
effective step size does not shrink with gamma; rows are renormalised after every step; the
notebook configurations keep its outer-weight scale ``1/sqrt(m)``, while "paper" uses the paper's
``a in {±1}^m``.

Observed (numerical, seed 0): at initialisation the leading direction is residue-aligned for
nu <= 1/4 and spike-aligned for nu >= 1/2 (ReLU, sigmoid, tanh; NTK and mean field), with
sigma_2/sigma_1 up to about 0.5 in between, as the paper describes.  In the paired
"ntk-vs-mean-field" run the mean-field run fits (train loss towards the noise floor, ``||W||_2``
growing towards ``sqrt(m)``) while the NTK run at the same learning rate barely moves; see the
report section "alignment" and ``tests/linalg_lab/experiments/test_alignment_scaling.py``.

References
----------
.. [1] R. Sonthalia, M. Murray, G. Montúfar, "Low Rank Gradients and Where to Find Them",
   NeurIPS 2025, arXiv:2510.01303, doi:10.48550/arXiv.2510.01303.
.. [2] N. Halko, P.-G. Martinsson, J. A. Tropp, "Finding structure with randomness", SIAM Review
   53(2) (2011) 217–288, doi:10.1137/090771806 (block subspace iteration, Rayleigh–Ritz).
"""
from __future__ import annotations

from . import comparison, configs, data, decomposition, experiment, model, spectra, sweep, training
from .comparison import ComparisonResult, compare_runs
from .configs import (
    CONFIGS,
    PAIRS,
    SWEEPS,
    AlignmentConfig,
    ExperimentListing,
    experiment_names,
    get_config,
    list_experiments,
)
from .data import NU_GRID, SpikedData, init_weights, spiked_data
from .decomposition import GradientDecomposition, expected_activation_derivative, gradient_decomposition
from .experiment import ExperimentResult, experiment_epochs, run_experiment
from .model import (
    ACTIVATIONS,
    OUTER_SCALES,
    SCALINGS,
    first_layer_gradient,
    half_mse,
    network_output,
    outer_weight_scale,
    output_scale,
    resolve_gamma,
)
from .spectra import NormEstimate, TopTriplets, operator_norm, top_singular_triplets, warm_norm_estimate
from .sweep import NuSweepPoint, SweepResult, collect_nu_sweep, nu_sweep, nu_sweep_point
from .training import HISTORY_KEYS, TrainResult, train

__all__ = [
    "ACTIVATIONS",
    "SCALINGS",
    "OUTER_SCALES",
    "CONFIGS",
    "PAIRS",
    "SWEEPS",
    "NU_GRID",
    "AlignmentConfig",
    "SpikedData",
    "GradientDecomposition",
    "TrainResult",
    "ComparisonResult",
    "SweepResult",
    "ExperimentResult",
    "ExperimentListing",
    "TopTriplets",
    "NormEstimate",
    "spiked_data",
    "init_weights",
    "output_scale",
    "outer_weight_scale",
    "resolve_gamma",
    "network_output",
    "half_mse",
    "first_layer_gradient",
    "expected_activation_derivative",
    "gradient_decomposition",
    "top_singular_triplets",
    "operator_norm",
    "warm_norm_estimate",
    "get_config",
    "train",
    "compare_runs",
    "nu_sweep",
    "nu_sweep_point",
    "collect_nu_sweep",
    "NuSweepPoint",
    "run_experiment",
    "experiment_names",
    "experiment_epochs",
    "list_experiments",
    "HISTORY_KEYS",
]
