"""The page at ``/`` (openfisca_kz_epr.web.page), through Flask's test client: the amount for a
customs code and a mass in kg, computed here from the law's figures; the same figures as
``explain`` (the door of ``kz-epr explain``) over many inputs; the link that reproduces a result;
the languages; a day whose MRP is not known; what a user types shown as text, never run."""

import datetime
import html
import io
import json
import re
import subprocess
from decimal import Decimal

import pytest
from legal_figures import cable_payment, goods_payment, half_up, m1_payment
from web_server import command

from openfisca_kz_epr.explain.explanation import explain
from openfisca_kz_epr.products import Product
from openfisca_kz_epr.web.page.words import Words

HTML = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}


@pytest.fixture(scope="module")
def client():
    from openfisca_kz_epr.web import create_app

    return create_app().test_client()


def page(client, query: str, headers=HTML) -> tuple[int, str]:
    answer = client.get(f"/?{query}", headers=headers)
    return answer.status_code, answer.get_data(as_text=True)


def text_of(id_: str, body: str) -> str | None:
    found = re.search(rf'id="{id_}"[^>]*>(.*?)</', body, re.S)
    return html.unescape(found.group(1)).strip() if found else None


def test_a_json_client_still_gets_the_welcome(client):
    answer = client.get("/", headers={"Accept": "application/json"})
    assert answer.status_code == 300 and "welcome" in answer.get_json()
    assert client.get("/").status_code == 300  # no Accept, as curl and the API's clients send


def test_a_customs_code_and_a_mass_in_kg(client):
    # tyres (4011 20 100 0) on 01.03.2023: MRP 3 450 (budget law for 2023) × k 14.15, 2 345 kg = 2.345 t
    expected = half_up(Decimal("2.345") * 3450 * Decimal("14.15"))
    assert expected == Decimal("114477.04")
    status, body = page(client, "date=2023-03-01&customs_code=4011201000&mass_kg=2345&lang=ru")
    assert status == 200
    assert text_of("amount", body) == "114\u00a0477,04\u00a0₸"
    assert text_of("in-words", body) == "Сто четырнадцать тысяч четыреста семьдесят семь тенге 04 тиына"
    # each factor named, the unit shown: the mass typed in kg, in tonnes, times the MRP in tenge and the coefficient k
    assert ("2\u00a0345\u00a0кг = 2,345\u00a0т; 2,345\u00a0т × 3\u00a0450\u00a0₸ (МРП) × 14,15 (коэффициент К) = 114\u00a0477,04\u00a0₸"
            in html.unescape(body))
    assert "https://" in body and "МРП" in body


def test_tyres_on_1_march_2021(client):
    expected = half_up(Decimal("2.345") * 2917 * Decimal("14.15"))
    status, body = page(client, "date=2021-03-01&product=tyres&mass_tonnes=2.345&lang=en")
    assert status == 200 and text_of("amount", body) == f"{expected:,} ₸".replace(" ", "\u00a0")


def test_a_two_part_line_shows_each_part(client):
    # small electrical equipment in polymer packaging on 01.03.2025: MRP 3 932; k 16.3 (operator's table) and 1.40 (row 21)
    goods, packaging = half_up(Decimal("0.01") * 3932 * Decimal("16.3")), half_up(Decimal("0.001") * 3932 * Decimal("1.40"))
    status, body = page(client, "date=2025-03-01&product=eee_small&mass_kg=10&packaging_material=polymer&packaging_mass_kg=1&lang=en")
    assert status == 200
    assert text_of("amount", body) == f"{goods + packaging:,} ₸".replace(" ", "\u00a0")
    assert f"goods: {goods:,}\u00a0₸" in body and f"packaging: {packaging:,}\u00a0₸" in body


