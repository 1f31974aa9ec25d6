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
inserted rows point to it), `fast` (SQLite bulk I/O through the driver), `locks` (one
import at a time), `web_sessions` (the web app's sessions and failed-login counts),
`usernames` (look-alike user names), `activity` (what the patient list shows, by grouped
queries; a patient's site), `images` (clinical image rows), `backup` (SQLite backup and
restore). Nothing is ever hard-deleted.

Other packages import from here only: the tables, the row mapping (`kinds`), the
driver-level I/O (`fast`) and every query on the registry's tables stay inside the
registry (tests/test_package_api.py).

Writers wait for each other: `transaction(engine, write=True)` takes the write lock at
its start and waits for it; one that cannot get it in time raises `BusyError` (nothing
written, try again), an unreachable database `UnavailableError`.
"""

from myotrack.registry.activity import PatientActivity, patient_activity, patient_site
from myotrack.registry.audit import (
    AuditEntry,
    ChainReport,
    audit_log,
    latest_audit_id,
    verify_chain,
)
from myotrack.registry.backup import (
    BackupCheck,
    BackupError,
    backup_sqlite,
    check_backup,
    postgres_guidance,
    restore_sqlite,
    sqlite_path,
)
from myotrack.registry.bulk import (
    FolderProblemsError,
    ImportSummary,
    TableCounts,
    import_cohort,
    import_folder,
)
from myotrack.registry.engine import (
    connect,
    database_answers,
    database_url,
    transaction,
    translate,
)
from myotrack.registry.errors import (
    BusyError,
    DuplicateError,
    ImportRunningError,
    InvalidValueError,
    NotFoundError,
    RegistryError,
    StaleEditError,
    UnavailableError,
)
from myotrack.registry.images import (
    add_image,
    all_images,
    get_image,
    list_images,
    restore_image,
    retract_image,
    retracted_images,
    set_consent,
    stored_files,
)
from myotrack.registry.load import list_patients, load_cohort, load_record, load_whole_record
from myotrack.registry.locks import hold_import_lock
from myotrack.registry.migrate import current_revision, upgrade
from myotrack.registry.records import (
    row_versions,
    save_course,
    save_event,
    save_lab,
    save_patient,
    save_record,
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
from myotrack.registry.web_sessions import (
    LoginFailures,
    WebSession,
    add_login_failure,
    clear_login_failures,
    end_session,
    end_sessions_of,
    end_stale_sessions,
    find_session,
    forget_old_login_failures,
    lock_login,
    login_failures,
    store_session,
    touch_session,
)

__all__ = [
    "ROLES",
    "AuditEntry",
    "BackupCheck",
    "BackupError",
    "BusyError",
    "ChainReport",
    "DuplicateError",
    "FolderProblemsError",
    "ImportRunningError",
    "ImportSummary",
    "InvalidValueError",
    "LoginFailures",
    "NotFoundError",
    "PatientActivity",
    "RegistryError",
    "RetiredRecord",
    "StaleEditError",
    "TableCounts",
    "UnavailableError",
    "UserAccount",
    "WebSession",
    "add_image",
    "add_login_failure",
    "all_images",
    "audit_log",
    "backup_sqlite",
    "check_backup",
    "clear_login_failures",
    "connect",
    "create_user",
    "current_revision",
    "database_answers",
    "database_url",
    "end_session",
    "end_sessions_of",
    "end_stale_sessions",
    "find_session",
    "forget_old_login_failures",
    "get_image",
    "get_setting",
    "get_user",
    "hold_import_lock",
    "import_cohort",
    "import_folder",
    "latest_audit_id",
    "list_images",
    "list_patients",
    "list_users",
    "load_cohort",
    "load_record",
    "load_whole_record",
    "lock_login",
    "login_failures",
    "patient_activity",
    "patient_site",
    "postgres_guidance",
    "research_key",
    "restore",
    "restore_image",
    "restore_sqlite",
    "retire",
    "retired_records",
    "retract_image",
    "retracted_images",
    "row_versions",
    "save_course",
    "save_event",
    "save_lab",
    "save_patient",
    "save_record",
    "save_visit",
    "set_consent",
    "set_password_hash",
    "set_setting",
    "sqlite_path",
    "store_session",
    "stored_files",
    "touch_session",
    "transaction",
    "translate",
    "update_user",
    "upgrade",
    "verify_chain",
]
