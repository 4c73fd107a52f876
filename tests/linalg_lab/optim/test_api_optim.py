"""The public names of issue 13's packages exist and are documented (test_api.py's rule, for these)."""
import importlib

import pytest


@pytest.mark.parametrize("pkg", ["linalg_lab.optim", "linalg_lab.experiments.linearity", "proofs_check.pion"])
def test_all_names_documented(pkg):
    mod = importlib.import_module(pkg)
    assert isinstance(mod.__all__, list) and len(mod.__all__) == len(set(mod.__all__))
    for name in mod.__all__:
        obj = getattr(mod, name)
        if callable(obj):
            assert obj.__doc__ and obj.__doc__.strip(), f"{pkg}.{name} has no docstring"


def test_registries_drive_everything():
    from linalg_lab.optim import OPTIMIZERS, RETRACTIONS

    assert list(RETRACTIONS) == ["expm", "cayley", "e2"]
    assert {f"pion-{r}" for r in RETRACTIONS} <= set(OPTIMIZERS)
