"""Newton–Schulz schedules with exact coefficients, and the registry of named presets.

A Newton–Schulz (NS) *step* is an odd polynomial (:class:`~linalg_lab.ns.polynomials.Step`).  A *schedule* is a finite list of steps plus a rule for the steps beyond the list
("repeat" the last one or "cycle" through the list), the normalisation applied to the input
before the first step (Frobenius or spectral norm, a multiplicative safety factor and an additive
``eps``), and a citation.

Coefficients are stored **exactly** as written: a decimal literal such as ``"3.4445"`` becomes
``Fraction(3.4445) == 6889/2000``, and a Python float is converted through its shortest ``repr``
(so ``3.4445`` also becomes ``6889/2000``, not the nearest binary double).  Certified analyses in
``proofs_check.newton_schulz`` therefore speak about the constants people actually type; the
float64 coefficients used by the matrix iteration are the correctly rounded values of these
rationals.

References
----------
.. [1] Z. Kovarik, "Some iterative methods for improving orthonormality", SIAM J. Numer. Anal.
   7(3), 1970. doi:10.1137/0707031
.. [2] Å. Björck and C. Bowie, "An iterative algorithm for computing the best estimate of an
   orthogonal matrix", SIAM J. Numer. Anal. 8(2), 1971. doi:10.1137/0708036
.. [3] J. Bernstein and L. Newhouse, "Old optimizer, new norm: an anthology", arXiv:2409.20325;
   "Modular duality in deep learning", arXiv:2410.21265.
.. [4] K. Jordan et al., "Muon: an optimizer for hidden layers in neural networks", 2024,
   https://kellerjordan.github.io/posts/muon/ (coefficients (3.4445, -4.7750, 2.0315)).
.. [5] N. Amsel, D. Persson, C. Musco, R. M. Gower, "The Polar Express: optimal matrix sign
   methods and their application to the Muon algorithm", arXiv:2505.16932.
.. [6] E. Grishina, M. Smirnov, M. Rakhuba, "Accelerating Newton–Schulz iteration for orthogonal
   polynomials with Chebyshev-type polynomials (CANS)", arXiv:2506.10935.
.. [7] F. Cesista (leloykun), optimised Newton–Schulz coefficients,
   https://leloykun.github.io/ponder/muon-opt-coeffs/ (credited by NVIDIA Emerging-Optimizers)
.. [8] J. You, six-step Newton–Schulz coefficients, 23 Feb 2025,
   https://twitter.com/YouJiacheng/status/1893704552689303901 (as shipped in
   https://github.com/modula-systems/modula, ``modula/atom.py``).

Adding a preset touches this file only: add an entry to :data:`PRESETS` (exact decimal strings and
a provenance); the CLI's ``--preset`` choices, the report's preset tables and the tests read it.
"""
from __future__ import annotations

import dataclasses
import json
import math
import numbers
import os
import warnings
from collections.abc import Iterable, Sequence
from fractions import Fraction
from pathlib import Path
from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._validation import InputTypeError, InputValueError
from .polynomials import Step, dec, to_fraction

_dec = dec  # the name this helper had here before it moved to .polynomials (kept for other modules)

__all__ = ["Step", "Schedule", "PRESETS", "DEPRECATED_ALIASES", "EPS_MODES", "ns_schedule",
           "parse_coefficients", "to_fraction"]

_FUNC = "ns_schedule"

#: How the normalisation's ``eps`` enters (see :class:`Schedule`).
EPS_MODES = ("add", "clamp")


