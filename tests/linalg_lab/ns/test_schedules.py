"""Schedules: exact coefficients, presets, the beyond rule, and every input form of ns_schedule."""
import json
from fractions import Fraction

import numpy as np
import pytest

from linalg_lab import InputTypeError, InputValueError
from linalg_lab.ns import PRESETS, Schedule, Step, ns_schedule
from linalg_lab.tolerance import gamma

# Known-answer table: the first step of each preset, exactly as published (see FACTS.md and the
# provenance strings); Polar Express 8 carries the reference implementation's 1.01 safety division.
KNOWN_FIRST = {
    "cubic": (Fraction(3, 2), Fraction(-1, 2)),
    "pade5": (Fraction(15, 8), Fraction(-5, 4), Fraction(3, 8)),
    "muon": (Fraction("3.4445"), Fraction("-4.7750"), Fraction("2.0315")),
    "cesista5": (Fraction("4.0848"), Fraction("-6.8946"), Fraction("2.9270")),
    "polar-express-5": (Fraction("8.156554524902461"), Fraction("-22.48329292557795"),
                        Fraction("15.878769915207462")),
    "polar-express-8": (Fraction("8.28721201814563") / Fraction("1.01"),
                        Fraction("-23.595886519098837") / Fraction("1.01") ** 3,
                        Fraction("17.300387312530933") / Fraction("1.01") ** 5),
    "cans-5": (Fraction("8.4703"), Fraction("-25.1081"), Fraction("18.6293")),
    "you6": (Fraction(3955, 1024), Fraction(-8306, 1024), Fraction(5008, 1024)),  # FACTS.md
}


@pytest.mark.parametrize("name", sorted(KNOWN_FIRST))
def test_preset_first_step_is_exact(name):
    assert PRESETS[name].steps[0].coeffs == KNOWN_FIRST[name]
    assert all(isinstance(c, Fraction) for s in PRESETS[name].steps for c in s.coeffs)
    assert PRESETS[name].provenance


def test_presets_registry_complete_and_counts():
    assert set(PRESETS) == {"cubic", "pade5", "muon", "cesista5", "you6", "polar-express-5", "polar-express-8",
                            "cans-5"}
    lens = {k: len(v.steps) for k, v in PRESETS.items()}
    assert lens == {"cubic": 1, "pade5": 1, "muon": 1, "cesista5": 5, "you6": 6, "polar-express-5": 5,
                    "polar-express-8": 8, "cans-5": 5}
    assert PRESETS["polar-express-5"].safety == Fraction("1.02")
    assert PRESETS["polar-express-8"].safety == Fraction("1.01")
    assert PRESETS["muon"].eps == 1e-7
    # the last Polar Express 8 step is the Padé quintic, undivided
    assert PRESETS["polar-express-8"].steps[-1] == PRESETS["pade5"].steps[0]
    assert PRESETS["cesista5"].steps[-1].coeffs == (Fraction("2.8366"), Fraction("-3.0525"), Fraction("1.2012"))
    assert PRESETS["cans-5"].steps[-1].coeffs == (Fraction("2.2737"), Fraction("-1.6447"), Fraction("0.4162"))


def test_beyond_rules():
    pe = PRESETS["polar-express-8"]
    assert pe.step(8) == pe.steps[-1] and pe.step(100) == pe.steps[-1]
    you = PRESETS["cesista5"]
    assert you.beyond == "cycle" and you.step(5) == you.steps[0] and you.step(7) == you.steps[2]
    assert len(you.steps_for(12)) == 12 and you.steps_for() == you.steps
    with pytest.raises(InputValueError, match="k must be >= 0"):
        pe.step(-1)


def test_products_and_degree():
    assert PRESETS["cubic"].steps[0].degree == 3 and PRESETS["cubic"].steps[0].products == 2
    assert PRESETS["muon"].steps[0].degree == 5 and PRESETS["muon"].steps[0].products == 3
    assert Step((1, 2, 3, 4)).degree == 7 and Step((1, 2, 3, 4)).products == 4
    assert Step((2,)).products == 0
    assert PRESETS["muon"].products() == 15 and PRESETS["cubic"].products(15) == 30
    # trailing zeros do not raise the degree
    assert Step(("1.5", "-0.5", "0")).degree == 3


