"""``python -m proofs_check`` runs the ``proofs-check`` command."""
from linalg_lab.app.cli import proofs_check_main

if __name__ == "__main__":
    raise SystemExit(proofs_check_main())
