"""`kz-epr simulate`: revenue per product under the law and a reform, a year spread by legal
period, rate timelines, PNG charts, and a one-line error with exit code 2 for bad input."""

import csv
import datetime
import itertools
import struct
from decimal import Decimal
from pathlib import Path

import numpy
import pytest
from legal_figures import half_up

from openfisca_kz_epr.cli import main
from openfisca_kz_epr.law.intervals import Interval
from openfisca_kz_epr.reforms import apply_reform
from openfisca_kz_epr.reforms.charts import SIZE
from openfisca_kz_epr.reforms.revenue import compare, read_scenario, shares_by_days, spread

ROOT = Path(__file__).resolve().parent.parent
EEE = str(ROOT / "openfisca_kz_epr" / "reforms" / "eee_coefficient.yaml")
D = datetime.date.fromisoformat


def _csv(path: Path, rows: list[dict]) -> str:
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.DictWriter(file, fieldnames=sorted({k for row in rows for k in row}))
        writer.writeheader()
        writer.writerows(rows)
    return str(path)


def _read(path) -> list[dict]:
    with open(path, encoding="utf-8") as file:
        return list(csv.DictReader(file))


def _png_size(path) -> tuple[int, int]:
    data = Path(path).read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def _assert_a_drawn_png(path):
    assert _png_size(path) == SIZE
    from matplotlib.image import imread

    pixels = imread(path)  # decodes the whole file: a truncated PNG fails here
    assert pixels.shape[:2] == (SIZE[1], SIZE[0])
    assert pixels[..., :3].std() > 0.05  # not a blank canvas


SCENARIO = [
    {"product": "eee_small", "mass_tonnes": "2"},
    {"product": "tyres", "mass_tonnes": "2.5"},
    {"product": "cable_products", "invoice_value": "1000.10"},
]


def test_revenue_on_a_day_by_hand(tmp_path, capsys):
    data = _csv(tmp_path / "pom.csv", SCENARIO)
    out, chart = tmp_path / "result.csv", tmp_path / "chart.png"
    assert main(["simulate", "--reform", EEE, "--data", data, "--date", "2021-07-01", "-o", str(out), "--chart", str(chart)]) == 0
    rows = {row["product"]: row for row in _read(out)}
    # eee_small: 2 × 2917 × 10 = 58 340 (law: k = 0); tyres: 2.5 × 2917 × 14.15 = 103 188.875 → 103 188.88;
    # cable: 1 000.10 × 0.05 = 50.005 → 50.01
    assert rows["eee_small"] == {"product": "eee_small", "baseline_kzt": "0.00", "reform_kzt": "58340.00", "difference_kzt": "58340.00", "change_percent": ""}
    assert rows["tyres"] == {"product": "tyres", "baseline_kzt": "103188.88", "reform_kzt": "103188.88", "difference_kzt": "0.00", "change_percent": "0.00"}
    assert rows["cable_products"]["baseline_kzt"] == rows["cable_products"]["reform_kzt"] == "50.01"
    # the total is the sum of the lines: 103 188.88 + 50.01 = 103 238.89 and + 58 340 = 161 578.89
    assert rows["total"] == {"product": "total", "baseline_kzt": "103238.89", "reform_kzt": "161578.89", "difference_kzt": "58340.00",
                             "change_percent": str((Decimal("58340") * 100 / Decimal("103238.89")).quantize(Decimal("0.01")))}
    assert "eee_small" in capsys.readouterr().out
    _assert_a_drawn_png(chart)


def test_revenue_the_day_before_the_reform_equals_the_law(tmp_path):
    data = _csv(tmp_path / "pom.csv", SCENARIO)
    out = tmp_path / "result.csv"
    assert main(["simulate", "--reform", EEE, "--data", data, "--date", "2021-06-30", "-o", str(out)]) == 0
    for row in _read(out):
        assert row["baseline_kzt"] == row["reform_kzt"] and row["difference_kzt"] == "0.00"


def test_each_row_on_its_own_date(tmp_path):
    rows = [{"date": "2021-06-30", "product": "eee_small", "mass_tonnes": "2"}, {"date": "2021-07-01", "product": "eee_small", "mass_tonnes": "3"}]
    out = tmp_path / "result.csv"
    assert main(["simulate", "--reform", EEE, "--data", _csv(tmp_path / "pom.csv", rows), "-o", str(out)]) == 0
    assert _read(out)[0]["reform_kzt"] == "87510.00"  # only the second: 3 × 2917 × 10


