"""The package's public API is what its __all__ lists (and each name exists)."""
import proofs_check.newton_schulz as ns


def test_all_names_exist():
    for name in ns.__all__:
        assert hasattr(ns, name), name
    for fn in ("fixed_points", "basins", "schedule_band", "absorbing_interval", "headroom", "steps_to_tolerance"):
        assert fn in ns.__all__ and callable(getattr(ns, fn))
        assert getattr(ns, fn).__doc__ and "Examples" in getattr(ns, fn).__doc__
