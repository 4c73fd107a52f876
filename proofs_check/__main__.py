"""``python -m proofs_check`` runs the ``proofs-check`` command."""
from .cli import main

if __name__ == "__main__":
    raise SystemExit(main())
