"""Report section modules: each calls :func:`linalg_lab.app.registry.register_section` at import."""