@dataclasses.dataclass(frozen=True)
class Schedule:
    """A Newton–Schulz schedule: steps, the rule beyond them, and the input normalisation.

    Parameters
    ----------
    name : str
        Registry name (or "custom").
    steps : tuple of Step
        The listed steps, applied in order.
    beyond : {"repeat", "cycle"}
        Step ``k >= len(steps)`` repeats the last step ("repeat") or is ``steps[k % len]``.
    default_steps : int
        The number of steps the preset is usually run for.
    normalization : {"frobenius", "spectral"}
        ``X0 = A / (norm(A) * safety + eps)`` with the Frobenius norm, or a spectral-norm upper
        bound from :func:`linalg_lab.spectral_norm`.
    safety : Fraction
        Multiplicative safety factor on the norm (1.02 for Polar Express in modded-nanogpt).
    eps : float
        The constant of the normalisation (1e-7 in most public implementations).
    provenance : str
        Where the coefficients come from.
    eps_mode : {"add", "clamp"}
        How ``eps`` enters: "add" is ``X0 = A / (norm * safety + eps)`` (most public
        implementations); "clamp" is ``X0 = A / max(norm * safety, eps)`` (``torch.nn.functional.
        normalize``, as NVIDIA Emerging-Optimizers uses).  :func:`newton_schulz` applies ``eps`` as
        if the input had unit norm (scale invariance), so "clamp" never binds there and divides by
        the norm alone.

    Examples
    --------
    >>> s = PRESETS["polar-express-8"]
    >>> len(s.steps), s.step(20) == s.steps[-1]
    (8, True)
    >>> [st.degree for st in ns_schedule("cesista5").steps_for(3)]
    [5, 5, 5]
    """

    name: str
    steps: tuple[Step, ...]
    beyond: Literal["repeat", "cycle"] = "repeat"
    default_steps: int = 5
    normalization: Literal["frobenius", "spectral"] = "frobenius"
    safety: Fraction = Fraction(1)
    eps: float = 1e-7
    provenance: str = ""
    eps_mode: Literal["add", "clamp"] = "add"

    @property
    def additive_eps(self) -> float:
        """The ``eps`` added to ``norm * safety`` at unit scale: ``eps`` for "add", 0 for "clamp"."""
        return self.eps if self.eps_mode == "add" else 0.0

    def __post_init__(self) -> None:
        steps = tuple(s if isinstance(s, Step) else Step(tuple(s)) for s in self.steps)
        if not steps:
            raise InputValueError(f"Schedule {self.name!r}: steps must be non-empty")
        object.__setattr__(self, "steps", steps)
        if self.beyond not in ("repeat", "cycle"):
            raise InputValueError(
                f"Schedule {self.name!r}: 'beyond' must be one of {{'repeat', 'cycle'}}. Got {self.beyond!r} instead."
            )
        if self.normalization not in ("frobenius", "spectral"):
            raise InputValueError(
                f"Schedule {self.name!r}: 'normalization' must be one of {{'frobenius', 'spectral'}}. "
                f"Got {self.normalization!r} instead."
            )
        if self.eps_mode not in EPS_MODES:
            raise InputValueError(
                f"Schedule {self.name!r}: 'eps_mode' must be one of {{'add', 'clamp'}}. Got {self.eps_mode!r} instead."
            )
        safety = to_fraction(self.safety, "safety", func="Schedule")
        if safety <= 0:
            raise InputValueError(f"Schedule {self.name!r}: safety must be > 0, got {safety}")
        object.__setattr__(self, "safety", safety)
        eps = float(self.eps)
        if not (math.isfinite(eps) and eps >= 0):
            raise InputValueError(f"Schedule {self.name!r}: eps must be finite and >= 0, got {self.eps!r}")
        object.__setattr__(self, "eps", eps)
        if isinstance(self.default_steps, bool) or not isinstance(self.default_steps, numbers.Integral) \
                or self.default_steps < 1:
            raise InputValueError(f"Schedule {self.name!r}: default_steps must be an int >= 1, got {self.default_steps!r}")
        object.__setattr__(self, "default_steps", int(self.default_steps))

    def step(self, k: int) -> Step:
        """The step applied at iteration ``k = 0, 1, 2, ...`` (applying the ``beyond`` rule)."""
        if k < 0:
            raise InputValueError(f"Schedule.step: k must be >= 0, got {k}")
        n = len(self.steps)
        if k < n:
            return self.steps[k]
        return self.steps[-1] if self.beyond == "repeat" else self.steps[k % n]

    def steps_for(self, k: int | None = None) -> tuple[Step, ...]:
        """The first ``k`` steps (``default_steps`` when ``k`` is None)."""
        k = self.default_steps if k is None else k
        return tuple(self.step(i) for i in range(k))

    def products(self, k: int | None = None) -> int:
        """Total matrix products of the first ``k`` steps."""
        return sum(s.products for s in self.steps_for(k))

    def __call__(self, x: ArrayLike, k: int | None = None) -> NDArray[np.float64]:
        """The composed scalar map ``P_k = p_{k-1} ∘ ... ∘ p_0`` in float64 (normalisation excluded)."""
        y = np.asarray(x, dtype=np.float64)
        for s in self.steps_for(k):
            y = s(y)
        return y

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "steps": [[dec(c) for c in s.coeffs] for s in self.steps],
            "beyond": self.beyond,
            "default_steps": self.default_steps,
            "normalization": self.normalization,
            "safety": dec(self.safety),
            "eps": self.eps,
            "eps_mode": self.eps_mode,
            "provenance": self.provenance,
        }

    def describe(self) -> str:
        lines = [f"schedule {self.name!r}: {len(self.steps)} listed step(s), beyond the list: {self.beyond}, "
                 f"usually {self.default_steps} steps ({self.products()} matrix products)",
                 "  normalisation: X0 = A / " + (f"({self.normalization} norm * {dec(self.safety)} + {self.eps:g})"
                                                  if self.eps_mode == "add" else
                                                  f"max({self.normalization} norm * {dec(self.safety)}, {self.eps:g})")]
        for i, s in enumerate(self.steps):
            lines.append(f"  step {i}: p(x) = {s}")
        if self.provenance:
            lines.append(f"  provenance: {self.provenance}")
        return "\n".join(lines)


