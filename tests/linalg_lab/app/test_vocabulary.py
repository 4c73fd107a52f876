"""One vocabulary for every result (issue 9): walk every result of every registered report section.

Every public result has ``rigour`` (a Rigour), ``status`` (a Status), ``ok``, ``to_dict()`` that is
strict JSON; bounds are ``lower``/``upper``; time is ``elapsed_s``; certificates carry a
``verdict`` (a Verdict) and derive ``certified`` from it.
"""
from __future__ import annotations

import dataclasses
import json

import pytest

from linalg_lab._results import Certificate, Result, Rigour, Status, Verdict
from linalg_lab.app.registry import ordered_sections

# Spellings the renovation retired: bounds are lower/upper, time is elapsed_s.
FORBIDDEN = {"band_lo", "band_hi", "band_lower", "band_upper", "lower_bound", "upper_bound", "value_lo",
             "value_hi", "elapsed", "wall_time", "times_s", "time_s", "seconds"}


def _walk(obj, path, out):
    if isinstance(obj, Result):
        out.append((path, obj))
        for f in dataclasses.fields(obj):
            _walk(getattr(obj, f.name), f"{path}.{f.name}", out)
    elif isinstance(obj, dict):
        for k, v in obj.items():
            _walk(v, f"{path}[{k!r}]", out)
    elif isinstance(obj, (list, tuple)):
        for i, v in enumerate(obj):
            _walk(v, f"{path}[{i}]", out)


def vocabulary_problems(res: Result) -> list[str]:
    bad = []
    if not isinstance(getattr(res, "rigour", None), Rigour):
        bad.append("no rigour")
    if not isinstance(getattr(res, "status", None), Status):
        bad.append("status is not a Status")
    if not isinstance(res.ok, bool):
        bad.append("ok is not a bool")
    try:
        json.dumps(res.to_dict(), allow_nan=False)
    except (TypeError, ValueError) as exc:
        bad.append(f"to_dict() is not strict JSON: {exc}")
    names = {f.name for f in dataclasses.fields(res)}
    bad += [f"field {n!r} (use lower/upper, elapsed_s)" for n in sorted(names & FORBIDDEN)]
    if isinstance(res, Certificate):
        if not isinstance(getattr(res, "verdict", None), Verdict):
            bad.append("certificate without a Verdict")
        if "certified" in names:
            bad.append("certificate with a 'certified' field (derive it from verdict)")
    elif "verdict" in names and "Certificate" in type(res).__name__:
        bad.append("a certificate that is not a Certificate")
    return bad


def test_every_registered_default_case_speaks_the_vocabulary(quick_report):
    _, rep = quick_report
    seen, problems = 0, []
    for name, rec in rep.records.items():
        found: list = []
        _walk(rec.objects, name, found)
        for path, res in found:
            seen += 1
            problems += [f"{path} ({type(res).__name__}): {p}" for p in vocabulary_problems(res)]
    assert seen > 0
    assert not problems, "\n".join(problems)


def test_every_section_produced_results(quick_report):
    _, rep = quick_report
    empty = [n for n, rec in rep.records.items()
             if not any(isinstance(v, Result) or isinstance(v, (dict, list)) for v in rec.objects.values())]
    assert not empty, f"sections without result objects: {empty}"


@pytest.mark.parametrize("section", [s.name for s in ordered_sections()])
def test_sections_are_registered_objects(section):
    sec = next(s for s in ordered_sections() if s.name == section)
    assert callable(sec.build) and sec.title
