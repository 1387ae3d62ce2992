"""The CSV reader against files that mimic each exporter, and its edge cases."""

from __future__ import annotations

import pytest

from models.importing.csv_reader import read_csv, sniff_csv
from tests.reader_expectations import DATA, assert_matches, load_expected

CORPUS = sorted((DATA / "csv").glob("*.csv"))


@pytest.mark.parametrize("path", CORPUS, ids=[p.name for p in CORPUS])
def test_each_exporters_file_reads_as_expected(path):
    expected = load_expected(path)
    assert_matches(read_csv(path.read_bytes()), expected)
    table = sniff_csv(path.read_bytes())
    sniffed = {
        "preset": table.preset,
        "encoding": table.encoding,
        "delimiter": table.delimiter,
        "row_count": table.row_count,
        "month_first": table.mapping.month_first,
    }
    assert sniffed == expected["sniff"]
