"""The registry database: SQLAlchemy 2 tables, Alembic migrations, and the repository
functions that load and save domain objects with an audit trail.

SQLite (default, `sqlite:///myotrack.db`) and PostgreSQL (psycopg 3) are supported.

    engine = connect()                  # --database / MYOTRACK_DATABASE_URL / ./myotrack.db
    upgrade(engine)                     # create or migrate the schema (Alembic, idempotent)
    with transaction(engine) as session:          # commit on success, rollback on error
        summary = import_cohort(session, cohort, actor="dm", reason="first import")
        cohort = load_cohort(session, sites=["Lund"])

Modules: `engine` (connections), `migrate` (schema), `tables` (the ORM tables),
`kinds` (domain <-> row mapping), `bulk` (cohort import), `load` (reading back),
`records` (record-level edits with optimistic concurrency and key changes),
`retraction` (retract, restore, list what was retracted), `users`
(accounts), `settings`, `audit` (the audit log and HOW writes are audited: one row per
record-level write and per import update, one `import` event per bulk import whose
inserted rows point to it), `fast` (SQLite bulk I/O through the driver).
Nothing is ever hard-deleted.
"""

from myotrack.registry.audit import AuditEntry, audit_log, latest_audit_id
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
from myotrack.registry.records import (
    row_versions,
    save_course,
    save_event,
    save_lab,
    save_patient,
    save_visit,
)
from myotrack.registry.research_key import research_key
from myotrack.registry.retraction import RetiredRecord, restore, retire, retired_records
from myotrack.registry.settings import get_setting, set_setting
from myotrack.registry.users import (
    ROLES,
    UserAccount,
    create_user,
    get_user,
    list_users,
    set_password_hash,
    update_user,
)

__all__ = [
    "ROLES",
    "AuditEntry",
    "DuplicateError",
    "ImportSummary",
    "InvalidValueError",
    "NotFoundError",
    "RegistryError",
    "RetiredRecord",
    "StaleEditError",
    "TableCounts",
    "UserAccount",
    "audit_log",
    "connect",
    "create_user",
    "current_revision",
    "database_url",
    "get_setting",
    "get_user",
    "import_cohort",
    "list_patients",
    "list_users",
    "load_cohort",
    "latest_audit_id",
    "load_record",
    "research_key",
    "restore",
    "retire",
    "retired_records",
    "row_versions",
    "save_course",
    "save_event",
    "save_lab",
    "save_patient",
    "save_visit",
    "set_password_hash",
    "set_setting",
    "transaction",
    "update_user",
    "upgrade",
]
