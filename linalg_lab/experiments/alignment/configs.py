"""The experiment's registry: named configurations, pairs and nu-sweeps (they drive the CLI and the report).

Adding a configuration is one entry in :data:`CONFIGS` (a pair: :data:`PAIRS`; a sweep:
:data:`SWEEPS`); ``linalg-lab experiment alignment --config`` offers every name of
:func:`experiment_names`, and the report reads the same dicts.
"""
from __future__ import annotations

import dataclasses
import math
from typing import Any

from ..._results import Result, Rigour, Status
from ..._validation import InputTypeError, InputValueError, check_int, check_option, check_real
from .model import ACTIVATIONS, OUTER_SCALES, SCALINGS, outer_weight_scale, output_scale

__all__ = ["AlignmentConfig", "CONFIGS", "PAIRS", "SWEEPS", "get_config", "experiment_names",
           "ExperimentListing", "list_experiments"]


@dataclasses.dataclass(frozen=True)
class AlignmentConfig:
    """One training experiment (sizes, data model, network, optimiser, diagnostics).

    Attributes
    ----------
    name, description : str
    n, d, m, n_test : int
        Samples, input dimension, width, test samples.
    nu, alpha : float
        Spike exponent (``zeta = n^nu``) and bulk decay.
    teacher : str
        Teacher link; ``n_index`` directions; ``noise`` label-noise standard deviation.
    activation : str
        Student activation.
    scaling : str or float
        The regime, named by the TOTAL output scale ``gamma * s``: "ntk" (``1/sqrt(m)``),
        "mean-field" (``1/m``) or a positive number.  ``gamma = total / s`` (property ``gamma``).
    outer, outer_scale : str
        Outer weights ``a`` (see :func:`~linalg_lab.experiments.alignment.init_weights`) and their
        scale ``s`` ("1": the paper's ``a in {±1}^m``; "1/sqrt(m)": the notebook's); property ``a_scale``.
    lr : float
        Learning rate; the step is ``(lr/gamma) G`` when ``lr_per_gamma`` (the notebook's), else ``lr G``.
    epochs : int
        Full-batch gradient steps.
    top_k : int
        Number of the gradient's singular values tracked per epoch.
    svd_rtol : float
        Target relative residual ``||G^T u_1 - s_1 v_1|| / s_1`` of the leading triplet.
    track_terms : bool
        Track the operator norms of S1, S12, S2 and E per epoch (mu exact).
    refit : bool
        After training, refit ``a`` by minimum-norm least squares and report its test loss.
    """

    name: str = "custom"
    description: str = ""
    n: int = 750
    d: int = 1000
    m: int = 1250
    n_test: int = 750
    nu: float = 0.0
    alpha: float = 0.0
    teacher: str = "sigmoid"
    n_index: int = 1
    noise: float = 1.0
    activation: str = "sigmoid"
    scaling: str | float = "ntk"
    outer: str = "gaussian"
    outer_scale: str = "1/sqrt(m)"
    lr: float = 17.67766952966369
    lr_per_gamma: bool = True
    epochs: int = 50
    top_k: int = 5
    svd_rtol: float = 1e-4
    track_terms: bool = True
    refit: bool = True

    def __post_init__(self) -> None:
        func = "AlignmentConfig"
        for f in ("n", "d", "m", "n_test", "epochs", "top_k"):
            check_int(getattr(self, f), f, func=func, minimum=1)
        check_int(self.n_index, "n_index", func=func, minimum=1, maximum=self.d)
        check_real(self.nu, "nu", func=func, lo=0.0)
        check_real(self.alpha, "alpha", func=func, lo=0.0)
        check_real(self.noise, "noise", func=func, lo=0.0)
        check_real(self.lr, "lr", func=func, lo=0.0)
        check_real(self.svd_rtol, "svd_rtol", func=func, lo=0.0, hi=1.0, lo_open=True, hi_open=True)
        check_option(self.teacher, "teacher", tuple(ACTIVATIONS), func=func)
        check_option(self.activation, "activation", tuple(ACTIVATIONS), func=func)
        check_option(self.outer, "outer", ("sign", "gaussian"), func=func)
        check_option(self.outer_scale, "outer_scale", tuple(OUTER_SCALES), func=func)
        if isinstance(self.scaling, str):
            check_option(self.scaling, "scaling", tuple(SCALINGS), func=func)
        else:
            check_real(self.scaling, "scaling", func=func, lo=0.0, lo_open=True)
        if self.top_k > min(self.m, self.d):
            raise InputValueError(f"{func}: 'top_k' must be <= min(m, d) = {min(self.m, self.d)}, got {self.top_k}")

    @property
    def output_scale(self) -> float:
        """The total output scale ``gamma * s`` (what names the regime)."""
        return output_scale(self.scaling, self.m)

    @property
    def a_scale(self) -> float:
        """The scale ``s`` of the outer weights."""
        return outer_weight_scale(self.outer_scale, self.m)

    @property
    def gamma(self) -> float:
        """The factor ``gamma = output_scale / a_scale`` applied (once) in ``f = gamma a^T sigma(W x)``."""
        return self.output_scale / self.a_scale

    def replace(self, **changes: Any) -> "AlignmentConfig":
        """A copy with some fields changed (validated)."""
        return dataclasses.replace(self, **changes)


