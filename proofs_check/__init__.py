"""proofs_check: rigorous certificates for linalg-lab's numerical claims.

Exact algebra (sympy), ball arithmetic (python-flint's Arb), high-precision references (mpmath).
A result says ``certified=True`` only where every rounding is accounted for.
"""
from linalg_lab import __version__

from ._certificate import Certificate, Verdict
from .spectral import SpectralNormEnclosure, spectral_norm_enclosure
from .svd import SingularValueEnclosures, singular_value_enclosures

__all__ = [
    "__version__",
    "Certificate",
    "Verdict",
    "SpectralNormEnclosure",
    "spectral_norm_enclosure",
    "SingularValueEnclosures",
    "singular_value_enclosures",
]
