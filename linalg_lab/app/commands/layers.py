"""``linalg-lab layers conv``, ``linalg-lab layers sn`` and ``proofs-check conv``."""
from __future__ import annotations

import argparse
from typing import Any

from ..._results import Result
from ..._validation import InputValueError
from ..registry import Command, register_command, register_group

_KERNEL_HELP = "kernel file (.npy), 4-D: (c_out, c_in, kh, kw) in torch layout or (kh, kw, c_in, c_out) in tf layout"


def parse_input_shape(text: str) -> tuple[int, int]:
    """``"32x32"`` -> (32, 32); ``"32"`` -> (32, 32); anything else is an input error (exit 2)."""
    parts = text.lower().replace("×", "x").split("x")
    try:
        vals = [int(p) for p in parts]
    except ValueError:
        vals = []
    if len(vals) == 1:
        vals = vals * 2
    if len(vals) != 2 or min(vals) < 1:
        raise InputValueError(f"--input-shape must look like 32x32 (or 32 for square), got {text!r}")
    return vals[0], vals[1]


def load_kernel(path: str) -> Any:
    """Read a 4-D kernel from a .npy file (validated later by the library)."""
    import numpy as np

    if not path.endswith(".npy"):
        raise InputValueError(f"the kernel must be a .npy file (a 4-D array), got {path!r}")
    try:
        return np.load(path, allow_pickle=False)
    except FileNotFoundError:
        raise InputValueError(f"kernel file not found: {path}") from None
    except ValueError as exc:
        raise InputValueError(f"could not read the kernel {path}: {exc}") from None


def _common(p: argparse.ArgumentParser, *, padding: bool = True) -> None:
    p.add_argument("kernel", help=_KERNEL_HELP)
    p.add_argument("--input-shape", required=True, help="spatial input size HxW, e.g. 32x32 (required)")
    p.add_argument("--layout", default="torch", choices=["torch", "tf"], help="kernel layout")
    if padding:
        p.add_argument("--padding", default="circular", choices=["circular", "zeros", "same", "valid"],
                       help="padding of the layer")
        p.add_argument("--stride", type=int, default=1, help="stride of the layer")


def _conv_run(args: argparse.Namespace) -> Result:
    from ...layers import conv_norm, conv_singular_values

    k = load_kernel(args.kernel)
    shape = parse_input_shape(args.input_shape)
    if args.padding == "circular" and args.stride == 1:
        return conv_singular_values(k, shape, layout=args.layout)
    return conv_norm(k, shape, padding=args.padding, stride=args.stride, layout=args.layout, rtol=args.rtol)


def _conv_args(p: argparse.ArgumentParser) -> None:
    _common(p)
    p.add_argument("--rtol", type=float, default=1e-8,
                   help="bracket width requested from spectral_norm (non-circular or strided layers)")


def _sn_args(p: argparse.ArgumentParser) -> None:
    _common(p)
    p.add_argument("--iterations", type=int, default=1,
                   help="power iterations of spectral normalisation from a fresh start")
    p.add_argument("--seed", type=int, default=0, help="seed of the fresh start")


def _sn_run(args: argparse.Namespace) -> Result:
    from ...layers import sn_gap

    return sn_gap(load_kernel(args.kernel), parse_input_shape(args.input_shape), iterations=args.iterations,
                  padding=args.padding, stride=args.stride, layout=args.layout, seed=args.seed)


def _cert_args(p: argparse.ArgumentParser) -> None:
    _common(p, padding=False)


def _cert_run(args: argparse.Namespace) -> Result:
    from proofs_check.layers import conv_spectral_norm_enclosure

    return conv_spectral_norm_enclosure(load_kernel(args.kernel), parse_input_shape(args.input_shape),
                                        layout=args.layout)


def _example(tmp: Any) -> list[str]:
    import numpy as np

    p = tmp / "kernel.npy"
    np.save(p, np.random.default_rng(0).standard_normal((4, 3, 3, 3)))
    return [str(p), "--input-shape", "6x6"]


def _example_strided(tmp: Any) -> list[str]:
    return [*_example(tmp), "--padding", "zeros", "--stride", "2"]


register_command(Command(
    path=("layers", "conv"), tool="linalg-lab", help="singular values / operator norm of a conv layer",
    description="Every singular value of a circular stride-1 convolution (per-frequency SVDs of the 2-D "
                "DFT, Sedghi-Gupta-Long), or the operator-norm bracket for other paddings and strides.",
    arguments=_conv_args, run=_conv_run, example=_example))
register_command(Command(
    path=("layers", "sn"), tool="linalg-lab", help="spectral normalisation's sigma vs the true layer norm",
    description="sigma of the reshaped kernel (what spectral normalisation divides by), its power-iteration "
                "estimate, the layer's operator norm, and the theorem sigma(W_mat) <= sigma(conv) <= k sigma(W_mat).",
    arguments=_sn_args, run=_sn_run, example=_example_strided))
register_command(Command(
    path=("conv",), tool="proofs-check", help="certified operator norm of a circular conv layer (Arb)",
    description="Rigorous interval for the operator norm of a circular stride-1 convolution: float DFT "
                "with an a-priori error bound, Gram/Cholesky certificates per frequency, Arb at the top one.",
    arguments=_cert_args, run=_cert_run, example=_example))
register_group(("layers",), "spectral norms of network layers: convolutions, spectral normalisation")
