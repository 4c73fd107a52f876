"""Result and status types shared by every analysis.

Every public analysis returns a frozen dataclass that mixes in :class:`Result`: the numbers as
attributes, a ``status`` (a :class:`Status`), a human-readable ``reason`` that diagnoses a failure
and says what to change, ``ok``, and ``to_dict()`` giving JSON-ready data (the CLI's ``--json`` is
exactly this).  Library compute functions never print or plot.

One vocabulary for every result (ARCHITECTURE.md, "Result objects"):

- ``lower``/``upper`` for bounds (``lo``/``hi`` only for *input* ranges), ``elapsed_s`` for time;
- ``rigour`` (a :class:`Rigour`) on every result;
- ``status`` (a :class:`Status`, whose values read as diagnoses) and ``ok``;
- certificates (mixin :class:`Certificate`) carry ``verdict`` (a :class:`Verdict`), and
  ``certified`` is derived from it (``verdict is Verdict.PROVED``).

Fields whose dataclass metadata has ``{"json": False}`` (large matrices, say) are left out of
``to_dict()``; arrays are converted to nested lists, enums to their values, exact rationals and
algebraic numbers to strings.  JSON numbers stay numbers: a non-finite float becomes ``null`` and
``to_dict()`` lists where that happened in a top-level ``"nonfinite"`` object (dotted path ->
``"nan"``, ``"inf"`` or ``"-inf"``), so no value changes type with its value.
"""
from __future__ import annotations

import dataclasses
import enum
import fractions
import math
from typing import Any

import numpy as np

__all__ = ["Status", "Result", "Certificate", "Verdict", "to_jsonable", "AnalysisFailed", "Rigour",
           "field_nojson", "json_schema", "text_table"]


class Status(str, enum.Enum):
    """Outcome of an analysis; each value reads as a diagnosis."""

    OK = "ok"
    NOT_CONVERGED = "not converged: maximum iterations reached; increase maxiter or loosen rtol"
    BRACKET_TOO_WIDE = "bracket wider than requested: the bound could not be tightened to rtol"
    SOLVER_FAILED = "solver failed"
    INACCURATE = "inaccurate: the result may be less accurate than requested"
    UNDECIDED = "undecided: the rigorous check could neither prove nor refute the claim"
    REFUTED = "refuted: the claim is false"
    NOT_CERTIFIED = "not certified: a numerical result without a rigorous bound"
    DIVERGED = "diverged: the iteration blew up (non-finite or exploding objective); lower the step size"

    def __str__(self) -> str:  # pragma: no cover - trivial
        return self.value


class Rigour(str, enum.Enum):
    """How much a number can be trusted (see ARCHITECTURE.md, 'Rigour levels')."""

    NUMERICAL = "numerical"
    PROBABILISTIC = "probabilistic"
    REFERENCE = "high-precision reference"
    CERTIFIED = "certified"


class Verdict(str, enum.Enum):
    """Outcome of a rigorous check (only ``PROVED`` may be called certified)."""

    PROVED = "proved"
    REFUTED = "refuted"
    UNDECIDED = "undecided"

    def __str__(self) -> str:  # pragma: no cover - trivial
        return self.value


class AnalysisFailed(RuntimeError):
    """Raised by ``Result.raise_if_failed()`` on a failed analysis."""

    def __init__(self, result: "Result"):
        self.result = result
        super().__init__(f"{type(result).__name__}: {result.status.value}: {result.reason}")


