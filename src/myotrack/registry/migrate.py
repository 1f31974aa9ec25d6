"""Creating and upgrading the registry schema with Alembic, from code.

`upgrade(engine)` is `alembic upgrade head` without an alembic.ini: the scripts live
in this package (`myotrack.registry:migrations`). It creates a new database or
upgrades an old one and does nothing when the schema is current.

On SQLite, foreign-key enforcement is switched off while migrating (batch mode
copies and drops tables, which enforcement would block or cascade) and
`PRAGMA foreign_key_check` must come back empty before the migration commits.
"""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine
from sqlalchemy.engine import Connection

from myotrack.registry.errors import RegistryError

SCRIPT_LOCATION = "myotrack.registry:migrations"


def alembic_config(connection: Connection | None = None, url: str | None = None) -> Config:
    """An Alembic Config for the registry's migrations (e.g. to write a new revision)."""
    cfg = Config()
    cfg.set_main_option("script_location", SCRIPT_LOCATION)
    if url is not None:
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def _set_sqlite_foreign_keys(conn: Connection, on: bool) -> None:
    # Outside any transaction (PRAGMA foreign_keys is a no-op inside one).
    raw = conn.connection.driver_connection
    assert raw is not None
    raw.execute(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Create the registry schema or bring it up to the newest revision (idempotent);
    `revision` stops at an older one (tests that upgrade a registry holding data)."""
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as conn:
        if sqlite:
            _set_sqlite_foreign_keys(conn, False)
        try:
            with conn.begin():
                command.upgrade(alembic_config(conn), revision)
                if sqlite:
                    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise RegistryError(
                            f"the migration left {len(broken)} rows pointing at missing "
                            f"rows (first: table {broken[0][0]}, row {broken[0][1]}); "
                            "nothing was changed"
                        )
        finally:
            if sqlite:
                _set_sqlite_foreign_keys(conn, True)


def current_revision(engine: Engine) -> str | None:
    """The Alembic revision the database is at, or None for an empty database."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()
