"""Today's law: goods and packaging from 11.01.2022 to today, with the operator's k
(evidence_operator_ref_tn_code_2022), lines keyed by customs code (ТН ВЭД), goods and their
packaging on one line, and vehicles above 50 t.

Every expected figure is the arithmetic of the legal sources, typed in tests/legal_figures.py or
written here: mass × MRP × k, half up to the tiyn (per part of a line)."""

import csv
import datetime
import json
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from legal_figures import K_FROM_2022, half_up, mrp
from one_line import refused, simulate
from web_server import call, kz_epr_server

from openfisca_kz_epr.cli import main
from openfisca_kz_epr.explain.explanation import explain, look_up_code
from openfisca_kz_epr.law import customs_codes
from openfisca_kz_epr.products import Product

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "legislation_refs" / "sources" / "operator_ref_tn_code_2022.txt"
D = datetime.date.fromisoformat

# a day of each legal period from 11.01.2022: MRP 3 063, 3 180, 3 450, 3 692, 3 932, 4 325
DAYS = ["2022-03-01", "2022-07-01", "2023-05-01", "2024-03-01", "2025-06-01", "2026-02-01"]
KNOWN_ROWS = [row for row, k in K_FROM_2022.items() if k is not None]
MASS = Decimal("2.345678")  # tonnes, to the gram


def tiyn(amount: Decimal) -> int:
    return int(amount * 100)


# ----------------------------------------------------------------------------- every row, every period

@pytest.mark.parametrize("day", DAYS)
@pytest.mark.parametrize("row", KNOWN_ROWS)
def test_every_row_on_a_day_of_each_period(tax_benefit_system, day, row):
    payment, confidence, basis = simulate(tax_benefit_system, day, "epr_payment_tiyn", "epr_confidence", "epr_legal_basis",
                                          product=row, mass_tonnes=float(MASS))
    assert payment == tiyn(half_up(MASS * mrp(D(day)) * Decimal(K_FROM_2022[row])))
    assert confidence == "inferred"  # operator practice: Order 448's own text was not seen
    table = "evidence_operator_ref_tn_code_2022" if day < "2023-01-16" else "order_689_2022"
    assert table in basis.split(";")


@pytest.mark.parametrize("day", DAYS)
@pytest.mark.parametrize("row", ["combined_packaging", "packaged_goods_combined"])
def test_combined_packaging_is_an_error_naming_what_is_missing(tax_benefit_system, day, row):
    reason = refused(tax_benefit_system, day, product=row, mass_tonnes=1)
    assert "not known from" in reason.lower() and "combined-material packaging" in reason
    assert "Order 448" in reason and "What is missing: this row's coefficient" in reason


def test_a_spot_check_of_the_operator_figures(tax_benefit_system):
    """The tenge per tonne the operator's table gives (k × MRP): tyres 2023, small EEE 2024, lamps February 2022."""
    assert simulate(tax_benefit_system, "2023-06-01", "epr_payment", product="tyres", mass_tonnes=1)[0] == 48817.50
    assert simulate(tax_benefit_system, "2024-06-01", "epr_payment", product="eee_small", mass_tonnes=1)[0] == 60179.60
    assert simulate(tax_benefit_system, "2022-02-15", "epr_payment", product="lamps", mass_tonnes=1)[0] == 144604.23


# ----------------------------------------------------------------------------- the boundaries

@pytest.mark.parametrize(("row", "k"), [("lamps", "47.21"), ("eee_large", "3.94"), ("eee_medium", "7.88"), ("eee_small", "16.3")])
def test_new_coefficients_on_both_sides_of_11_01_2022(tax_benefit_system, row, k):
    before = explain(tax_benefit_system, "2022-01-10", {"product": row, "mass_tonnes": 3})
    assert (before["status"], before["payment"]["tiyn"], before["confidence"]) == ("nothing_owed", 0, "inferred")
    assert "k = 0" in before["reason"] and "nothing is owed" in before["reason"]
    after = simulate(tax_benefit_system, "2022-01-11", "epr_payment_tiyn", product=row, mass_tonnes=3)[0]
    assert after == tiyn(half_up(3 * 3063 * Decimal(k)))


