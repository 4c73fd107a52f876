"""The public API is the explicit __all__ of each package, and every name in it exists and is documented."""
import importlib

import pytest

PACKAGES = ["linalg_lab", "proofs_check", "linalg_lab.testing", "linalg_lab.ns", "linalg_lab.norms",
            "linalg_lab.svd", "linalg_lab.experiments", "proofs_check.newton_schulz", "proofs_check.norms",
            "proofs_check.svd", "linalg_lab.optim", "linalg_lab.experiments.linearity", "linalg_lab.sweep", "linalg_lab.grnewt", "linalg_lab.layers", "proofs_check.layers"]


@pytest.mark.parametrize("pkg", PACKAGES)
def test_all_names_exist_and_are_documented(pkg):
    mod = importlib.import_module(pkg)
    assert isinstance(mod.__all__, list) and len(mod.__all__) == len(set(mod.__all__))
    for name in mod.__all__:
        obj = getattr(mod, name)
        if callable(obj) and not name.startswith("__"):
            assert obj.__doc__ and obj.__doc__.strip(), f"{pkg}.{name} has no docstring"


def test_contract_names():
    import linalg_lab
    import proofs_check

    for name in ["spectral_norm", "power_iteration", "principal_angles", "projection_ratio", "alignment",
                 "load_matrix", "ns_schedule", "newton_schulz"]:
        assert name in linalg_lab.__all__, name
    for name in ["spectral_norm_enclosure", "fixed_points", "basins", "schedule_band", "absorbing_interval",
                 "headroom", "steps_to_tolerance", "two_to_q_certificate", "singular_value_enclosures"]:
        assert name in proofs_check.__all__, name
    from linalg_lab.testing import assert_close  # noqa: F401
    from linalg_lab.norms import two_to_q, two_to_q_lower, two_to_q_sos, two_to_q_spectral  # noqa: F401
    from linalg_lab.svd import compare_with_lapack, lapack_ratios, svd_by_optimization  # noqa: F401
    from linalg_lab.experiments.alignment import (  # noqa: F401
        CONFIGS, first_layer_gradient, gradient_decomposition, train)
