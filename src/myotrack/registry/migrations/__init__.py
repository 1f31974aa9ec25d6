"""Alembic migrations of the registry (run through `myotrack.registry.upgrade`)."""
