"""Grid expansion, point keys and per-point seeds."""
from __future__ import annotations

import hashlib
import itertools
import json
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from .._validation import InputValueError

__all__ = ["expand_grid", "point_key", "point_seeds", "canonical"]


def canonical(params: Mapping[str, Any]) -> str:
    """Canonical JSON of a parameter dict (sorted keys, no spaces): the basis of the point key."""
    return json.dumps(params, sort_keys=True, separators=(",", ":"), allow_nan=False)


def expand_grid(grid: Mapping[str, Sequence[Any]] | Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The points of ``grid``: a dict of lists is their product (in key order), a list of dicts is
    taken as it is.

    Parameters
    ----------
    grid : dict of str to sequence, or sequence of dicts
        Either a mapping from parameter name to its values (a value that is a string or not a
        sequence counts as a single value), expanded to the Cartesian product with the first key
        varying slowest; or a sequence of parameter dicts, taken in order.  Every point must be
        plain JSON data (str, int, finite float, bool, None, lists and dicts of them).

    Returns
    -------
    list of dict
        The points, in order (new dicts: the caller's are not shared).

    Raises
    ------
    InputValueError
        ``grid`` is neither form, a parameter has an empty list of values, there are no points,
        or a point is not plain JSON data (NaN and infinities included).

    Examples
    --------
    >>> expand_grid({"m": [10, 20], "method": ["a"]})
    [{'m': 10, 'method': 'a'}, {'m': 20, 'method': 'a'}]
    """
    if isinstance(grid, Mapping):
        keys = list(grid)
        vals = []
        for k in keys:
            v = grid[k]
            if isinstance(v, (str, bytes)) or not isinstance(v, Sequence):
                v = [v]
            if len(v) == 0:
                raise InputValueError(f"sweep grid: parameter {k!r} has an empty list of values")
            vals.append(list(v))
        points = [dict(zip(keys, combo)) for combo in itertools.product(*vals)]
    elif isinstance(grid, Sequence) and all(isinstance(p, Mapping) for p in grid):
        points = [dict(p) for p in grid]
    else:
        raise InputValueError("sweep grid: expected a dict of lists or a list of dicts, got "
                              f"{type(grid).__name__}")
    if not points:
        raise InputValueError("sweep grid: no points")
    for p in points:
        try:
            canonical(p)
        except (TypeError, ValueError) as exc:
            raise InputValueError(f"sweep grid: point {p!r} is not plain JSON data ({exc})") from None
    return points


def point_key(analysis: str, params: Mapping[str, Any], version: str) -> str:
    """Store key: SHA-256 of the analysis name, its canonical parameters and the package version.

    Parameters
    ----------
    analysis : str
        The analysis name.
    params : dict
        The point's parameters, plain JSON data; key order does not matter (see :func:`canonical`).
    version : str
        The package version the result was computed with.

    Returns
    -------
    str
        The first 32 hexadecimal digits (128 bits) of the SHA-256 of ``analysis``, ``canonical(params)``
        and ``version``, one per line.

    Raises
    ------
    TypeError, ValueError
        ``params`` is not JSON-serialisable (``json.dumps``' errors; NaN and infinities included).

    Examples
    --------
    >>> k = point_key("svd-check", {"m": 5, "n": 3}, "0.1.0")
    >>> len(k), k == point_key("svd-check", {"n": 3, "m": 5}, "0.1.0")
    (32, True)
    """
    h = hashlib.sha256(f"{analysis}\n{canonical(params)}\n{version}".encode())
    return h.hexdigest()[:32]


def point_seeds(root_seed: int, n: int) -> list[int]:
    """Seeds of points 0..n-1: ``SeedSequence(root_seed).spawn(n)``, 63 bits of each.

    Parameters
    ----------
    root_seed : int
        The sweep's root seed (a non-negative int, or anything ``numpy.random.SeedSequence``
        accepts as entropy).
    n : int
        The number of points, ``n >= 0``.

    Returns
    -------
    list of int
        ``n`` seeds in ``[0, 2**63)``; seed ``i`` depends only on ``root_seed`` and ``i``, not
        on ``n``.

    Examples
    --------
    >>> point_seeds(0, 3) == point_seeds(0, 5)[:3]
    True
    """
    return [int(s.generate_state(2, np.uint32).astype(np.uint64) @ np.array([1, 2**32], np.uint64)) % 2**63
            for s in np.random.SeedSequence(root_seed).spawn(n)]
