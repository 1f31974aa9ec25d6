"""Data exchange in the web app (issue 12): the cohort a user may see as a zip in any
export format (folder, FHIR in its layouts, REDCap, OMOP) at a tier the policy allows,
and an upload in any import format (a zip of a cohort folder, of FHIR NDJSON files or of
REDCap files; a FHIR Bundle `.json`; an NDJSON file; a REDCap records `.csv`).

Both go through the same edge as the CLI (`myotrack.exchange.edge`): the tier is applied
by `cohort.deidentify.apply_tier` before any format sees the cohort, and an upload is
read through the same validation as `myotrack import` (all or nothing, every problem
located). Files never sit in memory whole: an export is written to a temporary folder
and zipped into a temporary file the response streams; an upload is unpacked (or
copied) within `cohort_io.ZipLimits`, 64 KB at a time, as a cohort zip always was.
"""

from __future__ import annotations

import io
import os
import re
import tempfile
import zipfile
from datetime import date
from pathlib import Path, PurePath
from typing import IO, Final

from myotrack.cohort import Tier
from myotrack.domain import Cohort, ValidationIssue
from myotrack.exchange import FORMATS, IMPORT_FORMATS, ExchangeFormat, export_cohort, read_source
from myotrack.web.cohort_io import ZipLimits, unpack_zip

# A single file (not a zip) that may be uploaded, by its suffix.
SINGLE_FILE_SUFFIXES: Final = (".json", ".ndjson", ".csv")
_SAFE_NAME: Final = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")
_CHUNK: Final = 64 * 1024


def _issue(message: str, rule: str = "upload") -> ValidationIssue:
    return ValidationIssue(file="(upload)", line=None, field=None, rule=rule, message=message)


def import_format(name: str | None) -> ExchangeFormat | None:
    """The import format called `name` (None or "" : recognised from the files)."""
    if not name:
        return None
    if name not in IMPORT_FORMATS:
        raise ValueError(f"unknown import format {name!r}; use one of {', '.join(IMPORT_FORMATS)}")
    return FORMATS[name]


def _copy_single(source: IO[bytes], target: Path, limits: ZipLimits) -> ValidationIssue | None:
    """Copy an uploaded file to `target`, stopping at the upload limits."""
    size = rows = 0
    with target.open("wb") as out:
        while chunk := source.read(_CHUNK):
            size += len(chunk)
            rows += chunk.count(b"\n")
            if size > limits.max_unpacked_bytes:
                return _issue(
                    f"The file is larger than {limits.max_unpacked_bytes // (1024 * 1024)} MB; "
                    "import a cohort this large on the server with `myotrack import`.",
                    rule="zip",
                )
            if rows > limits.max_rows_per_file:
                return _issue(
                    f"The file has more than {limits.max_rows_per_file:,} lines; import a "
                    "cohort this large on the server with `myotrack import`.",
                    rule="zip",
                )
            out.write(chunk)
    return None


def _single_name(filename: str) -> str | None:
    """The name an uploaded single file is read under (its own when it is plain; the
    format readers recognise files by name, e.g. `Patient.ndjson`)."""
    name = PurePath(filename.replace("\\", "/")).name
    suffix = PurePath(name).suffix.lower()
    if suffix not in SINGLE_FILE_SUFFIXES:
        return None
    return name if _SAFE_NAME.match(name) else f"upload{suffix}"


def read_upload(
    source: bytes | IO[bytes],
    filename: str,
    fmt: ExchangeFormat | None,
    limits: ZipLimits,
    *,
    today: date,
) -> tuple[Cohort | None, list[ValidationIssue], ExchangeFormat | None]:
    """The cohort in an upload of any import format (recognised when `fmt` is None), or
    None and every problem, located in the uploaded files; also the format read."""
    stream = io.BytesIO(source) if isinstance(source, bytes) else source
    with tempfile.TemporaryDirectory(prefix="myotrack-upload-") as tmp:
        root = Path(tmp) / "upload"
        root.mkdir()
        if zipfile.is_zipfile(stream) or filename.lower().endswith(".zip"):
            stream.seek(0)  # a damaged zip is answered as cohort zips always were
            folder, problems = unpack_zip(stream, root, limits)
            if folder is None:
                return None, problems, fmt
        else:
            stream.seek(0)
            name = _single_name(filename)
            if name is None:
                return (
                    None,
                    [
                        _issue(
                            "Upload a zip (of a cohort folder, of FHIR NDJSON files or of REDCap "
                            "files), a FHIR Bundle (.json), an NDJSON file (.ndjson) or a REDCap "
                            "records file (.csv).",
                            rule="format",
                        )
                    ],
                    fmt,
                )
            refused = _copy_single(stream, root / name, limits)
            if refused is not None:
                return None, [refused], fmt
            folder = root
        cohort, issues, found = read_source(folder, fmt, today=today)
        if cohort is None and found.export is None and not (folder / "patients.csv").exists():
            issues = [
                _issue(
                    "No patients.csv found, and the files are not FHIR or REDCap files: zip the "
                    "cohort folder itself (with patients.csv, visits.csv, ...), or choose the "
                    "format.",
                    rule="missing_file",
                )
            ]
        return (cohort if not issues else None), list(issues), found


def export_zip(
    cohort: Cohort,
    fmt: ExchangeFormat,
    *,
    layout: str,
    tier: Tier,
    key: bytes | None,
    folder_name: str,
) -> Path:
    """The cohort (as stored) in `fmt` at `tier`, zipped into a temporary file under the
    folder `folder_name/`; the caller streams it and removes it."""
    handle, name = tempfile.mkstemp(prefix="myotrack-export-", suffix=".zip")
    os.close(handle)
    path = Path(name)
    try:
        with tempfile.TemporaryDirectory(prefix="myotrack-export-") as tmp:
            folder = Path(tmp) / folder_name
            export_cohort(cohort, folder, fmt, tier=tier, key=key, layout=layout)
            with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
                for file in sorted(folder.rglob("*")):
                    if file.is_file():
                        archive.write(file, f"{folder_name}/{file.relative_to(folder).as_posix()}")
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path


__all__ = ["SINGLE_FILE_SUFFIXES", "export_zip", "import_format", "read_upload"]