def test_the_new_list_on_16_01_2023_keeps_the_k_and_says_so(tax_benefit_system):
    line = {"customs_code": "4011100000", "mass_tonnes": 1}
    before, after = (explain(tax_benefit_system, day, line) for day in ("2023-01-15", "2023-01-16"))
    assert before["payment"]["tiyn"] == after["payment"]["tiyn"] == tiyn(half_up(1 * 3450 * Decimal("14.15")))
    assert before["customs_code"]["list"]["id"] == "order_695_2015"
    assert after["customs_code"]["list"]["id"] == "order_689_2022"
    assert "its customs codes were not found" in after["customs_code"]["note"]
    k_after = next(v for v in after["values"] if v["name"] == "goods.appendix_1.tyres")
    assert k_after["act"]["id"] == "order_689_2022" and "keeps k = 14.15" in k_after["note"]
    assert (before["confidence"], after["confidence"]) == ("inferred", "inferred")


# ----------------------------------------------------------------------------- customs codes

def _table():
    """(code, group, k) of every line of the operator's table, read here from the copy."""
    for line in SOURCE.read_text(encoding="utf-8").splitlines():
        if line.strip():
            _, code, group, k, _ = (cell.strip() for cell in line.split(" || "))
            yield code, group, Decimal(k)


# later-added duplicates that carry 0 inside a group with a value (the evidence's notes): they
# take their group's row, so a lamp declared as 8539 39 000 0 pays as a lamp
ZERO_DUPLICATES = {"8539390000": "lamps", "8539410000": "lamps", "8539490000": "lamps", "8525801900": "eee_small",
                   "844339100": "eee_medium", "8443393100": "eee_medium", "950450000": "eee_medium",
                   "8470100000": "eee_small", "9006610000": "eee_small"}


def _row_of(code: str, day: str = "2022-02-01") -> str:
    codes, _, _ = customs_codes.normalise([code])
    return list(Product)[int(customs_codes.rows_of(codes, day)[0])].name


def test_every_code_with_a_k_maps_to_the_row_whose_k_it_carries(tax_benefit_system):
    checked = 0
    for code, _, k in _table():
        if k and code not in ZERO_DUPLICATES:
            row = _row_of(code)
            assert Decimal(K_FROM_2022[row]) == k, (code, row, k)  # the k typed from the source ...
            parameter = tax_benefit_system.parameters.goods.appendix_1.children[row]("2022-02-01")
            assert Decimal(repr(parameter)) == k, (code, row)  # ... and the model's parameter
            checked += 1
    assert checked == 139  # every code of the table that carries a k (139 of 497)


def test_the_zero_duplicates_take_their_group_s_value():
    for code, row in ZERO_DUPLICATES.items():
        assert _row_of(code) == row and Decimal(K_FROM_2022[row]) > 0
    assert {code for code, _, k in _table() if k == 0 and _row_of(code) not in
            ("special_fluids", "primary_batteries", "thermometers", "packaged_goods", "cable_products")} == set(ZERO_DUPLICATES)


def test_goods_in_packaging_codes_owe_nothing_on_the_goods_and_4818_is_paper():
    groups = {code: group for code, group, _ in _table()}
    packaged = [code for code, group in groups.items() if group == "Продукция (товары) в упаковке"]
    assert len(packaged) == 344
    assert {_row_of(code) for code in packaged if code != "4818"} == {"packaged_goods"}
    assert _row_of("4818") == "paper_packaging"  # filed there but charged 1.76: paper and cardboard products, row 5


