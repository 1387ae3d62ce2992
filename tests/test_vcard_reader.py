"""The vCard reader against files that mimic each exporter, and its edge cases."""

from __future__ import annotations

import pytest

from models.importing.records import UnreadableFile
from models.importing.vcard_reader import read_vcards
from tests.reader_expectations import DATA, assert_matches, load_expected

CORPUS = sorted((DATA / "vcard").glob("*.vcf"))


@pytest.mark.parametrize("path", CORPUS, ids=[p.name for p in CORPUS])
def test_each_exporters_file_reads_as_expected(path):
    assert_matches(read_vcards(path.read_bytes()), load_expected(path))
