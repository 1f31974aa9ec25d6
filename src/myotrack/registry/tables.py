"""The registry's tables (SQLAlchemy 2 typed ORM).

Every patient-owned table has a surrogate integer id, a unique constraint on its
natural key, `row_version` (optimistic concurrency, starts at 1), `retired_at`
(soft delete: nothing is ever hard-deleted), `extra` (the `x_` columns of the cohort
folder, JSON) and `created_by_audit_id` (the audit event that created the row: a
record-level `insert` or a bulk `import`). Child tables refer to the patient by its
surrogate id (`patient_pk`); the study pseudonym is `patient.patient_id`.

The schema itself is created by the Alembic migrations in `migrations/versions`;
these classes are the single description the migrations were written from.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Double,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION: dict[str, str] = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# JSON with SQL NULL for Python None (an empty `extra` is stored as NULL).
JsonOrNull = JSON(none_as_null=True)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class _Tracked:
    """Columns every patient-owned row carries."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    row_version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    retired_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    extra: Mapped[dict[str, Any] | None] = mapped_column(JsonOrNull)
    created_by_audit_id: Mapped[int | None] = mapped_column(ForeignKey("audit_event.id"))


class _PatientOwned(_Tracked):
    patient_pk: Mapped[int] = mapped_column(ForeignKey("patient.id"), nullable=False)


class PatientRow(_Tracked, Base):
    __tablename__ = "patient"

    patient_id: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    sex: Mapped[str] = mapped_column(String(16), nullable=False)
    birth_date: Mapped[date] = mapped_column(Date, nullable=False)
    diagnosis: Mapped[str] = mapped_column(String(32), nullable=False)
    onset_date: Mapped[date | None] = mapped_column(Date)
    diagnosis_date: Mapped[date | None] = mapped_column(Date)
    bohan_peter: Mapped[str | None] = mapped_column(String(32))
    antibodies: Mapped[list[str] | None] = mapped_column(JsonOrNull)  # ordered list
    refractory: Mapped[str | None] = mapped_column(String(32))
    features: Mapped[list[str] | None] = mapped_column(JsonOrNull)  # ordered list
    site: Mapped[str | None] = mapped_column(Text, index=True)


class VisitRow(_PatientOwned, Base):
    __tablename__ = "visit"
    __table_args__ = (UniqueConstraint("patient_pk", "date"),)

    date: Mapped[date] = mapped_column(Date, nullable=False)
    weight_kg: Mapped[float | None] = mapped_column(Double)
    height_cm: Mapped[float | None] = mapped_column(Double)
    rash: Mapped[bool | None] = mapped_column(Boolean)
    weakness: Mapped[bool | None] = mapped_column(Boolean)
    cmas: Mapped[float | None] = mapped_column(Double)
    mmt8: Mapped[float | None] = mapped_column(Double)
    catbm_activity: Mapped[float | None] = mapped_column(Double)
    catbm_damage: Mapped[float | None] = mapped_column(Double)
    cdasi_activity: Mapped[float | None] = mapped_column(Double)
    cdasi_damage: Mapped[float | None] = mapped_column(Double)
    das_skin: Mapped[float | None] = mapped_column(Double)
    das_muscle: Mapped[float | None] = mapped_column(Double)
    phga: Mapped[float | None] = mapped_column(Double)
    parent_global: Mapped[float | None] = mapped_column(Double)
    chaq: Mapped[float | None] = mapped_column(Double)


class LabRow(_PatientOwned, Base):
    __tablename__ = "lab"
    __table_args__ = (UniqueConstraint("patient_pk", "date", "analyte"),)

    date: Mapped[date] = mapped_column(Date, nullable=False)
    analyte: Mapped[str] = mapped_column(String(64), nullable=False)
    value: Mapped[float | None] = mapped_column(Double)
    unit: Mapped[str | None] = mapped_column(String(32))
    result: Mapped[str | None] = mapped_column(String(32))
    ref_low: Mapped[float | None] = mapped_column(Double)
    ref_high: Mapped[float | None] = mapped_column(Double)
    # As the laboratory reported it, when the importer converted it (e.g. µkat/L -> U/L).
    reported_value: Mapped[float | None] = mapped_column(Double)
    reported_unit: Mapped[str | None] = mapped_column(String(32))
    reported_ref_low: Mapped[float | None] = mapped_column(Double)
    reported_ref_high: Mapped[float | None] = mapped_column(Double)


class CourseRow(_PatientOwned, Base):
    __tablename__ = "course"
    __table_args__ = (UniqueConstraint("patient_pk", "drug", "start_date"),)

    drug: Mapped[str] = mapped_column(String(64), nullable=False)
    start_date: Mapped[date] = mapped_column(Date, nullable=False)
    end_date: Mapped[date | None] = mapped_column(Date)
    dose: Mapped[float | None] = mapped_column(Double)
    dose_unit: Mapped[str | None] = mapped_column(String(16))
    frequency: Mapped[str | None] = mapped_column(String(32))
    route: Mapped[str | None] = mapped_column(String(16))
    stop_reason: Mapped[str | None] = mapped_column(String(32))


class EventRow(_PatientOwned, Base):
    __tablename__ = "event"
    date: Mapped[date] = mapped_column(Date, nullable=False)
    event: Mapped[str] = mapped_column(String(64), nullable=False)
    detail: Mapped[str | None] = mapped_column(Text)
    grade: Mapped[int | None] = mapped_column(Integer)


