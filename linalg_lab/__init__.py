"""linalg-lab: verify and analyse the spectral linear algebra behind modern training methods.

The public API is the explicit list below; ``tests/linalg_lab/test_api.py`` checks that it matches
the documented one.

Names are imported on first use (PEP 562 module ``__getattr__``), so ``import linalg_lab`` -- which
pytest does in every run of every project where linalg-lab is installed, to load the tolerance
plugin -- imports neither numpy nor scipy nor any family until a name is used.
"""
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

#: public name -> (module, attribute); attribute None means the module itself.
_LAZY: dict[str, tuple[str, str | None]] = {
    'AnalysisFailed': ('._results', 'AnalysisFailed'),
    'Certificate': ('._results', 'Certificate'),
    'Result': ('._results', 'Result'),
    'Rigour': ('._results', 'Rigour'),
    'Status': ('._results', 'Status'),
    'Verdict': ('._results', 'Verdict'),
    'InputError': ('._validation', 'InputError'),
    'InputTypeError': ('._validation', 'InputTypeError'),
    'InputValueError': ('._validation', 'InputValueError'),
    'experiments': ('.experiments', None),
    'first_layer_gradient': ('.experiments', 'first_layer_gradient'),
    'gradient_decomposition': ('.experiments', 'gradient_decomposition'),
    'load_matrix': ('.io', 'load_matrix'),
    'save_matrix': ('.io', 'save_matrix'),
    'NS_PRESETS': ('.ns', 'PRESETS'),
    'BandCurve': ('.ns', 'BandCurve'),
    'NewtonSchulzResult': ('.ns', 'NewtonSchulzResult'),
    'OutputAnalysis': ('.ns', 'OutputAnalysis'),
    'ScheduleAnalysis': ('.ns', 'ScheduleAnalysis'),
    'StepAnalysis': ('.ns', 'StepAnalysis'),
    'StepsNeededResult': ('.ns', 'StepsNeededResult'),
    'analyze_ns_output': ('.ns', 'analyze_ns_output'),
    'analyze_ns_schedule': ('.ns', 'analyze_ns_schedule'),
    'analyze_ns_step': ('.ns', 'analyze_ns_step'),
    'apply_safety': ('.ns', 'apply_safety'),
    'design_budget': ('.ns', 'design_budget'),
    'design_schedule': ('.ns', 'design_schedule'),
    'minimax_odd': ('.ns', 'minimax_odd'),
    'newton_schulz': ('.ns', 'newton_schulz'),
    'ns_design': ('.ns', 'ns_design'),
    'parse_coefficients': ('.ns', 'parse_coefficients'),
    'seed000_reproduction': ('.ns', 'seed000_reproduction'),
    'NSDesign': ('.ns', 'NSDesign'),
    'BudgetDesign': ('.ns', 'BudgetDesign'),
    'ns_band_curve': ('.ns', 'ns_band_curve'),
    'ns_schedule': ('.ns', 'ns_schedule'),
    'ns_steps_needed': ('.ns', 'ns_steps_needed'),
    'TwoToQLowerResult': ('.norms', 'TwoToQLowerResult'),
    'TwoToQResult': ('.norms', 'TwoToQResult'),
    'TwoToQSoSResult': ('.norms', 'TwoToQSoSResult'),
    'TwoToQSpectralResult': ('.norms', 'TwoToQSpectralResult'),
    'two_to_q': ('.norms', 'two_to_q'),
    'two_to_q_lower': ('.norms', 'two_to_q_lower'),
    'two_to_q_sos': ('.norms', 'two_to_q_sos'),
    'two_to_q_spectral': ('.norms', 'two_to_q_spectral'),
    'grnewt': ('.grnewt', None),
    'layers': ('.layers', None),
    'optim': ('.optim', None),
    'ConvNormResult': ('.layers', 'ConvNormResult'),
    'ConvSingularValues': ('.layers', 'ConvSingularValues'),
    'SNGapResult': ('.layers', 'SNGapResult'),
    'SpectralNormalizeResult': ('.layers', 'SpectralNormalizeResult'),
    'clip_conv_norm': ('.layers', 'clip_conv_norm'),
    'conv_norm': ('.layers', 'conv_norm'),
    'conv_operator': ('.layers', 'conv_operator'),
    'conv_singular_values': ('.layers', 'conv_singular_values'),
    'convnorm': ('.layers', 'convnorm'),
    'lipschitz_bound': ('.layers', 'lipschitz_bound'),
    'sn_gap': ('.layers', 'sn_gap'),
    'spectral_normalize': ('.layers', 'spectral_normalize'),
    'NesterovLRs': ('.grnewt', 'NesterovLRs'),
    'NewtonSummary': ('.grnewt', 'NewtonSummary'),
    'SolverCase': ('.grnewt', 'SolverCase'),
    'nesterov_lrs': ('.grnewt', 'nesterov_lrs'),
    'summaries': ('.grnewt', 'summaries'),
    'PionDriftResult': ('.optim', 'PionDriftResult'),
    'PionStepResult': ('.optim', 'PionStepResult'),
    'pion_descent_identity': ('.optim', 'pion_descent_identity'),
    'pion_drift': ('.optim', 'pion_drift'),
    'pion_step': ('.optim', 'pion_step'),
    'PowerIterationResult': ('.spectral', 'PowerIterationResult'),
    'SpectralNormResult': ('.spectral', 'SpectralNormResult'),
    'power_iteration': ('.spectral', 'power_iteration'),
    'spectral_norm': ('.spectral', 'spectral_norm'),
    'LAPACK_THRESHOLD': ('.svd', 'LAPACK_THRESHOLD'),
    'LapackComparison': ('.svd', 'LapackComparison'),
    'LapackRatios': ('.svd', 'LapackRatios'),
    'Seed004Result': ('.svd', 'Seed004Result'),
    'SVDOptResult': ('.svd', 'SVDOptResult'),
    'compare_with_lapack': ('.svd', 'compare_with_lapack'),
    'lapack_ratios': ('.svd', 'lapack_ratios'),
    'reproduce_seed004': ('.svd', 'reproduce_seed004'),
    'svd_by_optimization': ('.svd', 'svd_by_optimization'),
    'PrincipalAnglesResult': ('.subspace', 'PrincipalAnglesResult'),
    'alignment': ('.subspace', 'alignment'),
    'principal_angles': ('.subspace', 'principal_angles'),
    'projection_ratio': ('.subspace', 'projection_ratio'),
    'Check': ('.tolerance', 'Check'),
    'ToleranceReport': ('.tolerance', 'ToleranceReport'),
    'assert_close': ('.tolerance', 'assert_close'),
}


def __getattr__(name: str) -> Any:
    try:
        module, attr = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module 'linalg_lab' has no attribute {name!r}") from None
    mod = importlib.import_module(module, __name__)
    value = mod if attr is None else getattr(mod, attr)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


if TYPE_CHECKING:  # the eager imports, for type checkers and IDEs
    from ._results import AnalysisFailed, Certificate, Result, Rigour, Status, Verdict
    from ._validation import InputError, InputTypeError, InputValueError
    from . import experiments
    from .experiments import first_layer_gradient, gradient_decomposition
    from .io import load_matrix, save_matrix
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
