"""Who owes nothing, and why: art. 386 of the Environmental Code of 02.01.2021 (eco_code_2021),
items 2, 3 and 6, from 01.07.2021 (inferred: the text seen is not dated).

By hand from the article's text (legislation_refs/eco_code_2021.yaml, text_ru) and the legal
figures of tests/legal_figures.py: MRP 3 692 in 2024 (budget_law_2024), 2 917 in 2021; k from
11.01.2022 (the operator's table): tyres 14.15, oils 11.09, EEE small 16.3, goods in polymer
packaging 1.40, in metal packaging 0.20; the Method of Order 762 before."""

from decimal import Decimal

import pytest
from one_line import refused, simulate

DAY = "2024-03-01"
CODE_IN_FORCE = "2021-07-01"
THE_DAY_BEFORE = "2021-06-30"
VARIABLES = ("epr_payment_tiyn", "epr_legal_basis", "epr_confidence", "line_relief")


POLYMER_PACKAGING = {"packaging_material": "polymer", "packaging_mass_tonnes": 0.5}

# (exemption, the sub-item cited, a line where it applies: nothing owed on it at all)
APPLIES = [
    ("recycled_content", "sub. 1", {"product": "oils", "mass_tonnes": 2, "declarant": "producer", "recycled_share_percent": 30}),
    ("exported", "sub. 2 and 3", {"product": "tyres", "mass_tonnes": 2}),
    ("exported", "sub. 2 and 3", {"product": "eee_small", "mass_tonnes": 2, **POLYMER_PACKAGING, "declarant": "importer"}),
    ("exported", "sub. 2 and 3", {"product": "vehicle", "vehicle_category": "m1", "engine_displacement_cm3": 1600}),
    ("personal_use_quota", "sub. 4", {"product": "eee_small", "mass_tonnes": 0.01, "declarant": "importer"}),
    ("socially_significant_food_packaging", "sub. 5", {"product": "packaged_goods_polymer", "mass_tonnes": 2, "declarant": "importer"}),
    ("preforms_paid", "sub. 6", {"product": "polymer_packaging", "mass_tonnes": 2, "declarant": "producer"}),
    ("own_use_packaging", "sub. 7", {"product": "packaged_goods", "mass_tonnes": 2, **POLYMER_PACKAGING, "declarant": "importer"}),
    ("humanitarian_aid", "sub. 8", {"product": "packaged_goods_metal", "mass_tonnes": 2, "declarant": "importer"}),
]


@pytest.mark.parametrize(("exemption", "sub", "line"), APPLIES)
def test_an_exemption_where_its_conditions_hold_owes_nothing_and_says_why(tax_benefit_system, exemption, sub, line):
    payment, basis, confidence, relief = simulate(tax_benefit_system, DAY, *VARIABLES, exemption=exemption, **line)
    assert payment == 0
    assert f"eco_code_2021 art. 386 item 6 {sub}" in basis.split(";")
    assert confidence == "inferred"
    assert relief.startswith("nothing is owed on") and f"art. 386 item 6 {sub}" in relief


@pytest.mark.parametrize(("exemption", "sub", "line"), APPLIES)
def test_an_exemption_starts_on_01_07_2021_and_is_an_error_the_day_before(tax_benefit_system, exemption, sub, line):
    line = {**line, "exemption": exemption}
    if line["product"] == "vehicle":
        line["import_origin"] = "other"
    payment, basis = simulate(tax_benefit_system, CODE_IN_FORCE, "epr_payment_tiyn", "epr_legal_basis", **line)
    assert payment == 0 and f"eco_code_2021 art. 386 item 6 {sub}" in basis
    reason = refused(tax_benefit_system, THE_DAY_BEFORE, **line)
    assert reason.startswith(f"exemption {exemption}: Before 01.07.2021 the Environmental Code of 09.01.2007 (art. 285-1)")
    assert "eco_code_2007" in reason and "not in the sources" in reason


def test_without_the_exemption_the_same_lines_pay(tax_benefit_system):
    payment, = simulate(tax_benefit_system, DAY, "epr_payment_tiyn", product="oils", mass_tonnes=2)
    assert payment == round(2 * 3692 * 11.09 * 100)  # 81 888.56 KZT: what recycled_content relieves


