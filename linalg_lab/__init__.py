"""linalg-lab: verify and analyse the spectral linear algebra behind modern training methods.

The public API is the explicit list below; ``tests/linalg_lab/test_api.py`` checks that it matches
the documented one.
"""
__version__ = "0.1.0"

from ._results import AnalysisFailed, Certificate, Result, Rigour, Status, Verdict
from ._validation import InputError, InputTypeError, InputValueError
from . import experiments
from .experiments import first_layer_gradient, gradient_decomposition
from .io import load_matrix, save_matrix

# Newton–Schulz: the subpackage is ``linalg_lab.ns`` so that the public function ``newton_schulz``
# shadows nothing.
from .ns import (
    PRESETS as NS_PRESETS,
    BandCurve,
    NewtonSchulzResult,
    OutputAnalysis,
    ScheduleAnalysis,
    StepAnalysis,
    StepsNeededResult,
    analyze_ns_output,
    analyze_ns_schedule,
    analyze_ns_step,
    apply_safety,
    design_budget,
    design_schedule,
    minimax_odd,
    newton_schulz,
    ns_design,
    parse_coefficients,
    seed000_reproduction,
    NSDesign,
    BudgetDesign,
    ns_band_curve,
    ns_schedule,
    ns_steps_needed,
)
from .norms import (
    TwoToQLowerResult,
    TwoToQResult,
    TwoToQSoSResult,
    TwoToQSpectralResult,
    two_to_q,
    two_to_q_lower,
    two_to_q_sos,
    two_to_q_spectral,
)
from . import grnewt, layers, optim
from .layers import (
    ConvNormResult,
    ConvSingularValues,
    SNGapResult,
    SpectralNormalizeResult,
    clip_conv_norm,
    conv_norm,
    conv_operator,
    conv_singular_values,
    convnorm,
    lipschitz_bound,
    sn_gap,
    spectral_normalize,
)
from .grnewt import NesterovLRs, NewtonSummary, SolverCase, nesterov_lrs, summaries
from .optim import PionDriftResult, PionStepResult, pion_descent_identity, pion_drift, pion_step
from .spectral import PowerIterationResult, SpectralNormResult, power_iteration, spectral_norm
from .svd import (
    LAPACK_THRESHOLD,
    LapackComparison,
    LapackRatios,
    Seed004Result,
    SVDOptResult,
    compare_with_lapack,
    lapack_ratios,
    reproduce_seed004,
    svd_by_optimization,
)
from .subspace import PrincipalAnglesResult, alignment, principal_angles, projection_ratio
from .tolerance import Check, ToleranceReport, assert_close

__all__ = [
    "__version__",
    # results and errors
    "Result",
    "Status",
    "Rigour",
    "Verdict",
    "Certificate",
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
    # experiments (reproductions): linalg_lab.experiments.alignment
    "experiments",
    "first_layer_gradient",
    "gradient_decomposition",
    # Newton–Schulz
    "ns_schedule",
    "newton_schulz",
    "ns_design",
    "design_schedule",
    "design_budget",
    "minimax_odd",
    "apply_safety",
    "NSDesign",
    "BudgetDesign",
    "parse_coefficients",
    "seed000_reproduction",
    "NS_PRESETS",
    "analyze_ns_step",
    "analyze_ns_schedule",
    "analyze_ns_output",
    "ns_steps_needed",
    "ns_band_curve",
    "NewtonSchulzResult",
    "StepAnalysis",
    "ScheduleAnalysis",
    "OutputAnalysis",
    "StepsNeededResult",
    "BandCurve",
    # 2->q norms
    "two_to_q",
    "two_to_q_lower",
    "two_to_q_spectral",
    "two_to_q_sos",
    "TwoToQResult",
    "TwoToQLowerResult",
    "TwoToQSpectralResult",
    "TwoToQSoSResult",
    # layer spectra
    "layers",
    "conv_operator",
    "conv_singular_values",
    "conv_norm",
    "clip_conv_norm",
    "spectral_normalize",
    "sn_gap",
    "convnorm",
    "lipschitz_bound",
    "ConvSingularValues",
    "ConvNormResult",
    "SNGapResult",
    "SpectralNormalizeResult",
    # grnewt (per-group Newton learning rates)
    "grnewt",
    "nesterov_lrs",
    "summaries",
    "NewtonSummary",
    "NesterovLRs",
    "SolverCase",
    # Pion (spectrum-preserving updates)
    "optim",
    "pion_step",
    "pion_drift",
    "pion_descent_identity",
    "PionStepResult",
    "PionDriftResult",
    # SVD by optimisation
    "lapack_ratios",
    "svd_by_optimization",
    "compare_with_lapack",
    "reproduce_seed004",
    "LAPACK_THRESHOLD",
    "LapackRatios",
    "LapackComparison",
    "SVDOptResult",
    "Seed004Result",
]
