"""load_matrix for every supported format, and its errors."""
import numpy as np
import pytest
import scipy.io
import scipy.sparse as sp

from linalg_lab import InputValueError, load_matrix, save_matrix


def test_roundtrip_formats(tmp_path, rng):
    A = rng.standard_normal((4, 3))
    for suffix in (".npy", ".txt", ".csv", ".mtx", ".npz"):
        p = save_matrix(tmp_path / f"a{suffix}", A)
        B = load_matrix(p)
        B = B.toarray() if sp.issparse(B) else B
        np.testing.assert_array_equal(B, A)  # all formats store 17 significant digits: exact


def test_npz_keys_and_sparse(tmp_path):
    np.savez(tmp_path / "two.npz", X=np.eye(2), Y=np.ones((2, 3)))
    assert load_matrix(tmp_path / "two.npz", key="Y").shape == (2, 3)
    assert load_matrix(f"{tmp_path / 'two.npz'}:X").shape == (2, 2)
    with pytest.raises(InputValueError, match=r"holds 2 arrays \['X', 'Y'\]; choose one with key"):
        load_matrix(tmp_path / "two.npz")
    with pytest.raises(InputValueError, match="has no array 'Z'"):
        load_matrix(tmp_path / "two.npz", key="Z")
    S = sp.random_array((20, 10), density=0.2, rng=0, format="csr")
    sp.save_npz(tmp_path / "s.npz", sp.csr_matrix(S))
    assert sp.issparse(load_matrix(tmp_path / "s.npz"))
    scipy.io.mmwrite(tmp_path / "s.mtx", sp.coo_matrix(S))
    assert sp.issparse(load_matrix(tmp_path / "s.mtx"))
    assert not sp.issparse(load_matrix(tmp_path / "s.mtx", sparse_ok=False))


def test_errors(tmp_path):
    with pytest.raises(InputValueError, match="file not found"):
        load_matrix(tmp_path / "nope.npy")
    (tmp_path / "a.xls").write_text("1")
    with pytest.raises(InputValueError, match=r"unsupported file type '.xls'"):
        load_matrix(tmp_path / "a.xls")
    (tmp_path / "bad.csv").write_text("1,2\n3,x\n")
    with pytest.raises(InputValueError, match="could not read bad.csv"):
        load_matrix(tmp_path / "bad.csv")
    (tmp_path / "nan.txt").write_text("1 nan\n2 3\n")
    with pytest.raises(InputValueError, match="nan.txt' has 1 non-finite"):
        load_matrix(tmp_path / "nan.txt")
    np.save(tmp_path / "c.npy", np.ones((2, 2), dtype=complex))
    with pytest.raises(TypeError, match="complex"):
        load_matrix(tmp_path / "c.npy")
