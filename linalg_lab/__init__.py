"""linalg-lab: verify and analyse the spectral linear algebra behind modern training methods.

The public API is the explicit list below; ``tests/linalg_lab/test_api.py`` checks that it matches
the documented one.
"""
__version__ = "0.1.0"

from ._results import AnalysisFailed, Result, Rigour, Status
from ._validation import InputError, InputTypeError, InputValueError
from .io import load_matrix, save_matrix
from .spectral import PowerIterationResult, SpectralNormResult, power_iteration, spectral_norm
from .subspace import PrincipalAnglesResult, alignment, principal_angles, projection_ratio
from .tolerance import Check, ToleranceReport, assert_close

__all__ = [
    "__version__",
    # results and errors
    "Result",
    "Status",
    "Rigour",
    "AnalysisFailed",
    "InputError",
    "InputValueError",
    "InputTypeError",
    # io
    "load_matrix",
    "save_matrix",
    # tolerance
    "Check",
    "ToleranceReport",
    "assert_close",
    # spectral
    "spectral_norm",
    "power_iteration",
    "SpectralNormResult",
    "PowerIterationResult",
    # subspaces
    "principal_angles",
    "projection_ratio",
    "alignment",
    "PrincipalAnglesResult",
]
