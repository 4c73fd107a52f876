"""Regressions for issue 10 points 6-7: empty files and long-double input, one rule everywhere."""
import numpy as np
import pytest

from linalg_lab import InputValueError, load_matrix
from linalg_lab.app.cli import main, proofs_check_main


@pytest.mark.parametrize("suffix", [".npy", ".txt", ".csv", ".npz", ".mtx"])
def test_zero_byte_file_is_a_one_line_input_error(tmp_path, capsys, suffix):
    p = tmp_path / f"empty{suffix}"
    p.write_bytes(b"")
    with pytest.raises(InputValueError, match="empty"):
        load_matrix(p)
    for run, cmd in [(main, ["spectral-norm", str(p)]), (proofs_check_main, ["spectral-norm", str(p)])]:
        assert run(cmd) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "Traceback" not in err and "empty" in err


def test_blank_text_file_no_numpy_warning(tmp_path, recwarn):
    p = tmp_path / "blank.txt"
    p.write_text("# only a comment\n\n")
    with pytest.raises(InputValueError):
        load_matrix(p)
    assert not [w for w in recwarn if issubclass(w.category, UserWarning)]


@pytest.mark.skipif(np.finfo(np.longdouble).eps >= np.finfo(np.float64).eps,
                    reason="long double is float64 on this platform")
def test_lossy_longdouble_refused_everywhere(tmp_path):
    a = np.array([[1, 2], [3, 4]], dtype=np.longdouble) + np.longdouble(2) ** -60
    p = tmp_path / "ld.npy"
    np.save(p, a)
    with pytest.raises(InputValueError, match="float64 cannot represent"):
        load_matrix(p)
    from proofs_check import spectral_norm_enclosure

    with pytest.raises(InputValueError, match="float64 cannot represent"):
        spectral_norm_enclosure(a)
    exact = np.array([[1, 2], [3, 4]], dtype=np.longdouble)
    np.save(p, exact)
    assert load_matrix(p).dtype == np.float64 and spectral_norm_enclosure(exact).certified
