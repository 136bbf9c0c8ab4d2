"""``kz-epr audit --lang ru|kk``: the report's added columns, statuses, confidences and flags, the
summary and the CLI's messages in Russian or Kazakh (one message catalogue each,
``openfisca_kz_epr/locale/``), amounts written for the locale with Babel; ``kz-epr explain --lang``
likewise; English stays the model's own words."""

import csv
from pathlib import Path

import pytest

from openfisca_kz_epr.audit.reconcile import STATUSES
from openfisca_kz_epr.audit.report import REPORT_COLUMNS
from openfisca_kz_epr.cli import main
from openfisca_kz_epr.language import LANGUAGES, Language, _catalogue

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


def test_flags_and_cli_messages_in_russian(tmp_path, capsys):
    source = tmp_path / "d.csv"
    source.write_text("declaration_id,date,product,mass_tonnes,paid_amount\nD1,2021-03-01,tyres,1,41275.55\n"
                      "D1,2021-03-01,tyres,1,41275.55\n", encoding="utf-8")
    report = tmp_path / "r.csv"
    assert main(["audit", str(source), "-o", str(report), "--lang", "ru"]) == 0
    assert capsys.readouterr().err.strip().endswith(f"kz-epr audit: строк: 2 (2 верно, 0 недоплата, 0 переплата, 0 ошибка) -> {report}")
    with report.open(newline="", encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    assert rows[1]["Признак: номер повторяется"] == "declaration_id 'D1' уже есть в строке 2"
    unitless = tmp_path / "u.csv"
    unitless.write_text("date,Масса,paid_amount,product\n", encoding="utf-8")
    assert main(["audit", str(unitless), "-o", str(tmp_path / "x.csv"), "--lang", "kk"]) == 2
    message = capsys.readouterr().err.strip()
    assert message.startswith("kz-epr audit: ") and "\n" not in message
    assert "бағанының атауында т немесе кг өлшем бірлігі жоқ" in message


def test_explain_in_russian_writes_the_amount_for_the_locale(capsys):
    # 1 t of tyres on 2022-07-01: 3 180 × 14.15 = 44 997.00 (budget_law_121_vii; evidence_operator_ref_tn_code_2022)
    assert main(["explain", "--date", "2022-07-01", "--product", "tyres", "--mass-tonnes", "1", "--lang", "ru"]) == 0
    text = capsys.readouterr().out.replace("\u00a0", " ").replace("\u202f", " ")
    assert "Формула: С = М × МРП × К, М — масса в тоннах (Методика, пункт 5; К из приложения 1)" in text
    assert "Итог: 44 997,00 ₸ (4499700 тиын); достоверность: выведено" in text
    assert "Result:" not in text and "Values used" not in text


def test_an_unknown_language_is_refused():
    with pytest.raises(ValueError, match="--lang 'de'"):
        Language("de")


def _strings(node, constants: dict) -> list[str]:
    """The strings an argument may be: a string, either string of a conditional, a module constant."""
    import ast

    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _strings(node.body, constants) + _strings(node.orelse, constants)
    if isinstance(node, ast.Name) and node.id in constants:
        return [constants[node.id]]
    return []


def _said_texts() -> set[str]:
    """Every English text the package says through the catalogues: the first argument of each
    ``Message(...)`` and ``….t(...)`` call that is a string (or a conditional of strings, or a
    module constant naming one)."""
    import ast

    package = Path(__file__).resolve().parents[1] / "openfisca_kz_epr"
    found = set()
    for path in package.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        constants = {target.id: node.value.value for node in tree.body if isinstance(node, ast.Assign)
                     for target in node.targets if isinstance(target, ast.Name)
                     and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and node.args and (
                    (isinstance(node.func, ast.Name) and node.func.id in ("Message", "t"))
                    or (isinstance(node.func, ast.Attribute) and node.func.attr == "t")):
                found.update(_strings(node.args[0], constants))
    return found


@pytest.mark.parametrize("code", ["ru", "kk"])
def test_every_text_said_is_in_each_catalogue(code):
    """A text the package says (a CLI message, a flag, explain's words) missing from a catalogue
    would be said in English: each must be there, with the same fields."""
    import string

    from openfisca_kz_epr.law.tariffs.cable import ITEM_5_1
    from openfisca_kz_epr.law.tariffs.goods import FLAT_RATE, ITEM_5
    from openfisca_kz_epr.law.tariffs.vehicles import ITEM_9

    catalogue = _catalogue(code)
    said = {text for text in _said_texts() if not text.startswith("status ")}
    said |= {"declarations", "report", "summary", "(none)", "(no date)", ITEM_5, FLAT_RATE, ITEM_5_1, ITEM_9}  # said through a variable
    assert len(said) > 60
    missing = sorted(text for text in said if text not in catalogue)
    assert not missing, missing
    for text in said:
        fields = {name for _, name, _, _ in string.Formatter().parse(text) if name}
        assert {name for _, name, _, _ in string.Formatter().parse(catalogue[text]) if name} == fields, text


def test_explain_says_json_or_a_language_not_both(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["explain", "--date", "2022-07-01", "--product", "tyres", "--json", "--lang", "ru"])
    assert stop.value.code == 2
    assert capsys.readouterr().err == ("kz-epr explain: argument --lang: not allowed with argument --json; "
                                       "see kz-epr explain --help\n")


@pytest.mark.parametrize(("lang", "said"), [("en", "Nothing is owed on the goods (eco_code_2021 art. 386 item 6 sub. 2 and 3)"),
                                            ("ru", "За товар платить не нужно (eco_code_2021 art. 386 item 6 sub. 2 and 3)"),
                                            ("kk", "Тауар үшін төлеудің қажеті жоқ (eco_code_2021 art. 386 item 6 sub. 2 and 3)")])
def test_explain_says_once_why_nothing_is_owed(capsys, lang, said):
    # tyres sold outside Kazakhstan on 2022-03-01: art. 386 item 6 sub. 2 and 3 of the Environmental Code relieve the goods
    assert main(["explain", "--date", "2022-03-01", "--product", "tyres", "--mass-tonnes", "1", "--exemption", "exported",
                 "--declarant", "importer", "--lang", lang]) == 0
    lines = capsys.readouterr().out.replace("\u00a0", " ").splitlines()
    assert said in lines
    assert not any(line.lower().count(word) > 1 for line in lines for word in ("nothing is owed", "платить не нужно", "қажеті жоқ"))
