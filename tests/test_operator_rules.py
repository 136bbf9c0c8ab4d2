"""``kz-epr audit --operator-rules``: the operator's figure beside the law's, and why they differ.
By hand from legislation_refs/: MRP 2 917 (2021, budget_law_2021), 3 063 from 01.01.2022
(budget_law_77_vii), 3 180 from 01.06.2022 (budget_law_121_vii), 2 651 then 2 778 from 01.04.2020
(decree_299_2020); tyres k = 14.15. The portal takes one MRP per calendar year except 2020
(evidence_operator_portal)."""

import csv
from decimal import Decimal
from pathlib import Path

import pytest

from openfisca_kz_epr.cli import main


def audited(tmp_path: Path, rows: list[str], *options: str) -> list[dict]:
    source = tmp_path / "declarations.csv"
    source.write_text("declaration_id,date,sent_date,product,mass_tonnes,paid_amount\n" + "".join(rows), encoding="utf-8")
    report = tmp_path / "report.csv"
    assert main(["audit", str(source), "-o", str(report), "--quiet", "--operator-rules", *options]) == 0
    with report.open(newline="", encoding="utf-8") as file:
        return list(csv.DictReader(file))


def kzt(amount) -> str:
    return str(Decimal(amount).quantize(Decimal("0.01"), "ROUND_HALF_UP"))


@pytest.mark.parametrize(("day", "law_mrp", "operator_mrp"), [
    ("2020-03-31", 2651, 2651), ("2020-04-01", 2778, 2778),  # the portal applies the change of 2020
    ("2022-05-31", 3063, 3063), ("2022-06-01", 3180, 3063), ("2022-07-01", 3180, 3063), ("2022-12-31", 3180, 3063),
])
def test_one_mrp_per_calendar_year_beside_the_law(tmp_path, day, law_mrp, operator_mrp):
    row = audited(tmp_path, [f"D1,{day},,tyres,1,0\n"])[0]
    law, operator = kzt(law_mrp * Decimal("14.15")), kzt(operator_mrp * Decimal("14.15"))
    assert (row["expected_payment"], row["operator_payment"]) == (law, operator)  # 2022-07-01: 44 997.00 and 43 341.45
    assert row["operator_difference"] == kzt(Decimal(operator) - Decimal(law))
    if law == operator:
        assert row["operator_reason"] == ""
    else:
        assert "MRP 3063 (evidence_operator_portal" in row["operator_reason"]
        assert "instead of the law's 3180 (budget_law_121_vii" in row["operator_reason"]
    assert row["status"] == "underpaid"  # judged by the law, whatever the operator charges


def test_the_date_rule_prices_the_operator_s_figure_on_the_day_the_application_was_sent(tmp_path):
    rows = audited(tmp_path, ["D1,2021-12-30,15.01.2022,tyres,1,41275.55\n", "D2,2021-12-30,,tyres,1,0\n"],
                   "--date-rule", "sent")
    assert (rows[0]["expected_payment"], rows[0]["status"]) == ("41275.55", "ok")  # the law: 2917 × 14.15 on the import date
    assert rows[0]["operator_payment"] == "43341.45"  # 3063 × 14.15 on 15.01.2022
    assert "sent_date 2022-01-15" in rows[0]["operator_reason"] and "MRP 3063" in rows[0]["operator_reason"]
    assert rows[1]["operator_payment"] == "" and "sent_date is missing" in rows[1]["operator_reason"]


def test_the_date_rule_alone_is_refused(tmp_path, capsys):
    source = tmp_path / "d.csv"
    source.write_text("date,product,mass_tonnes,paid_amount\n2022-07-01,tyres,1,0\n", encoding="utf-8")
    assert main(["audit", str(source), "-o", str(tmp_path / "r.csv"), "--date-rule", "sent"]) == 2
    assert "--date-rule goes with --operator-rules" in capsys.readouterr().err


def test_the_reason_in_russian(tmp_path):
    rows = audited(tmp_path, ["D1,2022-07-01,05.07.2022,tyres,1,0\n"], "--date-rule", "sent", "--lang", "ru")
    assert rows[0]["Причина разницы с оператором"] == (
        "рассчитано на дату отправки заявления 2022-07-05 (правило оператора о дате) вместо даты ввоза 2022-07-01; "
        "МРП 3063 (evidence_operator_portal: один МРП на календарный год, практика оператора) вместо 3180 по закону "
        "(budget_law_121_vii MRP, с 2022-06-01)")
