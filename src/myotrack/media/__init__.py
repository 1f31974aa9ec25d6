"""Clinical image files: checking and cleaning an upload, the content-addressed store
outside the database, attaching an image in one audited transaction, exporting images
with the matching consent, and the demo's fictional images. (The before/after figure is
`report.pair_figure`.)

    store = ImageStore(image_dir_for(database_url))
    image = attach_image(engine, store, upload, data, actor="nurse", reason="clinic photo")
    report = check_store(engine, store)          # orphaned / missing / changed files

Modules: `validate` (pure: PNG/JPEG by content, size and pixel limits, re-encoding
without metadata), `store` (the files), `attach` (the transaction and the store check),
`export` (images for research or publication), `demo` (fictional images of the demo
cohort).
"""

from myotrack.media.attach import (
    ImageUpload,
    StoreReport,
    attach_image,
    check_store,
    remove_orphans,
)
from myotrack.media.demo import add_demo_images
from myotrack.media.export import ExportSummary, export_images
from myotrack.media.store import ImageStore, StoreError, image_dir_for
from myotrack.media.validate import (
    NOT_AN_IMAGE,
    CleanImage,
    ImageLimits,
    ImageRejected,
    clean_image,
    sniff_format,
)

__all__ = [
    "NOT_AN_IMAGE",
    "CleanImage",
    "ExportSummary",
    "ImageLimits",
    "ImageRejected",
    "ImageStore",
    "ImageUpload",
    "StoreError",
    "StoreReport",
    "add_demo_images",
    "attach_image",
    "check_store",
    "clean_image",
    "export_images",
    "image_dir_for",
    "remove_orphans",
    "sniff_format",
]
