"""Pages for admins: the audit log and user accounts."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from myotrack import registry
from myotrack.cohort import RECORD_KINDS
from myotrack.domain.labels import label
from myotrack.instruments import INSTRUMENTS
from myotrack.registry import DuplicateError, RegistryError, end_sessions_of
from myotrack.web import formdata, value_text
from myotrack.web.deps import Requires, db
from myotrack.web.passwords import hash_password, password_problem
from myotrack.web.policy import Access, Principal, Role
from myotrack.web.templating import render

router = APIRouter(include_in_schema=False)

ADMIN = Requires(Access.ADMIN)
Admin = Annotated[Principal, Depends(ADMIN)]
PAGE_SIZE = 50
KEY_SEPARATOR = " | "  # the audit's record key: natural key parts (registry.audit)
# Version 2 record kinds: their table is the kind's name; the label's first words.
_V2_WORDS = {k.name: k.label.split(" (")[0] for k in RECORD_KINDS}


def _instrument_words(name: str) -> str:
    title = INSTRUMENTS[name].title if name in INSTRUMENTS else name
    return title.split(" (")[0].split(" — ")[0]


def record_words(table: str | None, record: str | None) -> str:
    """The audit's record key (patient ID first, then the rest of the natural key) in the
    clinic's words, the patient left out (the page shows it beside): "Lab: creatine kinase
    (CK) 2010-03-01", "Visit 2022-02-01". A key of another shape is shown as stored."""
    if not record:
        return ""
    parts = record.split(KEY_SEPARATOR)
    rest = parts[1:]
    n = len(rest)
    if table == "patient" and n == 0:
        return f"Patient {parts[0]}"
    if table == "visit" and n == 1:
        return f"Visit {rest[0]}"
    if table == "lab" and n == 2:
        return f"Lab: {label('analyte', rest[1])} {rest[0]}"
    if table == "course" and n == 2:
        return f"Drug course: {label('drug', rest[0])} from {rest[1]}"
    if table == "event" and n == 3:
        detail = f" ({rest[2]})" if rest[2] else ""
        return f"Event: {label('event', rest[1])} {rest[0]}{detail}"
    if table == "assessment" and n == 2:
        return f"Item-level scores: {_instrument_words(rest[1])} {rest[0]}"
    if table == "clinical_image" and n == 2:
        return f"Clinical image {rest[0]}"
    if table in _V2_WORDS and n >= 1:
        return f"{_V2_WORDS[table][:1].upper()}{_V2_WORDS[table][1:]}: {' · '.join(rest)}"
    return record.replace(KEY_SEPARATOR, " · ")


@router.get("/audit")
def audit_page(
    request: Request, _: Admin, page: int = 1, table: str = "", patient: str = ""
) -> Response:
    page = max(1, min(page, 100_000))
    with db(request) as session:
        entries = registry.audit_log(
            session,
            limit=PAGE_SIZE + 1,
            offset=(page - 1) * PAGE_SIZE,
            table=table or None,
            patient_id=patient or None,
        )
    return render(
        request,
        "audit.html",
        {
            "entries": entries[:PAGE_SIZE],
            "page": page,
            "has_next": len(entries) > PAGE_SIZE,
            "table": table,
            "patient": patient,
            "summarise": value_text.summarise,
            "record_words": record_words,
            "table_words": value_text.TABLE_WORDS,
            "action_words": value_text.ACTION_WORDS,
        },
    )


def _users_page(
    request: Request,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    with db(request) as session:
        users = registry.list_users(session)
    return render(
        request,
        "users.html",
        {
            "users": users,
            "errors": errors or {},
            "values": values or {},
            "roles": [r.value for r in Role],
        },
        status_code=status,
    )


@router.get("/users")
def users_page(request: Request, _: Admin) -> Response:
    return _users_page(request)


@router.post("/users")
async def users_add(request: Request, principal: Admin) -> Response:
    form = await request.form()
    values = {k: formdata.text(form, k) for k in ("username", "role", "site")}
    password = form.get("password")
    password = password if isinstance(password, str) else ""
    errors: dict[str, str] = {}
    if not values["username"] or len(values["username"]) > 100:
        errors["username"] = "Give a user name (at most 100 characters)."
    if values["role"] not in {r.value for r in Role}:
        errors["role"] = "Choose a role."
    if values["role"] == Role.CLINICIAN.value and not values["site"]:
        errors["site"] = "A clinician needs a site."
    problem = password_problem(password, values["username"], site=values["site"] or None)
    if problem is not None:
        errors["password"] = problem
    if errors:
        return _users_page(request, errors, values, 422)

    def save() -> None:
        with db(request) as session:
            registry.create_user(
                session,
                values["username"],
                password_hash=hash_password(password),
                role=values["role"],
                site=values["site"] or None,
                actor=principal.username,
            )

    try:
        await run_in_threadpool(save)
    except DuplicateError as exc:  # taken, or looks like an existing name
        message = str(exc)
        return _users_page(request, {"username": message[:1].upper() + message[1:]}, values, 409)
    except RegistryError as exc:
        return _users_page(request, {"username": str(exc)}, values, 422)
    return RedirectResponse("/users", status_code=303)


@router.post("/users/{username}/active")
async def users_set_active(request: Request, username: str, principal: Admin) -> Response:
    """Deactivate (staff who left: their sessions end at once) or reactivate an account."""
    form = await request.form()
    wanted = formdata.text(form, "active")
    if wanted not in ("yes", "no"):
        return _users_page(request, {"username": "Choose active yes or no."}, None, 422)
    if username == principal.username and wanted == "no":
        return _users_page(request, {"username": "You cannot deactivate yourself."}, None, 422)

    def save() -> None:
        with db(request) as session:
            registry.update_user(
                session, username, actor=principal.username, active=wanted == "yes"
            )

    try:
        await run_in_threadpool(save)
    except RegistryError as exc:
        return _users_page(request, {"username": str(exc)}, None, 404)
    return RedirectResponse("/users", status_code=303)


@router.post("/users/{username}/sessions")
async def users_end_sessions(request: Request, username: str, principal: Admin) -> Response:
    """End every session of the user at once (a lost or shared computer); they must log
    in again. Their account stays active."""

    def save() -> None:
        with db(request) as session:
            if registry.get_user(session, username) is None:
                raise registry.NotFoundError(f"there is no user {username!r}")
            end_sessions_of(session, username)

    try:
        await run_in_threadpool(save)
    except RegistryError as exc:
        return _users_page(request, {"username": str(exc)}, None, 404)
    return RedirectResponse("/users", status_code=303)
