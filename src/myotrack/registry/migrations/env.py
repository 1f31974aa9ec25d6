"""Alembic environment of the registry.

Run programmatically by `myotrack.registry.upgrade(engine)`, which passes its
connection in `config.attributes["connection"]`; no alembic.ini is needed. Batch mode
(`render_as_batch=True`) makes ALTERs work on SQLite by "move and copy".
"""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from myotrack.registry.engine import connect
from myotrack.registry.tables import Base

target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_offline() -> None:
    context.configure(
        url=context.config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        render_as_batch=True,
        literal_binds=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = context.config.attributes.get("connection")
    if isinstance(connection, Connection):
        _run(connection)
        return
    engine = connect(context.config.get_main_option("sqlalchemy.url"))
    try:
        with engine.begin() as conn:
            _run(conn)
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