# (exemption, a line where a condition fails, words naming it)
FAILS = [
    ("recycled_content", {"product": "oils", "mass_tonnes": 2, "declarant": "producer", "recycled_share_percent": 29.99},
     "needs at least 30 % of recycled waste: recycled_share_percent = 29.99"),
    ("recycled_content", {"product": "oils", "mass_tonnes": 2, "declarant": "producer"}, "recycled_share_percent is missing"),
    ("recycled_content", {"product": "oils", "mass_tonnes": 2, "declarant": "importer", "recycled_share_percent": 40},
     "is for producers only: the line's declarant is an importer"),
    ("recycled_content", {"product": "tyres", "mass_tonnes": 2, "declarant": "producer", "recycled_share_percent": 40},
     "covers a producer's oils, polymer, glass, paper or cardboard packaging and accumulators: the line's goods (tyres)"),
    ("personal_use_quota", {"product": "vehicle", "vehicle_category": "m1", "engine_displacement_cm3": 1600, "declarant": "importer"},
     "excludes vehicles and self-propelled agricultural machinery"),
    ("personal_use_quota", {"product": "tyres", "mass_tonnes": 0.1}, "is for importers only: declarant is not declared"),
    ("socially_significant_food_packaging", {"product": "tyres", "mass_tonnes": 2, "declarant": "importer"},
     "covers the packaging of socially significant food products: the line's goods (tyres)"),
    ("socially_significant_food_packaging", {"product": "packaged_goods_glass", "mass_tonnes": 2, "declarant": "producer"},
     "is for importers only: the line's declarant is a producer"),
    ("preforms_paid", {"product": "glass_packaging", "mass_tonnes": 2, "declarant": "producer"},
     "covers polymer packaging made from preforms already paid for: the line's goods (glass_packaging)"),
    ("preforms_paid", {"product": "polymer_packaging", "mass_tonnes": 2, "declarant": "importer"}, "is for producers only"),
    ("own_use_packaging", {"product": "eee_small", "mass_tonnes": 2, "declarant": "importer"},
     "covers the packaging of goods used in the importer's own activity, not for sale: the line's goods (eee_small)"),
    ("own_use_packaging", {"product": "packaged_goods_paper", "mass_tonnes": 2}, "is for importers only: declarant is not declared"),
    ("humanitarian_aid", {"product": "packaged_goods", "mass_tonnes": 2, "packaging_material": "combined",
                          "packaging_mass_tonnes": 1, "declarant": "importer"},
     "covers the polymer, glass, paper, cardboard or metal packaging of foreign humanitarian aid"),
    ("humanitarian_aid", {"product": "packaged_goods_metal", "mass_tonnes": 2, "declarant": "producer"}, "is for importers only"),
]


@pytest.mark.parametrize(("exemption", "line", "words"), FAILS)
def test_an_exemption_whose_condition_fails_is_an_error_naming_it(tax_benefit_system, exemption, line, words):
    reason = refused(tax_benefit_system, DAY, exemption=exemption, **line)
    assert reason.startswith(f"exemption {exemption} (eco_code_2021 art. 386 item 6 sub.")
    assert words in reason


def test_a_two_part_line_whose_packaging_only_is_exempt_pays_its_goods(tax_benefit_system):
    """Sub. 7 relieves an importer's packaging, not its goods: 2 t of small EEE in 0.5 t of polymer packaging."""
    line = {"product": "eee_small", "mass_tonnes": 2, **POLYMER_PACKAGING, "declarant": "importer"}
    whole, goods, packaging = simulate(tax_benefit_system, DAY, "epr_payment_tiyn", "epr_goods_payment_tiyn",
                                       "epr_packaging_payment_tiyn", **line)
    assert (goods, packaging) == (round(2 * 3692 * 16.3 * 100), round(0.5 * 3692 * 1.40 * 100))  # 120 359.20 and 2 584.40
    assert whole == goods + packaging
    payment, goods_part, packaging_part, basis, confidence, relief = simulate(
        tax_benefit_system, DAY, "epr_payment_tiyn", "epr_goods_payment_tiyn", "epr_packaging_payment_tiyn",
        "epr_legal_basis", "epr_confidence", "line_relief", exemption="own_use_packaging", **line)
    assert (payment, goods_part, packaging_part) == (2 * 3692 * 1630, 2 * 3692 * 1630, 0)  # 120 359.20 KZT: the goods' part
    assert basis.split(";") == ["budget_law_2024", "order_689_2022", "eco_code_2021 art. 386 item 6 sub. 7"]
    assert confidence == "inferred" and relief == "nothing is owed on the packaging (eco_code_2021 art. 386 item 6 sub. 7)"


