"""The registry database: SQLAlchemy 2 tables, Alembic migrations, and the repository
functions that load and save domain objects with an audit trail.

SQLite (default, `sqlite:///myotrack.db`) and PostgreSQL (psycopg 3) are supported;
see `engine` for connections, `migrate` for the schema, `bulk` for importing a cohort,
`load` for reading it back, `records` for record-level edits, `users` for accounts and
`audit` for how writes are audited (and the decision behind it).
"""

from myotrack.registry.audit import AuditEntry, audit_log
from myotrack.registry.bulk import ImportSummary, TableCounts, import_cohort
from myotrack.registry.engine import connect, database_url, transaction
from myotrack.registry.errors import (
    DuplicateError,
    InvalidValueError,
    NotFoundError,
    RegistryError,
    StaleEditError,
)
from myotrack.registry.load import list_patients, load_cohort, load_record
from myotrack.registry.migrate import current_revision, upgrade
from myotrack.registry.settings import get_setting, set_setting

__all__ = [
    "AuditEntry",
    "DuplicateError",
    "ImportSummary",
    "InvalidValueError",
    "NotFoundError",
    "RegistryError",
    "StaleEditError",
    "TableCounts",
    "audit_log",
    "connect",
    "current_revision",
    "database_url",
    "get_setting",
    "import_cohort",
    "list_patients",
    "load_cohort",
    "load_record",
    "set_setting",
    "transaction",
    "upgrade",
]
