"""The package's public API is what its __all__ lists (and each name exists)."""
import proofs_check.newton_schulz as ns


def test_all_names_exist():
    for name in ns.__all__:
        assert hasattr(ns, name), name
    for fn in ("fixed_points", "basins", "schedule_band", "absorbing_interval", "headroom", "steps_to_tolerance"):
        assert fn in ns.__all__ and callable(getattr(ns, fn))
        assert getattr(ns, fn).__doc__ and "Examples" in getattr(ns, fn).__doc__


CERTIFICATES = ("ScheduleBand", "StepsToTolerance", "Headroom", "AbsorbingInterval", "BasinMap",
                "FixedPointsResult", "ScheduleCertificate")


def test_certificates_share_the_vocabulary():
    """The seven NS certificates: linalg_lab.internal.Certificate, a verdict and a rigour field, no
    certified field (it is derived), bounds named lower/upper (no band_lower/band_upper)."""
    import dataclasses

    from linalg_lab.internal import Certificate, Verdict

    for name in CERTIFICATES:
        cls = getattr(ns, name)
        fields = {f.name: f for f in dataclasses.fields(cls)}
        assert issubclass(cls, Certificate), name
        assert "verdict" in fields and "rigour" in fields and "status" in fields and "reason" in fields, name
        assert "certified" not in fields, name
        assert not {"band_lower", "band_upper", "band_lo", "band_hi", "lo_bound"} & set(fields), name
    c = ns.certify_schedule("cubic", basins=True)
    assert c.verdict is Verdict.PROVED and c.certified and c.rigour.value == "certified"
    d = c.to_dict()
    assert d["certified"] is True and d["verdict"] == "proved"
    for part in ("band", "headroom", "last_step", "absorbing", "basins"):
        assert d[part]["verdict"] == "proved" and d[part]["rigour"] == "certified", part
    assert d["headroom"]["band"]["kind"] == "ScheduleBand"


def test_split_modules_hold_their_concepts():
    """band.py was split (issue 9): band, headroom and steps each in its own module."""
    import importlib

    for mod, names in {"band": ("ScheduleBand", "schedule_band"), "headroom": ("Headroom", "headroom"),
                       "steps": ("StepsToTolerance", "steps_to_tolerance")}.items():
        m = importlib.import_module(f"proofs_check.newton_schulz.{mod}")
        assert set(m.__all__) == set(names)
        assert all(getattr(m, n) is getattr(ns, n) for n in names)