# ------------------------------------------------------------------------------------------
# Presets
# ------------------------------------------------------------------------------------------

def _steps(rows: Sequence[Sequence[str | Fraction]]) -> tuple[Step, ...]:
    return tuple(Step(tuple(r)) for r in rows)


#: Polar Express 8-step coefficients as published, before the 1.01 safety scaling
#: (NoahAmsel/PolarExpress ``basic.py``; arXiv:2505.16932).
PE8_PUBLISHED = _PE8_RAW = (
    ("8.28721201814563", "-23.595886519098837", "17.300387312530933"),
    ("4.107059111542203", "-2.9478499167379106", "0.5448431082926601"),
    ("3.9486908534822946", "-2.908902115962949", "0.5518191394370137"),
    ("3.3184196573706015", "-2.488488024314874", "0.51004894012372"),
    ("2.300652019954817", "-1.6689039845747493", "0.4188073119525673"),
    ("1.891301407787398", "-1.2679958271945868", "0.37680408948524835"),
    ("1.8750014808534479", "-1.2500016453999487", "0.3750001645474248"),
    ("1.875", "-1.25", "0.375"),
)
_PE8_SAFETY = Fraction("1.01")


def _pe8_steps() -> tuple[Step, ...]:
    # The reference implementation runs p_k(x / 1.01) for every step but the last, i.e. the
    # coefficients (a / 1.01, b / 1.01^3, c / 1.01^5); we keep these exact rationals.  The
    # reference forms the quotients in float64 (dividing by the double nearest 1.01 and its
    # float powers), so the doubles it runs differ from the correctly rounded values of these
    # rationals by at most 1 ulp in some coefficients (checked in the tests); certified results
    # speak about the exact quotients.
    out = []
    for a, b, c in _PE8_RAW[:-1]:
        s = _PE8_SAFETY
        out.append(Step((Fraction(a) / s, Fraction(b) / s**3, Fraction(c) / s**5)))
    out.append(Step(_PE8_RAW[-1]))
    return tuple(out)