def _sizes(n: int, d: int, m: int) -> dict[str, int]:
    return {"n": n, "d": d, "m": m, "n_test": n}


_PAPER = _sizes(750, 1000, 1250)
_SMALL = _sizes(150, 200, 250)
_TINY = _sizes(60, 80, 100)


def _notebook_pair(sizes: dict[str, int], prefix: str, epochs: int) -> dict[str, AlignmentConfig]:
    m = sizes["m"]
    common = dict(sizes, nu=0.0, alpha=0.0, teacher="sigmoid", activation="sigmoid", outer="gaussian",
                  outer_scale="1/sqrt(m)", lr=math.sqrt(m) / 2, epochs=epochs, noise=1.0)
    return {
        f"{prefix}ntk": AlignmentConfig(name=f"{prefix}ntk", scaling="ntk", description=(
            "notebook 'NTK vs mean field', NTK run: total output scale 1/sqrt(m) = gamma 1 x a ~ N(0, 1/m), "
            "sigmoid teacher and activation, nu = 0, lr = sqrt(m)/2 (step lr/gamma)"), **common),
        f"{prefix}mean-field": AlignmentConfig(name=f"{prefix}mean-field", scaling="mean-field", description=(
            "notebook 'NTK vs mean field', mean-field run: total output scale 1/m = gamma 1/sqrt(m) x "
            "a ~ N(0, 1/m), sigmoid teacher and activation, nu = 0, lr = sqrt(m)/2 (step lr/gamma)"), **common),
    }


def _relu_sigmoid_pair(sizes: dict[str, int], prefix: str, epochs: int) -> dict[str, AlignmentConfig]:
    # The notebook's first 'ReLU vs sigmoid' cell passes gamma = 1/sqrt(m) with a = ±1/sqrt(m): a total
    # output scale of 1/m, i.e. the mean-field regime (it was labelled NTK here before issue 10.14).
    m = sizes["m"]
    common = dict(sizes, nu=1 / 8, alpha=0.0, teacher="sigmoid", scaling="mean-field", outer="sign",
                  outer_scale="1/sqrt(m)", lr=2 * math.sqrt(m), epochs=epochs, noise=1.0)
    return {
        f"{prefix}relu": AlignmentConfig(name=f"{prefix}relu", activation="relu", description=(
            "notebook 'ReLU vs sigmoid' (first cell): nu = 1/8, sigmoid teacher, ReLU student, total output "
            "scale 1/m (mean field: gamma 1/sqrt(m) x a = ±1/sqrt(m)), lr = 2 sqrt(m)"), **common),
        f"{prefix}sigmoid": AlignmentConfig(name=f"{prefix}sigmoid", activation="sigmoid", description=(
            "notebook 'ReLU vs sigmoid' (first cell): nu = 1/8, sigmoid teacher and student, total output "
            "scale 1/m (mean field: gamma 1/sqrt(m) x a = ±1/sqrt(m)), lr = 2 sqrt(m)"), **common),
    }


def _paper(sizes: dict[str, int], name: str, epochs: int) -> AlignmentConfig:
    return AlignmentConfig(
        name=name, description=(
            "paper Fig. 1 setting: alpha = 0, NTK (gamma = 1/sqrt(m) with a in {±1}^m), nu = 1/8, "
            "ReLU student, triple-index ReLU teacher with noise 0.1 (our choice of teacher: Appendix C "
            "of the paper was not reproduced), lr = 0.01 with the notebook's lr/gamma step"),
        nu=1 / 8, alpha=0.0, teacher="relu", n_index=3, noise=0.1, activation="relu", scaling="ntk",
        outer="sign", outer_scale="1", lr=0.01, epochs=epochs, **sizes)