def test_the_longest_listed_code_decides():
    assert _row_of("8516601000") == "eee_large"  # 8516 60 10 (large) under 8516 60 (medium)
    assert _row_of("8516609000") == "eee_medium"
    assert _row_of("4802100000") == "paper_and_cardboard" and _row_of("4802200000") == "packaged_goods"
    assert _row_of("9504500000") == "eee_medium" and _row_of("9504100000") == "packaged_goods"


def test_the_map_is_what_the_build_script_makes_of_the_source():
    import importlib.util

    spec = importlib.util.spec_from_file_location("build_customs_codes", ROOT / "tools" / "build_customs_codes.py")
    builder = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(builder)
    kept = yaml.safe_load((ROOT / "legislation_refs" / "customs_codes" / "list_2015.yaml").read_text(encoding="utf-8"))
    assert kept == yaml.safe_load(yaml.safe_dump(builder.build(SOURCE.read_text(encoding="utf-8"))))


@pytest.mark.parametrize(("written", "row"), [("8471300000", "eee_medium"), ("8471 30 000 0", "eee_medium"),
                                              ("8471.30.000.0", "eee_medium"), ("4011", None)])
def test_a_code_is_read_with_spaces_and_dots(tax_benefit_system, written, row):
    if row is None:  # 4 digits that no listed code begins: the declarant must give the full code
        assert "is not in the List as known" in refused(tax_benefit_system, "2024-03-01", customs_code=written, mass_tonnes=1)
        return
    payment = simulate(tax_benefit_system, "2024-03-01", "epr_payment_tiyn", customs_code=written, mass_tonnes=1)[0]
    assert payment == tiyn(half_up(1 * 3692 * Decimal("7.88")))


def test_a_code_keyed_line_cites_the_list_and_the_map(tax_benefit_system):
    basis, confidence = simulate(tax_benefit_system, "2021-03-01", "epr_legal_basis", "epr_confidence",
                                 customs_code="4011100000", mass_tonnes=1)
    # the 2021 k is confirmed (Order 122) but the code's row comes from the operator's table
    assert basis.split(";") == ["budget_law_2021", "evidence_operator_ref_tn_code_2022", "order_122_2019", "order_695_2015"]
    assert confidence == "inferred"


# ----------------------------------------------------------------------------- goods in packaging

def test_a_line_with_its_packaging_pays_two_parts_each_rounded(tax_benefit_system):
    # 2024-03-01, MRP 3 692: tyres 0.025 t × 3692 × 14.15 = 1 306.045 → 1 306.05;
    # polymer packaging 0.00625 t × 3692 × 1.40 = 32.305 → 32.31; the line 1 338.36
    # (rounding the exact sum 1 338.35 once would give 1 338.35)
    goods, packaging, total = simulate(tax_benefit_system, "2024-03-01", "epr_goods_payment_tiyn", "epr_packaging_payment_tiyn",
                                       "epr_payment_tiyn", product="tyres", mass_tonnes=0.025,
                                       packaging_customs_code="3923", packaging_mass_tonnes=0.00625)
    assert (goods, packaging, total) == (130605, 3231, 133836)


def test_goods_of_section_16_owe_nothing_and_their_packaging_pays(tax_benefit_system):
    # milk (0401) in glass packaging, 2025-06-01 (MRP 3 932): 0 + 0.4 × 3932 × 1.14 = 1 793.00 (row 20)
    goods, packaging = simulate(tax_benefit_system, "2025-06-01", "epr_goods_payment_tiyn", "epr_packaging_payment_tiyn",
                                customs_code="0401201100", mass_tonnes=10, packaging_material="glass", packaging_mass_tonnes=0.4)
    assert (goods, packaging) == (0, tiyn(half_up(Decimal("0.4") * 3932 * Decimal("1.14"))))
    reason = refused(tax_benefit_system, "2025-06-01", customs_code="0401201100", mass_tonnes=10)
    assert "priced on their packaging" in reason and "packaging_mass_tonnes" in reason


