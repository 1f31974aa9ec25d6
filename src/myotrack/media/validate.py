"""Checking and cleaning an uploaded image, in memory (no file is read or written here).

`clean_image(data, limits)` accepts PNG and JPEG only, recognised from the content (the
first bytes, then Pillow's own parser restricted to those two formats), never from a file
name. It refuses files larger than `limits.max_bytes`, images larger than
`limits.max_pixels` (read from the header BEFORE any pixel is decoded, so a small file
that would decode to gigabytes — a decompression bomb — is refused without being
decoded) or wider/taller than `limits.max_side`.

The image is then re-encoded from its pixels alone, so nothing but pixels survives:
EXIF (camera, time, GPS position), XMP, IPTC, PNG text chunks and ICC profiles (whose
description and copyright fields are free text) are all gone. Before that:

- a JPEG's EXIF orientation is applied to the pixels (phone photographs are often stored
  sideways with an orientation tag; dropping the tag would turn the picture);
- an embedded ICC profile is used to convert the colours to sRGB (the profile itself is
  dropped, and sRGB is what an untagged image is shown as).

PNG stays PNG (lossless: CT slices keep every grey level); JPEG stays JPEG at quality 92
with 4:4:4 chroma (one more lossy pass, barely visible, much smaller than PNG for a
photograph). The cleaned bytes are what the store keeps and what `sha256` names.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass
from typing import Final, Literal

from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

ImageFormat = Literal["PNG", "JPEG"]
MEDIA_TYPES: Final[dict[ImageFormat, str]] = {"PNG": "image/png", "JPEG": "image/jpeg"}
EXTENSIONS: Final[dict[str, str]] = {"image/png": "png", "image/jpeg": "jpg"}
JPEG_QUALITY = 92

NOT_AN_IMAGE = (
    "This is not a PNG or JPEG image (checked from its content, not its name). "
    "Export the photograph or CT slice as PNG or JPEG."
)
_MAGIC: Final[tuple[tuple[bytes, ImageFormat], ...]] = (
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
)


@dataclass(frozen=True, slots=True)
class ImageLimits:
    """The largest image accepted: bytes of the upload, pixels (width x height) and the
    longer side. 25 MB and 50 megapixels hold any clinical photograph or CT export."""

    max_bytes: int = 25 * 1024 * 1024
    max_pixels: int = 50_000_000
    max_side: int = 12_000


class ImageRejected(ValueError):
    """The upload is not an image the registry keeps; `rule` names the check."""

    def __init__(self, message: str, rule: str) -> None:
        super().__init__(message)
        self.message = message
        self.rule = rule


@dataclass(frozen=True, slots=True)
class CleanImage:
    """An image as the store keeps it: re-encoded bytes without metadata."""

    data: bytes
    media_type: str
    width: int
    height: int

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.media_type]


def sniff_format(data: bytes) -> ImageFormat | None:
    """PNG or JPEG from the first bytes of the content, else None."""
    for magic, fmt in _MAGIC:
        if data.startswith(magic):
            return fmt
    return None


def _to_srgb(image: Image.Image) -> Image.Image:
    icc = image.info.get("icc_profile")
    if not icc or image.mode not in ("RGB", "RGBA", "L", "CMYK"):
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        target = ImageCms.createProfile("sRGB")
        mode = "RGBA" if image.mode == "RGBA" else "RGB"
        converted = ImageCms.profileToProfile(image, source, target, outputMode=mode)
    except (ImageCms.PyCMSError, OSError, ValueError):
        return image  # a broken profile: keep the pixels as they are (the profile goes)
    return converted if converted is not None else image


def clean_image(data: bytes, limits: ImageLimits | None = None) -> CleanImage:
    """The upload checked and re-encoded without metadata (see the module docstring);
    ImageRejected with the rule that failed otherwise."""
    limits = limits or ImageLimits()
    if not data:
        raise ImageRejected("The file is empty.", "empty")
    if len(data) > limits.max_bytes:
        raise ImageRejected(
            f"The file is {len(data) / 1e6:.1f} MB; images up to "
            f"{limits.max_bytes / 1e6:.0f} MB are accepted.",
            "max_bytes",
        )
    fmt = sniff_format(data)
    if fmt is None:
        raise ImageRejected(NOT_AN_IMAGE, "format")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image: Image.Image = Image.open(io.BytesIO(data), formats=[fmt])
            width, height = image.size  # from the header: nothing decoded yet
            if width * height > limits.max_pixels or max(width, height) > limits.max_side:
                raise ImageRejected(
                    f"The image is {width} x {height} pixels; up to "
                    f"{limits.max_pixels / 1e6:.0f} megapixels and {limits.max_side} pixels "
                    "a side are accepted.",
                    "max_pixels",
                )
            image.load()
    except ImageRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageRejected(f"The image is too large to decode ({exc}).", "max_pixels") from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ImageRejected(
            f"The {fmt} file is damaged or incomplete and cannot be read ({exc}).", "damaged"
        ) from exc
    if fmt == "JPEG":
        image = ImageOps.exif_transpose(image)
    image = _to_srgb(image)
    keep = {"1": "L", "P": "RGBA" if "transparency" in image.info else "RGB"}
    mode = keep.get(image.mode, image.mode)
    if fmt == "JPEG" and mode not in ("L", "RGB"):
        mode = "RGB"
    if mode not in ("L", "RGB", "RGBA", "I;16"):
        mode = "RGB"
    pixels = image.convert(mode) if image.mode != mode else image
    # A new image from the pixels alone: no info dict, no EXIF, no ICC profile.
    bare = Image.frombytes(pixels.mode, pixels.size, pixels.tobytes())
    out = io.BytesIO()
    if fmt == "PNG":
        bare.save(out, "PNG")
    else:
        bare.save(out, "JPEG", quality=JPEG_QUALITY, subsampling=0)
    return CleanImage(out.getvalue(), MEDIA_TYPES[fmt], bare.width, bare.height)


__all__ = [
    "EXTENSIONS",
    "MEDIA_TYPES",
    "NOT_AN_IMAGE",
    "CleanImage",
    "ImageFormat",
    "ImageLimits",
    "ImageRejected",
    "clean_image",
    "sniff_format",
]
