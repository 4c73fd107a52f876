"""The analysis a sweep runs: a named, picklable function of (parameters, seed)."""
from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from typing import Any

from .._results import Result

__all__ = ["Analysis"]


@dataclasses.dataclass(frozen=True)
class Analysis:
    """A sweepable analysis.

    Attributes
    ----------
    name : str
        The registry name (``linalg-lab sweep NAME``).
    run : callable
        ``run(params: dict, seed: int) -> Result``; a module-level function (workers import it by
        reference).  It validates its parameters and raises ``InputError`` on bad ones.
    description : str
        One line for ``--help``.
    defaults : mapping
        Parameters and their defaults; a grid may set only these names.
    summary_fields : tuple of str
        ``to_dict()`` fields tabulated by ``linalg-lab sweep summary``.
    example : mapping
        A quick grid point (seconds), used by the tests and ``--help``.
    collect : callable, optional
        ``collect(results) -> Result``: the stored points' ``to_dict()`` results (in grid order) ->
        the analysis's pooled result (the seed-004 table, the nu-sweep arrays...).  The report and
        ``linalg-lab sweep summary`` both call it, so their tables come from the same code.
    figures : callable, optional
        ``figures(pooled, folder) -> list of paths``: the pooled result's figures (the face layer
        registers this; it may import matplotlib).
    """

    name: str
    run: Callable[[dict[str, Any], int], Result]
    description: str
    defaults: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    summary_fields: tuple[str, ...] = ()
    example: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    collect: Callable[[list[dict[str, Any]]], Result] | None = None
    figures: Callable[[Result, Any], list[Any]] | None = None

    def params(self, point: Mapping[str, Any]) -> dict[str, Any]:
        """The full parameters of a grid point (defaults filled in); unknown names are refused."""
        from .._validation import InputValueError

        unknown = sorted(set(point) - set(self.defaults))
        if unknown:
            raise InputValueError(
                f"sweep {self.name}: unknown parameter(s) {unknown}; this analysis takes "
                f"{sorted(self.defaults)}")
        return {**dict(self.defaults), **dict(point)}