@pytest.mark.parametrize(("line", "words"), [
    ({"product": "tyres", "mass_tonnes": 1, "packaging_material": "paper"}, ["packaging_mass_tonnes is missing"]),
    ({"product": "tyres", "mass_tonnes": 1, "packaging_mass_tonnes": 0.1}, ["packaging's material is not declared"]),
    ({"product": "tyres", "mass_tonnes": 1, "packaging_customs_code": "4011100000", "packaging_mass_tonnes": 0.1},
     ["4011100000 is not a code of packaging", "tyres"]),
    ({"product": "tyres", "mass_tonnes": 1, "packaging_customs_code": "7010", "packaging_material": "paper",
      "packaging_mass_tonnes": 0.1}, ["packaging_material paper and packaging_customs_code 7010 disagree", "glass"]),
    ({"product": "tyres", "mass_tonnes": 1, "packaging_material": "combined", "packaging_mass_tonnes": 0.1},
     ["row 23", "Order 448"]),
    ({"product": "packaged_goods_paper", "mass_tonnes": 1, "packaging_material": "paper", "packaging_mass_tonnes": 0.1},
     ["packaging is declared twice"]),
    ({"product": "vehicle", "vehicle_category": "m1", "engine_displacement_cm3": 1600, "packaging_material": "paper",
      "packaging_mass_tonnes": 0.1}, ["packaging is declared on a vehicle line"]),
])
def test_a_packaging_mistake_is_named(tax_benefit_system, line, words):
    reason = refused(tax_benefit_system, "2023-05-01", **line)
    for word in words:
        assert word in reason, reason


# ----------------------------------------------------------------------------- vehicles above 50 t

TRACTOR = {"product": "vehicle", "vehicle_category": "n_road_tractor", "road_tractor_use": "other"}


@pytest.mark.parametrize(("day", "tonnes", "expected"), [
    ("2021-03-01", 50, 50 * 2917 * 11),  # the band 20-50 t includes 50 t
    ("2021-03-01", 50.5, 0),
    ("2024-03-01", 50, 50 * 3692 * 11),  # over 12 up to 50 t
    ("2024-03-01", 50.5, 0),
])
def test_a_road_tractor_of_50_t_pays_and_of_50_5_t_owes_nothing(tax_benefit_system, day, tonnes, expected):
    line = dict(TRACTOR) if day >= "2022-05-14" else {"product": "vehicle", "vehicle_category": "n_road_tractor"}
    result = explain(tax_benefit_system, day, {**line, "gross_vehicle_mass_tonnes": tonnes})
    assert result["payment"]["tiyn"] == expected * 100
    if not expected:
        assert result["status"] == "nothing_owed" and "above 50 t owe nothing" in result["reason"]


@pytest.mark.parametrize("day", ["2016-06-01", "2019-05-24", "2022-05-14", "2026-05-07"])
def test_a_goods_vehicle_above_50_t_owes_nothing_on_every_day(tax_benefit_system, day):
    line = {"product": "vehicle", "vehicle_category": "n", "gross_vehicle_mass_tonnes": 60, "import_origin": "russia_or_belarus"}
    payment, confidence = simulate(tax_benefit_system, day, "epr_payment_tiyn", "epr_confidence", **line)
    assert (payment, confidence) == (0, "inferred")


# ----------------------------------------------------------------------------- refusals, every face

REFUSALS = [  # (line, day, words of the reason)
    ({"customs_code": "9999999999", "mass_tonnes": 1}, "2024-03-01", ["customs_code 9999999999 is not in the List as known"]),
    ({"customs_code": "84713O0000", "mass_tonnes": 1}, "2024-03-01", ["customs_code '84713O0000' is not a customs code"]),
    ({"product": "tyres", "customs_code": "8471300000", "mass_tonnes": 1}, "2024-03-01",
     ["product tyres and customs_code 8471300000 disagree", "eee_medium"]),
    ({"product": "combined_packaging", "mass_tonnes": 1}, "2023-05-01", ["combined-material packaging", "Order 448"]),
    ({"product": "tyres", "mass_tonnes": 1}, "2027-01-01", ["general.mrp from 2027-01-01", "parameters/general/mrp.yaml"]),
]