#: Named configurations (paper sizes n=750, d=1000, m=1250 unless prefixed "small-"/"tiny-").
CONFIGS: dict[str, AlignmentConfig] = {}
CONFIGS.update(_notebook_pair(_PAPER, "", 50))
CONFIGS.update(_relu_sigmoid_pair(_PAPER, "", 100))
CONFIGS["paper"] = _paper(_PAPER, "paper", 100)
CONFIGS.update(_notebook_pair(_SMALL, "small-", 30))
CONFIGS.update(_relu_sigmoid_pair(_SMALL, "small-", 40))
CONFIGS["small-paper"] = _paper(_SMALL, "small-paper", 40)
CONFIGS.update(_notebook_pair(_TINY, "tiny-", 10))
CONFIGS.update(_relu_sigmoid_pair(_TINY, "tiny-", 10))
CONFIGS["tiny-paper"] = _paper(_TINY, "tiny-paper", 10)

#: Named pairs of configurations trained side by side (same data and initial weights).
PAIRS: dict[str, tuple[str, str]] = {
    "ntk-vs-mean-field": ("ntk", "mean-field"),
    "relu-vs-sigmoid": ("relu", "sigmoid"),
    "small-ntk-vs-mean-field": ("small-ntk", "small-mean-field"),
    "small-relu-vs-sigmoid": ("small-relu", "small-sigmoid"),
    "tiny-ntk-vs-mean-field": ("tiny-ntk", "tiny-mean-field"),
    "tiny-relu-vs-sigmoid": ("tiny-relu", "tiny-sigmoid"),
}

#: Named nu-sweeps at initialisation: name -> base configuration (its sizes, teacher, outer weights).
SWEEPS: dict[str, str] = {"nu-sweep": "paper", "small-nu-sweep": "small-paper", "tiny-nu-sweep": "tiny-paper"}


def get_config(config: str | AlignmentConfig) -> AlignmentConfig:
    """Look up a named configuration (or pass a config object through).

    Parameters
    ----------
    config : str or AlignmentConfig
        A key of :data:`CONFIGS`, or a configuration, returned as is.

    Returns
    -------
    AlignmentConfig

    Raises
    ------
    InputValueError
        Unknown name (the message lists the configurations).
    InputTypeError
        ``config`` is neither a string nor an :class:`AlignmentConfig`.

    Examples
    --------
    >>> get_config("tiny-relu").name
    'tiny-relu'
    """
    if isinstance(config, AlignmentConfig):
        return config
    if not isinstance(config, str):
        raise InputTypeError(f"get_config: 'config' must be a name or an AlignmentConfig, got {type(config).__name__}")
    check_option(config, "config", tuple(CONFIGS), func="get_config")
    return CONFIGS[config]


def experiment_names() -> tuple[str, ...]:
    """Names accepted by :func:`~linalg_lab.experiments.alignment.run_experiment`: configurations, pairs, sweeps."""
    return tuple(CONFIGS) + tuple(PAIRS) + tuple(SWEEPS)


@dataclasses.dataclass(frozen=True)
class ExperimentListing(Result):
    """The registry's contents: configuration descriptions, pairs and sweeps."""

    configs: dict[str, str]
    pairs: dict[str, list[str]]
    sweeps: dict[str, str]
    rigour: Rigour
    status: Status
    reason: str

    def summary(self) -> str:
        lines = ["configurations:"]
        lines += [f"  {k:<24} {v}" for k, v in self.configs.items()]
        lines.append("pairs (trained side by side, principal angles between them):")
        lines += [f"  {k:<24} {a} vs {b}" for k, (a, b) in self.pairs.items()]
        lines.append("nu-sweeps at initialisation (base configuration):")
        lines += [f"  {k:<24} {v}" for k, v in self.sweeps.items()]
        return "\n".join(lines)


def list_experiments() -> ExperimentListing:
    """Every registered configuration (with its description), pair and sweep.

    >>> "ntk-vs-mean-field" in list_experiments().pairs
    True
    """
    return ExperimentListing(
        configs={k: v.description for k, v in CONFIGS.items()},
        pairs={k: list(v) for k, v in PAIRS.items()}, sweeps=dict(SWEEPS),
        rigour=Rigour.NUMERICAL, status=Status.OK, reason=f"{len(experiment_names())} names registered")
