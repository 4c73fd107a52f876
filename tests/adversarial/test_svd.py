"""Standing adversarial suite for proofs_check.singular_value_enclosures (issue 17).

Every case is checked against mpmath references for ALL singular values, computed from the exact
float entries at enough digits for the matrix's dynamic range (:func:`families.singular_values_mp`).
Both routes are run on every matrix: "float" (error-free split BLAS products) and "arb"; a certified
interval must contain the reference.  Counts (cases, intervals, violations = 0) go to the tolerance
report.  Default: eight seeds per family and shape (360 matrices, both routes, ~5 s); ``-m slow``
runs 100 more seeds (4,500 matrices, 9,000 enclosures, about 27,000 intervals).
"""
import pytest
from mpmath import mpf

from linalg_lab.tolerance import record
from proofs_check.svd import singular_value_enclosures

from .families import cases, singular_values_mp


def _run(n_seeds, seed0=0):
    n_cases = n_intervals = bad = 0
    certified = {"float": 0, "arb": 0}
    failures = []
    for cid, A in cases(n_seeds, seed0):
        truth = singular_values_mp(A)
        for route in ("float", "arb"):
            enc = singular_value_enclosures(A, route=route)
            if not enc.certified:
                continue
            certified[route] += 1
            for i, (lo, hi, x) in enumerate(zip(enc.lower, enc.upper, truth)):
                n_intervals += 1
                if not (mpf(float(lo)) <= x <= mpf(float(hi))):
                    bad += 1
                    failures.append(f"{route} {cid} sigma_{i}: [{lo!r}, {hi!r}] vs {x}")
        n_cases += 1
    return n_cases, n_intervals, bad, certified, failures


def _report(tag, n_cases, n_intervals, bad, certified):
    record(f"adversarial singular_value_enclosures ({tag}): violations in {n_intervals} certified intervals "
           f"({certified['float']} float-route and {certified['arb']} Arb-route certificates of {n_cases} matrices)",
           bad, 0, kind="absolute")


def test_adversarial_svd_default():
    n_cases, n_int, bad, cert, failures = _run(8)
    _report("default", n_cases, n_int, bad, cert)
    assert n_cases == 360 and bad == 0, failures
    # every family certifies on both routes (graded and near-overflow entries included)
    assert cert["float"] == n_cases and cert["arb"] == n_cases, cert


@pytest.mark.slow
def test_adversarial_svd_thousands():
    n_cases, n_int, bad, cert, failures = _run(100, seed0=8)
    _report("slow", n_cases, n_int, bad, cert)
    assert n_cases == 4500 and bad == 0, failures[:20]
