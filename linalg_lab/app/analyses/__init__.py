"""Sweepable analyses: each module registers :class:`linalg_lab.sweep.Analysis` objects at import.

An analysis is ``run(params, seed) -> Result`` at module level (sweep workers import it by
reference); ``linalg-lab sweep NAME --grid FILE --store DIR`` runs it over a grid.
"""
