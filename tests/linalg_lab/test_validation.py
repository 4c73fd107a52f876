"""Every class of bad input has a decided, tested behaviour (see linalg_lab/_validation.py)."""
import numpy as np
import pytest
import scipy.sparse as sp

from linalg_lab import InputTypeError, InputValueError, alignment, principal_angles, projection_ratio, spectral_norm
from linalg_lab._validation import as_matrix, check_int, check_option, check_real


@pytest.mark.parametrize("bad, exc, match", [
    (None, InputTypeError, r"'A' must be a real numeric array, got None"),
    ("abc", InputTypeError, r"got a string"),
    (np.array([["a", "b"]]), InputTypeError, r"got dtype <U1"),
    (np.array([[1, None]], dtype=object), InputTypeError, r"dtype object"),
    (np.array([[1 + 2j]]), InputTypeError, r"must be real, got complex dtype complex128"),
    (np.ones(3), InputValueError, r"must be a 2-D array, got shape \(3,\); use A.reshape\(1, -1\)"),
    (np.ones((2, 2, 2)), InputValueError, r"must be a 2-D array, got shape \(2, 2, 2\)"),
    (np.ones((0, 3)), InputValueError, r"must be non-empty, got shape \(0, 3\)"),
    (np.array([[1.0, np.nan], [np.inf, 0]]), InputValueError, r"2 non-finite entries.*index \(0, 1\)"),
    (np.array([[2**60]], dtype=np.int64), InputValueError, r"float64 cannot represent exactly"),
    ([[1, 2], [3]], InputValueError, r"could not be read as an array"),
])
def test_spectral_norm_bad_input_messages(bad, exc, match):
    with pytest.raises(exc, match=match) as ei:
        spectral_norm(bad)
    assert str(ei.value).startswith("spectral_norm: ")


def test_integer_and_bool_inputs_become_float64():
    a = as_matrix(np.array([[1, 2], [3, 4]], dtype=np.int32))
    assert a.dtype == np.float64
    assert as_matrix(np.eye(2, dtype=bool)).dtype == np.float64
    assert spectral_norm(np.array([[3, 0], [0, 4]])).lower <= 4 <= spectral_norm(np.array([[3, 0], [0, 4]])).upper


def test_float32_kept_float16_promoted():
    assert as_matrix(np.ones((2, 2), np.float32)).dtype == np.float32
    assert as_matrix(np.ones((2, 2), np.float16)).dtype == np.float64


def test_sparse_bad_inputs():
    with pytest.raises(InputTypeError, match="must be real, got complex"):
        spectral_norm(sp.csr_array(np.array([[1j, 0]])))
    m = sp.csr_array(np.array([[1.0, 0.0], [0.0, 2.0]]))
    m.data[0] = np.nan
    with pytest.raises(InputValueError, match="1 non-finite stored entries"):
        spectral_norm(m)
    with pytest.raises(InputValueError, match="non-empty"):
        spectral_norm(sp.csr_array((0, 3)))


def test_option_errors_quote_value():
    with pytest.raises(InputValueError, match=r"The 'method' parameter of spectral_norm must be one of \{'lanczos', 'power'\}. Got 'pwr' instead."):
        spectral_norm(np.eye(2), method="pwr")
    with pytest.raises(InputValueError, match=r"'rtol' parameter of spectral_norm must lie in \(0.0, 1.0\). Got 0.0"):
        spectral_norm(np.eye(2), rtol=0.0)
    with pytest.raises(InputTypeError, match="'maxiter' parameter of spectral_norm must be an int, got float"):
        spectral_norm(np.eye(2), maxiter=2.5)
    with pytest.raises(InputValueError, match="must be >= 1"):
        check_int(0, "k", func="f", minimum=1)
    with pytest.raises(InputTypeError, match="must be an int, got bool"):
        check_int(True, "k", func="f")
    with pytest.raises(InputValueError, match="must be finite"):
        check_real(float("nan"), "x", func="f")
    with pytest.raises(InputValueError, match="Got 'b' instead"):
        check_option("b", "mode", ("a",), func="f")


def test_subspace_bad_inputs():
    with pytest.raises(InputValueError, match=r"principal_angles: 'A' and 'B' must have the same number of rows.*\(3, 1\) and \(4, 1\)"):
        principal_angles(np.ones((3, 1)), np.ones((4, 1)))
    with pytest.raises(InputValueError, match=r"principal_angles: 'B' must be an array with at least 2 dimensions, got shape \(3,\)"):
        principal_angles(np.ones((3, 1)), np.ones(3))
    with pytest.raises(InputValueError, match="alignment with a zero vector is undefined \\('v' is zero\\)"):
        alignment([1.0, 2.0], [0.0, 0.0])
    with pytest.raises(InputValueError, match="same length"):
        alignment([1.0, 2.0], [1.0, 2.0, 3.0])
    with pytest.raises(InputTypeError, match="alignment: 'u' must be real"):
        alignment(np.array([1j, 0]), [1.0, 0.0])
    with pytest.raises(InputValueError, match="projection_ratio: 'W' is the zero matrix"):
        projection_ratio(np.zeros((2, 3)), np.ones(3))
    with pytest.raises(InputValueError, match=r"'vectors' must have 3 rows .* got shape \(2, 1\)"):
        projection_ratio(np.ones((2, 3)), np.ones(2))
    with pytest.raises(InputValueError, match="non-finite"):
        projection_ratio(np.ones((2, 3)), np.array([1.0, np.nan, 0.0]))
