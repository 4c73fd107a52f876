"""Partitions of a model's parameters into groups (one learning rate per group).

A :class:`Partition` records the parameter names and shapes (in order) and, for each group, which
tensors it holds; :meth:`Partition.flat_indices` gives each group's indices into the concatenated
(flattened) parameter vector.  Builders take a list of ``(name, array)`` pairs, a dict, or a torch
module (its ``named_parameters()``):

* :func:`canonical` — one group per tensor;
* :func:`trivial` — a single group;
* :func:`by_suffix` — weights / biases / others, by the name's last dotted component;
* :func:`blocks` — ``k`` groups of consecutive tensors (as equal in count as possible).
"""
from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .._validation import InputTypeError, InputValueError, check_int

__all__ = ["Partition", "canonical", "trivial", "by_suffix", "blocks", "named_shapes"]


@dataclasses.dataclass(frozen=True)
class Partition:
    """Groups of named parameter tensors.

    Attributes
    ----------
    names : tuple of str
        Parameter names, in the order of the flattened parameter vector.
    shapes : tuple of tuple of int
        Their shapes.
    groups : tuple of tuple of int
        For each group, the positions (into ``names``) of its tensors.
    group_names : tuple of str
        A label per group.
    """

    names: tuple[str, ...]
    shapes: tuple[tuple[int, ...], ...]
    groups: tuple[tuple[int, ...], ...]
    group_names: tuple[str, ...]

    @property
    def n_groups(self) -> int:
        """S, the number of groups."""
        return len(self.groups)

    @property
    def sizes(self) -> tuple[int, ...]:
        """Number of scalars in each tensor."""
        return tuple(int(np.prod(s, dtype=np.int64)) for s in self.shapes)

    @property
    def n_params(self) -> int:
        """P, the total number of scalars."""
        return int(sum(self.sizes))

    def flat_indices(self) -> list[NDArray[np.intp]]:
        """Indices of each group's scalars in the concatenated flattened parameter vector."""
        offsets = np.concatenate([[0], np.cumsum(self.sizes)])
        return [np.concatenate([np.arange(offsets[i], offsets[i + 1]) for i in grp])
                if grp else np.zeros(0, dtype=np.intp) for grp in self.groups]

    def group_of_tensor(self) -> NDArray[np.intp]:
        """For each tensor, the group holding it."""
        out = np.empty(len(self.names), dtype=np.intp)
        for s, grp in enumerate(self.groups):
            out[list(grp)] = s
        return out


def named_shapes(params: Any) -> list[tuple[str, tuple[int, ...]]]:
    """``(name, shape)`` pairs of a list of (name, array) pairs, a dict, or a torch module.

    Parameters
    ----------
    params : list of (str, array), dict or torch module
        The named parameter tensors: ``(name, array)`` pairs, a dict name -> array, or anything
        with ``named_parameters()``; only their names and shapes are used.

    Returns
    -------
    list of (str, tuple of int)
        The names and shapes, in the given order.

    Raises
    ------
    InputTypeError
        ``params`` of another type, or an entry that is not a (name, array) pair.
    InputValueError
        No tensors, or repeated names.

    Examples
    --------
    >>> import numpy as np
    >>> named_shapes({"w": np.zeros((2, 3)), "b": np.zeros(2)})
    [('w', (2, 3)), ('b', (2,))]
    """
    if hasattr(params, "named_parameters"):
        return [(n, tuple(p.shape)) for n, p in params.named_parameters()]
    if isinstance(params, dict):
        params = list(params.items())
    if isinstance(params, (str, bytes)) or not isinstance(params, Sequence):
        raise InputTypeError(f"partition: 'params' must be a list of (name, array) pairs, a dict or "
                             f"a torch module, got {type(params).__name__}")
    out = []
    for item in params:
        if not (isinstance(item, tuple) and len(item) == 2 and isinstance(item[0], str)):
            raise InputTypeError(f"partition: each entry of 'params' must be a (name, array) pair, "
                                 f"got {item!r:.60}")
        out.append((item[0], tuple(np.shape(item[1]))))
    if not out:
        raise InputValueError("partition: 'params' must hold at least one tensor, got none")
    names = [n for n, _ in out]
    if len(set(names)) != len(names):
        raise InputValueError(f"partition: parameter names must be unique, got {names}")
    return out


