"""Clinical images (issue 14): the table `clinical_image`.

One row per image of a patient: date, body site, kind, caption, the SHA-256 and media
type of the cleaned file in the image store (`myotrack.media`), its size, and the three
consent flags (clinical record, research, publication). Tracked like every patient-owned
row (row_version, retired_at, extra, created_by_audit_id); unique per patient and file.
A new table only: existing data are not touched. The downgrade drops the table (the
files in the image store are left where they are).

Revision ID: v0005_clinical_images
Revises: v0004_audit_hash_chain
Create Date: 2026-12-01 15:45:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "v0005_clinical_images"
down_revision: str | None = "v0004_audit_hash_chain"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "clinical_image",
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("body_site", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("caption", sa.Text(), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("media_type", sa.String(length=32), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("byte_size", sa.Integer(), nullable=False),
        sa.Column("consent_clinical_record", sa.Boolean(), nullable=False),
        sa.Column("consent_research", sa.Boolean(), nullable=False),
        sa.Column("consent_publication", sa.Boolean(), nullable=False),
        sa.Column("patient_pk", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("row_version", sa.Integer(), nullable=False),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("extra", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("created_by_audit_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_audit_id"],
            ["audit_event.id"],
            name=op.f("fk_clinical_image_created_by_audit_id_audit_event"),
        ),
        sa.ForeignKeyConstraint(
            ["patient_pk"], ["patient.id"], name=op.f("fk_clinical_image_patient_pk_patient")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clinical_image")),
        sa.UniqueConstraint(
            "patient_pk", "sha256", name=op.f("uq_clinical_image_patient_pk_sha256")
        ),
    )
    with op.batch_alter_table("clinical_image", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_clinical_image_sha256"), ["sha256"], unique=False)


def downgrade() -> None:
    op.drop_table("clinical_image")