#: Named schedules.  Every coefficient is the exact rational of the decimal literal published by
#: the cited source (see each ``provenance``).
PRESETS: dict[str, Schedule] = {
    "cubic": Schedule(
        name="cubic",
        steps=_steps([("1.5", "-0.5")]),
        beyond="repeat",
        default_steps=15,
        provenance="Kovarik 1970 (doi:10.1137/0707031); Björck & Bowie 1971 (doi:10.1137/0708036); "
                   "Bernstein & Newhouse 2024 (arXiv:2409.20325, arXiv:2410.21265); seed notebook 000 "
                   "(15 steps, eps 1e-9)",
    ),
    "pade5": Schedule(
        name="pade5",
        steps=_steps([("15/8", "-10/8", "3/8")]),
        beyond="repeat",
        default_steps=8,
        provenance="classical quintic Newton–Schulz / Padé step p(x) = (15x - 10x^3 + 3x^5)/8 "
                   "(Kovarik 1970; Higham, Functions of Matrices, SIAM 2008, §8.3); "
                   "the limit step of Polar Express (arXiv:2505.16932)",
    ),
    "muon": Schedule(
        name="muon",
        steps=_steps([("3.4445", "-4.7750", "2.0315")]),
        beyond="repeat",
        default_steps=5,
        provenance="K. Jordan, Muon (2024), kellerjordan.github.io/posts/muon; also Moonlight, "
                   "torch.optim.Muon default, optax 'standard'; X0 = X/(||X||_F + 1e-7)",
    ),
    "cesista5": Schedule(
        name="cesista5",
        steps=_steps([
            ("4.0848", "-6.8946", "2.9270"),
            ("3.9505", "-6.3029", "2.6377"),
            ("3.7418", "-5.5913", "2.3037"),
            ("2.8769", "-3.1427", "1.2046"),
            ("2.8366", "-3.0525", "1.2012"),
        ]),
        beyond="cycle",
        default_steps=5,
        provenance="F. Cesista (leloykun), coefficients optimised on his blog "
                   "(leloykun.github.io/ponder/muon-opt-coeffs); shipped in modded-nanogpt's medium record "
                   "(PR #81 by Cesista, train_gpt_medium.py); also Dion, optax "
                   "'dion', NVIDIA Emerging-Optimizers 'quintic' (which credits his blog and cycles through the "
                   "list beyond 5 steps); X0 = X/(||X||_F + 1e-7). Formerly mislabelled 'you5' (J. You)",
    ),
    "you6": Schedule(
        name="you6",
        steps=_steps([
            ("3955/1024", "-8306/1024", "5008/1024"),
            ("3735/1024", "-6681/1024", "3463/1024"),
            ("3799/1024", "-6499/1024", "3211/1024"),
            ("4019/1024", "-6385/1024", "2906/1024"),
            ("2677/1024", "-3029/1024", "1162/1024"),
            ("2172/1024", "-1833/1024", "682/1024"),
        ]),
        beyond="repeat",
        default_steps=6,
        eps=0.0,
        provenance="Jiacheng You (@YouJiacheng), six-step schedule found by optimisation "
                   "(twitter.com/YouJiacheng/status/1893704552689303901, 23 Feb 2025; gist YouJiacheng/"
                   "393c90cbdc23b09d5688815ba382288b); as shipped in modula (modula-systems/modula, "
                   "modula/atom.py 'orthogonalize': X0 = X/||X||_F, exactly six steps); compared as "
                   "'muon-You' in The Polar Express (arXiv:2505.16932). Beyond six steps this preset "
                   "repeats the last (the source runs exactly six)",
    ),
    "polar-express-5": Schedule(
        name="polar-express-5",
        steps=_steps([
            ("8.156554524902461", "-22.48329292557795", "15.878769915207462"),
            ("4.042929935166739", "-2.808917465908714", "0.5000178451051316"),
            ("3.8916678022926607", "-2.772484153217685", "0.5060648178503393"),
            ("3.285753657755655", "-2.3681294933425376", "0.46449024233003106"),
            ("2.3465413258596377", "-1.7097828382687081", "0.42323551169305323"),
        ]),
        beyond="repeat",
        default_steps=5,
        safety=Fraction("1.02"),
        eps=1e-6,
        provenance="Amsel, Persson, Musco, Gower, The Polar Express (arXiv:2505.16932), coefficients "
                   "for num_iters=5, safety_factor=2e-2, cushion=2 as shipped in modded-nanogpt "
                   "(PR #134, 2025-09): X0 = X/(||X||_F * 1.02 + 1e-6)",
    ),
    "polar-express-8": Schedule(
        name="polar-express-8",
        steps=_pe8_steps(),
        beyond="repeat",
        default_steps=8,
        safety=_PE8_SAFETY,
        eps=1e-7,
        provenance="NoahAmsel/PolarExpress basic.py (arXiv:2505.16932): the 8 published steps with "
                   "the safety division (a/1.01, b/1.01^3, c/1.01^5) applied to all but the last, "
                   "kept as exact rationals; X0 = X/(||X||_F * 1.01 + 1e-7); later steps repeat the last",
    ),
    "cans-5": Schedule(
        name="cans-5",
        steps=_steps([
            ("8.4703", "-25.1081", "18.6293"),
            ("4.1828", "-3.1087", "0.5806"),
            ("3.9619", "-2.9541", "0.5630"),
            ("3.2866", "-2.4647", "0.5074"),
            ("2.2737", "-1.6447", "0.4162"),
        ]),
        beyond="repeat",
        default_steps=5,
        eps_mode="clamp",
        provenance="Grishina, Smirnov, Rakhuba, CANS (arXiv:2506.10935), as shipped in NVIDIA "
                   "Emerging-Optimizers ('cans', repeat-last mode), which normalises with "
                   "torch.nn.functional.normalize: X0 = X/max(||X||_F, 1e-7) (a clamp, not an addition)",
    ),
}


