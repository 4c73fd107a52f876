"""The layer rules of ARCHITECTURE.md, read from every module's imports with ``ast``.

- Family code (everything in ``linalg_lab`` outside ``linalg_lab/app/``) imports neither the face
  layer (``linalg_lab.app``), nor ``proofs_check``, ``argparse`` or ``matplotlib``.
- ``proofs_check`` imports only public ``linalg_lab`` names or ``linalg_lab.internal``: no
  underscored module, no underscored name, and never the face layer.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ENTRY_POINTS = {"linalg_lab/__main__.py"}  # ``python -m linalg_lab`` runs the face
FACE_ONLY = ("proofs_check", "argparse", "matplotlib", "linalg_lab.app")

def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def imports(path: Path) -> list[tuple[str, list[str]]]:
    """(absolute module, imported names) for every import statement in ``path``."""
    tree = ast.parse(path.read_text(), filename=str(path))
    pkg = _module_name(path).split(".")
    if path.name != "__init__.py":
        pkg = pkg[:-1]
    out: list[tuple[str, list[str]]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(a.name, []) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = pkg[: len(pkg) - node.level + 1]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            out.append((mod, [a.name for a in node.names]))
    return out


def _py(top: str) -> list[Path]:
    return sorted(p for p in (ROOT / top).rglob("*.py"))


def violations(path: Path) -> list[str]:
    rel = path.relative_to(ROOT).as_posix()
    bad = []
    for mod, names in imports(path):
        if rel.startswith("linalg_lab/") and not rel.startswith("linalg_lab/app/") and rel not in ENTRY_POINTS:
            full = [mod] + [f"{mod}.{n}" for n in names]
            for f in full:
                if any(f == x or f.startswith(x + ".") for x in FACE_ONLY):
                    bad.append(f"{rel} imports {f} (face-layer only)")
                    break
        if rel.startswith("proofs_check/") and mod.startswith("linalg_lab"):
            parts = mod.split(".")
            if mod.startswith("linalg_lab.app") and rel != "proofs_check/__main__.py":
                bad.append(f"{rel} imports the face layer {mod}")
            elif (any(p.startswith("_") for p in parts[1:])
                  or any(n.startswith("_") and not n.startswith("__") for n in names)):
                bad.append(f"{rel} imports private {mod} {names}")
    return bad


@pytest.mark.parametrize("path", _py("linalg_lab") + _py("proofs_check"),
                         ids=lambda p: p.relative_to(ROOT).as_posix())
def test_layers(path):
    bad = violations(path)
    assert not bad, "\n".join(bad)


def test_the_checker_sees_violations(tmp_path, monkeypatch):
    """The checker itself catches each kind of violation."""
    fam = ROOT / "linalg_lab" / "zz_dummy_family.py"
    pc = ROOT / "proofs_check" / "zz_dummy.py"
    try:
        fam.write_text("import argparse\nfrom ..proofs_check import x\nfrom .app.cli import main\n")
        pc.write_text("from linalg_lab.spectral import _gram\nfrom linalg_lab.norms._basis import b\n")
        assert len(violations(fam)) == 3  # argparse, proofs_check, linalg_lab.app
        assert len(violations(pc)) == 2  # an underscored name; an underscored module
    finally:
        fam.unlink(missing_ok=True)
        pc.unlink(missing_ok=True)
