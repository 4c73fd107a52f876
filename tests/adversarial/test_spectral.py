"""Standing adversarial suite for spectral_norm's bracket and proofs_check.spectral_norm_enclosure.

Every case is checked against an mpmath reference computed from the exact float entries at enough
digits for its dynamic range.  The bracket must contain the truth whatever its status; a certified
enclosure must contain it.  Counts (cases, violations, exclusions = 0) go to the tolerance report.
Default: four seeds per family and shape (180 matrices); ``-m slow`` runs 60 more (2,700 matrices).
"""
import numpy as np
import pytest
from mpmath import mpf

from linalg_lab import spectral_norm
from linalg_lab.tolerance import record
from proofs_check import spectral_norm_enclosure

from .families import cases, singular_values_mp


def _run(n_seeds, seed0=0):
    n_cases = bad_bracket = bad_cert = certified = 0
    failures = []
    for cid, A in cases(n_seeds, seed0):
        truth = singular_values_mp(A)[0]
        r = spectral_norm(A, seed=n_cases)
        if not (mpf(r.lower) <= truth <= mpf(r.upper)):
            bad_bracket += 1
            failures.append(f"bracket {cid}: [{r.lower!r}, {r.upper!r}] vs {truth}")
        e = spectral_norm_enclosure(A)
        if e.certified:
            certified += 1
            if not (mpf(e.lower) <= truth <= mpf(e.upper)):
                bad_cert += 1
                failures.append(f"enclosure {cid}: [{e.lower!r}, {e.upper!r}] vs {truth}")
        n_cases += 1
    return n_cases, bad_bracket, bad_cert, certified, failures


def _report(tag, n_cases, bad_bracket, bad_cert, certified):
    record(f"adversarial spectral_norm bracket ({tag}): violations in {n_cases} cases, 0 excluded",
           bad_bracket, 0, kind="absolute")
    record(f"adversarial spectral_norm_enclosure ({tag}): violations in {certified} certified of {n_cases}",
           bad_cert, 0, kind="absolute")


def test_adversarial_spectral_default():
    n_cases, bb, bc, cert, failures = _run(4)
    _report("default", n_cases, bb, bc, cert)
    assert n_cases == 180 and bb == 0 and bc == 0, failures
    assert cert >= 170  # nearly every case certifies (those beyond the float range still enclose)


@pytest.mark.slow
def test_adversarial_spectral_thousands():
    n_cases, bb, bc, cert, failures = _run(60, seed0=4)
    _report("slow", n_cases, bb, bc, cert)
    assert n_cases == 2700 and bb == 0 and bc == 0, failures[:20]