LINES = [
    *[(day, {"product": product, "mass_kg": kg}, goods_payment(datetime.date.fromisoformat(day), product, Decimal(kg) / 1000))
      for day in ("2016-03-01", "2020-02-01", "2021-03-01", "2022-06-01", "2024-07-15", "2026-02-01")
      for product, kg in (("tyres", "2345"), ("oils", "12.5"), ("polymer_packaging", "1000"), ("electric_accumulators", "7"))],
    *[(day, {"product": "cable_products", "invoice_value": "1234567.89"}, cable_payment(datetime.date.fromisoformat(day), Decimal("1234567.89")))
      for day in ("2021-06-01", "2022-01-01")],
    *[(day, {"product": "vehicle", "vehicle_category": "m1", "engine_displacement_cm3": cm3}, m1_payment(datetime.date.fromisoformat(day), cm3))
      for day in ("2019-06-01", "2023-03-01", "2025-12-31") for cm3 in (999, 1600, 2500, 3500)],
]


@pytest.mark.parametrize(("day", "line", "expected"), LINES, ids=lambda value: str(value) if isinstance(value, str) else None)
def test_the_page_shows_the_figures_of_explain(client, tax_benefit_system, day, line, expected):
    """Over many inputs, the page's amount is ``explain``'s (the door of ``kz-epr explain``) and the law's."""
    tonnes = {("mass_tonnes" if name == "mass_kg" else name): (str(Decimal(value) / 1000) if name == "mass_kg" else value)
              for name, value in line.items()}
    explained = explain(tax_benefit_system, day, tonnes)
    assert Decimal(explained["payment"]["kzt"]) == expected
    for lang in ("ru", "kk", "en"):
        status, body = page(client, "&".join(f"{name}={value}" for name, value in {"date": day, **line, "lang": lang}.items()))
        assert status == 200
        assert text_of("amount", body) == Words(lang).amount(explained["payment"]["tiyn"]), lang


def test_the_page_equals_the_command_line(client):
    done = subprocess.run([command("kz-epr"), "explain", "--date", "2024-07-15", "--customs-code", "8507104101", "--mass-tonnes",
                           "0.0125", "--json"], capture_output=True, text=True, check=True)
    tiyn = json.loads(done.stdout)["payment"]["tiyn"]
    assert tiyn == int(half_up(Decimal("0.0125") * 3692 * Decimal("56.25")) * 100)
    _, body = page(client, "date=2024-07-15&customs_code=8507104101&mass_kg=12.5&lang=kk")
    assert text_of("amount", body) == Words("kk").amount(tiyn)


def test_the_link_reproduces_the_result_and_explain_takes_kilograms(client):
    _, body = page(client, "date=2023-03-01&customs_code=4011201000&mass_kg=2345&mass_tonnes=&lang=ru")
    share = html.unescape(re.search(r'id="share" href="([^"]+)"', body).group(1))
    assert share == "/?date=2023-03-01&customs_code=4011201000&mass_kg=2345&lang=ru"
    assert text_of("amount", page(client, share.removeprefix("/?"))[1]) == "114\u00a0477,04\u00a0₸"
    as_json = html.unescape(re.search(r'id="json" href="([^"]+)"', body).group(1))
    answer = client.get(as_json)
    assert answer.status_code == 200 and answer.get_json()["payment"]["kzt"] == "114477.04"
    in_tonnes = client.get("/explain?date=2023-03-01&customs_code=4011201000&mass_tonnes=2.345").get_json()
    assert answer.get_json()["payment"] == in_tonnes["payment"]
    both = client.get("/explain?date=2023-03-01&product=tyres&mass_tonnes=2.345&mass_kg=2345")
    assert both.status_code == 400 and "both given" in both.get_json()["error"] and "X-Request-Id" in both.headers
    assert client.get("/explain?date=2023-03-01&product=tyres&mass_kg=lots").status_code == 400
    for huge in ("1e999999999", "1e-999999999", "NaN", "-Infinity"):
        assert client.get(f"/explain?date=2023-03-01&product=tyres&mass_kg={huge}").status_code == 400, huge