def test_goods_exempt_beside_their_packaging_still_owed(tax_benefit_system):
    """Sub. 1 relieves a producer's oils, not the metal packaging they are filled in: 0.3 t at k 0.20."""
    payment, goods, packaging, basis = simulate(
        tax_benefit_system, DAY, "epr_payment_tiyn", "epr_goods_payment_tiyn", "epr_packaging_payment_tiyn", "epr_legal_basis",
        product="oils", mass_tonnes=2, packaging_material="metal", packaging_mass_tonnes=0.3, declarant="producer",
        recycled_share_percent=35, exemption="recycled_content")
    assert (payment, goods, packaging) == (round(0.3 * 3692 * 0.20 * 100), 0, round(0.3 * 3692 * 0.20 * 100))  # 221.52 KZT
    assert "eco_code_2021 art. 386 item 6 sub. 1" in basis.split(";")


def test_an_exempt_line_needs_no_rate_the_law_has_not_published(tax_benefit_system):
    """Goods sold abroad owe nothing in 2027 too, though the MRP of 2027 is not known."""
    payment, basis, confidence = simulate(tax_benefit_system, "2027-03-01", "epr_payment_tiyn", "epr_legal_basis",
                                          "epr_confidence", product="tyres", mass_tonnes=2, exemption="exported")
    assert (payment, basis, confidence) == (0, "eco_code_2021 art. 386 item 6 sub. 2 and 3", "inferred")


def test_an_exempt_line_still_needs_its_quantity(tax_benefit_system):
    assert refused(tax_benefit_system, DAY, product="tyres", exemption="exported") == "mass_tonnes is missing"


# ----------------------------------------------------------------------------- item 2 sub. 1 and item 3

def test_the_producer_s_own_system_owes_nothing_to_the_operator(tax_benefit_system):
    line = {"product": "packaged_goods", "mass_tonnes": 2, **POLYMER_PACKAGING, "fulfilment": "own_system"}
    payment, basis, confidence, relief = simulate(tax_benefit_system, DAY, *VARIABLES, **line)
    assert payment == 0 and basis == "eco_code_2021 art. 386 item 2 sub. 1 and item 3" and confidence == "inferred"
    assert relief.startswith("nothing is owed to the operator: the producer fulfils its obligations with its own system")
    payment, = simulate(tax_benefit_system, DAY, "epr_payment_tiyn", **{**line, "fulfilment": "operator_payment"})
    assert payment == round(0.5 * 3692 * 1.40 * 100)  # the default: the payment, 2 584.40 KZT


@pytest.mark.parametrize("line", [
    {"product": "vehicle", "vehicle_category": "m1", "engine_displacement_cm3": 1600},
    {"product": "vehicle", "vehicle_category": "combine_harvester", "engine_power_hp": 300},  # self-propelled agricultural machinery
    {"product": "cable_products", "invoice_value": 1000},
    {"customs_code": "8544 42 100 0", "invoice_value": 1000},  # cable named by its customs code
])
def test_the_own_system_is_not_open_to_vehicles_agricultural_machinery_and_cable(tax_benefit_system, line):
    reason = refused(tax_benefit_system, DAY, fulfilment="own_system", **line)
    assert reason.startswith("fulfilment own_system (eco_code_2021 art. 386 item 2 sub. 1 and item 3) is not open to producers "
                             "and importers of vehicles, self-propelled agricultural machinery and cable")


def test_the_own_system_starts_on_01_07_2021(tax_benefit_system):
    payment, = simulate(tax_benefit_system, CODE_IN_FORCE, "epr_payment_tiyn", product="tyres", mass_tonnes=2,
                        fulfilment="own_system")
    assert payment == 0
    reason = refused(tax_benefit_system, THE_DAY_BEFORE, product="tyres", mass_tonnes=2, fulfilment="own_system")
    assert reason.startswith("fulfilment own_system: Before 01.07.2021 the Environmental Code of 09.01.2007 governed")
    assert "art. 285-1 item 1 sub. 1" in reason and "cut off before its exceptions" in reason
    payment, = simulate(tax_benefit_system, THE_DAY_BEFORE, "epr_payment_tiyn", product="tyres", mass_tonnes=2)
    assert payment == round(2 * 2917 * 14.15 * 100)  # without the claim the line pays: 82 551.10 KZT


def test_an_unknown_exemption_is_refused(tax_benefit_system):
    with pytest.raises(Exception, match="exempt"):
        simulate(tax_benefit_system, DAY, "epr_payment_tiyn", product="tyres", mass_tonnes=1, exemption="exempt")


# ----------------------------------------------------------------------------- every face

