"""Run ``kz-epr audit`` on a file a test wrote and read its CSV report back."""

import csv
from pathlib import Path

from openfisca_kz_epr.cli import main


def audited(source: Path, *options: str) -> list[dict]:
    """The rows of the report of ``source`` (``kz-epr audit SOURCE -o SOURCE_report.csv --quiet OPTIONS``),
    which must run to the end (exit 0)."""
    report = source.with_name(source.stem + "_report.csv")
    assert main(["audit", str(source), "-o", str(report), "--quiet", *options]) == 0
    with report.open(newline="", encoding="utf-8") as file:
        return list(csv.DictReader(file))