def _make(ns, groups, group_names) -> Partition:
    keep = [(tuple(g), n) for g, n in zip(groups, group_names) if g]
    return Partition(names=tuple(n for n, _ in ns), shapes=tuple(s for _, s in ns),
                     groups=tuple(g for g, _ in keep), group_names=tuple(n for _, n in keep))


def canonical(params: Any) -> Partition:
    """One group per tensor.

    Parameters
    ----------
    params : list of (str, array), dict or torch module
        The named parameter tensors: ``(name, array)`` pairs, a dict name -> array, or anything
        with ``named_parameters()``; only their names and shapes are used.

    Returns
    -------
    Partition
        One group per tensor, named after it.

    Raises
    ------
    InputTypeError, InputValueError
        As for :func:`named_shapes`.

    Examples
    --------
    >>> import numpy as np
    >>> p = canonical([("w", np.zeros((2, 3))), ("b", np.zeros(2))])
    >>> p.n_groups, p.n_params, [ix.tolist() for ix in p.flat_indices()][1]
    (2, 8, [6, 7])
    """
    ns = named_shapes(params)
    return _make(ns, [[i] for i in range(len(ns))], [n for n, _ in ns])


def trivial(params: Any) -> Partition:
    """A single group holding every tensor.

    Parameters
    ----------
    params : list of (str, array), dict or torch module
        The named parameter tensors: ``(name, array)`` pairs, a dict name -> array, or anything
        with ``named_parameters()``; only their names and shapes are used.

    Returns
    -------
    Partition
        One group, named ``"all"``.

    Raises
    ------
    InputTypeError, InputValueError
        As for :func:`named_shapes`.
    """
    ns = named_shapes(params)
    return _make(ns, [list(range(len(ns)))], ["all"])


def by_suffix(params: Any, *, weight: str = "weight", bias: str = "bias") -> Partition:
    """Three groups: names ending in ``weight``, in ``bias``, and the others (empty ones dropped).

    Parameters
    ----------
    params : list of (str, array), dict or torch module
        The named parameter tensors: ``(name, array)`` pairs, a dict name -> array, or anything
        with ``named_parameters()``; only their names and shapes are used.
    weight : str, default "weight"
        Keyword-only: the suffix (of the last dot-separated part of a name) of the weights.
    bias : str, default "bias"
        Keyword-only: the suffix of the biases (a name matching both counts as a weight).

    Returns
    -------
    Partition
        Groups ``"weights"``, ``"biases"``, ``"others"``, in this order, without the empty ones.

    Raises
    ------
    InputTypeError, InputValueError
        As for :func:`named_shapes`.

    Examples
    --------
    >>> import numpy as np
    >>> by_suffix([("l1.weight", np.ones(2)), ("l1.bias", np.ones(1)), ("scale", np.ones(1)),
    ...            ("l2.weight", np.ones(3))]).groups
    ((0, 3), (1,), (2,))
    """
    ns = named_shapes(params)
    last = [n.rsplit(".", 1)[-1] for n, _ in ns]
    w = [i for i, s in enumerate(last) if s.endswith(weight)]
    b = [i for i, s in enumerate(last) if s.endswith(bias) and i not in w]
    o = [i for i in range(len(ns)) if i not in w and i not in b]
    return _make(ns, [w, b, o], ["weights", "biases", "others"])


def blocks(params: Any, k: int) -> Partition:
    """``k`` groups of consecutive tensors, as equal in number of tensors as possible.

    Parameters
    ----------
    params : list of (str, array), dict or torch module
        The named parameter tensors: ``(name, array)`` pairs, a dict name -> array, or anything
        with ``named_parameters()``; only their names and shapes are used.
    k : int
        The number of groups, ``1 <= k <= number of tensors``.

    Returns
    -------
    Partition
        Groups ``"block0"`` .. ``"block{k-1}"`` (the first ones one tensor larger when ``k`` does
        not divide the number of tensors).

    Raises
    ------
    InputValueError
        ``k`` out of range; bad ``params`` (see :func:`named_shapes`).
    InputTypeError
        ``k`` not an int; bad ``params``.

    Examples
    --------
    >>> import numpy as np
    >>> blocks([(f"t{i}", np.ones(1)) for i in range(5)], 2).groups
    ((0, 1, 2), (3, 4))
    """
    ns = named_shapes(params)
    check_int(k, "k", func="blocks", minimum=1, maximum=len(ns))
    parts = np.array_split(np.arange(len(ns)), k)
    return _make(ns, [p.tolist() for p in parts], [f"block{j}" for j in range(k)])