#: Old preset names kept working for a while: name -> (current name, why it changed).  Looking one
#: up warns (``FutureWarning``, shown by default: the users of presets are end users) and returns the
#: current preset.
DEPRECATED_ALIASES: dict[str, tuple[str, str]] = {
    "you5": ("cesista5", "the five-step set is Franz Cesista's (leloykun, modded-nanogpt PR #81), not "
                         "Jiacheng You's; You's own six-step schedule is 'you6'"),
}


# ------------------------------------------------------------------------------------------
# ns_schedule: one entry point for every way of naming a schedule
# ------------------------------------------------------------------------------------------

def _preset_list() -> str:
    return ", ".join(repr(k) for k in PRESETS)


def _steps_from_rows(rows: Any, where: str) -> tuple[Step, ...]:
    if isinstance(rows, (str, bytes)) or not isinstance(rows, Iterable):
        raise InputTypeError(f"{_FUNC}: {where} must be a list of coefficient lists, got {rows!r}")
    rows = list(rows)
    if not rows:
        raise InputValueError(f"{_FUNC}: {where} is empty; give at least one step such as [1.5, -0.5]")
    out = []
    for i, r in enumerate(rows):
        if isinstance(r, Step):
            out.append(r)
            continue
        if isinstance(r, (str, bytes)) or not isinstance(r, Iterable):
            raise InputTypeError(
                f"{_FUNC}: step {i} of {where} must be a list of coefficients (a1, a3, a5, ...), got {r!r}"
            )
        r = list(r)
        if not r:
            raise InputValueError(f"{_FUNC}: step {i} of {where} has no coefficients")
        out.append(Step(tuple(to_fraction(c, f"coefficient {j} of step {i}") for j, c in enumerate(r))))
    return tuple(out)


def _parse_coeff_string(text: str) -> tuple[Step, ...]:
    parts = [p.strip() for p in text.strip().strip(";").split(";")]
    if not parts or all(not p for p in parts):
        raise InputValueError(f"{_FUNC}: the coefficient string is empty; write e.g. '3.4445,-4.7750,2.0315'")
    rows = []
    for i, p in enumerate(parts):
        if not p:
            raise InputValueError(f"{_FUNC}: step {i} of {text!r} is empty (two ';' in a row?)")
        items = [q.strip() for q in p.replace(" ", ",").split(",") if q.strip()]
        rows.append(items)
    return _steps_from_rows(rows, f"coefficient string {text!r}")


