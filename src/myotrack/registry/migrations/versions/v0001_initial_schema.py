"""Initial schema: patients and their visits, labs, drug courses, events and
instrument assessments; settings, user accounts and the append-only audit log.

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-23 13:29:48.845489
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "audit_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=128), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("table_name", sa.String(length=64), nullable=True),
        sa.Column("record_key", sa.Text(), nullable=True),
        sa.Column("patient_id", sa.String(length=64), nullable=True),
        sa.Column("old_value", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("new_value", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("import_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["import_id"], ["audit_event.id"], name=op.f("fk_audit_event_import_id_audit_event")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_event")),
    )
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_event_import_id"), ["import_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_event_patient_id"), ["patient_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_event_table_name"), ["table_name"], unique=False)

    op.create_table(
        "setting",
        sa.Column("key", sa.String(length=128), nullable=False),
        sa.Column("value", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_setting")),
    )
    op.create_table(
        "user_account",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=128), nullable=False),
        sa.Column("password_hash", sa.Text(), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("site", sa.Text(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_account")),
        sa.UniqueConstraint("username", name=op.f("uq_user_account_username")),
    )
    op.create_table(
        "patient",
        sa.Column("patient_id", sa.String(length=64), nullable=False),
        sa.Column("sex", sa.String(length=16), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=False),
        sa.Column("diagnosis", sa.String(length=32), nullable=False),
        sa.Column("onset_date", sa.Date(), nullable=True),
        sa.Column("diagnosis_date", sa.Date(), nullable=True),
        sa.Column("bohan_peter", sa.String(length=32), nullable=True),
        sa.Column("antibodies", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("refractory", sa.String(length=32), nullable=True),
        sa.Column("features", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("site", sa.Text(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("row_version", sa.Integer(), nullable=False),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("extra", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("created_by_audit_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_audit_id"],
            ["audit_event.id"],
            name=op.f("fk_patient_created_by_audit_id_audit_event"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_patient")),
        sa.UniqueConstraint("patient_id", name=op.f("uq_patient_patient_id")),
    )
    with op.batch_alter_table("patient", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_patient_site"), ["site"], unique=False)

    op.create_table(
        "assessment",
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("instrument", sa.String(length=64), nullable=False),
        sa.Column("version", sa.String(length=64), nullable=True),
        sa.Column("items", sa.JSON(), nullable=False),
        sa.Column("total", sa.Double(), nullable=True),
        sa.Column("patient_pk", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("row_version", sa.Integer(), nullable=False),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("extra", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("created_by_audit_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_audit_id"],
            ["audit_event.id"],
            name=op.f("fk_assessment_created_by_audit_id_audit_event"),
        ),
        sa.ForeignKeyConstraint(
            ["patient_pk"], ["patient.id"], name=op.f("fk_assessment_patient_pk_patient")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment")),
        sa.UniqueConstraint(
            "patient_pk",
            "date",
            "instrument",
            name=op.f("uq_assessment_patient_pk_date_instrument"),
        ),
    )
    op.create_table(
        "course",
        sa.Column("drug", sa.String(length=64), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("dose", sa.Double(), nullable=True),
        sa.Column("dose_unit", sa.String(length=16), nullable=True),
        sa.Column("frequency", sa.String(length=32), nullable=True),
        sa.Column("route", sa.String(length=16), nullable=True),
        sa.Column("stop_reason", sa.String(length=32), nullable=True),
        sa.Column("patient_pk", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("row_version", sa.Integer(), nullable=False),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("extra", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("created_by_audit_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_audit_id"],
            ["audit_event.id"],
            name=op.f("fk_course_created_by_audit_id_audit_event"),
        ),
        sa.ForeignKeyConstraint(
            ["patient_pk"], ["patient.id"], name=op.f("fk_course_patient_pk_patient")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_course")),
        sa.UniqueConstraint(
            "patient_pk", "drug", "start_date", name=op.f("uq_course_patient_pk_drug_start_date")
        ),
    )
    op.create_table(
        "event",
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("event", sa.String(length=64), nullable=False),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.Column("grade", sa.Integer(), nullable=True),
        sa.Column("patient_pk", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("row_version", sa.Integer(), nullable=False),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("extra", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("created_by_audit_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_audit_id"],
            ["audit_event.id"],
            name=op.f("fk_event_created_by_audit_id_audit_event"),
        ),
        sa.ForeignKeyConstraint(
            ["patient_pk"], ["patient.id"], name=op.f("fk_event_patient_pk_patient")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event")),
    )
    # NULL details are one key value (see tables.EventRow).
    op.create_index(
        "uq_event_natural_key",
        "event",
        ["patient_pk", "date", "event", sa.text("coalesce(detail, '')")],
        unique=True,
    )
    op.create_table(
        "lab",
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("analyte", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Double(), nullable=True),
        sa.Column("unit", sa.String(length=32), nullable=True),
        sa.Column("result", sa.String(length=32), nullable=True),
        sa.Column("ref_low", sa.Double(), nullable=True),
        sa.Column("ref_high", sa.Double(), nullable=True),
        sa.Column("reported_value", sa.Double(), nullable=True),
        sa.Column("reported_unit", sa.String(length=32), nullable=True),
        sa.Column("reported_ref_low", sa.Double(), nullable=True),
        sa.Column("reported_ref_high", sa.Double(), nullable=True),
        sa.Column("patient_pk", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("row_version", sa.Integer(), nullable=False),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("extra", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("created_by_audit_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_audit_id"],
            ["audit_event.id"],
            name=op.f("fk_lab_created_by_audit_id_audit_event"),
        ),
        sa.ForeignKeyConstraint(
            ["patient_pk"], ["patient.id"], name=op.f("fk_lab_patient_pk_patient")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lab")),
        sa.UniqueConstraint(
            "patient_pk", "date", "analyte", name=op.f("uq_lab_patient_pk_date_analyte")
        ),
    )
    op.create_table(
        "visit",
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("weight_kg", sa.Double(), nullable=True),
        sa.Column("height_cm", sa.Double(), nullable=True),
        sa.Column("rash", sa.Boolean(), nullable=True),
        sa.Column("weakness", sa.Boolean(), nullable=True),
        sa.Column("cmas", sa.Double(), nullable=True),
        sa.Column("mmt8", sa.Double(), nullable=True),
        sa.Column("catbm_activity", sa.Double(), nullable=True),
        sa.Column("catbm_damage", sa.Double(), nullable=True),
        sa.Column("cdasi_activity", sa.Double(), nullable=True),
        sa.Column("cdasi_damage", sa.Double(), nullable=True),
        sa.Column("das_skin", sa.Double(), nullable=True),
        sa.Column("das_muscle", sa.Double(), nullable=True),
        sa.Column("phga", sa.Double(), nullable=True),
        sa.Column("parent_global", sa.Double(), nullable=True),
        sa.Column("chaq", sa.Double(), nullable=True),
        sa.Column("patient_pk", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("row_version", sa.Integer(), nullable=False),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("extra", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("created_by_audit_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_audit_id"],
            ["audit_event.id"],
            name=op.f("fk_visit_created_by_audit_id_audit_event"),
        ),
        sa.ForeignKeyConstraint(
            ["patient_pk"], ["patient.id"], name=op.f("fk_visit_patient_pk_patient")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_visit")),
        sa.UniqueConstraint("patient_pk", "date", name=op.f("uq_visit_patient_pk_date")),
    )


def downgrade() -> None:
    op.drop_table("visit")
    op.drop_table("lab")
    op.drop_index("uq_event_natural_key", table_name="event")
    op.drop_table("event")
    op.drop_table("course")
    op.drop_table("assessment")
    with op.batch_alter_table("patient", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_patient_site"))

    op.drop_table("patient")
    op.drop_table("user_account")
    op.drop_table("setting")
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_event_table_name"))
        batch_op.drop_index(batch_op.f("ix_audit_event_patient_id"))
        batch_op.drop_index(batch_op.f("ix_audit_event_import_id"))

    op.drop_table("audit_event")