# `detail` is part of the event's natural key but may be empty: a unique index on
# coalesce(detail, '') makes "no detail" one key value (NULLs are otherwise distinct).
Index(
    "uq_event_natural_key",
    EventRow.patient_pk,
    EventRow.date,
    EventRow.event,
    func.coalesce(EventRow.detail, ""),
    unique=True,
)


class AssessmentRow(_PatientOwned, Base):
    """Item-level scores of one instrument at one visit (`extra` is unused: the cohort
    folder carries no assessments, so there are no `x_` columns for them)."""

    __tablename__ = "assessment"
    __table_args__ = (UniqueConstraint("patient_pk", "date", "instrument"),)

    date: Mapped[date] = mapped_column(Date, nullable=False)
    instrument: Mapped[str] = mapped_column(String(64), nullable=False)
    version: Mapped[str | None] = mapped_column(String(64))
    items: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
    total: Mapped[float | None] = mapped_column(Double)


class ClinicalImageRow(_PatientOwned, Base):
    """A clinical image (photograph or imaging slice) of a patient: the file lives in the
    image store under `sha256` (`myotrack.media`); consent flags per purpose (issue 14,
    `myotrack.domain.images`, migration v0005)."""

    __tablename__ = "clinical_image"
    __table_args__ = (UniqueConstraint("patient_pk", "sha256"),)

    date: Mapped[date] = mapped_column(Date, nullable=False)
    body_site: Mapped[str] = mapped_column(String(32), nullable=False)
    kind: Mapped[str] = mapped_column(String(32), nullable=False)
    caption: Mapped[str | None] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False, index=True)
    media_type: Mapped[str] = mapped_column(String(32), nullable=False)
    width: Mapped[int] = mapped_column(Integer, nullable=False)
    height: Mapped[int] = mapped_column(Integer, nullable=False)
    byte_size: Mapped[int] = mapped_column(Integer, nullable=False)
    consent_clinical_record: Mapped[bool] = mapped_column(Boolean, nullable=False)
    consent_research: Mapped[bool] = mapped_column(Boolean, nullable=False)
    consent_publication: Mapped[bool] = mapped_column(Boolean, nullable=False)


class SettingRow(Base):
    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(String(128), primary_key=True)
    value: Mapped[str | None] = mapped_column(Text)


class UserAccountRow(Base):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(128), nullable=False, unique=True)
    password_hash: Mapped[str] = mapped_column(Text, nullable=False)
    role: Mapped[str] = mapped_column(String(32), nullable=False)
    site: Mapped[str | None] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class WebSessionRow(Base):
    """A logged-in web session. The cookie holds a random id; only its SHA-256 is stored,
    so reading this table does not give anyone a working cookie. Ending a session deletes
    its row (sessions are not records of care). Times are Unix seconds."""

    __tablename__ = "web_session"

    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    username: Mapped[str] = mapped_column(String(128), nullable=False, index=True)
    csrf_token: Mapped[str] = mapped_column(String(64), nullable=False)
    started_at: Mapped[int] = mapped_column(BigInteger, nullable=False)
    seen_at: Mapped[int] = mapped_column(BigInteger, nullable=False, index=True)


class LoginFailureRow(Base):
    """Failed log-ins per (user name, client address), shared by every server process.
    `pair_hash` is the SHA-256 of the normalised pair (bounded length whatever is typed).
    Times are Unix seconds."""

    __tablename__ = "login_failure"

    pair_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, nullable=False)
    locked_until: Mapped[float] = mapped_column(Double, nullable=False)
    last_failed_at: Mapped[float] = mapped_column(Double, nullable=False, index=True)


class AuditEventRow(Base):
    """Append-only: rows are inserted, never updated or deleted."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    actor: Mapped[str] = mapped_column(String(128), nullable=False)
    action: Mapped[str] = mapped_column(String(16), nullable=False)
    table_name: Mapped[str | None] = mapped_column(String(64), index=True)
    record_key: Mapped[str | None] = mapped_column(Text)
    patient_id: Mapped[str | None] = mapped_column(String(64), index=True)
    old_value: Mapped[dict[str, Any] | None] = mapped_column(JsonOrNull)
    new_value: Mapped[dict[str, Any] | None] = mapped_column(JsonOrNull)
    reason: Mapped[str | None] = mapped_column(Text)
    import_id: Mapped[int | None] = mapped_column(ForeignKey("audit_event.id"), index=True)
    # SHA-256 chain over the rows in id order (registry/audit.py; migration v0004).
    row_hash: Mapped[str | None] = mapped_column(String(64))


def _table(cls: type[Base]) -> Table:
    table = cls.__table__
    assert isinstance(table, Table)
    return table


PATIENT_TABLE = _table(PatientRow)
VISIT_TABLE = _table(VisitRow)
LAB_TABLE = _table(LabRow)
COURSE_TABLE = _table(CourseRow)
EVENT_TABLE = _table(EventRow)
ASSESSMENT_TABLE = _table(AssessmentRow)
SETTING_TABLE = _table(SettingRow)
USER_TABLE = _table(UserAccountRow)
AUDIT_TABLE = _table(AuditEventRow)
WEB_SESSION_TABLE = _table(WebSessionRow)
LOGIN_FAILURE_TABLE = _table(LoginFailureRow)
CLINICAL_IMAGE_TABLE = _table(ClinicalImageRow)