def to_jsonable(x: Any, _nonfinite: dict[str, str] | None = None, _path: str = "") -> Any:
    """Convert a value to plain JSON data (see the module docstring for the rules).

    Non-finite floats become ``None``; when ``_nonfinite`` is given, their dotted paths are recorded
    there with the value's name ("nan", "inf", "-inf").
    """
    def sub(v: Any, key: Any) -> Any:
        return to_jsonable(v, _nonfinite, f"{_path}.{key}" if _path else str(key))

    if isinstance(x, Result):
        d = x.to_dict()
        if _nonfinite is not None:
            for k, v in d.pop("nonfinite", {}).items():
                _nonfinite[f"{_path}.{k}" if _path else k] = v
        return d
    if dataclasses.is_dataclass(x) and not isinstance(x, type):
        return {
            f.name: sub(getattr(x, f.name), f.name)
            for f in dataclasses.fields(x)
            if f.metadata.get("json", True)
        }
    if isinstance(x, enum.Enum):
        return to_jsonable(x.value)
    if isinstance(x, (bool, np.bool_)):
        return bool(x)
    if isinstance(x, (int, np.integer)):
        return int(x)
    if isinstance(x, (float, np.floating)):
        f = float(x)
        if not math.isfinite(f):
            if _nonfinite is not None:
                _nonfinite[_path or "value"] = "nan" if math.isnan(f) else ("inf" if f > 0 else "-inf")
            return None
        return f
    if isinstance(x, (complex, np.complexfloating)):
        return {"re": sub(x.real, "re"), "im": sub(x.imag, "im")}
    if isinstance(x, fractions.Fraction):
        return str(x)
    if isinstance(x, np.ndarray):
        if x.ndim == 0:
            return to_jsonable(x.item())
        if x.dtype.kind in "fc" or x.dtype == object:
            if x.dtype.kind == "f" and np.isfinite(x).all():
                return x.tolist()
            return [sub(v, i) for i, v in enumerate(x.tolist() if x.ndim == 1 else x)]
        return x.tolist()
    if isinstance(x, dict):
        return {str(k): sub(v, k) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [sub(v, i) for i, v in enumerate(x)]
    if x is None or isinstance(x, str):
        return x
    return str(x)  # sympy numbers, flint arbs, ...: their exact printed form


class Result:
    """Mixin for result dataclasses.

    Subclasses define ``status``, ``reason`` and ``rigour`` (a :class:`Rigour`; a field, or a property
    listed in ``_derived_json``).  There is deliberately no default ``rigour`` here: a frozen
    dataclass field cannot shadow a property of its base, and every result must say its level;
    ``tests/test_vocabulary.py`` checks that every registered default case does.
    """

    status: Status
    reason: str

    @property
    def ok(self) -> bool:
        """True when the analysis succeeded (``status is Status.OK``)."""
        return self.status is Status.OK

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready plain data: every field except those marked ``json=False``, plus ``ok``."""
        nonfinite: dict[str, str] = {}
        d: dict[str, Any] = {"kind": type(self).__name__}
        for f in dataclasses.fields(self):  # type: ignore[arg-type]
            if f.metadata.get("json", True):
                d[f.name] = to_jsonable(getattr(self, f.name), nonfinite, f.name)
        for name in self._derived_json:
            if name not in d:
                d[name] = to_jsonable(getattr(self, name), nonfinite, name)
        d["ok"] = self.ok
        if nonfinite:
            d["nonfinite"] = nonfinite
        return d

    #: Properties included in ``to_dict()`` besides the fields (subclasses may extend).
    _derived_json: tuple[str, ...] = ()

    def raise_if_failed(self) -> "Result":
        """Return self if ok, else raise :class:`AnalysisFailed` carrying this result."""
        if not self.ok:
            raise AnalysisFailed(self)
        return self

    def summary(self) -> str:
        """A plain-text summary for people (the CLI prints this without ``--json``)."""
        lines = [f"{type(self).__name__}: {self.status.value}"]
        if self.reason and self.reason != self.status.value:
            lines.append(f"  reason: {self.reason}")
        for f in dataclasses.fields(self):  # type: ignore[arg-type]
            if f.name in ("status", "reason") or not f.metadata.get("json", True):
                continue
            v = getattr(self, f.name)
            lines.append(f"  {f.name}: {_short(v)}")
        return "\n".join(lines)


class Certificate(Result):
    """Mixin for certificates: a ``verdict`` field (a :class:`Verdict`); ``certified`` derives from it.

    Subclasses must not define a ``certified`` field (it is this property) and must define
    ``rigour``: ``Rigour.CERTIFIED`` when proved, else the level of what was computed.
    """

    verdict: Verdict
    _derived_json: tuple[str, ...] = ("certified",)

    @property
    def certified(self) -> bool:
        """True exactly when the verdict is "proved"."""
        return self.verdict is Verdict.PROVED


def _short(v: Any) -> str:
    if isinstance(v, np.ndarray):
        if v.size <= 8:
            return np.array2string(v, precision=6, separator=", ")
        return f"array{v.shape} {v.dtype} [{', '.join(f'{x:.6g}' for x in v.ravel()[:4])}, ...]"
    if isinstance(v, float):
        return f"{v:.12g}"
    if isinstance(v, enum.Enum):
        return str(v.value)
    s = str(v)
    return s if len(s) <= 200 else s[:197] + "..."


def field_nojson(**kw: Any) -> Any:
    """A dataclass field left out of ``to_dict()`` (for large arrays)."""
    md = dict(kw.pop("metadata", {}) or {})
    md["json"] = False
    return dataclasses.field(metadata=md, **kw)


def _schema_of(tp: Any) -> dict[str, Any]:
    """JSON schema of one annotated type, as :func:`to_jsonable` renders it (permissive where unsure)."""
    import types
    import typing

    if isinstance(tp, str):  # postponed annotation that could not be resolved
        return {}
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        subs = [_schema_of(a) for a in args]
        return {} if any(not s for s in subs) else {"anyOf": subs}
    if tp is type(None):
        return {"type": "null"}
    if tp is bool:
        return {"type": "boolean"}
    if tp is int:
        return {"type": "integer"}
    if tp is float:  # non-finite floats are null (listed in "nonfinite")
        return {"type": ["number", "null"]}
    if tp is str:
        return {"type": "string"}
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return {"enum": [to_jsonable(m.value) for m in tp]}
    if isinstance(tp, type) and issubclass(tp, fractions.Fraction):
        return {"type": "string"}
    if origin in (list, tuple) or tp in (list, tuple):
        return {"type": "array"}
    if origin is dict or tp is dict:
        return {"type": "object"}
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return {"type": "object"}
    return {}


def json_schema(cls: type) -> dict[str, Any]:
    """A JSON schema for ``cls.to_dict()``, derived from the dataclass's annotations.

    Every field keeps one JSON type whatever its value (floats are numbers or null, never strings);
    ``kind``, ``ok``, ``status``, ``reason`` and ``rigour`` are required.  Fields whose annotation
    has no JSON equivalent (arrays, sympy numbers) are left unconstrained.
    """
    import typing

    try:
        hints = typing.get_type_hints(cls)
    except (NameError, TypeError):  # unresolved forward references: use the raw annotations
        hints = {f.name: f.type for f in dataclasses.fields(cls)}
    props: dict[str, Any] = {"kind": {"const": cls.__name__}, "ok": {"type": "boolean"},
                             "nonfinite": {"type": "object",
                                           "additionalProperties": {"enum": ["nan", "inf", "-inf"]}}}
    for f in dataclasses.fields(cls):
        if f.metadata.get("json", True):
            props[f.name] = _schema_of(hints.get(f.name, f.type))
    for name in getattr(cls, "_derived_json", ()):
        props.setdefault(name, {})
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": cls.__name__,
            "type": "object", "properties": props,
            "required": ["kind", "ok", "status", "reason", "rigour"]}


def text_table(header: list[str], rows: list[list[Any]], indent: str = "") -> str:
    """A plain-text table with aligned columns (the text twin of the report's Markdown tables).

    >>> print(text_table(["a", "bb"], [[1, "x"], [22, "y"]]))
    a   bb
    1   x
    22  y
    """
    cells = [[str(c) for c in header]] + [[str(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    return "\n".join(indent + "  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in cells)