@pytest.mark.parametrize(("line", "day", "words"), REFUSALS)
def test_a_refusal_from_the_library(tax_benefit_system, line, day, words):
    reason = refused(tax_benefit_system, day, **line)
    for word in words:
        assert word in reason, reason


@pytest.mark.parametrize(("line", "day", "words"), REFUSALS)
def test_a_refusal_from_the_audit_is_an_error_row(tmp_path, line, day, words):
    header = ["date", "product", "customs_code", "mass_tonnes", "paid_amount"]
    source, report = tmp_path / "in.csv", tmp_path / "out.csv"
    with source.open("w", newline="", encoding="utf-8") as file:
        writer = csv.DictWriter(file, header)
        writer.writeheader()
        writer.writerow({"date": day, "paid_amount": "0", **line})
        writer.writerow({"date": "2024-03-01", "customs_code": "8471300000", "mass_tonnes": "1", "paid_amount": "29092.96"})
    assert main(["audit", str(source), "-o", str(report), "--quiet"]) == 0
    with report.open(newline="", encoding="utf-8") as file:
        bad, good = csv.DictReader(file)
    assert bad["status"] == "error"
    for word in words:
        assert word in bad["error"], bad["error"]
    assert (good["status"], good["expected_payment"], good["goods_payment"], good["packaging_payment"]) == (
        "ok", "29092.96", "29092.96", "0.00")  # 1 × 3692 × 7.88


@pytest.mark.parametrize(("line", "day", "words"), REFUSALS)
def test_a_refusal_from_explain_is_exit_2_or_1(capsys, line, day, words):
    args = ["explain", "--date", day]
    for name, value in line.items():
        args += [f"--{name.replace('_', '-')}", str(value)]
    code = main(args)
    captured = capsys.readouterr()
    assert code in (1, 2)  # 1: the law's value is unknown (explained); 2: the line is refused
    text = captured.out + captured.err
    for word in words:
        assert word in text, text


@pytest.fixture(scope="module")
def server():
    with kz_epr_server() as url:
        yield url


@pytest.mark.parametrize(("line", "day", "words"), REFUSALS)
def test_a_refusal_from_the_web_api_is_a_400(server, line, day, words):
    situation = {"product_lines": {"l": {**{name: {day: value} for name, value in line.items()}, "epr_payment": {day: None}}}}
    status, _, body = call("POST", f"{server}/calculate", json.dumps(situation))
    assert status == 400, body
    reason = body["product_lines"]["l"]["epr_payment"][day]
    for word in words:
        assert word in reason, reason


def test_the_web_api_prices_a_code_with_its_packaging_and_looks_a_code_up(server):
    day = "2024-03-01"
    situation = {"product_lines": {"l": {"customs_code": {day: "8471 30 000 0"}, "mass_tonnes": {day: 0.025},
                                         "packaging_customs_code": {day: "3923"}, "packaging_mass_tonnes": {day: 0.00625},
                                         "epr_goods_payment_tiyn": {day: None}, "epr_packaging_payment_tiyn": {day: None},
                                         "epr_payment_tiyn": {day: None}}}}
    status, _, body = call("POST", f"{server}/calculate", json.dumps(situation))
    assert status == 200, body
    computed = body["product_lines"]["l"]
    # 0.025 × 3692 × 7.88 = 727.324 → 727.32; 0.00625 × 3692 × 1.40 = 32.305 → 32.31
    assert (computed["epr_goods_payment_tiyn"][day], computed["epr_packaging_payment_tiyn"][day], computed["epr_payment_tiyn"][day]) == (
        72732, 3231, 72732 + 3231)
    status, _, body = call("GET", f"{server}/customs_code?code=8539310000&date=2022-02-15")
    assert status == 200 and (body["row"], body["listed_code"]) == ("lamps", "853931")
    assert body["rate"]["rate"] == str(3063 * Decimal("47.21"))  # 144 604.23 KZT per tonne
    status, _, body = call("GET", f"{server}/customs_code?code=12&date=2022-02-15")
    assert status == 400 and "not a customs code" in json.dumps(body, ensure_ascii=False)


