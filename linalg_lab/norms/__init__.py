"""2->q norms: lower bounds, the spectral relaxation, the degree-4 SoS relaxation, instance families.

Units: the public functions report the NORM ||X||_{2->q} = max_{|v|=1} ||Xv||_q; fields ending in
``4`` carry its 4th power max_{|v|=1} sum_i (x_i . v)^4 (q = 4).  Rigorous bounds come from
``proofs_check.two_to_q_certificate``; ``two_to_q`` calls it (lazily) when ``certify=True``.
"""
from ._bounds import TwoToQLowerResult, TwoToQSpectralResult, two_to_q_lower, two_to_q_spectral
from ._combined import TwoToQResult, two_to_q
from ._sos import SOS_SOLVERS, TwoToQSoSResult, two_to_q_sos
from .families import FAMILIES, Instance, gap_instance, make_instance

#: Registry of the bounds two_to_q combines: name -> function(X) -> result.
BOUNDS = {
    "lower": two_to_q_lower,
    "spectral": two_to_q_spectral,
    "sos": two_to_q_sos,
}

__all__ = [
    "two_to_q",
    "two_to_q_lower",
    "two_to_q_spectral",
    "two_to_q_sos",
    "TwoToQResult",
    "TwoToQLowerResult",
    "TwoToQSpectralResult",
    "TwoToQSoSResult",
    "SOS_SOLVERS",
    "BOUNDS",
    "FAMILIES",
    "Instance",
    "make_instance",
    "gap_instance",
]
