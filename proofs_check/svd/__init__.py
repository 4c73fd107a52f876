"""Rigorous singular-value enclosures (issue 5), relatively tight on request (issue 10)."""
from ._enclosures import (
    ARB_MAX_ENTRIES,
    RELATIVE_RTOL,
    RELATIVE_TIME_BUDGET_S,
    SingularValueEnclosures,
    singular_value_enclosures,
)
from ._relative import RelativeRefinement, refine_relative

__all__ = ["ARB_MAX_ENTRIES", "RELATIVE_RTOL", "RELATIVE_TIME_BUDGET_S", "RelativeRefinement",
           "SingularValueEnclosures", "refine_relative", "singular_value_enclosures"]
