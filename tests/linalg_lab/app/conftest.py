"""One quick report per test session, shared by the report and vocabulary tests."""
import pytest

from linalg_lab.app.report import build_report


@pytest.fixture(scope="session")
def quick_report(tmp_path_factory):
    out = tmp_path_factory.mktemp("rep")
    res = build_report(out, quick=True)
    return out, res
