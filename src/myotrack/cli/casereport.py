"""`myotrack casereport PATIENT_ID --out FILE.pdf|.docx|.html`: a case-report draft of one
patient from the registry (issue 14), and `myotrack images check` (does the image store
match the registry's image rows?)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from myotrack.cli.app import app
from myotrack.cli.common import DatabaseOption, actor, console, fail, open_registry

images_app = typer.Typer(
    help="Clinical images: list, restore, export, check the store, add the demo's.",
    no_args_is_help=True,
)
app.add_typer(images_app, name="images")

ImageDirOption = Annotated[
    Path | None,
    typer.Option(
        "--images",
        help="The image folder (default: $MYOTRACK_IMAGE_DIR, else the folder beside a "
        "SQLite registry, e.g. myotrack-images/ beside myotrack.db)",
        show_default=False,
    ),
]


@app.command()
def casereport(
    patient_id: Annotated[str, typer.Argument(help="The patient's study pseudonym")],
    out: Annotated[
        Path,
        typer.Option("--out", "-o", help="The draft to write: FILE.pdf, FILE.docx or FILE.html"),
    ],
    database: DatabaseOption = None,
    images: ImageDirOption = None,
) -> None:
    """Write a case-report draft of one patient: timeline figure, laboratory values as
    reported, investigations, interventions, outcomes, images with publication consent,
    and the CARE checklist with what the authors must still write."""
    from myotrack import registry
    from myotrack.cohort import whole_records
    from myotrack.media import ImageStore, StoreError, image_dir_for
    from myotrack.report import CaseReportFormat, build_case_report, render_case_report

    formats: dict[str, CaseReportFormat] = {"pdf": "pdf", "docx": "docx", "html": "html"}

    fmt = formats.get(out.suffix.lower().lstrip("."))
    if fmt is None:
        fail(f"--out must end in .pdf, .docx or .html (got {out.name!r})")
    engine = open_registry(database, create=False)
    url = engine.url.render_as_string(hide_password=False)
    store = ImageStore(images if images is not None else image_dir_for(url))
    with registry.transaction(engine) as session:
        cohort = registry.load_cohort(session, patient_ids=[patient_id])
        stored = registry.list_images(session, patient_id)
    engine.dispose()
    whole = whole_records(cohort).get(patient_id)  # investigations: cohort format version 2
    if whole is None:
        fail(f"no patient '{patient_id}' in the registry; `myotrack patients` lists them.")
    record = whole.base
    try:
        report = build_case_report(
            record,
            generated_at=datetime.now(UTC),
            images=stored,
            read_image=lambda i: store.read(i.sha256, i.media_type),
            investigations=whole.investigations,
            background=whole.background,
            decisions=whole.decisions,
            clinical_events=whole.clinical_events,
            treatment_courses=whole.treatment_courses,
        )
    except StoreError as exc:
        fail(f"{exc}; `myotrack images check` lists what is missing.")
    out.write_bytes(render_case_report(report, fmt))
    console.print(
        f"Wrote the case-report draft of {patient_id} to {out} "
        f"({len(report.images)} image figure(s) with publication consent"
        + (
            f"; {report.images_left_out} image(s) without it left out"
            if report.images_left_out
            else ""
        )
        + ")."
    )
    console.print(
        f"The authors must still write CARE items {report.to_write}; "
        "the checklist at the end of the draft says what each item needs.",
        soft_wrap=True,
    )


@images_app.command("check")
def images_check(
    database: DatabaseOption = None,
    images: ImageDirOption = None,
    remove_orphans: Annotated[
        bool, typer.Option("--remove-orphans", help="Delete files that no image row refers to")
    ] = False,
) -> None:
    """Compare the image store with the registry: files no row refers to (orphans, left by
    an upload whose transaction failed), rows whose file is missing or was changed."""
    from myotrack.media import ImageStore, check_store, image_dir_for
    from myotrack.media import remove_orphans as remove

    engine = open_registry(database, create=False)
    url = engine.url.render_as_string(hide_password=False)
    store = ImageStore(images if images is not None else image_dir_for(url))
    report = check_store(engine, store)
    console.print(f"Image store {store.root}: {report.files} files, {report.rows} image rows.")
    for path in report.orphans:
        console.print(f"  orphan (no row refers to it): {path}")
    for sha in report.missing:
        console.print(f"  missing file of image {sha}")
    for sha in report.changed:
        console.print(f"  changed file (content no longer matches its name): {sha}")
    if remove_orphans and report.orphans:
        removed = remove(engine, store)
        console.print(f"Removed {len(removed)} orphaned file(s).")
    engine.dispose()
    if report.missing or report.changed:
        raise typer.Exit(1)
    if report.ok:
        console.print("Everything matches.")


@images_app.command("export")
def images_export(
    purpose: Annotated[
        str, typer.Option(help="research (de-identified, no captions) or publication")
    ],
    out: Annotated[Path, typer.Option("--out", "-o", help="The folder to write")],
    database: DatabaseOption = None,
    images: ImageDirOption = None,
) -> None:
    """Export the images that have consent for PURPOSE (and no other) as files and
    images.csv, under research pseudonyms with days from the JAK-inhibitor start."""
    from myotrack import registry
    from myotrack.cohort import pseudonym
    from myotrack.media import ImageStore, export_images, image_dir_for

    if purpose not in ("research", "publication"):
        fail(f"--purpose must be research or publication (got {purpose!r})")
    engine = open_registry(database, create=False)
    url = engine.url.render_as_string(hide_password=False)
    store = ImageStore(images if images is not None else image_dir_for(url))
    with registry.transaction(engine) as session:
        stored = registry.all_images(session)
        key = registry.research_key(session)
        ids = sorted({i.patient_id for i in stored})
        records = registry.load_cohort(session, patient_ids=ids).records() if ids else {}
    engine.dispose()
    summary = export_images(
        stored,
        lambda i: store.read(i.sha256, i.media_type),
        "research" if purpose == "research" else "publication",
        out,
        pseudonym_of=lambda pid: pseudonym(key, pid),
        index_dates={pid: r.index_date for pid, r in records.items()},
    )
    console.print(
        f"Exported {summary.exported} image(s) with {purpose} consent to {out}; "
        f"{summary.left_out} without it left out."
    )


@images_app.command("list")
def images_list(
    patient_id: Annotated[str, typer.Argument(help="The patient's study pseudonym")],
    database: DatabaseOption = None,
    retracted: Annotated[
        bool, typer.Option("--retracted", help="List the retracted images instead")
    ] = False,
) -> None:
    """The patient's images: id, version, date, body site, kind, consent, caption."""
    from myotrack import registry

    engine = open_registry(database, create=False)
    with registry.transaction(engine) as session:
        found = (registry.retracted_images if retracted else registry.list_images)(
            session, patient_id
        )
    engine.dispose()
    for i in found:
        flags = "".join(
            letter if on else "-"
            for letter, on in (
                ("C", i.consent.clinical_record),
                ("R", i.consent.research),
                ("P", i.consent.publication),
            )
        )
        console.print(
            f"{i.image_id:>5}  v{i.version}  {i.date}  {i.body_site:<14} {i.kind:<14} "
            f"{flags}  {i.caption or ''}",
            markup=False,
        )
    if not found:
        console.print("No retracted images." if retracted else "No images.")


