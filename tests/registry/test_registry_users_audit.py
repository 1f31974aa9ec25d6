"""User accounts and the audit log's filters."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import Engine

from myotrack.domain import Patient, Visit
from myotrack.registry import (
    DuplicateError,
    InvalidValueError,
    NotFoundError,
    UserAccount,
    audit_log,
    create_user,
    get_user,
    list_users,
    save_patient,
    save_visit,
    set_password_hash,
    transaction,
    update_user,
)


def test_users_are_created_read_and_changed(engine: Engine) -> None:
    with transaction(engine) as s:
        create_user(
            s, "anna", password_hash="$argon2id$x", role="clinician", site="Lund", actor="admin"
        )
        create_user(
            s, "bo", password_hash="$argon2id$y", role="researcher", site=None, actor="admin"
        )
    with transaction(engine) as s:
        assert get_user(s, "anna") == UserAccount("anna", "$argon2id$x", "clinician", "Lund", True)
        assert get_user(s, "nobody") is None
        assert [u.username for u in list_users(s)] == ["anna", "bo"]
        set_password_hash(s, "anna", "$argon2id$z", actor="anna")
        update_user(s, "bo", actor="admin", active=False, site="Oslo")
    with transaction(engine) as s:
        anna, bo = list_users(s)
        assert anna.password_hash == "$argon2id$z"
        assert not bo.active and bo.site == "Oslo"
        entries = audit_log(s, table="user_account")
        assert [e.action for e in entries] == ["user"] * 4
        assert entries[0].old == {"site": None, "active": True}
        assert entries[0].new == {"site": "Oslo", "active": False}
        assert entries[1].new == {"password": "changed"}
        assert all("argon2" not in str(e.old) + str(e.new) for e in entries)


def test_user_errors(engine: Engine) -> None:
    with transaction(engine) as s:
        create_user(s, "anna", password_hash="h", role="admin", site=None, actor="setup")
    with pytest.raises(DuplicateError), transaction(engine) as s:
        create_user(s, "anna", password_hash="h", role="admin", site=None, actor="setup")
    with pytest.raises(InvalidValueError, match="role"), transaction(engine) as s:
        create_user(s, "carl", password_hash="h", role="superuser", site=None, actor="setup")
    with pytest.raises(NotFoundError), transaction(engine) as s:
        set_password_hash(s, "nobody", "h", actor="setup")


def test_audit_log_filters_orders_and_pages(engine: Engine) -> None:
    start = datetime.now(UTC) - timedelta(seconds=5)
    with transaction(engine) as s:
        for pid in ("A1", "B2"):
            save_patient(
                s,
                Patient(pid, "M", date(2011, 1, 15), "JDM"),
                expected_version=None,
                actor="nurse",
                reason=f"enrol {pid}",
            )
            save_visit(
                s,
                Visit(pid, date(2022, 3, 1), cmas=40),
                expected_version=None,
                actor="nurse",
                reason=f"visit {pid}",
            )
    with transaction(engine) as s:
        everything = audit_log(s)
        assert [e.reason for e in everything] == ["visit B2", "enrol B2", "visit A1", "enrol A1"]
        assert all(start <= e.at <= datetime.now(UTC) for e in everything)
        assert all(e.at.tzinfo is not None and e.at.utcoffset() == timedelta(0) for e in everything)
        assert [e.reason for e in audit_log(s, patient_id="A1")] == ["visit A1", "enrol A1"]
        assert [e.reason for e in audit_log(s, table="visit")] == ["visit B2", "visit A1"]
        assert [e.record for e in audit_log(s, table="visit", patient_id="B2")] == [
            "B2 | 2022-03-01"
        ]
        assert [e.reason for e in audit_log(s, limit=2, offset=1)] == ["enrol B2", "visit A1"]
        assert audit_log(s, table="lab") == []