def test_step_float_evaluation_matches_exact(tolerance_report):
    rng = np.random.default_rng(1)
    for name, sched in PRESETS.items():
        for st in sched.steps:
            xs = [Fraction(int(v), 2**20) for v in rng.integers(0, 2**21, 50)]
            exact = np.array([float(st.exact(x)) for x in xs])
            approx = st(np.array([float(x) for x in xs]))
            # Horner in x^2 on degree d: gamma_{2d} times the sum of |a_i| x^(2i+1) (Higham 5.3)
            scale = np.array([float(sum(abs(c) * abs(x) ** (2 * i + 1) for i, c in enumerate(st.coeffs)))
                              for x in xs])
            tol = gamma(2 * st.degree + 2)
            err = float(np.max(np.abs(approx - exact) / np.maximum(scale, 1e-300)))
            tolerance_report.record(f"Horner float64 vs exact, {name}", err, tol, kind="relative")


def test_derivative_coeffs_and_critical_points():
    st = Step(("1.5", "-0.5"))
    assert st.derivative_coeffs() == (Fraction(3, 2), Fraction(-3, 2))
    assert st.critical_points() == (1.0,)
    assert st.second_derivative_coeffs() == (Fraction(-3),)
    m = PRESETS["muon"].steps[0]
    for c in m.critical_points():
        assert abs(float(m.derivative(c))) < 1e-12


def test_ns_schedule_string_forms():
    s = ns_schedule("3.4445,-4.7750,2.0315;1.5,-0.5")
    assert s.name == "custom" and s.default_steps == 2
    assert s.steps[0].coeffs == KNOWN_FIRST["muon"] and s.steps[1].coeffs == KNOWN_FIRST["cubic"]
    assert ns_schedule("15/8, -10/8, 3/8").steps[0] == PRESETS["pade5"].steps[0]
    assert ns_schedule("Polar_Express_8") is PRESETS["polar-express-8"]
    # even-length coefficient lists are fine: the coefficients are of odd powers
    assert ns_schedule("1.5,-0.5").steps[0].degree == 3
    assert ns_schedule("1,0,0,0,1").steps[0].degree == 9


def test_ns_schedule_list_forms_and_floats_kept_as_written():
    s = ns_schedule([(3.4445, -4.775, 2.0315)])
    assert s.steps[0].coeffs == KNOWN_FIRST["muon"]
    assert ns_schedule([1.5, -0.5]).steps[0].coeffs == KNOWN_FIRST["cubic"]
    assert ns_schedule([("1.5", "-0.5"), Step((2, -1))]).default_steps == 2
    assert ns_schedule(PRESETS["muon"], eps=0.0).eps == 0.0
    assert ns_schedule(Step((1.5, -0.5))).default_steps == 1


def test_ns_schedule_json(tmp_path):
    p = tmp_path / "mine.json"
    p.write_text(json.dumps({"name": "mine", "steps": [["3.4445", "-4.7750", "2.0315"], ["1.5", "-0.5"]],
                             "beyond": "cycle", "safety": "1.01", "eps": 1e-6}))
    s = ns_schedule(str(p))
    assert (s.name, s.beyond, s.safety, s.eps, s.default_steps) == ("mine", "cycle", Fraction("1.01"), 1e-6, 2)
    assert s.step(2) == s.steps[0]
    # round trip through to_dict
    q = tmp_path / "pe8.json"
    q.write_text(json.dumps(PRESETS["polar-express-8"].to_dict()))
    r = ns_schedule(q)
    assert r.steps == PRESETS["polar-express-8"].steps and r.safety == Fraction("1.01")


@pytest.mark.parametrize("arg, exc, match", [
    ("nope", InputValueError, r"unknown schedule 'nope'; presets are 'cubic', 'pade5', 'muon'"),
    ("", InputValueError, "empty schedule"),
    ("1.5,abc", InputValueError, r"coefficient 1 of step 0 'abc' is not a number"),
    ("1.5,-0.5;;2", InputValueError, r"step 1 of '1.5,-0.5;;2' is empty"),
    ([], InputValueError, "is empty"),
    ([[]], InputValueError, "step 0 of the coefficient list has no coefficients"),
    (None, InputTypeError, "expected a preset name"),
    (3.5, InputTypeError, "expected a preset name"),
    ([(1.5, float("nan"))], InputValueError, "must be finite"),
    ("missing.json", InputValueError, "no such schedule file 'missing.json'"),
])
def test_ns_schedule_bad_input(arg, exc, match):
    with pytest.raises(exc, match=match):
        ns_schedule(arg)


