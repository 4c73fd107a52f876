"""CLI command modules: each calls :func:`linalg_lab.app.registry.register_command` at import.

Every module here is imported by :func:`linalg_lab.app.registry.discover`; adding a command is
adding a module (see the README's "Extending").
"""

from pathlib import Path


def example_matrix(tmp: Path, shape: tuple[int, int], name: str = "A", seed: int = 0) -> str:
    """Write a seeded Gaussian ``shape`` matrix to ``tmp/NAME.npy`` for a ``Command.example``; its path."""
    import numpy as np

    p = Path(tmp) / f"{name}.npy"
    np.save(p, np.random.default_rng(seed).standard_normal(shape))
    return str(p)