def test_the_result_part_is_the_pages_own_result(client):
    """What the script asks for as one types (``part=result``) is the page without its form: the
    same result, rendered once by the same template (the script formats nothing)."""
    query = "date=2023-03-01&customs_code=4011201000&mass_kg=2345&lang=kk"
    _, whole = page(client, query)
    status, part = page(client, query + "&part=result")
    result = re.compile(r'<div id="result-area">.*?</section>', re.S)
    assert status == 200 and "<form" not in part and "<form" in whole
    assert result.search(part).group(0) == result.search(whole).group(0)
    assert text_of("summary-amount", part) == text_of("amount", part) == "114\u00a0477,04\u00a0₸"  # 2.345 t × 3 450 × 14.15
    assert 'href="/?date=2023-03-01&amp;customs_code=4011201000&amp;mass_kg=2345&amp;lang=ru"' in part  # the language links keep the inputs
    wrong, said = page(client, "date=2023-03-01&customs_code=40112&mass_kg=1&lang=en&part=result")
    assert wrong == 400 and "40112" in text_of("problem", said) and 'role="status"' in said


def test_the_language_by_switch_parameter_and_browser(client):
    assert '<html lang="kk">' in page(client, "", {**HTML, "Accept-Language": "kk-KZ,kk;q=0.9"})[1]
    assert '<html lang="en">' in page(client, "", {**HTML, "Accept-Language": "en-GB,en;q=0.9"})[1]
    assert '<html lang="ru">' in page(client, "", {**HTML, "Accept-Language": "de"})[1]
    _, body = page(client, "lang=kk&date=2023-03-01", {**HTML, "Accept-Language": "en"})
    assert '<html lang="kk">' in body and "ӨКМ төлемінің калькуляторы" in body and "Calculate" not in body
    assert 'href="/?date=2023-03-01&amp;lang=ru"' in body


def test_a_day_whose_mrp_is_not_known_says_why(client):
    status, body = page(client, "date=2027-01-15&product=tyres&mass_kg=1000&lang=ru")
    assert status == 200 and 'id="amount"' not in body
    # in plain words: the MRP of 2027 is set by the republican budget law for 2027-2029, not published; what one can do
    for said in (text_of("mrp", body.replace("<strong>", "").replace("</strong>", "") + "</"), text_of("problem", body)):
        assert "МРП на 2027 год ещё не установлен" in said and "закон о республиканском бюджете на 2027–2029 годы" in said
        assert "рассчитать нельзя" in said and "«Освобождения и допущенные значения»" in said and "допущенный МРП" in said
    _, kk = page(client, "date=2027-01-15&product=tyres&mass_kg=1000&lang=kk")
    assert "2027 жылға арналған АЕК әлі белгіленбеген" in text_of("problem", kk) and "болжамды АЕК" in text_of("problem", kk)


def test_what_is_typed_is_shown_as_text(client):
    status, body = page(client, "date=2025-03-01&customs_code=%3Cscript%3Ealert(1)%3C/script%3E&mass_kg=1&lang=en")
    assert status == 400 and "<script>alert" not in body and "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_the_page_is_served_with_a_strict_policy(client):
    answer = client.get("/", headers=HTML)
    policy = answer.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy and "default-src 'none'" in policy
    assert "<script>" not in answer.get_data(as_text=True)  # no inline script: only src=
    assert client.get("/page/static/page.js").status_code == 200
    assert client.get("/page/static/../__init__.py").status_code == 404


def test_suggestions_by_code_and_by_name(client):
    by_code = client.get("/page/suggest?q=4011&lang=ru").get_json()
    assert by_code and all(one["code"].startswith("4011") for one in by_code)
    by_name = client.get("/page/suggest?q=шин&lang=ru").get_json()
    assert "4011201000" in [one["code"] for one in by_name]
    assert "4011201000" in [one["code"] for one in client.get("/page/suggest?q=tyre&lang=en").get_json()]
    assert client.get("/page/suggest?q=x&lang=en").get_json() == []


# ----------------------------------------------------------------------------- a declarations file

WINDOWS_1251 = "Дата;Продукция;Масса, т;Оплачено\n01.03.2021;шины;2,345;97000\n01.03.2021;нечто;1;1\n".encode("cp1251")


def page_folders() -> set[str]:
    import tempfile
    from pathlib import Path

    return {path.name for path in Path(tempfile.gettempdir()).glob("kz-epr-page-*")}


