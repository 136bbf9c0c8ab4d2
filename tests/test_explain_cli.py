"""``kz-epr explain``, ``changes`` and ``timeline``: text, JSON and CSV output, exit codes
(0 done, 1 the law as modelled cannot price the line, 2 bad arguments) and one-line errors."""

import csv
import io
import json
import subprocess
import sys
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

from openfisca_kz_epr.cli import main

EEE = str(Path(__file__).resolve().parent.parent / "openfisca_kz_epr" / "reforms" / "eee_coefficient.yaml")


def test_explain_prints_the_trace_of_a_payment(capsys):
    assert main(["explain", "--date", "2020-01-17", "--product", "tyres", "--mass-tonnes", "2"]) == 0
    out = capsys.readouterr().out
    assert "Formula: S = m × MRP × k (the Method, item 5; k from Appendix 1)" in out
    assert "general.mrp = 2651 KZT" in out and "budget_law_276_vi (No. 276-VI" in out
    assert "goods.appendix_1.tyres = 14.15" in out and "order_122_2019 (No. 122, signed 2019-12-26, in force 2020-01-17)" in out
    assert "rate = 2651 × 14.15 = 37511.65 KZT per tonne" in out
    assert "Result: 75 023.30 KZT (7502330 tiyn); confidence confirmed" in out  # 2 × 2651 × 14.15


def test_explain_a_vehicle_from_its_options(capsys):
    args = ["explain", "--date", "2022-05-14", "--product", "vehicle", "--vehicle-category", "m1",
            "--engine-displacement-cm3", "1600", "--json"]
    assert main(args) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["payment"] == {"tiyn": 50 * 3063 * 35 * 10, "kzt": "536025.00"}  # 50 × 3063 × 3.5
    assert result["band"]["above"] == "1000"


def test_explain_takes_masses_in_kilograms(capsys):
    """2 345 kg of tyres (customs code 4011201000) in 50 kg of polymer packaging on 01.03.2023: the MRP
    of 2023 is 3 450 tenge (budget_law_163_vii), k = 14.15 for tyres (Appendix 1 row 1) and 1.40 for
    goods in polymer packaging (row 21, inferred from rows 5-9)."""
    args = ["explain", "--date", "2023-03-01", "--customs-code", "4011201000", "--mass-kg", "2345",
            "--packaging-material", "polymer", "--packaging-mass-kg", "50", "--json"]
    assert main(args) == 0
    result = json.loads(capsys.readouterr().out)
    goods = Decimal("2.345") * 3450 * Decimal("14.15")  # 114 477.0375
    packaging = Decimal("0.050") * 3450 * Decimal("1.40")  # 241.50
    expected = sum(amount.quantize(Decimal("0.01"), ROUND_HALF_UP) for amount in (goods, packaging))
    assert result["payment"]["kzt"] == str(expected)  # 114 718.54