def test_shares_by_days_add_up_exactly():
    half_year = [Interval(D("2021-01-01"), D("2021-06-30")), Interval(D("2021-07-01"), D("2021-12-31"))]
    # 1 t in grams: 1 000 000 × 181 / 365 = 495 890.41 and × 184 / 365 = 504 109.59; the gram
    # left goes to the larger remainder
    assert shares_by_days(1_000_000, half_year) == [495_890, 504_110]
    thirds = [Interval(D("2021-01-01"), D("2021-01-10")), Interval(D("2021-01-11"), D("2021-01-20")), Interval(D("2021-01-21"), D("2021-01-30"))]
    assert shares_by_days(7, thirds) == [3, 2, 2]  # a tie: the earliest first


def test_a_year_is_spread_by_legal_period_and_nothing_is_lost(tax_benefit_system):
    reform = apply_reform(tax_benefit_system, EEE)
    columns = {"product": ["eee_large", "tyres", "vehicle"], "mass_tonnes": ["196000", "1000.000001", ""],
               "vehicle_category": ["", "", "m1"], "engine_displacement_cm3": ["", "", "1600"], "count": ["", "", "365"]}
    scenario = spread(read_scenario(columns, 3, day="2021-01-01"), "2021-01-01", "2021-12-31", tax_benefit_system, reform)
    grams = numpy.rint(scenario.lines["mass_tonnes"] * 1e6)
    assert grams[scenario.row == 0].sum() == 196_000 * 10**6
    assert grams[scenario.row == 1].sum() == 1_000_000_001
    assert scenario.count[scenario.row == 2].sum() == 365
    days = scenario.days.astype(object)
    assert D("2021-07-01") in set(days[scenario.row == 0])  # the reform's start cuts the year
    comparison = compare(tax_benefit_system, reform, scenario)
    eee = scenario.row == 0
    before = eee & (scenario.days < numpy.datetime64("2021-07-01"))
    assert (comparison.reform[before] == 0).all() and (comparison.baseline[eee] == 0).all()
    for i in numpy.flatnonzero(eee & ~before):  # each line: its share × 2917 × 10, rounded once
        assert comparison.reform[i] == int(half_up(Decimal(int(grams[i])) / 10**6 * 2917 * 10) * 100)
    # 196 000 t × 184/365 of the year × 2917 × 10, within the grams and tiyn the lines round
    expected = Decimal(196000) * 184 / 365 * 2917 * 10 * 100
    assert abs(int(comparison.reform[eee].sum()) - expected) <= 30 * int((eee & ~before).sum())
    assert (comparison.reform[~eee] == comparison.baseline[~eee]).all()
    # vehicles: 365 cars at one per day, 50 × 2917 × 7 each, whatever the split
    assert comparison.baseline[scenario.row == 2].sum() == 365 * 50 * 2917 * 7 * 100


def test_the_year_from_the_command_line_with_its_lines(tmp_path):
    data = _csv(tmp_path / "pom.csv", [{"product": "eee_medium", "mass_tonnes": "365"}])
    out, lines = tmp_path / "result.csv", tmp_path / "lines.csv"
    assert main(["simulate", "--reform", EEE, "--data", data, "--year", "2021", "-o", str(out), "--lines", str(lines)]) == 0
    priced = _read(lines)
    assert sum(Decimal(line["mass_tonnes"]) for line in priced) == 365
    # one tonne a day: 184 t from 01.07.2021 at 2917 × 10
    assert _read(out)[0]["reform_kzt"] == f"{184 * 2917 * 10}.00"
    assert sum(Decimal(line["reform_kzt"]) for line in priced) == 184 * 2917 * 10


def test_a_timeline_covers_the_range_for_both_and_draws(tmp_path, capsys):
    out, chart = tmp_path / "steps.csv", tmp_path / "timeline.png"
    args = ["simulate", "--reform", EEE, "--timeline", "eee_small", "--from", "2020-01-01", "--to", "2022-12-31", "-o", str(out), "--chart", str(chart)]
    assert main(args) == 0
    steps = _read(out)
    for system in ("law", "reform eee_coefficient"):
        mine = [s for s in steps if s["system"] == system]
        assert mine[0]["first"] == "2020-01-01" and mine[-1]["last"] == "2022-12-31"
        for before, after in itertools.pairwise(mine):
            assert D(after["first"]) == D(before["last"]) + datetime.timedelta(days=1)
    reform_start = next(s for s in steps if s["system"] != "law" and s["first"] == "2021-07-01")
    assert (reform_start["rate"], reform_start["causes"], reform_start["confidence"]) == (str(2917 * 10), "reform:eee_coefficient", "reform")
    operator_k = next(s for s in steps if s["system"] == "law" and s["first"] == "2022-01-11")
    # the operator's k for small EEE from 11.01.2022: 3063 × 16.3
    assert (operator_k["rate"], operator_k["confidence"]) == (str(3063 * Decimal("16.3")), "inferred")
    assert operator_k["causes"] == "evidence_operator_ref_tn_code_2022"
    _assert_a_drawn_png(chart)


