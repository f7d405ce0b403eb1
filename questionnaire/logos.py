"""Clinic logos: PNG or an allowlisted SVG, read and checked at start-up, never a traceback.

An SVG is a program as much as a picture: it can link to `javascript:`, load images and fonts
from other sites, carry CSS, XSLT or HTML. So a logo may use only the elements and attributes an
ordinary logo needs (shapes, text, gradients, clip paths), every `href` and `url()` may point
only inside the file (`#id`), and the file must be UTF-8 with no DOCTYPE, entities or processing
instructions. Parsed by the standard library's expat through defusedxml, which refuses DTDs,
entities and external references before anything is expanded.
"""

from __future__ import annotations

import math
import re
import struct
import xml.etree.ElementTree as ElementTree
from pathlib import Path

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from .errors import shorten
from .model import Logo

MAX_LOGO_BYTES = 100_000
MAX_LOGO_PIXELS = 1024  # widest and tallest a logo may be; it is shown at most a few hundred pixels wide
LOGO_TYPES = {".svg": "image/svg+xml", ".png": "image/png"}
SVG = "{http://www.w3.org/2000/svg}"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
XML = "{http://www.w3.org/XML/1998/namespace}"
ELEMENTS = frozenset({
    "svg", "g", "defs", "title", "desc", "symbol", "use", "path", "rect", "circle", "ellipse", "line",
    "polyline", "polygon", "text", "tspan", "linearGradient", "radialGradient", "stop", "clipPath", "mask",
})
ATTRIBUTES = frozenset({
    "id", "class", "role", "aria-label", "aria-hidden", "focusable", "version", "lang", "href", XLINK_HREF,
    f"{XML}space", f"{XML}lang", "width", "height", "viewBox", "preserveAspectRatio", "transform",
    "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx", "ry", "fx", "fy", "dx", "dy", "d", "points",
    "fill", "fill-opacity", "fill-rule", "stroke", "stroke-width", "stroke-opacity", "stroke-linecap",
    "stroke-linejoin", "stroke-dasharray", "stroke-dashoffset", "stroke-miterlimit", "opacity", "color",
    "font-family", "font-size", "font-weight", "font-style", "text-anchor", "dominant-baseline",
    "letter-spacing", "clip-path", "clip-rule", "mask", "offset", "stop-color", "stop-opacity",
    "gradientUnits", "gradientTransform", "spreadMethod", "clipPathUnits", "maskUnits", "visibility", "display",
})
_URL = re.compile(r"url\(\s*(['\"]?)(.*?)\1\s*\)", re.IGNORECASE)
_ENCODING = re.compile(rb"^\s*<\?xml[^>]*?encoding\s*=\s*[\"']([^\"']*)[\"']")
_PIXELS = re.compile(r"^\s*(-?[0-9]+(?:\.[0-9]+)?)\s*(?:px)?\s*$")


def read_logo(path: Path) -> tuple[Logo | None, str | None]:
    """A logo and no problem, or no logo and what is wrong with the file."""
    mimetype = LOGO_TYPES.get(path.suffix.lower())
    if mimetype is None:
        return None, f"must be an .svg or .png file (valid: {', '.join(LOGO_TYPES)})"
    if not path.is_file():
        return None, "no such file next to the clinic file"
    data = path.read_bytes()
    if len(data) > MAX_LOGO_BYTES:
        return None, f"is {len(data):,} bytes; the limit is {MAX_LOGO_BYTES:,}"
    size = _png_size(data) if mimetype == "image/png" else _svg_size(data)
    if isinstance(size, str):
        return None, size
    width, height = size
    if not (0 < width <= MAX_LOGO_PIXELS and 0 < height <= MAX_LOGO_PIXELS):
        return None, f"is {width}x{height} pixels; the limit is {MAX_LOGO_PIXELS}x{MAX_LOGO_PIXELS}"
    return Logo(filename=path.name, mimetype=mimetype, data=data, width=width, height=height), None


