"""Checking and cleaning an upload (`media.validate`): type from the content, size and
pixel limits (decompression bombs refused before decoding), metadata removed by
re-encoding, EXIF orientation applied. Oracle: the files are built here with known
metadata, and the cleaned output is re-read with Pillow and searched byte by byte."""

from __future__ import annotations

import io
import zlib

import pytest
from PIL import Image, ImageCms
from PIL.PngImagePlugin import PngInfo

from myotrack.media.validate import ImageLimits, ImageRejected, clean_image, sniff_format

GPS_TAG = 0x8825
ORIENTATION = 0x0112


def _jpeg_with_everything(size: tuple[int, int] = (40, 20), orientation: int = 1) -> bytes:
    image = Image.new("RGB", size, (200, 60, 60))
    exif = Image.Exif()
    exif[0x010F] = "SecretCam Maker"  # Make
    exif[0x0110] = "Model-X"  # Model
    exif[0x0132] = "2021:09:13 10:11:12"  # DateTime
    exif[ORIENTATION] = orientation
    exif[GPS_TAG] = {1: "N", 2: (51.0, 2.0, 30.0), 3: "E", 4: (13.0, 44.0, 10.0)}
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif.tobytes(), icc_profile=icc, comment=b"Patient Jane Roe")
    data = buffer.getvalue()
    xmp = (
        b"http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta><rdf:Description "
        b"photoshop:City='Dresden'/></x:xmpmeta>"
    )
    segment = b"\xff\xe1" + (len(xmp) + 2).to_bytes(2, "big") + xmp
    return data[:2] + segment + data[2:]  # an XMP APP1 segment right after SOI


def _png_with_text() -> bytes:
    info = PngInfo()
    info.add_text("Author", "Dr Example")
    info.add_itxt("Description", "Jane Roe, born 2017-05-15", lang="en")
    buffer = io.BytesIO()
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    Image.new("L", (30, 30), 120).save(buffer, "PNG", pnginfo=info, icc_profile=icc)
    return buffer.getvalue()


def test_jpeg_loses_exif_gps_icc_xmp_and_comments() -> None:
    raw = _jpeg_with_everything()
    for marker in (b"SecretCam", b"Exif", b"xmpmeta", b"Jane Roe", b"ICC_PROFILE"):
        assert marker in raw  # the oracle: the upload really carries them
    clean = clean_image(raw)
    assert clean.media_type == "image/jpeg" and (clean.width, clean.height) == (40, 20)
    for marker in (b"SecretCam", b"Exif", b"xmpmeta", b"Jane Roe", b"ICC_PROFILE", b"Dresden"):
        assert marker not in clean.data
    reread = Image.open(io.BytesIO(clean.data))
    assert not reread.getexif() and "icc_profile" not in reread.info
    assert "exif" not in reread.info and "comment" not in reread.info


def test_png_loses_text_chunks_and_icc() -> None:
    raw = _png_with_text()
    assert b"Dr Example" in raw and b"iCCP" in raw
    clean = clean_image(raw)
    assert clean.media_type == "image/png"
    for chunk in (b"tEXt", b"iTXt", b"zTXt", b"iCCP", b"eXIf", b"Dr Example"):
        assert chunk not in clean.data
    reread = Image.open(io.BytesIO(clean.data))
    assert reread.mode == "L"  # a grey CT slice stays grey, lossless
    assert [reread.getpixel((x, 0)) for x in range(3)] == [120, 120, 120]


def test_exif_orientation_is_applied_to_the_pixels() -> None:
    # Orientation 6: the camera stored the picture turned; shown upright it is 20 x 40.
    clean = clean_image(_jpeg_with_everything((40, 20), orientation=6))
    assert (clean.width, clean.height) == (20, 40)


def test_the_type_comes_from_the_content() -> None:
    png = _png_with_text()
    assert sniff_format(png) == "PNG"
    gif = io.BytesIO()
    Image.new("RGB", (4, 4)).save(gif, "GIF")
    for data in (gif.getvalue(), b"%PDF-1.7\n", b"<svg xmlns='http://www.w3.org/2000/svg'/>"):
        with pytest.raises(ImageRejected) as refused:
            clean_image(data)
        assert refused.value.rule == "format"
    with pytest.raises(ImageRejected) as empty:
        clean_image(b"")
    assert empty.value.rule == "empty"


def test_a_damaged_file_is_refused() -> None:
    png = _png_with_text()
    with pytest.raises(ImageRejected) as refused:
        clean_image(png[: len(png) // 2])
    assert refused.value.rule == "damaged"


def test_size_limit_in_bytes() -> None:
    data = _jpeg_with_everything()
    with pytest.raises(ImageRejected) as refused:
        clean_image(data, ImageLimits(max_bytes=len(data) - 1))
    assert refused.value.rule == "max_bytes"
    assert clean_image(data, ImageLimits(max_bytes=len(data))).width == 40


def _png_header_only(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims width x height (a decompression bomb's shape)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body).to_bytes(4, "big")
        return len(body).to_bytes(4, "big") + kind + body + crc

    header = width.to_bytes(4, "big") + height.to_bytes(4, "big") + bytes([8, 0, 0, 0, 0])
    row = b"\x00" + b"\x00" * width
    data = zlib.compress(row * 4, 9)  # far fewer rows than claimed
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    )


def test_decompression_bombs_are_refused_from_the_header() -> None:
    bomb = _png_header_only(30_000, 30_000)  # 900 megapixels claimed
    assert len(bomb) < 1000
    with pytest.raises(ImageRejected) as refused:
        clean_image(bomb)
    assert refused.value.rule == "max_pixels"
    wide = _png_header_only(13_000, 2)
    with pytest.raises(ImageRejected) as too_wide:
        clean_image(wide)
    assert too_wide.value.rule == "max_pixels"


def test_pixel_limit_is_a_limit_not_a_guess() -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (100, 50), (1, 2, 3)).save(buffer, "PNG")
    with pytest.raises(ImageRejected):
        clean_image(buffer.getvalue(), ImageLimits(max_pixels=4999))
    assert clean_image(buffer.getvalue(), ImageLimits(max_pixels=5000)).height == 50


def test_cleaning_is_deterministic_and_names_the_bytes() -> None:
    import hashlib

    raw = _jpeg_with_everything()
    first, second = clean_image(raw), clean_image(raw)
    assert first.data == second.data
    assert first.sha256 == hashlib.sha256(first.data).hexdigest()