def test_a_vehicle_band_timeline(tmp_path):
    out = tmp_path / "steps.csv"
    assert main(["simulate", "--reform", EEE, "--timeline", "vehicle:m1:1600", "--from", "2022-05-13", "--to", "2022-05-14", "-o", str(out)]) == 0
    assert [s["rate"] for s in _read(out) if s["system"] == "law"] == ["1072050", "536025"]  # 50 × 3063 × 7; 50 × 3063 × 3.5


@pytest.mark.parametrize(("args", "words"), [
    (["--data", "{data}", "--date", "2027-03-01"], ["cannot be priced", "row 1 (eee_small, 2027-03-01)", "general.mrp from 2027-01-01"]),
    (["--data", "{missing}"], ["No such file"]),
    (["--data", "{data}", "--from", "2021-01-01"], ["--from and --to go with --timeline"]),
    (["--timeline", "eee_small"], ["needs --from D1 and --to D2"]),
    (["--timeline", "eee_small", "--from", "2021-02-01", "--to", "2021-01-01"], ["is before --from"]),
    (["--timeline", "fridges", "--from", "2021-01-01", "--to", "2021-02-01"], ["'fridges' is not one of"]),
    (["--timeline", "vehicle:m1", "--from", "2021-01-01", "--to", "2021-02-01"], ["vehicle:CATEGORY:VALUE"]),
    (["--timeline", "vehicle:m1:big", "--from", "2021-01-01", "--to", "2021-02-01"], ["'big' is not a number of engine_displacement_cm3"]),
])
def test_bad_input_is_one_line_and_exit_code_2(tmp_path, capsys, args, words):
    data = _csv(tmp_path / "pom.csv", SCENARIO)
    args = [a.format(data=data, missing=tmp_path / "missing.csv") for a in args]
    assert main(["simulate", "--reform", EEE, *args]) == 2
    error = capsys.readouterr().err
    assert error.startswith("kz-epr simulate: ") and error.count("\n") == 1
    for word in words:
        assert word in error, error


