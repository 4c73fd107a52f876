"""Command registration for this family (being built)."""


def register(sub, parent):
    return None