def upload(client, data: bytes, name: str, lang="ru", **fields):
    import io

    return client.post(f"/page/audit?lang={lang}", data={"declarations": (io.BytesIO(data), name), **fields},
                       content_type="multipart/form-data", headers=HTML)


def test_a_windows_1251_file_gives_a_workbook_and_nothing_is_kept(client):
    import io

    from python_calamine import CalamineWorkbook

    before = page_folders()
    answer = upload(client, WINDOWS_1251, "декларации.csv")
    assert answer.status_code == 200 and answer.headers["Content-Disposition"].endswith('-report.xlsx"')
    book = CalamineWorkbook.from_filelike(io.BytesIO(answer.data))
    header, tyres, bad = book.get_sheet_by_name("lines").to_python()
    line = dict(zip(header, tyres))
    assert Decimal(str(line["Платёж по закону"])) == half_up(Decimal("2.345") * 2917 * Decimal("14.15"))  # MRP 2021 × k
    assert line["Статус"] == "переплата" and dict(zip(header, bad))["Статус"] == "ошибка"  # rows in = rows out
    summary = "\n".join(str(cell) for row in book.get_sheet_by_name("summary").to_python() for cell in row)
    assert "декларации.csv" in summary and "/tmp" not in summary and "kz-epr-page" not in summary
    assert page_folders() == before


def test_the_summary_and_the_options(client):
    answer = upload(client, WINDOWS_1251, "d.csv", lang="en", output="summary", tolerance="500")
    text = answer.get_data(as_text=True)
    assert answer.status_code == 200 and answer.headers["Content-Disposition"].endswith('-summary.md"')
    assert "`d.csv`" in text and "500.00" in text


def test_a_bad_upload_is_said_on_the_page(client):
    before = page_folders()
    answer = upload(client, b"a,b\n1,2\n", "bad.csv", lang="kk")
    assert answer.status_code == 400 and "bad.csv" in text_of("problem", answer.get_data(as_text=True))
    assert upload(client, b"x", "notes.pdf").status_code == 400
    assert upload(client, WINDOWS_1251, "d.csv", tolerance="-1").status_code == 400
    too_large = upload(client, b"x" * (21 * 2**20), "big.csv", lang="en")
    assert too_large.status_code == 413 and "20 MB" in too_large.get_data(as_text=True)
    assert page_folders() == before


# ----------------------------------------------------------------------------- what if

def test_what_if_a_shipped_reform_on_the_example(client):
    answer = client.post("/page/what-if?lang=en", data={"reform": "eee_coefficient", "year": "2021"}, content_type="multipart/form-data",
                         headers=HTML)
    body = answer.get_data(as_text=True)
    assert answer.status_code == 200 and "<svg" in body
    tyres = re.search(r'id="revenue-tyres">.*?class="number law">([^<]+)<.*?class="number reform">([^<]+)<', body, re.S).groups()
    law = half_up(Decimal(50000) * 2917 * Decimal("14.15"))  # the example's 50 000 t of tyres, all 2021 at MRP 2 917, k 14.15
    assert tyres == (f"{law:,}\u00a0₸", f"{law:,}\u00a0₸")  # the reform changes electrical equipment only
    eee = re.search(r'id="revenue-eee_small">.*?class="number law">([^<]+)<', body, re.S).group(1)
    assert eee == "0.00\u00a0₸"  # k 0 under the law


def test_what_if_an_mrp_typed_on_the_page_as_csv(client):
    answer = client.post("/page/what-if?lang=ru", data={"reform": "own", "parameter": "general.mrp", "value": "5000", "start": "2021-01-01",
                                                         "year": "2021", "format": "csv"}, content_type="multipart/form-data")
    assert answer.status_code == 200 and answer.headers["Content-Disposition"] == 'attachment; filename="revenue.csv"'
    rows = {row.split(",")[0]: row.split(",") for row in answer.get_data(as_text=True).splitlines()}
    assert Decimal(rows["tyres"][1]) == half_up(Decimal(50000) * 2917 * Decimal("14.15"))
    # spread over 2021's legal periods, each period's share rounded once to the tiyn (reforms.revenue): within a few tiyn
    assert abs(Decimal(rows["tyres"][2]) - Decimal(50000) * 5000 * Decimal("14.15")) <= Decimal("0.05")


