"""``python -m linalg_lab`` runs the ``linalg-lab`` command."""
from .app.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
