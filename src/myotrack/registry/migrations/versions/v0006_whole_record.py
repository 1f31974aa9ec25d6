"""The whole JDM record (issue 11, cohort format version 2): one table per record kind.

New tables only — investigations (chest CT, lung function, oxygen need, BAL, muscle MRI,
ultrasound and biopsy, capillaroscopy, cardiac tests, swallow), dated organ involvement,
patient background, antibody tests, family history, vaccinations, pregnancy tests,
treatment decisions, courses and events known only to the month or year
(`treatment_course`, `clinical_event`) and the version 2 detail of version 1 courses and
events (`course_detail`, `event_detail`). The version 1 tables are not touched, so an
upgrade cannot lose or change a stored row (tests/registry/test_migration_whole_record.py
proves it on SQLite and PostgreSQL). Each table is tracked like every patient-owned table
and unique on (patient_pk, record_key). A partial date is stored as its first day and its
precision (`<name>_precision`: year, month, day).

The column lists are a frozen copy of `registry.tables_v2` as of this revision (a later
change of a kind's columns needs its own migration). The downgrade drops the tables.

Revision ID: v0006_whole_record
Revises: v0005_clinical_images
Create Date: 2026-12-01 16:30:00
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "v0006_whole_record"
down_revision: str | None = "v0005_clinical_images"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# table -> (column, type, nullable), after id, patient_pk and record_key
TABLES: dict[str, list[tuple[str, sa.types.TypeEngine[Any], bool]]] = {
    "patient_background": [
        ("onset_date", sa.Date(), True),
        ("onset_date_precision", sa.String(length=8), True),
        ("diagnosis_date", sa.Date(), True),
        ("diagnosis_date_precision", sa.String(length=8), True),
        ("subtype", sa.String(length=64), True),
        ("ethnicity", sa.String(length=64), True),
        ("race", sa.JSON(none_as_null=True), True),
        ("family_history_none", sa.String(length=64), True),
        ("first_specialist_contact", sa.Date(), True),
        ("first_specialist_contact_precision", sa.String(length=8), True),
        ("consent_to_contact", sa.String(length=64), True),
        ("consent_to_reuse", sa.String(length=64), True),
    ],
    "antibody_test": [
        ("date", sa.Date(), False),
        ("date_precision", sa.String(length=8), False),
        ("antibody", sa.String(length=64), False),
        ("result", sa.String(length=64), False),
        ("titre", sa.Integer(), True),
        ("pattern", sa.String(length=64), True),
        ("method", sa.String(length=64), True),
        ("laboratory", sa.Text(), True),
    ],
    "family_history": [
        ("relative", sa.String(length=64), False),
        ("condition", sa.String(length=64), False),
        ("free_text", sa.Text(), True),
    ],
    "organ_involvement": [
        ("organ", sa.String(length=64), False),
        ("onset_date", sa.Date(), True),
        ("onset_date_precision", sa.String(length=8), True),
        ("resolution_date", sa.Date(), True),
        ("resolution_date_precision", sa.String(length=8), True),
        ("resolved", sa.String(length=64), True),
        ("severity", sa.String(length=64), True),
        ("certainty", sa.String(length=64), True),
        ("sites", sa.JSON(none_as_null=True), True),
        ("free_text", sa.Text(), True),
    ],
    "chest_ct": [
        ("date", sa.Date(), False),
        ("date_precision", sa.String(length=8), False),
        ("findings", sa.JSON(none_as_null=True), True),
        ("pattern", sa.String(length=64), True),
        ("extent_percent", sa.Double(), True),
        ("lobes", sa.JSON(none_as_null=True), True),
        ("change", sa.String(length=64), True),
        ("high_resolution", sa.String(length=64), True),
        ("free_text", sa.Text(), True),
    ],
    "lung_function": [
        ("date", sa.Date(), False),
        ("date_precision", sa.String(length=8), False),
        ("fvc_percent_predicted", sa.Double(), True),
        ("fev1_percent_predicted", sa.Double(), True),
        ("dlco_percent_predicted", sa.Double(), True),
        ("dlco_corrected_for_haemoglobin", sa.String(length=64), True),
        ("tlc_percent_predicted", sa.Double(), True),
        ("reference_equation", sa.String(length=64), True),
        ("not_done", sa.String(length=64), True),
        ("free_text", sa.Text(), True),
    ],
    "oxygen_need": [
        ("date", sa.Date(), False),
        ("date_precision", sa.String(length=8), False),
        ("support", sa.String(length=64), False),
        ("flow_l_per_min", sa.Double(), True),
        ("fio2_percent", sa.Double(), True),
        ("spo2_percent", sa.Double(), True),
        ("spo2_on_room_air", sa.String(length=64), True),
        ("free_text", sa.Text(), True),
    ],
    "bal": [
        ("date", sa.Date(), False),
        ("date_precision", sa.String(length=8), False),
        ("cytology", sa.String(length=64), True),
        ("lymphocytes_percent", sa.Double(), True),
        ("neutrophils_percent", sa.Double(), True),
        ("organisms", sa.JSON(none_as_null=True), True),
        ("detection_method", sa.String(length=64), True),
        ("free_text", sa.Text(), True),
    ],
    "muscle_mri": [
        ("date", sa.Date(), False),
        ("date_precision", sa.String(length=8), False),
        ("regions", sa.JSON(none_as_null=True), True),
        ("muscle_oedema", sa.String(length=64), True),
        ("oedema_extent", sa.String(length=64), True),
        ("fascial_oedema", sa.String(length=64), True),
        ("subcutaneous_oedema", sa.String(length=64), True),
        ("fatty_replacement", sa.String(length=64), True),
        ("atrophy", sa.String(length=64), True),
        ("consistent_with_myositis", sa.String(length=64), True),
        ("free_text", sa.Text(), True),
    ],
    "muscle_ultrasound": [
        ("date", sa.Date(), False),
        ("date_precision", sa.String(length=8), False),
        ("regions", sa.JSON(none_as_null=True), True),
        ("increased_echogenicity", sa.String(length=64), True),
        ("oedema_pattern", sa.String(length=64), True),
        ("atrophy", sa.String(length=64), True),
        ("doppler_hyperaemia", sa.String(length=64), True),
        ("consistent_with_myositis", sa.String(length=64), True),
        ("free_text", sa.Text(), True),
    ],
    "muscle_biopsy": [
        ("date", sa.Date(), False),
        ("date_precision", sa.String(length=8), False),
        ("site", sa.String(length=64), True),
        ("consistent_with_jdm", sa.String(length=64), True),
        ("perifascicular_atrophy", sa.String(length=64), True),
        ("mhc_class_i_overexpression", sa.String(length=64), True),
        ("score_inflammatory", sa.Double(), True),
        ("score_vascular", sa.Double(), True),
        ("score_muscle_fibre", sa.Double(), True),
        ("score_connective_tissue", sa.Double(), True),
        ("score_overall_vas", sa.Double(), True),
        ("score_tool_version", sa.Text(), True),
        ("free_text", sa.Text(), True),
    ],
    "capillaroscopy": [
        ("date", sa.Date(), False),
        ("date_precision", sa.String(length=8), False),
        ("result", sa.String(length=64), False),
        ("method", sa.String(length=64), True),
        ("findings", sa.JSON(none_as_null=True), True),
        ("capillaries_per_mm", sa.Double(), True),
        ("free_text", sa.Text(), True),
    ],
    "cardiac_test": [
        ("date", sa.Date(), False),
        ("date_precision", sa.String(length=8), False),
        ("kind", sa.String(length=64), False),
        ("result", sa.String(length=64), False),
        ("findings", sa.JSON(none_as_null=True), True),
        ("lv_ejection_fraction_percent", sa.Double(), True),
        ("free_text", sa.Text(), True),
    ],
    "swallow_assessment": [
        ("date", sa.Date(), False),
        ("date_precision", sa.String(length=8), False),
        ("method", sa.String(length=64), False),
        ("result", sa.String(length=64), False),
        ("feeding", sa.String(length=64), True),
        ("free_text", sa.Text(), True),
    ],
    "vaccination": [
        ("date", sa.Date(), False),
        ("date_precision", sa.String(length=8), False),
        ("vaccine", sa.String(length=64), False),
        ("dose_number", sa.Integer(), True),
        ("free_text", sa.Text(), True),
    ],
    "pregnancy_test": [
        ("date", sa.Date(), False),
        ("result", sa.String(length=64), False),
        ("method", sa.String(length=64), True),
    ],
    "treatment_decision": [
        ("decided_on", sa.Date(), False),
        ("decided_on_precision", sa.String(length=8), False),
        ("decision", sa.String(length=64), False),
        ("drug", sa.String(length=64), True),
        ("status", sa.String(length=64), True),
        ("free_text", sa.Text(), True),
    ],
    "treatment_course": [
        ("drug", sa.String(length=64), False),
        ("dose", sa.Double(), True),
        ("dose_unit", sa.String(length=64), True),
        ("frequency", sa.String(length=64), True),
        ("route", sa.String(length=64), True),
        ("start_date", sa.Date(), True),
        ("start_date_precision", sa.String(length=8), True),
        ("end_date", sa.Date(), True),
        ("end_date_precision", sa.String(length=8), True),
        ("stop_reason", sa.String(length=64), True),
        ("start_unknown", sa.String(length=64), True),
        ("duration_months", sa.Integer(), True),
        ("status", sa.String(length=64), True),
        ("formulation", sa.String(length=64), True),
        ("strength", sa.Double(), True),
        ("strength_unit", sa.String(length=64), True),
        ("indication", sa.String(length=64), True),
        ("sites", sa.JSON(none_as_null=True), True),
        ("sites_excluded", sa.JSON(none_as_null=True), True),
        ("prescribed_elsewhere", sa.String(length=64), True),
        ("free_text", sa.Text(), True),
    ],
    "course_detail": [
        ("drug", sa.String(length=64), False),
        ("start_date", sa.Date(), False),
        ("start_unknown", sa.String(length=64), True),
        ("duration_months", sa.Integer(), True),
        ("status", sa.String(length=64), True),
        ("formulation", sa.String(length=64), True),
        ("strength", sa.Double(), True),
        ("strength_unit", sa.String(length=64), True),
        ("indication", sa.String(length=64), True),
        ("sites", sa.JSON(none_as_null=True), True),
        ("sites_excluded", sa.JSON(none_as_null=True), True),
        ("prescribed_elsewhere", sa.String(length=64), True),
        ("free_text", sa.Text(), True),
    ],
    "clinical_event": [
        ("date", sa.Date(), False),
        ("date_precision", sa.String(length=8), False),
        ("event", sa.String(length=64), False),
        ("detail", sa.Text(), True),
        ("grade", sa.Integer(), True),
        ("organism", sa.String(length=64), True),
        ("detection_method", sa.String(length=64), True),
        ("specimen", sa.Text(), True),
    ],
    "event_detail": [
        ("date", sa.Date(), False),
        ("event", sa.String(length=64), False),
        ("detail", sa.Text(), True),
        ("organism", sa.String(length=64), True),
        ("detection_method", sa.String(length=64), True),
        ("specimen", sa.Text(), True),
    ],
}


def upgrade() -> None:
    for name, columns in TABLES.items():
        op.create_table(
            name,
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("patient_pk", sa.Integer(), nullable=False),
            sa.Column("record_key", sa.String(length=200), nullable=False),
            *(sa.Column(col, type_, nullable=nullable) for col, type_, nullable in columns),
            sa.Column("row_version", sa.Integer(), nullable=False),
            sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
            sa.Column("extra", sa.JSON(none_as_null=True), nullable=True),
            sa.Column("created_by_audit_id", sa.Integer(), nullable=True),
            sa.ForeignKeyConstraint(
                ["created_by_audit_id"],
                ["audit_event.id"],
                name=op.f(f"fk_{name}_created_by_audit_id_audit_event"),
            ),
            sa.ForeignKeyConstraint(
                ["patient_pk"], ["patient.id"], name=op.f(f"fk_{name}_patient_pk_patient")
            ),
            sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{name}")),
            sa.UniqueConstraint(
                "patient_pk", "record_key", name=op.f(f"uq_{name}_patient_pk_record_key")
            ),
        )


def downgrade() -> None:
    for name in reversed(list(TABLES)):
        op.drop_table(name)
