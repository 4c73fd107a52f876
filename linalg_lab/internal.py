"""Semi-private names that ``proofs_check`` (and only it) may use: documented, but not public API.

Modelled on lineax's ``internal.py``: what the rigorous side needs from the numerical side goes
through this one module, never through underscored names elsewhere, so a refactor of linalg_lab's
internals has one place to keep stable.  Everything here may change between minor versions.

- Result vocabulary: :class:`Result`, :class:`Certificate`, :class:`Status`, :class:`Rigour`,
  :class:`Verdict`, :func:`field_nojson`, :func:`to_jsonable`.
- Input validation: the ``_validation`` helpers, so certificates check input exactly as the
  numerical functions do.
"""
from __future__ import annotations

from ._results import Certificate, Result, Rigour, Status, Verdict, field_nojson, to_jsonable
from ._validation import (
    InputError,
    InputTypeError,
    InputValueError,
    as_array,
    as_matrix,
    as_operator,
    as_vector,
    check_int,
    check_option,
    check_probability,
    check_real,
    shape_str,
)

__all__ = [
    "Certificate", "Result", "Rigour", "Status", "Verdict", "field_nojson", "to_jsonable",
    "InputError", "InputTypeError", "InputValueError", "as_array", "as_matrix", "as_operator",
    "as_vector", "check_int", "check_option", "check_probability", "check_real", "shape_str",
]
