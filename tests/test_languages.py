"""``kz-epr audit --lang ru|kk``: the report's added columns, statuses and confidences and the
summary in Russian or Kazakh (one message catalogue each, ``audit/locale/``), the summary's
amounts written for the locale with Babel; English stays the model's own words."""

import csv
from pathlib import Path

import pytest

from openfisca_kz_epr.audit.language import LANGUAGES, Language, _catalogue
from openfisca_kz_epr.audit.reconcile import STATUSES
from openfisca_kz_epr.audit.report import REPORT_COLUMNS
from openfisca_kz_epr.cli import main

ROWS = "date,product,mass_tonnes,paid_amount\n2021-03-01,tyres,1,41275.55\n2021-03-01,tyres,30,1\n"


def audited(tmp_path: Path, lang: str) -> tuple[list[dict], str]:
    source = tmp_path / "d.csv"
    source.write_text(ROWS, encoding="utf-8")
    report, summary = tmp_path / f"r_{lang}.csv", tmp_path / f"s_{lang}.md"
    assert main(["audit", str(source), "-o", str(report), "--summary", str(summary), "--quiet", "--lang", lang]) == 0
    with report.open(newline="", encoding="utf-8") as file:
        return list(csv.DictReader(file)), summary.read_text(encoding="utf-8")


def test_a_russian_report(tmp_path):
    rows, summary = audited(tmp_path, "ru")
    assert rows[0]["Платёж по закону"] == "41275.55" and rows[0]["Статус"] == "верно"  # 2917 × 14.15; plain number
    assert rows[1]["Статус"] == "недоплата" and rows[0]["Достоверность"] == "подтверждено"
    assert "# Сводка проверки платежей РОП" in summary and "## По годам" in summary
    assert "строк: 2; строка верна" in summary and "KZT" not in summary  # no English left in the sentence
    spaced = summary.replace("\u00a0", " ").replace("\u202f", " ")  # Babel groups digits with a non-breaking space
    assert "1 279 542,05 ₸" in spaced  # expected in total: 31 × 41 275.55, written the Russian way


def test_a_kazakh_report(tmp_path):
    rows, summary = audited(tmp_path, "kk")
    assert rows[0]["Мәртебе"] == "дұрыс" and rows[1]["Мәртебе"] == "кем төленген"
    assert "ӨКМ төлемдерін тексеру қорытындысы" in summary


@pytest.mark.parametrize("code", [code for code in LANGUAGES if code != "en"])
def test_every_catalogue_says_every_column_and_status(code):
    messages = _catalogue(code)
    missing = [text for text in (*REPORT_COLUMNS, *(f"status {status}" for status in STATUSES)) if not messages.get(text)]
    assert not missing, f"{code}.po lacks {missing}"


def test_an_unknown_language_is_refused():
    with pytest.raises(ValueError, match="--lang 'de'"):
        Language("de")
