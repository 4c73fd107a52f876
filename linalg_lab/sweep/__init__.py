"""Sweeps: run any registered analysis over a parameter grid, on local processes or Dask.

- :class:`Analysis`: a named function ``run(params, seed) -> Result`` (the faces register them in
  ``linalg_lab/app/analyses/``; this package imports no family and no face).
- :func:`expand_grid`: a dict of lists (a product) or a list of dicts -> the points, in order.
- :class:`Store`: an append-only SQLite table, one row per finished attempt at a point, keyed by a
  hash of the analysis name, its parameters and the package version.
- :func:`run`: every point is a task; each finished task is written to the store at once, so a
  crash loses only the points that were running; re-running skips stored points (resume) and
  retries failed ones only on request.

Seeds: point ``i`` of the grid gets ``SeedSequence(root_seed).spawn(n)[i]`` (its first 63 bits as
an int), so a point's result does not depend on which worker ran it or in which order.
"""
from .analysis import Analysis
from .grid import expand_grid, point_key, point_seeds
from .runner import SweepResult, run
from .store import Store

__all__ = ["Analysis", "Store", "SweepResult", "expand_grid", "point_key", "point_seeds", "run"]