@images_app.command("restore")
def images_restore(
    patient_id: Annotated[str, typer.Argument(help="The patient's study pseudonym")],
    image_id: Annotated[int, typer.Argument(help="The image id (`myotrack images list`)")],
    version: Annotated[int, typer.Option(help="The version `images list --retracted` shows")],
    reason: Annotated[str, typer.Option(help="Why it is restored (goes into the audit log)")],
    database: DatabaseOption = None,
) -> None:
    """Bring back a retracted image (the command-line counterpart of an admin's restore)."""
    from myotrack import registry

    engine = open_registry(database, create=False)
    try:
        with registry.transaction(engine, write=True) as session:
            registry.restore_image(
                session,
                patient_id,
                image_id,
                expected_version=version,
                actor=actor(),
                reason=reason,
            )
    except registry.RegistryError as exc:
        fail(str(exc))
    finally:
        engine.dispose()
    console.print(f"Image {image_id} of {patient_id} restored.")


@images_app.command("demo")
def images_demo(database: DatabaseOption = None, images: ImageDirOption = None) -> None:
    """Attach the demo cohort's FICTIONAL images (drawn by myotrack, not photographs) to
    its MDA5-positive child, with their consent flags; run after `myotrack import` of the
    demo cohort (`make demo` does). Attaching them again changes nothing."""
    from myotrack.media import ImageStore, add_demo_images, image_dir_for

    engine = open_registry(database, create=False)
    url = engine.url.render_as_string(hide_password=False)
    store = ImageStore(images if images is not None else image_dir_for(url))
    try:
        added = add_demo_images(engine, store)
    finally:
        engine.dispose()
    console.print(
        f"{added} fictional image(s) attached to the demo's MDA5-positive child "
        "(`myotrack images list MDA5-case`)."
        if added
        else "Nothing new: the demo's fictional images are attached already, or the demo "
        "cohort is not in the registry (`myotrack import` it first)."
    )