def test_the_audit_reads_claims_in_russian_and_counts_what_is_not_owed_by_reason(tmp_path):
    import csv

    from openfisca_kz_epr.cli import main

    source = tmp_path / "declarations.csv"
    source.write_text(
        "дата;продукция;масса (т);освобождение;способ исполнения;заявитель;сумма оплаты\n"
        "01.03.2024;tyres;2;экспорт;;;0\n"  # sub. 2 and 3: 2 × 3 692 × 14.15 = 104 483.60 not owed
        "01.03.2024;tyres;1;Экспорт;;;0\n"  # 1 × 3 692 × 14.15 = 52 241.80 not owed
        "01.03.2024;tyres;1;;собственная система;;0\n"  # item 2 sub. 1
        "01.03.2024;oils;2;вторичное сырье;;производитель;0\n"  # sub. 1 without the share: an error
        "30.06.2021;tyres;2;экспорт;;;0\n"  # before the Code: an error
        "01.03.2024;tyres;1;;;;52241,80\n",  # no claim: paid
        encoding="utf-8")
    report, summary = tmp_path / "report.csv", tmp_path / "summary.md"
    assert main(["audit", str(source), "-o", str(report), "--summary", str(summary), "--quiet"]) == 0
    with report.open(newline="", encoding="utf-8") as file:
        rows = list(csv.DictReader(file, delimiter=","))
    assert [row["status"] for row in rows] == ["ok", "ok", "ok", "error", "error", "ok"]
    assert [row["expected_payment"] for row in rows[:3]] == ["0.00", "0.00", "0.00"]
    assert rows[0]["legal_basis"] == "eco_code_2021 art. 386 item 6 sub. 2 and 3" and rows[0]["confidence"] == "inferred"
    assert rows[2]["legal_basis"] == "eco_code_2021 art. 386 item 2 sub. 1 and item 3"
    assert "recycled_share_percent is missing" in rows[3]["error"]
    assert "exemption exported: Before 01.07.2021" in rows[4]["error"]
    assert rows[5]["expected_payment"] == "52241.80"
    text = summary.read_text(encoding="utf-8")
    assert "## Nothing owed under art. 386 of the Environmental Code, by reason" in text
    not_owed = (2 + 1) * 3692 * Decimal("14.15")  # 156 725.40 KZT on the 3 t of the two rows
    assert f"| nothing is owed on the goods (eco_code_2021 art. 386 item 6 sub. 2 and 3) | 2 | {not_owed:,.2f} | 0 |" in text
    assert "| nothing is owed to the operator: the producer fulfils its obligations with its own system" in text


def test_bulk_on_the_web_api_prices_a_claim(tmp_path):
    import json

    from web_server import call, kz_epr_server

    lines = [{"date": "2024-03-01", "product": "eee_small", "mass_tonnes": 2, "packaging_material": "polymer",
              "packaging_mass_tonnes": 0.5, "declarant": "importer", "exemption": "own_use_packaging"},
             {"date": "2024-03-01", "product": "vehicle", "vehicle_category": "m1", "engine_displacement_cm3": 1600,
              "fulfilment": "own_system"}]
    with kz_epr_server() as server:
        status, _, text = call("POST", f"{server}/bulk", "".join(json.dumps(line) + "\n" for line in lines), "application/x-ndjson")
    first, second = (json.loads(line) for line in text.splitlines())
    assert status == 200
    assert (first["payment"], first["goods_payment"], first["packaging_payment"]) == ("120359.20", "120359.20", "0.00")
    assert first["legal_basis"].endswith("eco_code_2021 art. 386 item 6 sub. 7")  # 2 × 3 692 × 16.3: the goods still owed
    assert second["payment"] is None and "is not open to producers and importers of vehicles" in second["problem"]


def test_simulate_says_the_tonnes_not_owed_by_reason(tmp_path, capsys):
    from openfisca_kz_epr.cli import main

    data = tmp_path / "scenario.csv"
    data.write_text("date,product,mass_tonnes,exemption,fulfilment,count\n"
                    "2024-03-01,tyres,2.5,exported,,2\n"  # 2 × 2.5 t
                    "2024-03-01,oils,1.25,exported,,1\n"
                    "2024-03-01,tyres,0.4,,own_system,3\n"  # 3 × 0.4 t
                    "2024-03-01,tyres,1,,,1\n", encoding="utf-8")
    assert main(["simulate", "--reform", "openfisca_kz_epr.reforms.small_consignments.small_consignments",
                 "--data", str(data)]) == 0
    out = capsys.readouterr().out
    assert "Not owed under art. 386 of the Environmental Code (the law), tonnes by reason:" in out
    exported, own = 2 * Decimal("2.5") + Decimal("1.25"), 3 * Decimal("0.4")  # 6.25 t and 1.2 t
    assert f"{exported:.6f} t  nothing is owed on the goods (eco_code_2021 art. 386 item 6 sub. 2 and 3)" in out
    assert f"{own:.6f} t  nothing is owed to the operator" in out
