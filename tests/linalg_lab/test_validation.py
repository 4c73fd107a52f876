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


# --- array-likes (issue 11, point 7): lists, __array__ objects, scipy.sparse ------------------
import linalg_lab as ll  # noqa: E402
from linalg_lab import _validation  # noqa: E402
from linalg_lab._validation import as_array, as_operator  # noqa: E402
from scipy.sparse.linalg import aslinearoperator  # noqa: E402

_M = np.array([[1.0, 2.0, 0.0], [3.0, 4.0, 0.5], [0.0, -1.0, 2.0], [0.25, 0.0, 1.0]])


class OnlyArray:
    """An object numpy reads only through ``__array__`` (no shape, no dtype, no indexing)."""

    def __init__(self, a):
        self._a = np.asarray(a)

    def __array__(self, dtype=None, copy=None):
        return self._a if dtype is None else self._a.astype(dtype)


ARRAY_LIKES = {
    "list": lambda a: a.tolist(),
    "tuple": lambda a: tuple(map(tuple, a.tolist())),
    "__array__": OnlyArray,
    "csr_matrix": sp.csr_matrix,
    "csr_array": sp.csr_array,
    "coo_array": sp.coo_array,
    "int csc_array": lambda a: sp.csc_array((a * 4).astype(np.int64)),
}


@pytest.mark.parametrize("kind", list(ARRAY_LIKES))
def test_as_matrix_reads_array_likes(kind):
    # Before: every sparse kind was "a real numeric array, got dtype object (a ragged ...)".
    a = as_matrix(ARRAY_LIKES[kind](_M), func="f")
    want = _M * 4 if kind.startswith("int") else _M
    assert type(a) is np.ndarray and a.dtype == np.float64 and np.array_equal(a, want)


@pytest.mark.parametrize("kind", ["list", "tuple", "__array__"])
def test_as_operator_dense_array_likes(kind):
    k, a = as_operator(ARRAY_LIKES[kind](_M), func="f")
    assert k == "dense" and type(a) is np.ndarray and np.array_equal(a, _M)


@pytest.mark.parametrize("kind", ["csr_matrix", "csr_array", "coo_array"])
def test_as_operator_keeps_sparse_sparse(kind):
    k, a = as_operator(ARRAY_LIKES[kind](_M), func="f")
    assert k == "sparse" and sp.issparse(a) and np.array_equal(a.toarray(), _M)


def test_sparse_densified_only_up_to_the_limit(monkeypatch):
    monkeypatch.setattr(_validation, "MAX_DENSIFY_ENTRIES", 11)
    with pytest.raises(InputValueError, match=r"principal_angles: 'A' is a sparse matrix of shape "
                       r"\(4, 3\).*12 entries exceed .* MAX_DENSIFY_ENTRIES = 11; pass A.toarray\(\)"):
        principal_angles(sp.csr_array(_M), _M[:, :1])
    k, _ = as_operator(sp.csr_array(_M), func="f")  # the sparse path needs no densifying
    assert k == "sparse"


def test_sparse_densified_inputs_keep_the_decided_checks():
    with pytest.raises(InputTypeError, match=r"two_to_q_lower: 'X' must be real, got complex"):
        ll.two_to_q_lower(sp.csr_array(_M * 1j))
    bad = sp.csr_array(_M)
    bad.data[1] = np.inf
    with pytest.raises(InputValueError, match=r"newton_schulz: 'A' has 1 non-finite entries.*index \(0, 1\)"):
        ll.newton_schulz(bad)


def test_linear_operator_refused_where_entries_are_needed():
    with pytest.raises(InputTypeError, match=r"principal_angles: 'A' is a LinearOperator of shape "
                       r"\(4, 3\).*use spectral_norm / power_iteration"):
        principal_angles(aslinearoperator(_M), _M)
    assert as_operator(aslinearoperator(_M), func="f")[0] == "operator"


def test_torch_tensor_requiring_grad_refused_with_remedy():
    torch = pytest.importorskip("torch")
    t = torch.tensor(_M, requires_grad=True)
    with pytest.raises(InputTypeError, match=r"two_to_q_spectral: 'X' is a torch tensor that requires "
                       r"grad.*pass X.detach\(\)"):
        ll.two_to_q_spectral(t)
    assert np.array_equal(as_matrix(t.detach()), _M)


_B = _M[:, :2] + 1.0
_U, _S, _VT = np.linalg.svd(_M, full_matrices=False)
# public functions taking a matrix: name -> (call, what to compare)
PUBLIC = {
    "spectral_norm": (lambda X: ll.spectral_norm(X, seed=0), lambda r: (r.lower, r.upper)),
    "power_iteration": (lambda X: ll.power_iteration(X, seed=0), lambda r: r.estimate),
    "principal_angles": (lambda X: ll.principal_angles(X, _B), lambda r: tuple(r)),
    "projection_ratio": (lambda X: ll.projection_ratio(X.T if isinstance(X, np.ndarray) else X, _M[:, 0]),
                         lambda r: r),
    "two_to_q_lower": (lambda X: ll.two_to_q_lower(X, q=4, seed=0), lambda r: r.lower),
    "two_to_q_spectral": (lambda X: ll.two_to_q_spectral(X, q=4), lambda r: r.upper),
    "lapack_ratios": (lambda X: ll.lapack_ratios(X, _U, _S, _VT), lambda r: r.ok),
    "newton_schulz": (lambda X: ll.newton_schulz(X, steps=3), lambda r: tuple(np.ravel(r.X))),
    "analyze_ns_output": (lambda X: ll.analyze_ns_output(X, steps=3), lambda r: r.ok),
}


def _public_params():
    for fname in PUBLIC:
        for kind in ("list", "__array__", "csr_matrix", "csr_array"):
            yield pytest.param(fname, kind, id=f"{fname}-{kind}")


@pytest.mark.parametrize(("fname", "kind"), list(_public_params()))
def test_public_functions_accept_array_likes(fname, kind):
    call, key = PUBLIC[fname]
    want = key(call(_M))
    got = key(call(ARRAY_LIKES[kind](_M if fname != "projection_ratio" else _M.T)))
    assert got == want
