"""The corpus of exported files under tests/data and what a reader must make of each.

Each data file has a hand-written `<name>.expected.json`: every record in full (fields
left out are empty), the photo as its byte count, each rejection as its line and
words its reason must contain, and what the file has that is not kept ("not_kept":
kind -> how many records had it; empty when left out).
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

from models.importing.records import ImportRecord, ReadResult

DATA = Path(__file__).parent / "data"
_EMPTY = {
    "uid": "",
    "last_name": "",
    "preferred_name": "",
    "organization": "",
    "emails": [],
    "phones": [],
    "addresses": [],
    "notes": [],
    "tags": [],
    "dates": [],
    "photo_bytes": None,
    "family": [],
    "left_out": [],
}


def expected_path(data_file: Path) -> Path:
    return data_file.with_name(data_file.name.rsplit(".", 1)[0] + ".expected.json")


def load_expected(data_file: Path) -> dict:
    return json.loads(expected_path(data_file).read_text(encoding="utf-8"))


def record_as_json(record: ImportRecord) -> dict:
    """The record as the expected files write it (lists for pairs, photo as its size)."""
    data = json.loads(json.dumps(asdict(record) | {"photo": None}))
    data.pop("photo")
    data["photo_bytes"] = len(record.photo) if record.photo is not None else None
    return data


def expected_record(entry: dict) -> dict:
    dates = [{"year": None, "label": ""} | date for date in entry.get("dates", [])]
    return _EMPTY | entry | {"dates": dates}


def assert_matches(result: ReadResult, expected: dict) -> None:
    assert [record_as_json(r) for r in result.records] == [
        expected_record(entry) for entry in expected["records"]
    ]
    assert result.not_kept == expected.get("not_kept", {})
    assert [r.line for r in result.rejected] == [entry["line"] for entry in expected["rejected"]]
    for rejected, entry in zip(result.rejected, expected["rejected"], strict=True):
        for words in entry["reason_contains"]:
            assert words in rejected.reason, (rejected, words)