def parse_coefficients(text: str, **overrides: Any) -> Schedule:
    """A custom schedule from a coefficient string ``"a1,a3,a5;a1,a3,a5"`` (one step per ``;``).

    Unlike :func:`ns_schedule`, the text is never taken for a preset name or a file: anything that
    is not a list of numbers is reported as malformed coefficients (the CLI's ``--coeffs``).

    Parameters
    ----------
    text : str
        Decimal literals or ratios separated by ``,`` (or spaces) within a step and ``;`` between
        steps; any odd degree.
    **overrides
        Schedule fields to replace (``default_steps``, ``eps``, ...).

    Returns
    -------
    Schedule
        Named "custom", repeating the last step, ``default_steps`` = the number of listed steps.

    Raises
    ------
    InputValueError
        The text is empty or an item is not a number.

    Examples
    --------
    >>> s = parse_coefficients("3.4445,-4.7750,2.0315")
    >>> s.name, len(s.steps), s.default_steps
    ('custom', 1, 1)
    >>> parse_coefficients("abc")
    Traceback (most recent call last):
    ...
    linalg_lab._validation.InputValueError: malformed coefficients 'abc': ns_schedule: coefficient 0 of step 0 'abc' is not a number; write decimal literals such as '3.4445' or ratios such as '15/8'
    """
    if not isinstance(text, str):
        raise InputTypeError(f"parse_coefficients: 'text' must be a string, got {type(text).__name__} {text!r}")
    try:
        steps = _parse_coeff_string(text)
    except InputValueError as exc:
        raise InputValueError(f"malformed coefficients {text!r}: {exc}") from None
    kw: dict[str, Any] = {"name": "custom", "default_steps": len(steps), "provenance": f"coefficients {text!r}"}
    kw.update(overrides)
    return Schedule(steps=steps, **kw)


def _from_json(path: Path, **overrides: Any) -> Schedule:
    try:
        data = json.loads(path.read_text())
    except json.JSONDecodeError as exc:
        raise InputValueError(f"{_FUNC}: {str(path)!r} is not valid JSON: {exc}") from None
    if isinstance(data, list):
        data = {"steps": data}
    if not isinstance(data, dict) or "steps" not in data:
        raise InputValueError(
            f"{_FUNC}: {str(path)!r} must hold an object with a 'steps' list, e.g. "
            '{"name": "mine", "steps": [["3.4445", "-4.7750", "2.0315"]], "beyond": "repeat"}'
        )
    known = {"name", "steps", "beyond", "default_steps", "normalization", "safety", "eps", "provenance",
             "eps_mode"}
    unknown = set(data) - known
    if unknown:
        raise InputValueError(f"{_FUNC}: {str(path)!r} has unknown keys {sorted(unknown)}; allowed: {sorted(known)}")
    steps = _steps_from_rows(data["steps"], f"'steps' in {str(path)!r}")
    kw = {k: data[k] for k in known - {"steps"} if k in data}
    kw.setdefault("name", path.stem)
    kw.setdefault("default_steps", len(steps))
    kw.setdefault("provenance", f"JSON file {path}")
    if "eps" in kw:
        try:
            kw["eps"] = float(kw["eps"])
        except (TypeError, ValueError):
            raise InputValueError(f"{_FUNC}: 'eps' in {str(path)!r} must be a number, got {kw['eps']!r}") from None
    kw.update(overrides)
    return Schedule(steps=steps, **kw)


