"""Transition to linearity: the Hessian of a wide network shrinks like 1/sqrt(width).

Liu, Zhu and Belkin (NeurIPS 2020, arXiv:2010.01092) show that for networks of width m in the NTK
parameterisation the Hessian's spectral norm at initialisation is O(1/sqrt(m)) while the gradient
stays O(1), so the model is nearly linear in its parameters; Zhu, Liu and Belkin (NeurIPS 2022,
arXiv:2205.11786) extend this to directed acyclic graph architectures (here a residual network).
:func:`linearity_sweep` measures ``||H||_2 / ||grad f||`` over widths with bracketed Hessian norms
from exact Hessian-vector products and fits the exponent with a confidence interval.
"""
from ._network import NETWORKS, OUTER, Network, init_network, two_layer_hessian_norm
from ._sweep import DEFAULT_WIDTHS, SKIP_WIDTHS, LinearitySweepResult, SlopeFit, fit_slope, linearity_sweep

__all__ = [
    "linearity_sweep",
    "fit_slope",
    "init_network",
    "two_layer_hessian_norm",
    "NETWORKS",
    "OUTER",
    "DEFAULT_WIDTHS",
    "SKIP_WIDTHS",
    "Network",
    "SlopeFit",
    "LinearitySweepResult",
]
