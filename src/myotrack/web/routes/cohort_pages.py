"""Pages: the cohort (upload a cohort in any import format, download the registry, exports
in every exchange format (`routes/exchange.py`), the case-series report)."""

from __future__ import annotations

import threading
from datetime import date
from typing import IO, Annotated, Any, Literal

from fastapi import APIRouter, Depends
from fastapi.responses import Response
from pydantic import BeforeValidator
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request

from myotrack import registry
from myotrack.cohort import TIERS
from myotrack.exchange import FORMATS, IMPORT_FORMATS, ExchangeFormat
from myotrack.web import cohort_io, exchange_io, reports
from myotrack.web.deps import FORM_MAX_FILES, FORM_MAX_PART_BYTES, Requires, db, settings_of
from myotrack.web.errors import Invalid
from myotrack.web.policy import Access, Principal, export_tiers, suppresses_small_cells
from myotrack.web.schemas import IsoDate
from myotrack.web.templating import render

# The report form's cut-off: YYYY-MM-DD, or empty for the default.
CutoffDate = Annotated[IsoDate | None, BeforeValidator(lambda v: None if v == "" else v)]

router = APIRouter(include_in_schema=False)

# Reading an uploaded cohort can take half a gigabyte (see cohort_io.ZipLimits): one
# upload is read and imported at a time per server process, the next waits its turn.
_UPLOADS_AT_ONCE = threading.BoundedSemaphore(1)

USER = Requires(Access.USER)
READ = Requires(Access.READ_PATIENTS)
EXPORT = Requires(Access.EXPORT)
IMPORT = Requires(Access.IMPORT)


def _cohort_page(
    request: Request,
    *,
    issues: list[Any] | None = None,
    summary: dict[str, Any] | None = None,
    status: int = 200,
    filename: str | None = None,
) -> Response:
    principal: Principal | None = getattr(request.state, "principal", None)
    return render(
        request,
        "cohort.html",
        {
            "issues": issues,
            "summary": summary,
            "filename": filename,
            "exchange": exchange_choices(principal, settings_of(request).min_cell_count),
        },
        status_code=status,
    )


def exchange_choices(principal: Principal | None, min_cell_count: int) -> dict[str, Any]:
    """What the cohort page offers this user: export formats with their layouts, the
    tiers their role may export (`policy.export_tiers`), the import formats, and whether
    their report hides small counts (with the threshold)."""
    tiers = export_tiers(principal) if principal is not None else ()
    return {
        "formats": [
            {"name": f.name, "label": f.label, "layouts": f.layouts} for f in FORMATS.values()
        ],
        "tiers": [{"name": t.value, "promises": TIERS[t].promises} for t in tiers],
        "imports": [(name, FORMATS[name].label) for name in IMPORT_FORMATS],
        "suppressed": principal is not None and suppresses_small_cells(principal),
        "min_cell_count": min_cell_count,
    }


@router.get("/cohort")
def cohort_page(request: Request, _: Annotated[Principal, Depends(USER)]) -> Response:
    return _cohort_page(request)


async def read_upload(
    request: Request, field: str = "file"
) -> tuple[str, IO[bytes], ExchangeFormat | None]:
    """The uploaded file, spooled to a temporary file as it arrives (never held in
    memory; the body limit in `body_limit.py` bounds its size), and the import format
    chosen (field `format`; empty: recognised from the files). The file stays open until
    the response is sent."""
    # The form limits of every form (web.deps); an upload form has only a few fields.
    form = await request.form(
        max_files=FORM_MAX_FILES, max_fields=10, max_part_size=FORM_MAX_PART_BYTES
    )
    upload = form.get(field)
    if not isinstance(upload, UploadFile):
        raise Invalid(
            "Choose a file to upload: a zip of a cohort folder (or of FHIR or REDCap files), "
            "a FHIR Bundle (.json), an NDJSON file or a REDCap records file (.csv)."
        )
    chosen = form.get("format")
    try:
        fmt = exchange_io.import_format(chosen if isinstance(chosen, str) else None)
    except ValueError as exc:
        raise Invalid(str(exc)) from None
    return upload.filename or "upload.zip", upload.file, fmt


def import_zip(
    request: Request,
    principal: Principal,
    filename: str,
    data: bytes | IO[bytes],
    fmt: ExchangeFormat | None = None,
) -> tuple[list[Any], dict[str, Any] | None]:
    """Read an upload in any import format (`fmt`, else recognised) through the same
    validation as `myotrack import` and, if valid, store the cohort in one transaction;
    nothing is stored when any problem is found (also when another import is running:
    ImportRunningError)."""
    settings = settings_of(request)
    limits = cohort_io.ZipLimits(
        max_unpacked_bytes=settings.max_unpacked_bytes,
        max_rows_per_file=settings.max_rows_per_file,
        max_rows_total=settings.max_rows_per_upload,
    )
    with _UPLOADS_AT_ONCE:
        cohort, issues, _ = exchange_io.read_upload(data, filename, fmt, limits, today=date.today())
        if issues or cohort is None:
            return issues, None
        with db(request) as session:
            result = registry.import_cohort(
                session,
                cohort,
                actor=principal.username,
                reason=f"cohort upload {filename}",
                source=filename,
            )
        return [], cohort_io.summary_dict(result)


@router.post("/cohort/upload")
async def cohort_upload(
    request: Request, principal: Annotated[Principal, Depends(IMPORT)]
) -> Response:
    filename, data, fmt = await read_upload(request)
    issues, summary = await run_in_threadpool(import_zip, request, principal, filename, data, fmt)
    return _cohort_page(
        request, issues=issues, summary=summary, filename=filename, status=422 if issues else 200
    )


@router.get("/cohort/export.zip")
def cohort_export(request: Request, principal: Annotated[Principal, Depends(EXPORT)]) -> Response:
    with db(request) as session:
        cohort = reports.visible_cohort(session, principal)
    data = cohort_io.write_zip(cohort)
    name = f"myotrack-cohort-{date.today().isoformat()}.zip"
    return Response(
        data,
        media_type="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get("/report.{fmt}")
async def report(
    request: Request,
    fmt: Literal["html", "pdf", "json"],
    principal: Annotated[Principal, Depends(READ)],
    cutoff: CutoffDate = None,
) -> Response:
    """The case-series report; `cutoff` (YYYY-MM-DD) is the chosen cut-off date (default:
    the registry's cut-off setting, else the last date recorded)."""
    # cached, limited, threaded
    data = await reports.report_bytes(request, principal, fmt, cutoff)
    headers = {}
    if fmt != "html":
        name = f"myotrack-case-series-{date.today().isoformat()}.{fmt}"
        headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return Response(data, media_type=reports.MEDIA_TYPES[fmt], headers=headers)
