"""Every function exported through a package ``__all__`` documents its parameters (numpydoc).

House style habit 2: each public function has a numpydoc ``Parameters`` section.  This test walks
the ``__all__`` of every public package and module in :data:`MODULES` and asserts that each
exported plain function with parameters has a ``Parameters`` section naming every one of them
(``self``, ``*args`` and ``**kwargs`` excepted).  The shrink-only :data:`ALLOWLIST` of
undocumented functions has reached empty and must stay so.

The walk imports no torch (the families import it lazily) and takes well under a second.
"""
from __future__ import annotations

import importlib
import inspect
import re
import sys
from types import FunctionType

import pytest

#: The public packages and modules whose ``__all__`` is the API (the subpackages of linalg_lab and
#: proofs_check, and the public single-module families).  Add a new public subpackage here.
MODULES = (
    "linalg_lab",
    "linalg_lab.io",
    "linalg_lab.subspace",
    "linalg_lab.tolerance",
    "linalg_lab.testing",
    "linalg_lab.spectral",
    "linalg_lab.spectral_sparse",
    "linalg_lab.ns",
    "linalg_lab.norms",
    "linalg_lab.svd",
    "linalg_lab.sweep",
    "linalg_lab.experiments",
    "linalg_lab.experiments.alignment",
    "linalg_lab.experiments.linearity",
    "linalg_lab.layers",
    "linalg_lab.optim",
    "linalg_lab.grnewt",
    "proofs_check",
    "proofs_check.newton_schulz",
    "proofs_check.norms",
    "proofs_check.svd",
    "proofs_check.grnewt",
    "proofs_check.layers",
    "proofs_check.pion",
    "proofs_check.spectral",
)

#: SHRINK-ONLY allowlist of undocumented functions (``module.qualname`` -> why), now empty: every
#: exported function documents its parameters.  It stays empty -- document a new function instead
#: of listing it here (:func:`test_allowlist_only_shrinks` fails on any entry).
ALLOWLIST: dict[str, str] = {}


_SECTION = re.compile(r"^([A-Z][A-Za-z ]*)\n-{3,}$", re.M)


def documented_parameters(doc: str) -> set[str] | None:
    """Names listed in the numpydoc ``Parameters`` section of ``doc`` (None if it has none).

    A parameter line starts at the section's indentation: ``name : type``, ``a, b : type`` or a
    bare ``name``; leading ``*``/``**`` are dropped (``*dtypes : dtype-like``).
    """
    sections = list(_SECTION.finditer(doc))
    for i, m in enumerate(sections):
        if m.group(1) != "Parameters":
            continue
        end = sections[i + 1].start() if i + 1 < len(sections) else len(doc)
        names: set[str] = set()
        for line in doc[m.end():end].splitlines():
            if not line.strip() or line[0].isspace():
                continue
            for name in line.split(" : ", 1)[0].split(","):
                names.add(name.strip().lstrip("*"))
        return names
    return None


def parameter_names(func: FunctionType) -> list[str]:
    """The parameters a docstring must name: all but ``self``, ``*args`` and ``**kwargs``."""
    kinds = (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)
    return [p.name for p in inspect.signature(func).parameters.values()
            if p.kind not in kinds and p.name != "self"]


def exported_functions() -> dict[str, tuple[str, FunctionType]]:
    """``module.qualname`` of each exported plain function -> (an exported name, the function)."""
    out: dict[str, tuple[str, FunctionType]] = {}
    for modname in MODULES:
        mod = importlib.import_module(modname)
        for name in mod.__all__:
            obj = getattr(mod, name)
            # functools wrappers (lru_cache, wraps) keep the documented function in __wrapped__
            obj = getattr(obj, "__wrapped__", obj) if not isinstance(obj, type) else obj
            if isinstance(obj, FunctionType):
                out.setdefault(f"{obj.__module__}.{obj.__qualname__}", (f"{modname}.{name}", obj))
    return out


def undocumented(func: FunctionType) -> list[str]:
    """The parameters of ``func`` its docstring's Parameters section does not name (all if none)."""
    params = parameter_names(func)
    named = documented_parameters(inspect.getdoc(func) or "")
    return params if named is None else [p for p in params if p not in named]


@pytest.fixture(scope="module")
def functions() -> dict[str, tuple[str, FunctionType]]:
    had_torch = "torch" in sys.modules
    funcs = exported_functions()
    assert had_torch or "torch" not in sys.modules, "walking the public API imported torch"
    return funcs


def test_exported_functions_document_their_parameters(functions):
    missing = {key: (exported, undocumented(f)) for key, (exported, f) in functions.items()
               if undocumented(f)}
    assert not missing, "exported functions whose numpydoc Parameters section misses parameters:\n" + "\n".join(
        f"  {exported} ({key}): {', '.join(params)}" for key, (exported, params) in sorted(missing.items()))


def test_allowlist_only_shrinks():
    assert not ALLOWLIST, ("ALLOWLIST in tests/test_docstrings.py is shrink-only and has reached empty: "
                           f"document these functions' parameters instead of listing them: {sorted(ALLOWLIST)}")


def test_section_parser():
    doc = "Summary.\n\nParameters\n----------\na, b : int\n    Text.\n*dtypes : dtype\nflag\n\nReturns\n-------\nx : int\n"
    assert documented_parameters(doc) == {"a", "b", "dtypes", "flag"}
    assert documented_parameters("Summary only.") is None
