"""The audit trail becomes a hash chain: `audit_event.row_hash`.

Adds the nullable column `row_hash` (64 hex characters) and chains every existing row in
id order, exactly as `myotrack.registry.audit.chain_hash` does for new rows: the SHA-256
of the previous row's hash (64 zeros before the first) and the row's canonical content.
Existing rows are read and hashed in batches, so a long trail does not have to fit in
memory. Nothing else changes; the downgrade drops the column.

Revision ID: v0004_audit_hash_chain
Revises: v0003_cdasi_gottron_presummed
Create Date: 2026-12-01 15:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from myotrack.registry.audit import CONTENT_COLUMNS, GENESIS_HASH, chain_hash

revision: str = "v0004_audit_hash_chain"
down_revision: str | None = "v0003_cdasi_gottron_presummed"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 5000

_audit = sa.table(
    "audit_event",
    sa.column("id", sa.Integer),
    sa.column("at", sa.DateTime(timezone=True)),
    sa.column("actor", sa.String),
    sa.column("action", sa.String),
    sa.column("table_name", sa.String),
    sa.column("record_key", sa.Text),
    sa.column("patient_id", sa.String),
    sa.column("old_value", sa.JSON(none_as_null=True)),
    sa.column("new_value", sa.JSON(none_as_null=True)),
    sa.column("reason", sa.Text),
    sa.column("import_id", sa.Integer),
    sa.column("row_hash", sa.String),
)


def upgrade() -> None:
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.add_column(sa.Column("row_hash", sa.String(length=64), nullable=True))
    conn = op.get_bind()
    columns = [_audit.c.id, *(_audit.c[name] for name in CONTENT_COLUMNS)]
    set_hash = (
        sa.update(_audit)
        .where(_audit.c.id == sa.bindparam("b_id"))
        .values(row_hash=sa.bindparam("b_hash"))
    )
    previous, after = GENESIS_HASH, 0
    while True:
        rows = conn.execute(
            sa.select(*columns).where(_audit.c.id > after).order_by(_audit.c.id).limit(BATCH)
        ).all()
        if not rows:
            break
        params = []
        for row in rows:
            previous = chain_hash(previous, row._mapping)
            params.append({"b_id": row.id, "b_hash": previous})
        conn.execute(set_hash, params)
        after = int(rows[-1].id)


def downgrade() -> None:
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_column("row_hash")
