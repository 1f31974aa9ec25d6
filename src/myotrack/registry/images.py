"""Clinical images in the registry: the `clinical_image` rows (the files themselves are in
the image store, `myotrack.media`, named by `sha256`).

Audited like every record-level write (`myotrack.registry.audit`): attaching writes one
`insert` row (the new values, caption included: the audit log is for admins), a consent
change one `update` row (old and new flags), a retraction one `retire` row with the
reason. Nothing is hard-deleted: a retracted image keeps its row and its file (the file
may still be needed to answer for what was shown), and is no longer listed. Versions
work as for the other records: a change names the version the user saw.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Row
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from myotrack.domain import ClinicalImage, Consent
from myotrack.registry.audit import now_utc, write_audit
from myotrack.registry.errors import DuplicateError, NotFoundError, StaleEditError
from myotrack.registry.records import patient_pk
from myotrack.registry.tables import CLINICAL_IMAGE_TABLE, PATIENT_TABLE

TABLE = CLINICAL_IMAGE_TABLE
TABLE_NAME = "clinical_image"


def _key(image: ClinicalImage) -> str:
    return f"{image.patient_id} | {image.date.isoformat()} | {image.sha256[:12]}"


VALUE_COLUMNS = (
    "date",
    "body_site",
    "kind",
    "caption",
    "sha256",
    "media_type",
    "width",
    "height",
    "byte_size",
    "consent_clinical_record",
    "consent_research",
    "consent_publication",
)


def _values(image: ClinicalImage) -> dict[str, Any]:
    values = {
        "date": image.date,
        "body_site": image.body_site,
        "kind": image.kind,
        "caption": image.caption,
        "sha256": image.sha256,
        "media_type": image.media_type,
        "width": image.width,
        "height": image.height,
        "byte_size": image.byte_size,
        "consent_clinical_record": image.consent.clinical_record,
        "consent_research": image.consent.research,
        "consent_publication": image.consent.publication,
    }
    assert tuple(values) == VALUE_COLUMNS
    return values


def _audit_values(image: ClinicalImage) -> dict[str, Any]:
    values = _values(image)
    values["date"] = image.date.isoformat()
    return values


def _columns() -> list[Any]:
    t = TABLE
    return [t.c.id, t.c.row_version, PATIENT_TABLE.c.patient_id, *(t.c[n] for n in VALUE_COLUMNS)]


def _image(row: Row[Any]) -> ClinicalImage:
    m = row._mapping
    return ClinicalImage(
        patient_id=m["patient_id"],
        date=m["date"],
        body_site=m["body_site"],
        kind=m["kind"],
        caption=m["caption"],
        sha256=m["sha256"],
        media_type=m["media_type"],
        width=int(m["width"]),
        height=int(m["height"]),
        byte_size=int(m["byte_size"]),
        consent=Consent(
            clinical_record=bool(m["consent_clinical_record"]),
            research=bool(m["consent_research"]),
            publication=bool(m["consent_publication"]),
        ),
        image_id=int(m["id"]),
        version=int(m["row_version"]),
    )


def add_image(session: Session, image: ClinicalImage, *, actor: str, reason: str) -> int:
    """Store the row of an image whose file is already in the image store; returns its
    image id. DuplicateError if the patient already has this picture (same file)."""
    conn = session.connection()
    pk = patient_pk(conn, image.patient_id)
    t = TABLE
    held = conn.execute(
        select(t.c.id, t.c.retired_at).where(t.c.patient_pk == pk, t.c.sha256 == image.sha256)
    ).first()
    if held is not None:
        state = "a retracted image" if held[1] is not None else "image"
        raise DuplicateError(
            f"this picture is already attached to {image.patient_id} ({state} {held[0]})"
        )
    audit_id = write_audit(
        conn,
        actor=actor,
        action="insert",
        table=TABLE_NAME,
        record=_key(image),
        patient_id=image.patient_id,
        old=None,
        new=_audit_values(image),
        reason=reason,
    )
    try:
        with conn.begin_nested():
            result = conn.execute(
                insert(t).values(
                    patient_pk=pk, row_version=1, created_by_audit_id=audit_id, **_values(image)
                )
            )
    except IntegrityError as exc:  # attached by someone else in the meantime
        raise DuplicateError(f"this picture is already attached to {image.patient_id}") from exc
    pk_row = result.inserted_primary_key
    assert pk_row is not None
    return int(pk_row[0])


def _select(patient_id: str) -> Any:
    t = TABLE
    return (
        select(*_columns())
        .join(PATIENT_TABLE, PATIENT_TABLE.c.id == t.c.patient_pk)
        .where(PATIENT_TABLE.c.patient_id == patient_id, PATIENT_TABLE.c.retired_at.is_(None))
    )


def list_images(session: Session, patient_id: str) -> list[ClinicalImage]:
    """The patient's active images, by date (then id)."""
    conn = session.connection()
    stmt = (
        _select(patient_id).where(TABLE.c.retired_at.is_(None)).order_by(TABLE.c.date, TABLE.c.id)
    )
    return [_image(row) for row in conn.execute(stmt)]


