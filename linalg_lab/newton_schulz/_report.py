"""Report section for this family (being built)."""


def build(ctx):
    return None
