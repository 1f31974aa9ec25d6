"""Cohort folders as zip files: unpacking an upload safely, and packing an export."""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path, PurePosixPath
from typing import Any

from myotrack.cohort import read_folder, write_folder
from myotrack.domain import Cohort, ValidationIssue

MAX_FILES = 50
MAX_UNPACKED_BYTES = 200 * 1024 * 1024


def _issue(message: str, rule: str = "zip") -> ValidationIssue:
    return ValidationIssue(file="(upload)", line=None, field=None, rule=rule, message=message)


def read_zip(data: bytes) -> tuple[Cohort | None, list[ValidationIssue]]:
    """The cohort in a zip of a cohort folder (files at the top, or in one folder), or the
    problems: each with file, line and column, as `read_folder` reports them."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        return None, [_issue("This is not a zip file. Zip the cohort folder and upload that.")]
    with archive, tempfile.TemporaryDirectory(prefix="myotrack-upload-") as tmp:
        root = Path(tmp)
        members = [m for m in archive.infolist() if not m.is_dir()]
        members = [m for m in members if not _ignored(m.filename)]
        if len(members) > MAX_FILES:
            return None, [
                _issue(f"The zip has {len(members)} files; a cohort folder has at most six.")
            ]
        if sum(m.file_size for m in members) > MAX_UNPACKED_BYTES:
            return None, [_issue("The zip unpacks to more than 200 MB.")]
        tops = set()
        for member in members:
            path = PurePosixPath(member.filename)
            if path.is_absolute() or ".." in path.parts:
                return None, [_issue(f"Unsafe path in the zip: {member.filename!r}.")]
            tops.add(path.parts[0] if len(path.parts) > 1 else "")
            target = root.joinpath(*path.parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            with archive.open(member) as src:
                target.write_bytes(src.read(MAX_UNPACKED_BYTES + 1))
        folder = root
        if "" not in tops and len(tops) == 1:
            folder = root / tops.pop()
        if not (folder / "patients.csv").exists():
            return None, [
                _issue(
                    "No patients.csv found: zip the cohort folder itself (with "
                    "patients.csv, visits.csv, ...).",
                    rule="missing_file",
                )
            ]
        cohort, issues = read_folder(folder)
        return (cohort if not issues else None), list(issues)


def _ignored(name: str) -> bool:
    parts = PurePosixPath(name).parts
    return any(
        p.startswith("__MACOSX") or (p.startswith(".") and p not in (".", "..")) for p in parts
    )


def write_zip(cohort: Cohort, folder_name: str = "cohort") -> bytes:
    """A zip holding the cohort folder `folder_name/`."""
    with tempfile.TemporaryDirectory(prefix="myotrack-export-") as tmp:
        folder = Path(tmp) / folder_name
        write_folder(cohort, folder)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(folder.rglob("*")):
                if path.is_file():
                    archive.write(path, f"{folder_name}/{path.relative_to(folder).as_posix()}")
        return buffer.getvalue()


def summary_dict(summary: Any) -> dict[str, Any]:
    """An ImportSummary as JSON-able data, whatever its exact shape."""
    if summary is None:
        return {}
    counts = getattr(summary, "counts", None)
    if callable(counts):
        return {
            table: ", ".join(f"{n} {what}" for what, n in c.items() if n)
            for table, c in counts().items()
            if table != "setting"
        }
    to_dict = getattr(summary, "to_dict", None)
    if callable(to_dict):
        result: dict[str, Any] = to_dict()
        return result
    try:
        from dataclasses import asdict

        return asdict(summary)
    except TypeError:
        return {"summary": str(summary)}