def all_images(session: Session) -> list[ClinicalImage]:
    """The active images of every active patient, by patient, date and id."""
    conn = session.connection()
    t = TABLE
    stmt = (
        select(*_columns())
        .join(PATIENT_TABLE, PATIENT_TABLE.c.id == t.c.patient_pk)
        .where(PATIENT_TABLE.c.retired_at.is_(None), t.c.retired_at.is_(None))
        .order_by(PATIENT_TABLE.c.patient_id, t.c.date, t.c.id)
    )
    return [_image(row) for row in conn.execute(stmt)]


def get_image(session: Session, patient_id: str, image_id: int) -> ClinicalImage | None:
    """One active image of the patient, or None (also for another patient's image id)."""
    conn = session.connection()
    stmt = _select(patient_id).where(TABLE.c.id == image_id, TABLE.c.retired_at.is_(None))
    row = conn.execute(stmt).first()
    return _image(row) if row is not None else None


def _current(session: Session, patient_id: str, image_id: int, expected: int) -> ClinicalImage:
    found = get_image(session, patient_id, image_id)
    if found is None:
        raise NotFoundError(f"there is no image {image_id} of {patient_id} in the registry")
    if found.version != expected:
        raise StaleEditError(
            f"image {image_id} of {patient_id} was changed by someone else "
            f"(version {found.version}, you saw version {expected})"
        )
    return found


def _bump(session: Session, image_id: int, expected: int, values: dict[str, Any]) -> None:
    t = TABLE
    result = session.connection().execute(
        update(t)
        .where(t.c.id == image_id, t.c.row_version == expected)
        .values(row_version=expected + 1, **values)
    )
    if result.rowcount != 1:
        raise StaleEditError(f"image {image_id} was changed by someone else just now")


def set_consent(
    session: Session,
    patient_id: str,
    image_id: int,
    consent: Consent,
    *,
    expected_version: int,
    actor: str,
    reason: str,
) -> int:
    """Change an image's consent flags (e.g. research consent withdrawn); returns the new
    version (unchanged, and nothing audited, when the flags are the same)."""
    found = _current(session, patient_id, image_id, expected_version)
    if found.consent == consent:
        return found.version
    _bump(
        session,
        image_id,
        expected_version,
        {
            "consent_clinical_record": consent.clinical_record,
            "consent_research": consent.research,
            "consent_publication": consent.publication,
        },
    )
    old, new = asdict(found.consent), asdict(consent)
    write_audit(
        session.connection(),
        actor=actor,
        action="update",
        table=TABLE_NAME,
        record=_key(found),
        patient_id=patient_id,
        old={f"consent_{k}": v for k, v in old.items() if new[k] != v},
        new={f"consent_{k}": v for k, v in new.items() if old[k] != v},
        reason=reason,
    )
    return expected_version + 1


def retract_image(
    session: Session,
    patient_id: str,
    image_id: int,
    *,
    expected_version: int,
    actor: str,
    reason: str,
) -> None:
    """Retract an image (with the reason): no longer listed, shown or exported; the row
    and the file stay."""
    found = _current(session, patient_id, image_id, expected_version)
    at = now_utc()
    _bump(session, image_id, expected_version, {"retired_at": at})
    write_audit(
        session.connection(),
        at=at,
        actor=actor,
        action="retire",
        table=TABLE_NAME,
        record=_key(found),
        patient_id=patient_id,
        old=_audit_values(found),
        new={"retired_at": at.isoformat()},
        reason=reason,
    )


def retracted_images(session: Session, patient_id: str) -> list[ClinicalImage]:
    """The patient's retracted images (what an admin may restore), by date."""
    conn = session.connection()
    stmt = (
        _select(patient_id)
        .where(TABLE.c.retired_at.is_not(None))
        .order_by(TABLE.c.date, TABLE.c.id)
    )
    return [_image(row) for row in conn.execute(stmt)]


def restore_image(
    session: Session,
    patient_id: str,
    image_id: int,
    *,
    expected_version: int,
    actor: str,
    reason: str,
) -> int:
    """Bring back a retracted image (admins: the caller decides who); returns its new
    version. NotFoundError if it is not retracted, StaleEditError if it changed."""
    found = next((i for i in retracted_images(session, patient_id) if i.image_id == image_id), None)
    if found is None:
        raise NotFoundError(f"there is no retracted image {image_id} of {patient_id}")
    if found.version != expected_version:
        raise StaleEditError(
            f"image {image_id} of {patient_id} was changed by someone else "
            f"(version {found.version}, you saw version {expected_version})"
        )
    _bump(session, image_id, expected_version, {"retired_at": None})
    write_audit(
        session.connection(),
        actor=actor,
        action="restore",
        table=TABLE_NAME,
        record=_key(found),
        patient_id=patient_id,
        old={"retired": True},
        new={"retired_at": None},
        reason=reason,
    )
    return expected_version + 1


def stored_files(session: Session) -> set[tuple[str, str]]:
    """(sha256, media_type) of every image row, retracted ones included: the files the
    image store must hold."""
    t = TABLE
    return {
        (row[0], row[1])
        for row in session.connection().execute(select(t.c.sha256, t.c.media_type).distinct())
    }


__all__ = [
    "add_image",
    "all_images",
    "get_image",
    "list_images",
    "restore_image",
    "retract_image",
    "retracted_images",
    "set_consent",
    "stored_files",
]