def test_explain_an_electric_car_and_its_zero(capsys):
    args = ["explain", "--date", "2021-06-04", "--product", "vehicle", "--vehicle-category", "m1", "--electric"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "Result: 0.00 KZT" in out and "Nothing is owed: Electric cars" in out


@pytest.mark.parametrize(("args", "words"), [
    (["--date", "2022-01-11", "--product", "combined_packaging", "--mass-tonnes", "1"], "Not priced: the law's value is unknown"),
    (["--date", "2015-12-31", "--product", "tyres", "--mass-tonnes", "1"], "Not priced: the day is not covered"),
])
def test_explain_exits_1_when_the_law_cannot_price_the_line(capsys, args, words):
    assert main(["explain", *args]) == 1
    assert words in capsys.readouterr().out


@pytest.mark.parametrize(("args", "message"), [
    (["--date", "2021-13-01", "--product", "tyres"], "kz-epr explain: date '2021-13-01' is not a day (YYYY-MM-DD)"),
    (["--date", "2021-03-01", "--product", "tyres", "--mass-tonnes", "-1"], "kz-epr explain: mass_tonnes = -1.0 is negative"),
    (["--date", "2021-03-01", "--product", "vehicle", "--vehicle-category", "m1"],
     "kz-epr explain: engine_displacement_cm3 is missing for a vehicle of category m1"),
    (["--date", "2021-03-01", "--product", "tyres", "--reform", "missing.yaml"], "kz-epr explain: "),
    (["--date", "2021-03-01", "--product", "tyres", "--mass-kg", "2345", "--mass-tonnes", "2.345"],
     "kz-epr explain: --mass-kg and --mass-tonnes both given: give the mass once"),
    (["--date", "2021-03-01", "--product", "tyres", "--mass-kg", "2,3,4"], "kz-epr explain: --mass-kg '2,3,4' is not a number of kilograms"),
])
def test_explain_bad_arguments_exit_2_with_one_line(capsys, args, message):
    assert main(["explain", *args]) == 2
    captured = capsys.readouterr()
    assert captured.err.startswith(message) and captured.err.count("\n") == 1 and captured.out == ""


def test_changes_text_and_json(capsys):
    assert main(["changes", "2020-03-31", "2020-04-01"]) == 0
    out = capsys.readouterr().out
    assert "decree_299_2020 (No. 299, signed 2020-04-08, in force 2020-04-01)" in out
    assert "2020-04-01  general.mrp value: 2651 -> 2778" in out
    assert main(["changes", "2021-05-31", "2021-06-01", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert [group["act"]["id"] for group in result["acts"]] == ["order_110_2021"]


def test_changes_under_a_reform(capsys):
    assert main(["changes", "2021-06-30", "2021-07-01", "--reform", EEE]) == 0
    out = capsys.readouterr().out
    assert "reform:eee_coefficient: reform eee_coefficient: a hypothetical change, not law" in out
    assert "goods.appendix_1.eee_large value: 0 -> 10" in out


def test_changes_bad_range_exits_2(capsys):
    assert main(["changes", "2021-01-02", "2021-01-01"]) == 2
    assert capsys.readouterr().err == "kz-epr changes: to 2021-01-01 is before from 2021-01-02\n"


def test_timeline_text_csv_and_json(capsys):
    assert main(["timeline", "--product", "tyres", "--from", "2020-01-10", "--to", "2020-04-10"]) == 0
    out = capsys.readouterr().out
    assert "2020-01-17 – 2020-03-31        37511.65  budget_law_276_vi, order_122_2019  (confirmed)" in out
    assert main(["timeline", "--product", "tyres", "--from", "2020-01-10", "--to", "2020-04-10", "--csv"]) == 0
    table = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [(r["first"], r["last"], r["rate"], r["causes"]) for r in table] == [
        ("2020-01-10", "2020-01-16", "37000", "order_762_2015"),
        ("2020-01-17", "2020-03-31", "37511.65", "budget_law_276_vi;order_122_2019"),  # 2651 × 14.15
        ("2020-04-01", "2020-04-10", "39308.7", "decree_299_2020"),  # 2778 × 14.15
    ]
    assert main(["timeline", "--product", "vehicle", "--vehicle-category", "n", "--gross-vehicle-mass-tonnes", "3.2",
                 "--from", "2022-05-13", "--to", "2022-05-14", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert [s["rate"] for s in result["intervals"]] == [str(50 * 3063 * 15), str(50 * 3063 * 75 // 10)]


def test_timeline_bad_arguments_exit_2(capsys):
    assert main(["timeline", "--product", "tyre", "--from", "2021-01-01", "--to", "2021-12-31"]) == 2
    assert capsys.readouterr().err.startswith("kz-epr timeline: product 'tyre': 'tyre' is not one of: tyres,")
    with pytest.raises(SystemExit) as exited:  # argparse: --json and --csv exclude each other
        main(["timeline", "--product", "tyres", "--from", "2021-01-01", "--to", "2021-12-31", "--json", "--csv"])
    assert exited.value.code == 2


def test_the_installed_command_runs_explain():
    command = Path(sys.executable).with_name("kz-epr")
    done = subprocess.run([str(command), "explain", "--date", "2021-06-01", "--product", "cable_products",
                           "--invoice-value", "1000000"], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert "Result: 50 000.00 KZT" in done.stdout  # 1 000 000 × 0.05
    assert "order_110_2021 (No. 110, signed 2021-04-20, in force 2021-06-01)" in done.stdout


def test_a_value_no_act_sets_yet_names_the_act_missing_not_an_earlier_one(capsys):
    # 2027: no MRP yet; the 2026 budget law (budget_law_2026) sets 2026's, not 2027's
    assert main(["explain", "--date", "2027-03-01", "--product", "tyres", "--mass-tonnes", "1"]) == 1
    out = capsys.readouterr().out
    assert "general.mrp = unknown KZT (since 2027-01-01; confidence unknown)" in out
    assert "    missing: the republican budget law for 2027-2029 (not published yet); MRP of 2027" in out
    assert "  general.mrp: missing: the republican budget law for 2027-2029 (not published yet)" in out
    assert "budget_law_2026" not in out


def test_a_null_its_act_leaves_open_keeps_its_act(capsys):
    assert main(["explain", "--date", "2022-01-11", "--product", "combined_packaging", "--mass-tonnes", "2"]) == 1
    out = capsys.readouterr().out
    assert "  goods.appendix_1.combined_packaging: evidence_operator_ref_tn_code_2022" in out
    assert "\n    missing: " not in out and ": missing: " not in out


def test_changes_into_2027_name_the_act_missing(capsys):
    assert main(["changes", "2026-12-01", "2027-02-01"]) == 0
    out = capsys.readouterr().out
    assert "\nmissing: the republican budget law for 2027-2029 (not published yet)\n  2027-01-01  general.mrp value: 4325 -> unknown" \
        in out
    assert ("  2027-01-01  general.mrp reference: budget_law_2026 MRP -> missing: the republican budget law for 2027-2029 "
            "(not published yet) MRP of 2027") in out
    assert "False" not in out and "no act referenced" not in out
