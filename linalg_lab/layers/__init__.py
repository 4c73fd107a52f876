"""Spectral norms of network layers: convolutions, spectral normalisation, ConvNorm, Lipschitz bounds.

One concept per module: :mod:`.operator` (the convolution as a LinearOperator),
:mod:`.singular_values` (exact circular spectra and norm brackets), :mod:`.clip` (operator-norm
projection), :mod:`.spectral_normalization` (PyTorch's spectral normalisation), :mod:`.sn_gap` (how
far spectral normalisation is from the true layer norm), :mod:`.convnorm` (Liu et al.'s ConvNorm),
:mod:`.lipschitz` (bracketing a network's Lipschitz constant).  Conventions: :mod:`._kernel`.
"""
from ._kernel import LAYOUTS, PADDINGS, as_conv_kernel, check_input_shape, frequency_matrices
from .clip import ConvClipResult, clip_conv_norm
from .operator import ConvOperator, conv_operator
from .convnorm import ConvNormalized, ConvNormOperator, convnorm
from .lipschitz import Conv, Dense, LipschitzResult, lipschitz_bound
from .singular_values import ConvNormResult, ConvSingularValues, conv_norm, conv_singular_values
from .sn_gap import SNGapResult, sn_gap
from .spectral_normalization import WARMUP_ITERATIONS, SpectralNormalizeResult, spectral_normalize

__all__ = [
    "conv_operator",
    "ConvOperator",
    "conv_singular_values",
    "ConvSingularValues",
    "conv_norm",
    "ConvNormResult",
    "clip_conv_norm",
    "ConvClipResult",
    "spectral_normalize",
    "SpectralNormalizeResult",
    "WARMUP_ITERATIONS",
    "sn_gap",
    "SNGapResult",
    "convnorm",
    "ConvNormalized",
    "ConvNormOperator",
    "lipschitz_bound",
    "LipschitzResult",
    "Dense",
    "Conv",
    "as_conv_kernel",
    "check_input_shape",
    "frequency_matrices",
    "LAYOUTS",
    "PADDINGS",
]
