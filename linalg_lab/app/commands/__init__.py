"""CLI command modules: each calls :func:`linalg_lab.app.registry.register_command` at import.

Every module here is imported by :func:`linalg_lab.app.registry.discover`; adding a command is
adding a module (see the README's "Extending").
"""
