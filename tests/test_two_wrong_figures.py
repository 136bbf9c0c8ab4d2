"""Two figures found wrong by running the operator portal's own computation beside this package.

1. Goods vehicles and road tractors above 50 t gross vehicle mass are not in the List of products
   (order_695_2015; from 16.01.2023 order_689_2022): they owe 0 on every day, electric or not.
2. Under ``--operator-rules``, the nine codes of the operator's table that carry k = 0
   (legislation_refs/sources/operator_ref_tn_code_2022.txt) are charged 0 by the portal from
   11.01.2022: the operator's figure is 0, the law's keeps the group's k (lamps 47.21, EEE medium
   7.88, small 16.3: evidence_operator_ref_tn_code_2022).
"""

import csv
import json
from decimal import Decimal
from pathlib import Path

import pytest
from one_line import simulate

from openfisca_kz_epr.cli import main

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "legislation_refs" / "sources" / "operator_ref_tn_code_2022.txt"


HEAVY = [  # (day, line): electric, before and after 04.06.2021, N and road tractors, from Russia or not
    ("2019-06-01", {"vehicle_category": "n"}),  # before 04.06.2021 an electric N was refused (coefficient unknown)
    ("2021-06-03", {"vehicle_category": "n_road_tractor"}),
    ("2021-06-04", {"vehicle_category": "n_road_tractor"}),  # no electric coefficient for road tractors: refused
    ("2024-03-01", {"vehicle_category": "n_road_tractor", "road_tractor_use": "international_transport"}),
    ("2026-06-01", {"vehicle_category": "n", "import_origin": "russia_or_belarus"}),  # was 50 × 4 325 × 60 = 12 975 000.00
    ("2026-06-01", {"vehicle_category": "n_road_tractor", "import_origin": "russia_or_belarus",
                    "road_tractor_use": "international_transport"}),
]


@pytest.mark.parametrize(("day", "line"), HEAVY)
def test_an_electric_goods_vehicle_above_50_t_owes_nothing_on_every_day(tax_benefit_system, day, line):
    payment, confidence, basis = simulate(tax_benefit_system, day, "epr_payment_tiyn", "epr_confidence", "epr_legal_basis",
                                          product="vehicle", gross_vehicle_mass_tonnes=60, is_electric=True, **line)
    assert (payment, confidence) == (0, "inferred")
    assert basis


def test_explain_says_why_the_electric_vehicle_above_50_t_owes_nothing(capsys):
    code = main(["explain", "--date", "2026-06-01", "--product", "vehicle", "--vehicle-category", "n",
                 "--gross-vehicle-mass-tonnes", "60", "--electric", "--import-origin", "russia_or_belarus", "--json"])
    result = json.loads(capsys.readouterr().out)
    assert code == 0 and result["payment"]["tiyn"] == 0
    assert result["status"] == "nothing_owed" and "above 50 t owe nothing" in result["reason"]


def test_an_electric_goods_vehicle_of_50_t_keeps_its_electric_coefficient(tax_benefit_system):
    payment, = simulate(tax_benefit_system, "2026-06-01", "epr_payment_tiyn", product="vehicle", vehicle_category="n",
                        gross_vehicle_mass_tonnes=50, is_electric=True, import_origin="russia_or_belarus")
    assert payment == 50 * 4325 * 60 * 100  # n_russia_belarus_electric: 60 (order_54_2026)


def test_the_nine_zero_k_codes_are_those_of_the_operator_s_table():
    from openfisca_kz_epr.audit.operator_practice import ZERO_K_CODES

    zero = set()
    for line in SOURCE.read_text(encoding="utf-8").splitlines():
        _, code, group, k, _ = line.split(" || ")
        if k == "0.0" and group not in ("Продукция (товары) в упаковке", "Прочие химические продукты",
                                        "Кабельно-проводниковая продукция", "Первичные элементы и первичные батареи")\
                and not group.startswith("Термометры"):
            zero.add(code)
    assert zero == set(ZERO_K_CODES) and len(zero) == 9


def audited(tmp_path, rows):
    source = tmp_path / "declarations.csv"
    source.write_text("declaration_id,date,customs_code,mass_tonnes,paid_amount\n" + "".join(rows), encoding="utf-8")
    report = tmp_path / "report.csv"
    assert main(["audit", str(source), "-o", str(report), "--quiet", "--operator-rules"]) == 0
    with report.open(newline="", encoding="utf-8") as file:
        return {row["declaration_id"]: row for row in csv.DictReader(file)}


def test_the_operator_charges_0_for_its_zero_k_codes_from_11_01_2022(tmp_path):
    rows = audited(tmp_path, [
        "A,2022-02-01,8539390000,0.001,0\n",  # the portal: 0.00
        "B,2022-02-01,8539 39 000 0,1,0\n",
        "C,2024-03-01,8470100000,2,0\n",
        "D,2024-03-01,8443391000,2,0\n",  # begun by 844339100
        "E,2022-01-10,8539390000,1,0\n",  # before the operator's table: Order 762, lamps k 0
        "F,2024-03-01,8539310000,1,0\n",  # a lamp code without k 0 in the table: the group's 47.21
    ])
    law = {"A": Decimal("0.001") * 3063 * Decimal("47.21"), "B": 3063 * Decimal("47.21"), "C": 2 * 3692 * Decimal("16.3"),
           "D": 2 * 3692 * Decimal("7.88"), "E": 0, "F": 3692 * Decimal("47.21")}
    for key, amount in law.items():
        assert rows[key]["expected_payment"] == str(Decimal(amount).quantize(Decimal("0.01"), "ROUND_HALF_UP")), key
    assert rows["A"]["expected_payment"] == "144.60"
    for key in "ABCD":
        assert rows[key]["operator_payment"] == "0.00", key
        assert "k 0 for this customs code in the operator's table from 2022-01-11" in rows[key]["operator_reason"]
    assert rows["E"]["operator_payment"] == "0.00" and rows["E"]["operator_reason"] == ""
    assert rows["F"]["operator_payment"] == rows["F"]["expected_payment"] and rows["F"]["operator_reason"] == ""
