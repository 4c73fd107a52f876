"""Rigorous singular-value enclosures (issue 5): :func:`singular_value_enclosures`."""
from ._enclosures import ARB_MAX_ENTRIES, SingularValueEnclosures, singular_value_enclosures

__all__ = ["ARB_MAX_ENTRIES", "SingularValueEnclosures", "singular_value_enclosures"]
