"""2->q norms: registered lower and upper bounds (power method, ||X||_2, interpolation, spectral and
degree-q sum-of-squares relaxations for even q), instance families with known values.

Units: the public functions report the NORM ||X||_{2->q} = max_{|v|=1} ||Xv||_q; fields ending in
``_q`` carry its q-th power max_{|v|=1} sum_i |x_i . v|^q.  Everything here is numerical: rigorous
brackets come from ``proofs_check.certify_two_to_q(two_to_q(X))`` (or ``proofs-check norm``).

Public helpers used by ``proofs_check`` (documented, stable within a minor version):
:class:`FormBasis`/:func:`form_basis` (monomial bookkeeping), :func:`polish` (the power method on a
block of starts), :func:`fldexp`/:func:`fpow` (saturating float scalings).
"""
from ._basis import FormBasis, QuarticBasis, form_basis, quartic_basis
from ._bounds import (
    TwoToQLowerResult,
    TwoToQSpectralResult,
    fldexp,
    fpow,
    polish,
    q_norm_value,
    spectral_applies,
    two_to_q_lower,
    two_to_q_spectral,
)
from ._combined import TwoToQResult, two_to_q
from ._sos import SOS_SOLVERS, TwoToQSoSResult, default_solver, sos_applies, two_to_q_sos
from .bounds import BOUNDS, Bound, BoundEstimate, BoundInput
from .families import FAMILIES, Instance, gap_instance, make_instance

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
    "Bound",
    "BoundEstimate",
    "BoundInput",
    "FAMILIES",
    "Instance",
    "make_instance",
    "gap_instance",
    "sos_applies",
    "spectral_applies",
    "default_solver",
    "FormBasis",
    "QuarticBasis",
    "form_basis",
    "quartic_basis",
    "polish",
    "fldexp",
    "fpow",
    "q_norm_value",
]