def test_what_if_an_uploaded_scenario_and_its_mistakes(client):
    import io

    scenario = b"date,product,mass_tonnes\n2021-03-01,tyres,2.345\n"
    answer = client.post("/page/what-if?lang=en", data={"reform": "own", "parameter": "goods.appendix_1.tyres", "value": "20",
                                                         "start": "2021-01-01", "year": "", "format": "csv",
                                                         "scenario": (io.BytesIO(scenario), "mine.csv")}, content_type="multipart/form-data")
    rows = {row.split(",")[0]: row.split(",") for row in answer.get_data(as_text=True).splitlines()}
    assert rows["total"][1:3] == [str(half_up(Decimal("2.345") * 2917 * Decimal("14.15"))), str(half_up(Decimal("2.345") * 2917 * 20))]
    for data in ({"reform": "own", "parameter": "general.mrp", "value": "lots", "start": "2021-01-01"},
                 {"reform": "own", "parameter": "vehicles.base_rate", "value": "1", "start": "2021-01-01"},
                 {"reform": "nonesuch"},
                 {"reform": "eee_coefficient", "year": "1999"},
                 {"reform": "eee_coefficient", "scenario": (io.BytesIO(b"a,b\n1,2\n"), "bad.csv")}):
        wrong = client.post("/page/what-if?lang=en", data=data, content_type="multipart/form-data", headers=HTML)
        assert wrong.status_code == 400 and 'id="problem"' in wrong.get_data(as_text=True), data


def test_the_operators_figure_beside_the_laws_where_they_differ(client):
    # 01.07.2022: the law's MRP 3 180 (from 01.06.2022), the operator's one MRP for the year 3 063; tyres k 14.15 (operator's table)
    law, operator = half_up(Decimal("2.345") * 3180 * Decimal("14.15")), half_up(Decimal("2.345") * 3063 * Decimal("14.15"))
    _, body = page(client, "date=2022-07-01&product=tyres&mass_kg=2345&lang=en")
    assert text_of("amount", body) == f"{law:,}\u00a0₸"
    said = text_of("operator", body)
    assert said.startswith(f"The operator's portal charges {operator:,}\u00a0₸ instead:") and "3,063" in said and "3,180" in said
    assert 'id="operator"' not in page(client, "date=2022-03-01&product=tyres&mass_kg=2345&lang=en")[1]  # the same MRP all year


# issue 25, the page: the claims of art. 386 of the Environmental Code and an assumed value as fields
def test_an_exported_line_owes_nothing_with_its_article(client):
    status, body = page(client, "date=2022-03-01&product=tyres&mass_kg=1000&exemption=exported&declarant=importer&lang=en")
    assert status == 200
    assert text_of("amount", body) == "0.00\u00a0₸" or text_of("amount", body) == "0,00\u00a0₸"
    assert "art. 386 item 6 sub. 2" in html.unescape(body)
    assert 'href="/?date=2022-03-01&amp;product=tyres&amp;mass_kg=1000&amp;exemption=exported&amp;declarant=importer&amp;lang=en"' in body


def test_an_exemption_before_the_code_of_2021_names_what_is_missing(client):
    status, body = page(client, "date=2021-06-01&product=tyres&mass_kg=1000&exemption=exported&lang=en")
    assert status == 400 and 'id="amount"' not in body
    problem = text_of("problem", body)
    assert "exemption exported" in problem and "01.07.2021" in problem


def test_an_assumed_mrp_prices_2027_and_says_so(client):
    # tyres on 01.03.2027: MRP assumed 4 500 × k 14.15 × 1 t (1 000 kg) = 63 675.00
    assert half_up(Decimal(1) * 4500 * Decimal("14.15")) == Decimal("63675.00")
    status, body = page(client, "date=2027-03-01&product=tyres&mass_kg=1000&assume=general.mrp%402027-01-01%3D4500&lang=ru")
    assert status == 200
    assert text_of("amount", body) == "63\u00a0675,00\u00a0₸"
    assert "допущено: рассчитано со значением, которое закон не опубликовал" in html.unescape(body)
    assert "assume=general.mrp%402027-01-01%3D4500" in body  # the shared link and the JSON link carry it


