"""Every answer the same, byte for byte, as before issue 23 made the calculation fast (commit
20b9d96): ``/calculate`` and ``/trace`` one line at a time, ``/calculate`` of many lines on many
days, ``/bulk`` (JSON lines and CSV), and the audit's report and summary, on a few thousand
generated lines over 2016-2026 (every kind of line, some the law cannot price).

The expected answers are stored as hashes (``tests/same_answers.json``: the first 16 hex digits
of each answer's SHA-256, with its status), generated once by this module run as a script on
a checkout of 20b9d96 with that checkout's package imported:

    cd CHECKOUT_OF_20b9d96 && .venv/bin/python PATH/TO/tests/test_same_answers.py --write PATH/TO/tests/same_answers.json

A change that means to change an answer regenerates the file the same way on the new code and
says why in its commit. Regenerated once since, on the merge of issues 20-25, after each
difference from 20b9d96 was read: 52 ``/trace`` answers (a value not known is ``money.NOT_KNOWN``,
no longer NaN: issue 21), and ``/bulk`` and the audit, whose only differing lines are electric
goods vehicles above 50 t (now 0 on every day, citing the List's rows, not the electric
coefficient's act: issue 25).
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import sys
import tempfile
from pathlib import Path

STORED = Path(__file__).with_name("same_answers.json")
GOODS = ["tyres", "electric_accumulators", "oils", "glass_packaging", "polymer_packaging", "paper_packaging",
         "printed_matter", "packaged_goods", "cable_products"]
CATEGORIES = ["m1", "n", "n_road_tractor", "m2_m3", "combine_harvester", "n1"]  # n1: not a category, refused
CODES = ["4011100000", "8471300000", "8507100000", "2710198100", "4011", "1234567890", "85444"]


def generated_lines(count: int, seed: int = 23) -> list[dict]:
    """``count`` declaration lines (day and inputs) over 2016-2026, some the law cannot price."""
    rng = random.Random(seed)
    lines = []
    for _ in range(count):
        line = {"date": f"{rng.randint(2015, 2026)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"}
        kind = rng.random()
        if kind < 0.55:
            line["product"] = rng.choice(GOODS)
            line["mass_tonnes"] = rng.choice([rng.randint(1, 10**7) / 1000] * 8 + [0.5, 2.5, -1.0, 1e-9])
            if line["product"] == "cable_products":
                line["invoice_value"] = rng.randint(1, 10**9) / 100
            if rng.random() < 0.2:
                line["packaging_material"] = rng.choice(["paper", "glass", "polymer", "metal", "combined"])
                line["packaging_mass_tonnes"] = rng.randint(1, 10**5) / 1000
        elif kind < 0.7:
            line["customs_code"] = rng.choice(CODES)
            line["mass_tonnes"] = rng.randint(1, 10**6) / 1000
        else:
            line["product"] = "vehicle"
            line["vehicle_category"] = rng.choice(CATEGORIES)
            line[rng.choice(["engine_displacement_cm3", "gross_vehicle_mass_tonnes", "engine_power_hp"])] = rng.randint(1, 5000)
            if rng.random() < 0.1:
                line["is_electric"] = True
            if rng.random() < 0.5:
                line["import_origin"] = rng.choice(["russia_or_belarus", "other"])
            if line["vehicle_category"] == "n_road_tractor" and rng.random() < 0.7:
                line["road_tractor_use"] = rng.choice(["international_transport", "other"])
        lines.append(line)
    return lines


def _situation(lines: list[dict], ask: str = "epr_payment") -> dict:
    situation = {}
    for number, line in enumerate(lines):
        day = line["date"]
        situation[f"l{number}"] = {**{name: {day: value} for name, value in line.items() if name != "date"}, ask: {day: None}}
    return {"product_lines": situation}


TIMES = re.compile(rb'"(calculation|formula)_time":[-+.e0-9]+')


def _readable(line: dict) -> bool:
    """Whether the situation reader takes the line (a line the law cannot price is read)."""
    return line.get("vehicle_category") != "n1" and line.get("mass_tonnes", 0) >= 0


def _digest(status: int, body: bytes) -> str:
    """The status and the hash of the body, a trace's timings (which vary from run to run) left out."""
    timeless = TIMES.sub(rb'"\1_time":0', body)
    return f"{status} {hashlib.sha256(timeless).hexdigest()[:16]}"


def answers() -> dict[str, list[str]]:
    """Each answer's status and hash, by kind."""
    from openfisca_kz_epr.cli import main
    from openfisca_kz_epr.web import create_app

    client = create_app().test_client()
    lines = generated_lines(3000)

    def post(path: str, body: bytes, kind: str = "application/json") -> str:
        response = client.post(path, data=body, content_type=kind)
        return _digest(response.status_code, response.data)

    found = {
        "calculate": [post("/calculate", json.dumps(_situation([line])).encode()) for line in lines[:400]],
        "calculate_parts": [post("/calculate", json.dumps(_situation([line], "line_payment_tiyn")).encode()) for line in lines[400:500]],
        "trace": [post("/trace", json.dumps(_situation([line])).encode()) for line in lines[500:600]],
        "calculate_many": [post("/calculate", json.dumps(_situation(lines[600:1600], "line_payment_tiyn")).encode()),
                           post("/calculate", json.dumps(_situation([line for line in lines[600:1600] if _readable(line)],
                                                                     "line_payment_tiyn")).encode())],
        "bulk": [post("/bulk", "".join(json.dumps(line) + "\n" for line in lines).encode(), "application/x-ndjson")],
    }
    columns = sorted({name for line in lines for name in line} - {"date"})
    rows = [[line["date"], *(str(line.get(name, "")) for name in columns)] for line in lines]
    found["bulk"].append(post("/bulk", "".join(",".join(row) + "\n" for row in [["date", *columns], *rows]).encode(), "text/csv"))
    audited = "".join(",".join(row) + "\n" for row in [["declaration_id", "date", *columns, "paid_amount"],
                                                         *([str(number), *row, str(number % 5000)] for number, row in enumerate(rows))])
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder, "declarations.csv")
        source.write_text(audited, encoding="utf-8")
        report, summary = Path(folder, "report.csv"), Path(folder, "summary.md")
        assert main(["audit", str(source), "-o", str(report), "--summary", str(summary), "--quiet"]) == 0
        named = summary.read_bytes().replace(folder.encode(), b"FOLDER")  # the summary names the file audited
        found["audit"] = [_digest(0, report.read_bytes()), _digest(0, named)]
    return found


def test_every_answer_is_the_same_as_before():
    expected = json.loads(STORED.read_text(encoding="utf-8"))
    found = answers()
    assert found.keys() == expected.keys()
    for kind, digests in expected.items():
        different = [number for number, (old, new) in enumerate(zip(digests, found[kind])) if old != new]
        assert len(found[kind]) == len(digests) and not different, f"{kind}: answers {different[:20]} differ"


if __name__ == "__main__":
    if sys.argv[1:2] != ["--write"] or len(sys.argv) != 3:
        raise SystemExit(__doc__)
    Path(sys.argv[2]).write_text(json.dumps(answers(), indent=1) + "\n", encoding="utf-8")
