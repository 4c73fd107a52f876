"""proofs_check.two_to_q_certificate: soundness, exact projection, the gap instance, errors, CLI."""
import dataclasses
import json

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from linalg_lab import InputTypeError, InputValueError
from linalg_lab.norms import gap_instance, make_instance, two_to_q_sos
from linalg_lab.norms.families import gaussian_instance
from linalg_lab.app.cli import proofs_check_main as main
from proofs_check.norms import certified_lower4, sos_moment_lower4, two_to_q_certificate


@pytest.mark.parametrize("family", ["hadamard", "signs", "d4-roots", "rank-one", "sparse"])
def test_exact_families_enclose_exact_truth(family):
    inst = make_instance(family)
    c = two_to_q_certificate(inst.X, two_to_q_sos(inst.X))
    assert c.upper_rigorous and c.outcome == "exact (certified)"
    assert c.lower_q <= float(inst.truth_q) <= c.upper_q  # exact rationals, exactly representable here
    assert c.lower <= inst.truth <= c.upper


def test_sound_even_for_a_bad_solution():
    """Lower the solver's lambda by 5%: the certificate must shift the bound back above the truth."""
    inst = make_instance("signs", 4)
    s = two_to_q_sos(inst.X)
    bad = dataclasses.replace(s, lam=s.lam * 0.95)
    c = two_to_q_certificate(inst.X, bad)
    assert c.upper_rigorous and c.upper_q >= float(inst.truth_q)
    assert c.mu_q < 0 and c.outcome.startswith("bracketed within")
    noisy = dataclasses.replace(s, gram=s.gram + 1e-3 * np.random.default_rng(0).standard_normal(s.gram.shape))
    c2 = two_to_q_certificate(inst.X, noisy)
    assert c2.upper_q >= float(inst.truth_q)


def test_gap_instance_both_sides_certified():
    inst = gap_instance()
    s = two_to_q_sos(inst.X)
    c = two_to_q_certificate(inst.X, s, moment=True)
    assert c.outcome == "gap" and c.upper_rigorous
    # truth: 288 exactly (identity checked in integers, CL >= 0 by AM-GM, CL(e_x) = 0)
    assert c.lower_q <= 288.0 <= c.lower_q * (1 + 1e-14)
    assert float(certified_lower4(inst.X, np.array([0.0, 1.0, 0.0, 0.0])).lower()) == 288.0
    # SoS value certified from the moment side: strictly above the truth
    assert c.sos_lower_q > 292.9 and c.sos_lower_q <= c.upper_q
    assert float(sos_moment_lower4(inst.X, s).lower()) > 288.0


def test_scaled_input_power_of_two_and_tiny():
    X = gaussian_instance(4, seed=3).X
    s1 = two_to_q_certificate(X, two_to_q_sos(X))
    Y = X * 2.0 ** -300
    s2 = two_to_q_certificate(Y, two_to_q_sos(Y))
    assert s2.upper_rigorous and s2.outcome == "exact (certified)"
    assert s2.lower <= s1.upper * 2.0 ** -300 and s1.lower * 2.0 ** -300 <= s2.upper


def test_solver_failure_gives_uncertified():
    X = np.eye(3) + 0.1
    s = two_to_q_sos(X)
    failed = dataclasses.replace(s, gram=None, status=type(s.status).SOLVER_FAILED, reason="boom")
    c = two_to_q_certificate(X, failed)
    assert not c.upper_rigorous and not c.ok and "boom" in c.reason and c.lower > 0


def test_errors():
    X = np.eye(3)
    s = two_to_q_sos(X)
    with pytest.raises(InputTypeError, match="'sos_result' must be a TwoToQSoSResult"):
        two_to_q_certificate(X, {"value": 1.0})
    with pytest.raises(InputValueError, match=r"computed for shape \(3, 3\), but X has shape \(4, 3\)"):
        two_to_q_certificate(np.ones((4, 3)), s)
    with pytest.raises(InputValueError, match="'lower' must be a finite vector of length 3"):
        two_to_q_certificate(X, s, lower=np.ones(2))


def test_cli(tmp_path, capsys):
    f = tmp_path / "g.npy"
    np.save(f, make_instance("d4-roots").X)
    assert main(["norm", str(f), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["outcome"] == "exact (certified)" and out["rigour"] == "certified"


def test_hilbert_d3_moment_lower_bound_is_a_norm_lower_bound():
    """d <= 3: the SoS value equals the norm (Hilbert), so its certified moment-side lower bound
    bounds the norm from below, even when the moment matrix is not flat (I_3: six maximisers)."""
    X = np.eye(3)
    s = two_to_q_sos(X)
    assert not s.flat and s.hilbert_exact
    c = two_to_q_certificate(X, s, moment=True)
    assert c.hilbert_exact and c.sos_lower_q is not None
    assert 1 - 1e-6 <= c.sos_lower_q <= 1.0 <= c.upper_q
    assert c.outcome == "exact (certified)"


@settings(max_examples=12, deadline=None, derandomize=True)
@given(st.integers(2, 4).flatmap(lambda d: st.lists(
    st.lists(st.integers(-3, 3), min_size=d, max_size=d), min_size=1, max_size=7)))
@example([[1, 0], [0, 0]])          # a zero row
@example([[1, 1, 0], [2, 2, 0]])    # rank one, a dead coordinate
def test_property_certified_bracket_contains_power_method_value(rows):
    """Invariant on small integer matrices: certified lower <= power-method value <= certified upper,
    and the spectral bound is above the certified lower bound."""
    X = np.array(rows, dtype=float)
    if not np.any(X):
        return
    from linalg_lab.norms import two_to_q_lower, two_to_q_spectral

    c = two_to_q_certificate(X, two_to_q_sos(X))
    low = two_to_q_lower(X, seed=0)
    assert c.upper_rigorous
    assert c.lower <= low.lower * (1 + 1e-14) and low.lower <= c.upper
    assert two_to_q_spectral(X).upper >= c.lower * (1 - 1e-14)