def test_an_assumption_the_law_refuses_is_said_on_the_page(client):
    status, body = page(client, "date=2026-06-01&product=tyres&mass_kg=1000&assume=general.mrp%402026-06-01%3D4500&lang=en")
    assert status == 400
    assert "the law already has MRP = 4325 on June 1, 2026" in html.unescape(text_of("problem", body))  # the budget law for 2026: 4 325


def test_the_claims_are_said_in_russian_and_kazakh(client):
    _, ru = page(client, "lang=ru")
    _, kk = page(client, "lang=kk")
    assert "Освобождения и допущенные значения" in ru and "Exemptions and assumed values" not in ru
    assert "Босатулар және болжанған мәндер" in kk and "Exemptions and assumed values" not in kk
    assert "товары, реализованные за пределами Казахстана" in ru
    assert "Қазақстаннан тыс жерде өткізілген тауарлар" in kk


# issue 22: every word of the result in the chosen language, never a mix
def visible_result(body: str, drop_russian: bool = False) -> str:
    """The text a reader sees in the result (``section#result``), tags dropped; ``drop_russian``: the
    elements marked ``lang="ru"`` (an act's official Russian title, cited as such) left out."""
    section = re.search(r'<section id="result".*?</section>', body, re.S).group(0)
    if drop_russian:
        section = re.sub(r'<(\w+)[^>]*\slang="ru"[^>]*>.*?</\1>', " ", section, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", section))


# What may be written in Latin letters on a Russian or Kazakh page: addresses, the assumed-value syntax a
# user types (general.mrp@2027-01-01=4500), an act's number (Roman numerals: No. 163-VII), the vehicle
# categories of the UNECE (M1, N1-N3, M2/M3) and the link «JSON».
_NOT_WORDS = re.compile(r"https?://\S+|\b[\w.-]+@\d{4}-\d{2}-\d{2}=\S+|\b[\w-]+\.(?:kz|ru|com)\b")
_ALLOWED_LATIN = re.compile(r"[IVXL]+|[MNO][1-3]?|JSON")


def latin_words(text: str) -> list[str]:
    words = re.findall(r"[A-Za-z][A-Za-z_']*", _NOT_WORDS.sub(" ", text))
    return [word for word in words if not _ALLOWED_LATIN.fullmatch(word)]


LANGUAGE_LINES = [
    *[f"date=2024-07-15&product={product.name}&mass_kg=1234.5" for product in Product
      if product.name not in ("unspecified", "vehicle", "cable_products", "packaged_goods")],
    "date=2024-07-15&product=packaged_goods&mass_kg=100&packaging_material=polymer&packaging_mass_kg=3",
    "date=2025-03-01&product=eee_small&mass_kg=10&packaging_material=polymer&packaging_mass_kg=1",
    "date=2023-03-01&customs_code=4011201000&mass_kg=2345",
    "date=2021-06-01&product=cable_products&invoice_value=1234567.89",
    "date=2024-01-01&product=cable_products&invoice_value=1000",
    "date=2025-12-31&product=vehicle&vehicle_category=m1&engine_displacement_cm3=1600",
    "date=2019-06-01&product=vehicle&vehicle_category=m1&engine_displacement_cm3=3500",
    "date=2021-07-01&product=vehicle&vehicle_category=m1&is_electric=true",
    "date=2025-03-01&product=vehicle&vehicle_category=n&gross_vehicle_mass_tonnes=7",
    "date=2025-03-01&product=vehicle&vehicle_category=n_road_tractor&gross_vehicle_mass_tonnes=20",
    "date=2025-03-01&product=vehicle&vehicle_category=m2_m3&engine_displacement_cm3=6000",
    "date=2025-03-01&product=vehicle&vehicle_category=combine_harvester&engine_power_hp=300",
    "date=2026-06-01&product=vehicle&vehicle_category=m1&engine_displacement_cm3=1600&import_origin=russia_or_belarus",
    "date=2022-07-01&product=tyres&mass_kg=2345",  # the operator's figure beside the law's
    "date=2027-03-01&product=tyres&mass_kg=100",  # the MRP of 2027 is not set
    "date=2027-03-01&product=tyres&mass_kg=1000&assume=general.mrp%402027-01-01%3D4500",
    "date=2026-06-01&product=tyres&mass_kg=1000&assume=general.mrp%402026-06-01%3D4500",  # an assumption the law refuses
    "date=2027-03-01&product=tyres&mass_kg=1000&assume=general.mrp%402027-13-45%3D4500",  # not a day
    "date=2027-03-01&product=tyres&mass_kg=1000&assume=general.mrp%402027-01-01%3D-1",
    "date=2027-03-01&product=tyres&mass_kg=1000&assume=4500",  # not PARAMETER@DAY=VALUE
    "date=2010-03-01&product=tyres&mass_kg=5",  # before the model
    "date=1800-01-01&product=tyres&mass_kg=5",  # out of range
    "date=2023-03-01&product=tyres&mass_kg=-5",  # negative, typed in kg
    "date=2023-03-01&product=tyres&mass_tonnes=-5",
    "date=2023-03-01&product=tyres&mass_kg=2,3,4",  # not a number of kilograms (what is typed has no Latin letter)
    "date=2023-03-01&product=tyres&mass_kg=12345678901234567890",  # more digits than a mass is read with
    "date=2023-03-01&product=tyres",  # no quantity: the rate
    "date=2023-03-01&customs_code=12",
    "date=2023-03-01&customs_code=9999999999&mass_kg=1",
    "date=2023-03-01&product=oils&customs_code=4011201000&mass_kg=1",
    "date=2023-03-01&product=vehicle",
    "date=2023-03-01&product=vehicle&vehicle_category=m1",
    "date=2023-03-01&product=vehicle&vehicle_category=m1&engine_displacement_cm3=-3",
    "date=2023-03-01&product=vehicle&vehicle_category=m1&engine_displacement_cm3=1..5",
    "date=2026-06-01&product=vehicle&vehicle_category=m1&engine_displacement_cm3=1600",
    "date=2023-03-01&product=packaged_goods&mass_kg=5",
    "date=2023-03-01&product=tyres&mass_kg=5&packaging_material=polymer",
    "date=2023-03-01&product=vehicle&vehicle_category=m1&engine_displacement_cm3=1600&packaging_material=polymer&packaging_mass_kg=1",
    "date=2023-03-01&product=tyres&mass_kg=5&packaging_customs_code=4011201000&packaging_mass_kg=1",
    "date=2022-03-01&product=tyres&mass_kg=1000&exemption=exported&declarant=importer",  # relieved
    "date=2024-03-01&product=eee_small&mass_kg=10&packaging_material=polymer&packaging_mass_kg=1&exemption=own_use_packaging&declarant=importer",
    "date=2022-03-01&product=oils&mass_kg=1000&fulfilment=own_system",
    "date=2022-03-01&product=vehicle&vehicle_category=m1&engine_displacement_cm3=1600&fulfilment=own_system",
    "date=2021-06-01&product=tyres&mass_kg=1000&exemption=exported",  # before the code of 2021
    "date=2022-03-01&product=tyres&mass_kg=1000&exemption=exported",  # no declarant
    "date=2022-03-01&product=tyres&mass_kg=1000&exemption=preforms_paid&declarant=importer",
    "date=2022-03-01&product=tyres&mass_kg=1000&exemption=personal_use_quota&declarant=producer",
    "date=2022-03-01&product=vehicle&vehicle_category=m1&engine_displacement_cm3=1600&exemption=personal_use_quota&declarant=importer",
    "date=2022-03-01&product=tyres&mass_kg=1000&exemption=humanitarian_aid&declarant=importer",
    "date=2022-03-01&product=oils&mass_kg=1000&exemption=recycled_content&declarant=producer",
    "date=2022-03-01&product=oils&mass_kg=1000&exemption=recycled_content&declarant=producer&recycled_share_percent=10",
]


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_the_result_has_no_english_word_in_russian_and_kazakh(client, lang):
    mixed = {}
    for query in LANGUAGE_LINES:
        status, body = page(client, f"{query}&lang={lang}")
        assert status in (200, 400), query
        found = latin_words(visible_result(body))
        if found:
            mixed[query] = found
    assert not mixed


def test_the_english_result_has_no_cyrillic_but_official_titles(client):
    mixed = {}
    for query in LANGUAGE_LINES:
        status, body = page(client, f"{query}&lang=en")
        assert status in (200, 400), query
        found = re.findall(r"[А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]+", visible_result(body, drop_russian=True).replace("ТН ВЭД", ""))
        if found:
            mixed[query] = found
    assert not mixed


def test_the_inputs_table_writes_the_day_as_the_language_does(client):
    _, body = page(client, "date=2023-03-01&customs_code=4011201000&mass_kg=2345&lang=ru")
    inputs = body[body.index('class="inputs"'):]
    inputs = inputs[:inputs.index("</table>")]
    assert "1 марта 2023" in inputs and "2023-03-01" not in inputs


def test_a_long_product_name_is_two_lines_of_the_chart():
    from openfisca_kz_epr.web.page.what_if import LABEL_CHARACTERS, _label_lines

    name = "Электрическое и электронное оборудование, крупногабаритное"  # 58 characters
    assert _label_lines(name) == ["Электрическое и электронное оборудование,", "крупногабаритное"]
    assert _label_lines("Шины") == ["Шины"]
    assert all(len(line) <= LABEL_CHARACTERS for line in _label_lines(name))


@pytest.mark.parametrize(("lang", "said"), [("ru", "Электрическое и электронное оборудование (приложение 1, строки 16–18)"),
                                            ("kk", "Электр және электрондық жабдық (1-қосымша, 16–18-жолдар)")])
def test_a_shipped_reform_is_described_in_the_language(client, lang, said):
    answer = client.post(f"/page/what-if?lang={lang}", data={"reform": "eee_coefficient", "year": "2021"},
                         content_type="multipart/form-data", headers=HTML)
    body = answer.get_data(as_text=True)
    title = re.search(r"<h2>(.*?)</h2>", body[body.index('id="result"'):], re.S).group(1)
    assert title.startswith("eee_coefficient: ") and said in title and "equipment" not in title
    assert f'for="reform_eee_coefficient">eee_coefficient: {said}' in client.get(f"/page/what-if?lang={lang}", headers=HTML).get_data(as_text=True)


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_a_row_left_out_of_the_what_if_is_said_in_the_language(client, lang):
    scenario = "Дата;Продукция;Масса, кг\n01.03.2021;шины;2345,5\n01.10.2021;бананы;10\n".encode("cp1251")
    answer = client.post(f"/page/what-if?lang={lang}", data={"reform": "eee_coefficient", "year": "",
                                                               "scenario": (io.BytesIO(scenario), "выпуск.csv")},
                         content_type="multipart/form-data", headers=HTML)
    body = answer.get_data(as_text=True)
    left_out = html.unescape(re.sub(r"<[^>]+>", " ", body[body.index('id="left-out"'):body.index("</div>", body.index('id="left-out"'))]))
    assert "бананы" in left_out and ("строка 2" in left_out or "2-жол" in left_out)
    assert latin_words(left_out.replace('id="left-out">', "")) == []


def test_the_what_if_csv_refused_for_a_row_left_out_says_why_in_the_language(client):
    scenario = "Дата;Продукция;Масса, кг\n01.03.2021;шины;2345,5\n01.10.2021;бананы;10\n".encode("cp1251")
    answer = client.post("/page/what-if?lang=ru", data={"reform": "eee_coefficient", "year": "", "format": "csv",
                                                         "scenario": (io.BytesIO(scenario), "выпуск.csv")},
                         content_type="multipart/form-data", headers=HTML)
    assert answer.status_code == 400
    problem = html.unescape(text_of("problem", answer.get_data(as_text=True)) or "")
    assert problem.startswith("выпуск.csv: 1 строку нельзя рассчитать") and "строка 2" in problem and "бананы" in problem
    assert set(latin_words(problem.replace("выпуск.csv", ""))) <= {"CSV"}
