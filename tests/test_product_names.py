"""Products named as declarants write them (``audit/product_names.yaml``): in Russian, in Kazakh,
or by the group names of the operator's table; each line priced as the same line with the model's
key. Figures by hand from the acts of legislation_refs/: MRP 2021 = 2 917 (budget_law_2021),
MRP from 2022-06-01 = 3 180 (budget_law_121_vii); k tyres 14.15, accumulators 56.25
(order_122_2019), polymer packaging 1.40 from 11.01.2022 (evidence_operator_ref_tn_code_2022).
"""

import csv
from decimal import Decimal

import pytest

from openfisca_kz_epr.audit import product_names
from openfisca_kz_epr.cli import main
from openfisca_kz_epr.products import Product


def tenge(value) -> str:
    return str(Decimal(value).quantize(Decimal("0.01"), "ROUND_HALF_UP"))


TYRES = tenge(1 * 2917 * Decimal("14.15"))  # 1 t of tyres on 2021-03-01
ACCUMULATORS = tenge(Decimal("0.2") * 2917 * Decimal("56.25"))  # 200 kg of accumulators


def audited(tmp_path, lines: list[str], encoding: str = "cp1251") -> list[dict]:
    source, report = tmp_path / "names.csv", tmp_path / "report.csv"
    source.write_bytes(("\r\n".join(["Дата ввоза;Продукция;Код ТН ВЭД;Масса, кг;Сумма оплаты", *lines]) + "\r\n").encode(encoding))
    assert main(["audit", str(source), "-o", str(report), "--quiet"]) == 0
    with report.open(newline="", encoding="utf-8") as file:
        return list(csv.DictReader(file, delimiter=","))


@pytest.mark.parametrize("name", ["tyres", "Шины", "ШИНЫ", "покрышки", "Каучук, резина и изделия из них",
                                  "КАУЧУК,  РЕЗИНА И ИЗДЕЛИЯ ИЗ НИХ"])
def test_russian_and_operator_names_of_tyres(tmp_path, name):
    (row,) = audited(tmp_path, [f"01.03.2021;{name};;1000;{TYRES.replace('.', ',')}"])
    assert (row["Продукция"], row["expected_payment"], row["status"]) == (name, TYRES, "ok")  # the name as written


def test_kazakh_names_in_utf8(tmp_path):
    rows = audited(tmp_path, [f"01.03.2021;шиналар;;1000;{TYRES.replace('.', ',')}",
                              f"01.03.2021;Аккумуляторлар;;200;{ACCUMULATORS.replace('.', ',')}"], encoding="utf-8")
    assert [row["expected_payment"] for row in rows] == [TYRES, ACCUMULATORS]


def test_a_name_of_several_rows_needs_the_customs_code(tmp_path):
    rows = audited(tmp_path, ["01.03.2021;Упаковка;;100;0",
                              "01.07.2022;упаковка;3923100000;500;2 226,00"])
    assert rows[0]["status"] == "error"
    assert rows[0]["error"] == ("line 2: product 'Упаковка' names several rows of the List (paper_packaging, glass_packaging, "
                                "polymer_packaging, metal_packaging, combined_packaging): give one of these keys, or the customs code")
    assert (rows[1]["expected_payment"], rows[1]["status"]) == (tenge(Decimal("0.5") * 3180 * Decimal("1.40")), "ok")


def test_a_name_not_in_the_table_is_not_guessed(tmp_path):
    """«масло» may be butter: it is no name of the table, so the line is its error, naming the keys."""
    (row,) = audited(tmp_path, ["01.03.2021;масло;;1000;1"])
    assert row["status"] == "error" and "product 'масло' is not one of: tyres" in row["error"]


def test_the_table_names_only_keys_and_gives_each_name_one_meaning():
    keys = {member.name for member in Product}
    meanings = product_names.meanings()  # raises for a name given two meanings
    assert {key for meaning in meanings.values() for key in ([meaning] if isinstance(meaning, str) else meaning)} <= keys
    assert meanings["шины"] == "tyres" and meanings["шиналар"] == "tyres"
    assert len(meanings["упаковка"]) == 5
