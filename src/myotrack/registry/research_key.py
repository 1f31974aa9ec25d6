"""The key of the research pseudonyms (`cohort.deidentify`), kept with the registry.

Research pseudonyms must be the same in every server process, after every restart and in
every export, so the key cannot be made up per process. It is created once (32 random
bytes, hex) the first time it is needed, typically at `myotrack init`, and stored as the
registry setting `research_pseudonym_key`; `MYOTRACK_DEID_KEY` in the environment
overrides it (a centre that wants the key kept apart from the data sets it there).

Whoever can read the registry's settings can re-link pseudonyms to patient ids: that is
the database administrator, who can read the ids anyway. The audit row written when the
key is created says that it was created, never its value.
"""

from __future__ import annotations

import os
import secrets

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from myotrack.registry.audit import write_audit
from myotrack.registry.tables import SETTING_TABLE

RESEARCH_KEY_SETTING = "research_pseudonym_key"
KEY_ENVIRONMENT = "MYOTRACK_DEID_KEY"


def research_key(session: Session) -> bytes:
    """The key of the research pseudonyms: $MYOTRACK_DEID_KEY, else the registry's (made
    and stored on first use, also when two processes ask at once)."""
    override = os.environ.get(KEY_ENVIRONMENT)
    if override:
        return override.encode("utf-8")
    conn = session.connection()
    stmt = select(SETTING_TABLE.c.value).where(SETTING_TABLE.c.key == RESEARCH_KEY_SETTING)
    stored = conn.execute(stmt).scalar_one_or_none()
    if stored:
        return str(stored).encode("utf-8")
    fresh = secrets.token_hex(32)
    try:
        with session.begin_nested():
            session.connection().execute(
                insert(SETTING_TABLE).values(key=RESEARCH_KEY_SETTING, value=fresh)
            )
            write_audit(
                session.connection(),
                actor="myotrack",
                action="insert",
                table="setting",
                record=RESEARCH_KEY_SETTING,
                patient_id=None,
                old=None,
                new={"value": "(a new random key; its value is never logged)"},
                reason="research pseudonym key created",
            )
    except IntegrityError:  # another process stored one first: use theirs
        stored = session.connection().execute(stmt).scalar_one()
        return str(stored).encode("utf-8")
    return fresh.encode("utf-8")
