"""The faces of linalg-lab: the ``linalg-lab`` and ``proofs-check`` commands, the report, plots.

This is the only part of ``linalg_lab`` that imports ``proofs_check``, argparse or matplotlib
(``tests/test_layers.py`` enforces it).  It renders results and never recomputes them.

- :mod:`linalg_lab.app.registry`: the :class:`~linalg_lab.app.registry.Command` and
  :class:`~linalg_lab.app.registry.ReportSection` registries.  A module dropped into
  ``app/commands/`` or ``app/report/sections/`` registers itself; nothing else is edited.
- :mod:`linalg_lab.app.cli`: entry points ``main`` (linalg-lab) and ``proofs_check_main``.
- :mod:`linalg_lab.app.report`: the report builder (Markdown, JSON, HTML).
- :mod:`linalg_lab.app.plots`: matplotlib, imported lazily.
"""
