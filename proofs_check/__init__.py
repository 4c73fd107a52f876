"""proofs_check: rigorous certificates for linalg-lab's numerical claims.

Exact algebra (sympy), ball arithmetic (python-flint's Arb), high-precision references (mpmath).
A result says ``certified=True`` only where every rounding is accounted for.
"""
from linalg_lab import __version__

from ._certificate import Certificate, Verdict
from .newton_schulz import (
    AbsorbingInterval,
    AlgebraicReal,
    AttractingCycle,
    BasinInterval,
    BasinMap,
    CriticalPoint,
    FixedPoint,
    FixedPointsResult,
    Headroom,
    PeriodicOrbit,
    ScheduleBand,
    ScheduleCertificate,
    StepsToTolerance,
    Trap,
    absorbing_interval,
    basins,
    certify_schedule,
    fixed_points,
    headroom,
    schedule_band,
    steps_to_tolerance,
)
from .norms import TwoToQCertificate, certify_two_to_q, two_to_q_certificate
from .grnewt import NesterovRootCertificate, nesterov_root
from .layers import ConvSpectralNormEnclosure, conv_spectral_norm_enclosure
from .pion import PionStepCertificate, pion_step_certificate
from .spectral import SpectralNormEnclosure, spectral_norm_enclosure
from .svd import SingularValueEnclosures, singular_value_enclosures

__all__ = [
    "__version__",
    "Certificate",
    "Verdict",
    "SpectralNormEnclosure",
    "spectral_norm_enclosure",
    # Newton–Schulz dynamics
    "fixed_points",
    "basins",
    "schedule_band",
    "absorbing_interval",
    "headroom",
    "steps_to_tolerance",
    "certify_schedule",
    "FixedPointsResult",
    "FixedPoint",
    "PeriodicOrbit",
    "CriticalPoint",
    "AlgebraicReal",
    "BasinMap",
    "BasinInterval",
    "Trap",
    "ScheduleBand",
    "AbsorbingInterval",
    "AttractingCycle",
    "Headroom",
    "StepsToTolerance",
    "ScheduleCertificate",
    # 2->q norms
    "two_to_q_certificate",
    "certify_two_to_q",
    "TwoToQCertificate",
    # layers
    "conv_spectral_norm_enclosure",
    "ConvSpectralNormEnclosure",
    # grnewt
    "nesterov_root",
    "NesterovRootCertificate",
    # Pion
    "pion_step_certificate",
    "PionStepCertificate",
    # SVD
    "SingularValueEnclosures",
    "singular_value_enclosures",
]