def test_the_bulk_endpoint_shows_both_parts(server):
    body = json.dumps({"date": "2024-03-01", "product": "tyres", "mass_tonnes": 0.025, "packaging_material": "polymer",
                       "packaging_mass_tonnes": 0.00625}) + "\n"
    status, _, text = call("POST", f"{server}/bulk", body, "application/x-ndjson")
    assert status == 200, text
    result = json.loads(text)
    assert (result["goods_payment"], result["packaging_payment"], result["payment"]) == ("1306.05", "32.31", "1338.36")


def test_explain_and_the_code_look_up_from_the_command_line(capsys):
    assert main(["explain", "--customs-code", "8471300000", "--mass-tonnes", "1", "--date", "2024-03-01"]) == 0
    out = capsys.readouterr().out
    assert "listed code 8471 -> eee_medium" in out and "Result: 29 092.96 KZT" in out  # 1 × 3692 × 7.88
    assert main(["code", "8471300000", "--date", "2024-03-01"]) == 0
    out = capsys.readouterr().out
    assert "eee_medium" in out and "Rate: 29092.96 KZT per tonne" in out and "evidence_operator_ref_tn_code_2022" in out


def test_look_up_names_the_source_of_the_map(tax_benefit_system):
    found = look_up_code(tax_benefit_system, "0401201100", "2022-02-01")
    assert (found["row"], found["listed_code"], found["source"]["id"], found["list"]["id"]) == (
        "packaged_goods", "0401", "evidence_operator_ref_tn_code_2022", "order_695_2015")


def test_2027_is_an_error_until_an_analyst_assumes_an_mrp(tax_benefit_system):
    from openfisca_kz_epr.reforms import apply_reform

    reason = refused(tax_benefit_system, "2027-03-01", product="tyres", mass_tonnes=2)
    assert "general.mrp from 2027-01-01" in reason and "reform file" in reason
    assumed = apply_reform(tax_benefit_system, str(ROOT / "examples" / "mrp_2027_assumed.yaml"))
    payment, confidence, basis = simulate(assumed, "2027-03-01", "epr_payment_tiyn", "epr_confidence", "epr_legal_basis",
                                          product="tyres", mass_tonnes=2)
    assert payment == tiyn(half_up(2 * 4500 * Decimal("14.15")))  # docs/analysts.md's example: 127 350.00
    assert confidence == "reform" and "reform:mrp_2027_assumed" in basis


def test_simulate_reads_customs_codes_and_packaging(tmp_path, capsys):
    plan = tmp_path / "plan.csv"
    plan.write_text("date,customs_code,mass_tonnes,packaging_material,packaging_mass_tonnes\n"
                    "2024-03-01,8471300000,10,,\n2024-03-01,0401201100,5,glass,1\n2024-05-01,4011100000,3,,\n", encoding="utf-8")
    out = tmp_path / "revenue.csv"
    reform = str(ROOT / "openfisca_kz_epr" / "reforms" / "eee_coefficient.yaml")
    assert main(["simulate", "--reform", reform, "--data", str(plan), "-o", str(out)]) == 0
    with out.open(newline="", encoding="utf-8") as file:
        rows = {row["product"]: row for row in csv.DictReader(file)}
    # 2024 (MRP 3 692): 10 t of medium EEE × 7.88 (law) and × 10 (reform); milk: its 1 t of glass
    # packaging × 1.14; 3 t of tyres × 14.15
    assert (rows["eee_medium"]["baseline_kzt"], rows["eee_medium"]["reform_kzt"]) == ("290929.60", "369200.00")
    assert rows["packaged_goods"]["baseline_kzt"] == "4208.88" and rows["tyres"]["baseline_kzt"] == "156725.40"
