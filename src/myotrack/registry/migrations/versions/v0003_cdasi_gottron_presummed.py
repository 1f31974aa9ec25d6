"""Mark CDASI assessments stored before the December 2026 errata.

Before the errata the CDASI's Gottron's-papules-on-hands activity was stored as one
pre-summed number (item `gottron_hands_activity`, 0–7). It is now stored as its raw inputs
(erythema 0–3, papules yes/no, ulceration 0–1) and derived by the instrument engine
(shared/spec/errata-2026-12.md §1). Old rows keep every item as it was; only their
`version` is set to the legacy text, so they are read with the legacy definition
(`myotrack.instruments` `stored_definition`) and say so wherever they are shown.

No schema change; data only. The version text is frozen here (it equals
`myotrack.instruments.definitions.cdasi.LEGACY_VERSION`, checked by a test). The
downgrade sets the version back to the pre-errata text.

Revision ID: v0003_cdasi_gottron_presummed
Revises: v0002_web_sessions
Create Date: 2026-12-01 15:00:00
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "v0003_cdasi_gottron_presummed"
down_revision: str | None = "v0002_web_sessions"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PRESUMMED_ITEM = "gottron_hands_activity"
OLD_VERSION = "v2 (modified)"
LEGACY_VERSION = "v2 (modified), Gottron's hands pre-summed (before 2026-12)"

_assessment = sa.table(
    "assessment",
    sa.column("id", sa.Integer),
    sa.column("instrument", sa.String),
    sa.column("version", sa.String),
    sa.column("items", sa.JSON),
)


def _presummed_ids(conn: sa.Connection) -> list[int]:
    rows = conn.execute(
        sa.select(_assessment.c.id, _assessment.c["items"]).where(
            _assessment.c.instrument == "cdasi"
        )
    ).all()
    ids: list[int] = []
    for row_id, items in rows:
        stored: Any = items
        if isinstance(stored, dict) and PRESUMMED_ITEM in stored:
            ids.append(int(row_id))
    return ids


def _set_version(version: str) -> None:
    conn = op.get_bind()
    ids = _presummed_ids(conn)
    if ids:
        conn.execute(
            sa.update(_assessment).where(_assessment.c.id.in_(ids)).values(version=version)
        )


def upgrade() -> None:
    _set_version(LEGACY_VERSION)


def downgrade() -> None:
    _set_version(OLD_VERSION)
