"""Cohort folders as zip files: unpacking an upload safely, and packing an export.

An upload is never trusted: the zip's own size fields are ignored; every member is
decompressed in 64 KB pieces into a temporary folder while its bytes and rows are
counted, and the unpacking stops at the first byte over `ZipLimits`. So memory stays
bounded whatever the zip claims, and a damaged or hostile zip gets a clear message
(422): not a zip, an encrypted member, an unknown compression method, a bad checksum,
two members that would be the same file (names compared case-insensitively and in
Unicode normal form), an over-long or unsafe name, too many files, rows or bytes (a zip
bomb).
"""

from __future__ import annotations

import io
import tempfile
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Any

from myotrack.cohort import read_folder, write_folder
from myotrack.domain import Cohort, ValidationIssue

MAX_FILES = 50
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
_CHUNK = 64 * 1024
_READABLE = frozenset(
    {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}
)


@dataclass(frozen=True, slots=True)
class ZipLimits:
    """What an uploaded cohort zip may hold (`WebSettings` sets the web's)."""

    max_files: int = MAX_FILES
    max_unpacked_bytes: int = MAX_UNPACKED_BYTES
    max_rows_per_file: int = 250_000
    # Reading a cohort takes about 1 KB of memory per row (measured: 480,000 visit and lab
    # rows, 505 MB); the total keeps one upload near half a gigabyte.
    max_rows_total: int = 500_000
    max_name_chars: int = 255


class _Refused(Exception):
    def __init__(self, message: str, file: str = "(upload)") -> None:
        super().__init__(message)
        self.issue = ValidationIssue(file=file, line=None, field=None, rule="zip", message=message)


def _issue(message: str, rule: str = "zip") -> ValidationIssue:
    return ValidationIssue(file="(upload)", line=None, field=None, rule=rule, message=message)


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):g} MB"


def _check_member(member: zipfile.ZipInfo, limits: ZipLimits, seen: dict[str, str]) -> None:
    name = member.filename
    if len(name) > limits.max_name_chars:
        raise _Refused(
            f"A file name in the zip is too long ({len(name)} characters; at most "
            f"{limits.max_name_chars}): {name[:60]!r}..."
        )
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or "\\" in name or ":" in name:
        raise _Refused(f"Unsafe path in the zip: {name!r}.")
    same = unicodedata.normalize("NFC", name).casefold()
    if same in seen:
        raise _Refused(
            f"The zip holds two files that would be the same file: {seen[same]!r} and "
            f"{name!r} (names are compared ignoring upper/lower case). Keep one of them."
        )
    seen[same] = name
    if member.flag_bits & 0x1:
        raise _Refused(
            f"{name} is encrypted (password-protected); zip the cohort folder without a password.",
            file=name,
        )
    if member.compress_type not in _READABLE:
        raise _Refused(
            f"{name} is compressed with a method myotrack cannot read (method "
            f"{member.compress_type}); zip the folder again with the usual (deflate) method.",
            file=name,
        )


@dataclass(slots=True)
class _Tally:
    """Bytes and rows unpacked so far, over all members."""

    bytes: int = 0
    rows: int = 0


def _unpack(
    archive: zipfile.ZipFile,
    member: zipfile.ZipInfo,
    target: Path,
    limits: ZipLimits,
    tally: _Tally,
) -> None:
    """Copy one member to `target`, counting bytes and rows into `tally`."""
    name = member.filename
    rows = 0
    try:
        with archive.open(member) as src, target.open("wb") as out:
            while True:
                chunk = src.read(_CHUNK)
                if not chunk:
                    break
                tally.bytes += len(chunk)
                if tally.bytes > limits.max_unpacked_bytes:
                    raise _Refused(
                        f"The zip unpacks to more than {_mb(limits.max_unpacked_bytes)} "
                        f"(stopped in {name}): a zip bomb, or a cohort too large to upload. "
                        "Import a large cohort on the server with `myotrack import FOLDER`."
                    )
                found = chunk.count(b"\n")
                rows += found
                tally.rows += found
                if rows > limits.max_rows_per_file:
                    raise _Refused(
                        f"{name} has more than {limits.max_rows_per_file:,} rows; upload at "
                        "most that many per file, or import the cohort on the server with "
                        "`myotrack import FOLDER`.",
                        file=name,
                    )
                if tally.rows > limits.max_rows_total:
                    raise _Refused(
                        f"The cohort has more than {limits.max_rows_total:,} rows in all "
                        f"(stopped in {name}); import a cohort this large on the server with "
                        "`myotrack import FOLDER`.",
                        file=name,
                    )
                out.write(chunk)
    except zipfile.BadZipFile as exc:
        raise _Refused(
            f"{name} is damaged in the zip ({exc}); zip the cohort folder again.", file=name
        ) from None
    except (zlib.error, EOFError, NotImplementedError, RuntimeError, OSError) as exc:
        raise _Refused(
            f"{name} cannot be unpacked ({exc}); zip the cohort folder again.", file=name
        ) from None


def unpack_zip(
    source: bytes | IO[bytes], root: Path, limits: ZipLimits | None = None
) -> tuple[Path | None, list[ValidationIssue]]:
    """Unpack a zip into `root` within `limits` (see the module docstring): the folder
    holding its files (the zip's top, or its one folder), or None and the problem.
    `source` is the zip's bytes or a seekable binary file (an upload spooled to disk)."""
    limits = limits or ZipLimits()
    stream = io.BytesIO(source) if isinstance(source, bytes) else source
    try:
        archive = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        return None, [_issue("This is not a zip file. Zip the cohort folder and upload that.")]
    with archive:
        members = [m for m in archive.infolist() if not m.is_dir()]
        members = [m for m in members if not _ignored(m.filename)]
        if len(members) > limits.max_files:
            return None, [
                _issue(
                    f"The zip has {len(members)} files; a cohort export has at most "
                    f"{limits.max_files}."
                )
            ]
        tops = set()
        seen: dict[str, str] = {}
        tally = _Tally()
        try:
            for member in members:
                _check_member(member, limits, seen)
            for member in members:
                path = PurePosixPath(member.filename)
                tops.add(path.parts[0] if len(path.parts) > 1 else "")
                target = root.joinpath(*path.parts)
                target.parent.mkdir(parents=True, exist_ok=True)
                _unpack(archive, member, target, limits, tally)
        except _Refused as refused:
            return None, [refused.issue]
    folder = root
    if "" not in tops and len(tops) == 1:
        folder = root / tops.pop()
    return folder, []


def read_zip(
    source: bytes | IO[bytes], limits: ZipLimits | None = None
) -> tuple[Cohort | None, list[ValidationIssue]]:
    """The cohort in a zip of a cohort folder (files at the top, or in one folder), or the
    problems: each with file, line and column, as `read_folder` reports them. `source` is
    the zip's bytes or a seekable binary file (an upload spooled to disk)."""
    with tempfile.TemporaryDirectory(prefix="myotrack-upload-") as tmp:
        folder, problems = unpack_zip(source, Path(tmp), limits)
        if folder is None:
            return None, problems
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
