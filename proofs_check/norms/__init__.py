"""Rigorous certificates for 2->q norm bounds (degree-q SoS for even q, Arb, exact projection).

Public names: :func:`certify_two_to_q` (certify a ``linalg_lab.two_to_q`` result),
:func:`two_to_q_certificate` (from a matrix, optionally with an SoS solution) and their result
:class:`TwoToQCertificate`; :func:`certified_lower_q` (Arb value at a vector) and
:func:`sos_moment_lower_q` (certified lower bound on the SoS value from its moment matrix), with the
q = 4 names ``certified_lower4`` and ``sos_moment_lower4``.
"""
from ._certificate import (
    TwoToQCertificate,
    certified_lower4,
    certified_lower_q,
    certify_two_to_q,
    sos_moment_lower4,
    sos_moment_lower_q,
    two_to_q_certificate,
)

__all__ = ["TwoToQCertificate", "two_to_q_certificate", "certify_two_to_q", "certified_lower4",
           "certified_lower_q", "sos_moment_lower4", "sos_moment_lower_q"]
