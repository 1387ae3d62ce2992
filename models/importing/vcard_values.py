"""What a vCard property's value means in Rapport's terms: names, labels, addresses, photos."""

from __future__ import annotations

import base64
import binascii
import re
from urllib.parse import unquote_to_bytes

from models.importing.labels import label_text, type_label
from models.importing.tags import clean_tags
from models.importing.vcard_properties import Property, split_escaped, unescape

# Leading bytes of the image formats address books use (TIFF has two byte orders).
_IMAGE_SIGNATURES = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"GIF8", b"BM", b"II*\x00", b"MM\x00*")


def text_value(prop: Property) -> str:
    """The value as text, line breaks as "\\n" (Outlook's quoted-printable has "=0D=0A")."""
    text = prop.value if prop.quoted_printable else unescape(prop.value)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def first_value(props: list[Property], structured: bool = False, listed: bool = False) -> str:
    """The first non-empty value; of a structured one (ORG) or a list (NICKNAME) the first part."""
    separator = ";" if structured else "," if listed else ""
    for prop in props:
        parts = split_escaped(prop.value, separator) if separator else [prop.value]
        for part in parts:
            text = " ".join(unescape(part).split())
            if text:
                return text
    return ""


def name_parts(props: list[Property]) -> tuple[str, str]:
    """(given and middle names, family name) from the first N property."""
    if not props:
        return "", ""
    parts = [_joined(part) for part in split_escaped(props[0].value, ";")] + [""] * 3
    family, given, middle = parts[:3]
    return " ".join(filter(None, (given, middle))), family


def _joined(part: str) -> str:
    """A structured part may be a list ("Anna,Maria"): its items, space-separated."""
    return " ".join(" ".join(unescape(item).split()) for item in split_escaped(part, ",")).strip()


def address_text(prop: Property) -> str:
    """ADR's parts (PO box, extended, street, city, region, postcode, country) on one line."""
    parts = (unescape(part) for part in split_escaped(prop.value, ";"))
    lines = (line.strip(" ,") for part in parts for line in part.splitlines())
    return ", ".join(line for line in lines if line)


def contact_label(prop: Property, apple_labels: dict[str, str]) -> str:
    """Apple's label for the property's group (item1.X-ABLabel), else its TYPE values."""
    if prop.group in apple_labels:
        return label_text(apple_labels[prop.group])
    return type_label(prop.types)


def android_item(prop: Property) -> tuple[str, list[str]]:
    """("nickname", ["Gosia", "1", ...]) from Android's X-ANDROID-CUSTOM, which carries what
    vCard 2.1 has no property for as "vnd.android.cursor.item/<kind>;<data1>;<data2>..."."""
    parts = [unescape(part) for part in split_escaped(prop.value, ";")]
    return parts[0].strip().lower().removeprefix("vnd.android.cursor.item/"), parts[1:]


def tag_names(props: list[Property]) -> list[str]:
    return clean_tags(unescape(item) for p in props for item in split_escaped(p.value, ","))


def is_photo_link(prop: Property) -> bool:
    """A PHOTO that is a link (Google's are): never fetched, so not kept, as other
    properties Rapport does not keep; not a value lost."""
    value = prop.value.strip()
    if value[:5].lower() == "data:" or prop.is_base64:
        return False
    return bool(_LINK.match(value)) or prop.param("VALUE").lower() in ("uri", "url")


def photo_bytes(prop: Property) -> tuple[bytes | None, str]:
    """(the image in PHOTO, "") or (None, why it is not kept). The image is base64 (with
    ENCODING=b, a bare BASE64 as Mac Address Book writes, or no word at all as Thunderbird
    reads it) or a 4.0 data: URI; a link is never fetched (see is_photo_link)."""
    value = prop.value.strip()
    if value[:5].lower() == "data:":
        header, _, payload = value.partition(",")
        data = _base64(payload) if ";base64" in header.lower() else unquote_to_bytes(payload)
    elif prop.is_base64:
        data = _base64(value)
    else:
        data = _base64(value)
    if data and is_image(data):
        return data, ""
    return None, "the photo cannot be read as an image."


_LINK = re.compile(r"[a-z][a-z0-9+.-]*:", re.IGNORECASE)  # https:, file:, cid:...


def is_image(data: bytes) -> bool:
    webp = data[:4] == b"RIFF" and data[8:12] == b"WEBP"
    return webp or data.startswith(_IMAGE_SIGNATURES)


def _base64(text: str) -> bytes | None:
    text = "".join(text.split())
    try:
        return base64.b64decode(text + "=" * (-len(text) % 4), validate=True)
    except (binascii.Error, ValueError):
        return None


def related_name(prop: Property) -> str:
    """The name in a RELATED (vCard 4) or X-ABRELATEDNAMES (Apple); "" for a link to
    another card (urn:uuid:..., a URL), which names nobody."""
    text = " ".join(text_value(prop).split())
    is_link = prop.param("VALUE").lower() == "uri" or _LINK.match(text)
    return "" if is_link and prop.param("VALUE").lower() != "text" else text
