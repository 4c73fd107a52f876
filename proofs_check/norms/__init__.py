"""Rigorous certificates for 2->q norm bounds (degree-4 SoS, Arb, exact rationals).

Public names: :func:`two_to_q_certificate` and its result :class:`TwoToQCertificate`;
:func:`certified_lower4` (Arb value at a vector) and :func:`sos_moment_lower4` (certified lower
bound on the SoS value from its moment matrix).
"""
from ._certificate import TwoToQCertificate, certified_lower4, sos_moment_lower4, two_to_q_certificate

__all__ = ["TwoToQCertificate", "two_to_q_certificate", "certified_lower4", "sos_moment_lower4"]