def test_bad_json_and_fields(tmp_path):
    p = tmp_path / "bad.json"
    p.write_text('{"stepz": []}')
    with pytest.raises(InputValueError, match="must hold an object with a 'steps' list"):
        ns_schedule(p)
    p.write_text('{"steps": [[1.5, -0.5]], "colour": 1}')
    with pytest.raises(InputValueError, match=r"unknown keys \['colour'\]"):
        ns_schedule(p)
    p.write_text('{"steps": [[1.5, -0.5]], "eps": "tiny"}')
    with pytest.raises(InputValueError, match="'eps' in .* must be a number, got 'tiny'"):
        ns_schedule(p)
    p.write_text("{not json")
    with pytest.raises(InputValueError, match="is not valid JSON"):
        ns_schedule(p)
    with pytest.raises(InputValueError, match="'beyond' must be one of"):
        Schedule("x", (Step((1.5, -0.5)),), beyond="loop")
    with pytest.raises(InputValueError, match="safety must be > 0"):
        Schedule("x", (Step((1.5, -0.5)),), safety=0)


def test_describe_and_str():
    txt = PRESETS["muon"].describe()
    assert "3.4445·x - 4.775·x^3 + 2.0315·x^5" in txt and "Jordan" in txt
    assert "…" in str(PRESETS["polar-express-8"].steps[0])  # non-terminating rationals are marked
    m = PRESETS["muon"].steps[0]
    assert m.exact(1) == Fraction("0.701")  # exact: Jordan's quintic does not fix 1
    # float64 Horner with cancellation: bound gamma_6 * sum |a_i| = gamma_6 * 10.251
    assert abs(float(m(np.array(1.0))) - 0.701) <= gamma(6) * 10.251


from hypothesis import example, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_decimal = st.decimals(min_value=-100, max_value=100, allow_nan=False, allow_infinity=False, places=6)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(_decimal, min_size=1, max_size=5), min_size=1, max_size=4))
@example([[__import__("decimal").Decimal("3.4445"), __import__("decimal").Decimal("-4.7750")]])
def test_coefficient_string_round_trip(rows):
    """Decimal literals typed on the command line are kept exactly (no binary rounding)."""
    text = ";".join(",".join(str(d) for d in row) for row in rows)
    s = ns_schedule(text)
    want = []
    for row in rows:
        cs = [Fraction(str(d)) for d in row]
        while len(cs) > 1 and cs[-1] == 0:
            cs.pop()
        want.append(tuple(cs))
    assert [st_.coeffs for st_ in s.steps] == want
    # and back through to_dict (the JSON form) without loss
    assert [tuple(Fraction(c) for c in row) for row in s.to_dict()["steps"]] == want


def test_pe8_floats_within_one_ulp_of_reference_division():
    """The reference (NoahAmsel/PolarExpress basic.py) divides in float64: a/1.01, b/1.01**3,
    c/1.01**5 for all but the last step.  Our exact quotients round to within 1 ulp of those."""
    raw = [(8.28721201814563, -23.595886519098837, 17.300387312530933),
           (4.107059111542203, -2.9478499167379106, 0.5448431082926601),
           (3.9486908534822946, -2.908902115962949, 0.5518191394370137),
           (3.3184196573706015, -2.488488024314874, 0.51004894012372),
           (2.300652019954817, -1.6689039845747493, 0.4188073119525673),
           (1.891301407787398, -1.2679958271945868, 0.37680408948524835),
           (1.8750014808534479, -1.2500016453999487, 0.3750001645474248)]
    ref = [(a / 1.01, b / 1.01**3, c / 1.01**5) for a, b, c in raw] + [(1.875, -1.25, 0.375)]
    ours = [s.as_floats() for s in PRESETS["polar-express-8"].steps]
    for o, r in zip(ours, ref):
        for x, y in zip(o, r):
            assert abs(x - y) <= np.spacing(abs(y))