def test_a_bad_reform_is_one_line_and_exit_code_2(tmp_path, capsys):
    reform = tmp_path / "bad.yaml"
    reform.write_text("name: bad\ndescription: bad\nchanges:\n  goods.appendix_1.tyre: [{start: 2021-07-01, value: 1}]\n")
    data = _csv(tmp_path / "pom.csv", SCENARIO)
    assert main(["simulate", "--reform", str(reform), "--data", data, "--date", "2021-07-01"]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and "goods.appendix_1.tyre is not a parameter (did you mean goods.appendix_1.tyres?)" in error


def test_date_and_year_together_are_refused_by_the_parser(tmp_path):
    with pytest.raises(SystemExit) as raised:
        main(["simulate", "--reform", EEE, "--data", "x.csv", "--date", "2021-07-01", "--year", "2021"])
    assert raised.value.code == 2


def test_the_example_result_is_current(tmp_path):
    """examples/eee_reform_2021.csv (shown in docs/analysts.md) is what the example run gives today."""
    out = tmp_path / "result.csv"
    args = ["simulate", "--reform", EEE, "--data", str(ROOT / "examples" / "placed_on_market_2021.csv"), "--year", "2021", "-o", str(out)]
    assert main(args) == 0
    assert out.read_text(encoding="utf-8") == (ROOT / "examples" / "eee_reform_2021.csv").read_text(encoding="utf-8")


def test_a_row_without_a_quantity_is_named_not_spread(tmp_path, capsys):
    data = _csv(tmp_path / "pom.csv", [{"product": "eee_small", "mass_tonnes": "2"}, {"product": "tyres", "mass_tonnes": ""}])
    assert main(["simulate", "--reform", EEE, "--data", data, "--year", "2021"]) == 2
    assert "1 line(s) cannot be priced: row 2 (tyres, 2021-01-01): mass_tonnes is missing" in capsys.readouterr().err


@pytest.mark.parametrize(("count", "expected"), [
    (300_000_000_000_000, 300_000_000_000_000 * 4127555),  # 1 t of tyres on 2021-03-01 = 41 275.55 (int64 wrapped it)
    (10**22, 10**22 * 4127555),  # it crashed with an OverflowError traceback
])
def test_a_large_count_is_summed_exactly(tmp_path, count, expected):
    data, out = tmp_path / "plan.csv", tmp_path / "revenue.csv"
    data.write_text(f"product,mass_tonnes,count\ntyres,1,{count}\n")
    assert main(["simulate", "--reform", EEE, "--data", str(data), "--date", "2021-03-01", "-o", str(out)]) == 0
    rows = {row["product"]: row for row in _read(out)}
    assert Decimal(rows["tyres"]["baseline_kzt"]) == Decimal(expected).scaleb(-2)
    assert Decimal(rows["total"]["reform_kzt"]) == Decimal(expected).scaleb(-2)


def test_2027_rows_under_an_assumed_mrp_are_priced_by_the_reform_and_not_known_under_the_law(tmp_path, capsys):
    """The README's recipe: the law has no MRP for 2027 (general.mrp, no budget law yet), the
    reform examples/mrp_2027_assumed.yaml assumes 4 500 KZT; 2026's MRP is 4 325 (budget_law_2026)."""
    data = _csv(tmp_path / "plan.csv", [{"date": "2027-03-01", "product": "tyres", "mass_tonnes": "1", "count": "2"},
                                        {"date": "2026-03-01", "product": "tyres", "mass_tonnes": "1", "count": "1"}])
    out, lines = tmp_path / "revenue.csv", tmp_path / "lines.csv"
    reform = str(ROOT / "examples" / "mrp_2027_assumed.yaml")
    assert main(["simulate", "--reform", reform, "--data", data, "-o", str(out), "--lines", str(lines)]) == 0
    said = capsys.readouterr().out
    assert "not known under the law (1 line(s)" in said and "general.mrp" in said
    tyres_2027 = Decimal("2") * 4500 * Decimal("14.15")  # 127 350.00
    tyres_2026 = Decimal("4325") * Decimal("14.15")  # 61 198.75
    assert _read(out) == [
        {"product": "tyres", "baseline_kzt": "", "reform_kzt": f"{tyres_2027 + tyres_2026:.2f}", "difference_kzt": "", "change_percent": ""},
        {"product": "total", "baseline_kzt": "", "reform_kzt": f"{tyres_2027 + tyres_2026:.2f}", "difference_kzt": "", "change_percent": ""},
    ]
    assert [(row["baseline_kzt"], row["reform_kzt"]) for row in _read(lines)] == [("", f"{tyres_2027:.2f}"),
                                                                                  (f"{tyres_2026:.2f}", f"{tyres_2026:.2f}")]


@pytest.mark.parametrize("written", ["windows-1251", "workbook"])
def test_a_scenario_from_excel_is_read_as_the_audit_reads_declarations(tmp_path, written):
    """Excel in a Russian Windows: a CSV in Windows-1251 with ';' and decimal commas, Russian
    column names, masses in kg; or the workbook itself (audit.whole_file)."""
    header, rows = ["Дата", "Продукция", "Масса, кг", "count"], [["01.03.2021", "шины", "2345,5", ""], ["01.03.2021", "tyres", "1500", "2"]]
    if written == "workbook":
        import xlsxwriter

        data = tmp_path / "выпуск.xlsx"
        book = xlsxwriter.Workbook(str(data))
        sheet = book.add_worksheet()
        for number, row in enumerate([header, *rows]):
            sheet.write_row(number, 0, [float(cell.replace(",", ".")) if number and index == 2 else cell for index, cell in enumerate(row)])
        book.close()
    else:
        data = tmp_path / "выпуск.csv"
        data.write_bytes("\n".join(";".join(row) for row in [header, *rows]).encode("cp1251") + b"\n")
    out = tmp_path / "revenue.csv"
    assert main(["simulate", "--reform", EEE, "--data", str(data), "-o", str(out)]) == 0
    # tyres on 01.03.2021: S = m × MRP 2 917 × k 14.15 per line, rounded half up: 2.3455 t, and 1.5 t twice
    law = half_up(Decimal("2.3455") * 2917 * Decimal("14.15")) + 2 * half_up(Decimal("1.5") * 2917 * Decimal("14.15"))
    assert Decimal(next(row for row in _read(out) if row["product"] == "total")["baseline_kzt"]) == law == Decimal("220638.46")