def ns_schedule(name_or_coeffs: Any, **overrides: Any) -> Schedule:
    """Return a :class:`Schedule` from a preset name, a coefficient string or list, or a JSON file.

    Parameters
    ----------
    name_or_coeffs : str, Schedule, sequence or path
        One of

        - a preset name: any key of :data:`PRESETS` (``"cubic"``, ``"muon"``, ``"cesista5"``,
          ``"you6"``, ...; the deprecated names of :data:`DEPRECATED_ALIASES` warn and still work);
        - a :class:`Schedule` (returned as is, with ``overrides`` applied);
        - a coefficient string ``"a1,a3,a5;a1,a3,a5"`` (one step per ``;``, any odd degree, the
          CLI's ``--coeffs`` form);
        - a list of coefficient tuples ``[(a1, a3, a5), ...]`` (numbers or decimal strings);
        - a path to a JSON file ``{"name": ..., "steps": [["3.4445", "-4.7750", "2.0315"]],
          "beyond": "repeat", "default_steps": 5, "normalization": "frobenius", "safety": "1",
          "eps": 1e-7, "provenance": ...}`` (only ``steps`` is required).
    **overrides
        Schedule fields to replace (``beyond``, ``default_steps``, ``eps``, ...).

    Returns
    -------
    Schedule
        Custom schedules are named "custom", repeat the last step, and default to as many steps
        as listed.

    Raises
    ------
    InputValueError
        Unknown name (the message lists the presets), empty or non-numeric coefficients.
    InputTypeError
        An argument of an unsupported type.

    Examples
    --------
    >>> ns_schedule("muon").steps[0].coeffs[0]
    Fraction(6889, 2000)
    >>> s = ns_schedule("1.5,-0.5")
    >>> s.name, s.steps[0].degree
    ('custom', 3)
    >>> ns_schedule([(3, -16/5, 6/5), ("15/8", "-10/8", "3/8")]).default_steps
    2
    """
    if isinstance(name_or_coeffs, Schedule):
        return dataclasses.replace(name_or_coeffs, **overrides) if overrides else name_or_coeffs
    if isinstance(name_or_coeffs, Step):
        return Schedule(name="custom", steps=(name_or_coeffs,), default_steps=1, **overrides)
    if isinstance(name_or_coeffs, os.PathLike):
        p = Path(name_or_coeffs)
        if not p.is_file():
            raise InputValueError(f"{_FUNC}: no such schedule file {str(p)!r}")
        return _from_json(p, **overrides)
    if isinstance(name_or_coeffs, str):
        key = name_or_coeffs.strip()
        if not key:
            raise InputValueError(f"{_FUNC}: empty schedule; give a preset name ({_preset_list()}) or coefficients")
        norm = key.lower().replace("_", "-")
        if norm in DEPRECATED_ALIASES and norm not in PRESETS:
            current, why = DEPRECATED_ALIASES[norm]
            warnings.warn(f"{_FUNC}: the preset name {norm!r} is deprecated; use {current!r} ({why})",
                          FutureWarning, stacklevel=2)
            norm = current
        if norm in PRESETS:
            s = PRESETS[norm]
            return dataclasses.replace(s, **overrides) if overrides else s
        if key.lower().endswith(".json") or Path(key).is_file():
            p = Path(key)
            if not p.is_file():
                raise InputValueError(f"{_FUNC}: no such schedule file {key!r}")
            return _from_json(p, **overrides)
        if ("," in key or ";" in key) or (
                any(ch.isdigit() for ch in key) and all(ch in "0123456789+-.,;/eE \u2212" for ch in key)):
            steps = _parse_coeff_string(key)
            kw: dict[str, Any] = {"name": "custom", "default_steps": len(steps),
                                  "provenance": f"coefficients {key!r}"}
            kw.update(overrides)
            return Schedule(steps=steps, **kw)
        raise InputValueError(
            f"{_FUNC}: unknown schedule {name_or_coeffs!r}; presets are {_preset_list()}, or give "
            "coefficients 'a1,a3,a5;...' or a JSON file"
        )
    if isinstance(name_or_coeffs, (bytes, numbers.Number)) or name_or_coeffs is None:
        raise InputTypeError(
            f"{_FUNC}: expected a preset name, coefficient string, list of coefficient tuples, "
            f"Schedule or JSON path, got {type(name_or_coeffs).__name__} {name_or_coeffs!r}"
        )
    seq = list(name_or_coeffs) if isinstance(name_or_coeffs, Iterable) else None
    if seq is None:
        raise InputTypeError(f"{_FUNC}: unsupported schedule argument of type {type(name_or_coeffs).__name__}")
    if seq and all(isinstance(c, (numbers.Number, str, Fraction)) and not isinstance(c, bool) for c in seq) \
            and not all(isinstance(c, str) and (";" in c or c.strip().lower() in PRESETS) for c in seq):
        # a flat list of coefficients is one step
        seq = [seq]
    steps = _steps_from_rows(seq, "the coefficient list")
    kw = {"name": "custom", "default_steps": len(steps), "provenance": "user coefficients"}
    kw.update(overrides)
    return Schedule(steps=steps, **kw)
