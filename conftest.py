"""Doctest collection of the package modules: skip modules whose optional dependency is missing.

torch is optional (GPU/autograd paths only); a module that imports it at the top cannot be imported
for its doctests without it, so it is left out of collection then (its tests importorskip torch).
"""
import importlib.util

collect_ignore = []
if importlib.util.find_spec("torch") is None:
    collect_ignore.append("linalg_lab/grnewt/torch_optimiser.py")