def _png_size(data: bytes) -> tuple[int, int] | str:
    if len(data) < 24 or data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        return "is not a PNG image (it must start with a PNG signature and its size)"
    width, height = struct.unpack(">II", data[16:24])
    return int(width), int(height)


class _Collector(ElementTree.TreeBuilder):
    """Builds the tree and notes processing instructions, which a plain tree drops unseen."""

    def __init__(self) -> None:
        super().__init__()
        self.instructions: list[str] = []

    def pi(self, target: str, text: str | None = None) -> ElementTree.Element:
        self.instructions.append(target)
        return super().pi(target, text)


def _parse(data: bytes) -> ElementTree.Element | str:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return "must be UTF-8 (save the SVG as UTF-8)"
    declared = _ENCODING.match(data.removeprefix(b"\xef\xbb\xbf"))
    if declared and declared.group(1).lower() not in (b"utf-8", b"utf8"):
        return f"must be UTF-8, not {shorten(declared.group(1).decode('ascii', 'replace'), 20)}"
    builder = _Collector()
    parser = DefusedXMLParser(target=builder, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    try:
        parser.feed(data)
        root = parser.close()
    except DefusedXmlException:
        return "SVG files may not declare a DOCTYPE or entities"
    except ElementTree.ParseError as exc:
        return f"is not a valid SVG file ({shorten(exc, 100)})"
    if builder.instructions:
        return (f"SVG logos may not contain processing instructions such as <?{shorten(builder.instructions[0], 40)}?> "
                f"(only the <?xml ...?> declaration)")
    return root


def _active_content(root: ElementTree.Element) -> str | None:
    """What in the SVG is not on the allowlist, or None."""
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue  # a comment
        name = element.tag.removeprefix(SVG)
        if name == element.tag or name not in ELEMENTS:
            namespace, _, local = element.tag[1:].rpartition("}") if element.tag.startswith("{") else ("", "", name)
            where = "" if name != element.tag else f" in namespace {shorten(namespace or 'none', 60)}"
            return (f"element <{shorten(local, 40)}>{where} is not allowed in a logo "
                    f"(allowed: shapes, text, gradients, clip paths)")
        for attribute, value in element.attrib.items():
            if attribute not in ATTRIBUTES:
                shown = attribute.split("}", 1)[-1]
                return f"attribute '{shorten(shown, 40)}' is not allowed in a logo (on <{name}>)"
            if attribute in ("href", XLINK_HREF) and not value.strip().startswith("#"):
                return f"href may only point to a #fragment inside the logo, not '{shorten(value, 40)}'"
            for match in _URL.finditer(value):
                if not match.group(2).strip().startswith("#"):
                    return f"url() may only point to a #fragment inside the logo, not '{shorten(match.group(2), 40)}'"
    return None


def _pixels(name: str, value: str) -> float | str:
    match = _PIXELS.match(value)
    number = float(match.group(1)) if match else math.nan
    if not math.isfinite(number) or abs(number) > 1e6:
        return f"{name} '{shorten(value, 20)}' is not a size in pixels (such as 160 or 160px)"
    return number


def _svg_size(data: bytes) -> tuple[int, int] | str:
    """Size from width/height or the viewBox, for an SVG that passes the allowlist."""
    root = _parse(data)
    if isinstance(root, str):
        return root
    if root.tag != f"{SVG}svg":
        return "is not an SVG image (the root element is not <svg> in the SVG namespace)"
    problem = _active_content(root)
    if problem:
        return problem
    view_box = (root.get("viewBox") or "").replace(",", " ").split()
    sizes = []
    for name, index in (("width", 2), ("height", 3)):
        value = root.get(name) or (view_box[index] if len(view_box) == 4 else None)
        if value is None:
            return "needs a viewBox or width and height in pixels"
        size = _pixels(name, value)
        if isinstance(size, str):
            return size
        sizes.append(round(size))
    return sizes[0], sizes[1]
