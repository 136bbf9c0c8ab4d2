"""A quote left open never swallows rows (rows in = rows out): the row it opens on is that
row's error naming its line, and the lines after it are read as rows, in ``kz-epr audit`` and
in POST /bulk. Expected payments are the law's arithmetic: tyres in 2021 are
1 t × 2 917 KZT (MRP, budget_law_2021) × 14.15 (Appendix 1, order_122_2019)."""

import csv
import io
import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from openfisca_kz_epr.audit.report import AuditError, audit
from openfisca_kz_epr.web.app import create_app

HEADER = "declaration_id,date,product,mass_tonnes,paid_amount,note\n"
TYRES_2021 = "41275.55"  # 1 × 2917 × 14.15 = 41 275.55


def audited(system, folder, text: str) -> list[dict]:
    source, report = folder / "in.csv", folder / "out.csv"
    source.write_text(text, encoding="utf-8")
    audit(system, str(source), str(report))
    with report.open(newline="", encoding="utf-8") as file:
        return list(csv.DictReader(file))


def data_lines(text: str) -> int:
    """The physical lines of the file after its header."""
    return len(text.splitlines()) - 1


def test_the_issues_file_gives_both_rows(tax_benefit_system, tmp_path):
    text = HEADER + f'D1,2021-03-01,tyres,1,{TYRES_2021},"unclosed\nD2,2021-03-01,tyres,3,1,ok\n'
    rows = audited(tax_benefit_system, tmp_path, text)
    assert len(rows) == data_lines(text) == 2
    assert rows[0]["status"] == "error" and rows[0]["error"].startswith("line 2: a quote is left open")
    assert rows[1]["declaration_id"] == "D2" and rows[1]["status"] == "underpaid"
    assert rows[1]["expected_payment"] == "123826.65"  # 3 × 2917 × 14.15 = 123 826.65


def test_a_quote_in_the_last_column_of_the_first_of_1000_rows(tax_benefit_system, tmp_path):
    lines = [f'D1,2021-03-01,tyres,1,{TYRES_2021},"unclosed'] + [f"D{i},2021-03-01,tyres,1,1,ok" for i in range(2, 1001)]
    text = HEADER + "\n".join(lines) + "\n"
    rows = audited(tax_benefit_system, tmp_path, text)
    assert len(rows) == data_lines(text) == 1000
    assert [row["status"] for row in rows].count("underpaid") == 999
    assert rows[0]["error"].startswith("line 2: ")


def test_two_open_quotes_that_pair_up_still_give_every_row(tax_benefit_system, tmp_path):
    # the quote of line 2 closes on line 3 and the row would read well-formed: 6 cells
    text = HEADER + (f'D1,2021-03-01,"tyres,1,{TYRES_2021},unclosed\nD2,2021-03-01,tyres",3,1,ok\n'
                     f"D3,2021-03-01,tyres,1,{TYRES_2021},ok\n")
    rows = audited(tax_benefit_system, tmp_path, text)
    assert len(rows) == data_lines(text) == 3
    assert rows[0]["error"].startswith("line 2: a quote is left open")
    assert rows[2]["status"] == "ok"


def test_a_quoted_note_over_two_lines_is_one_row(tax_benefit_system, tmp_path):
    text = HEADER + f'D1,2021-03-01,tyres,1,{TYRES_2021},"first line\nsecond line"\nD2,2021-03-01,tyres,1,{TYRES_2021},ok\n'
    rows = audited(tax_benefit_system, tmp_path, text)
    assert [row["status"] for row in rows] == ["ok", "ok"]
    assert rows[0]["note"] == "first line\nsecond line"


def test_bulk_answers_every_line_after_an_open_quote(tax_benefit_system):
    client = create_app(tax_benefit_system).test_client()
    body = 'id,date,product,mass_tonnes\nD1,2021-03-01,tyres,"1\nD2,2021-03-01,tyres,1\n'
    answer = client.post("/bulk", data=body.encode(), content_type="text/csv")
    assert answer.status_code == 200, answer.text
    results = list(csv.DictReader(io.StringIO(answer.text)))
    assert len(results) == data_lines(body) == 2
    assert results[0]["problem"].startswith("line 2: a quote is left open")
    assert results[1]["id"] == "D2" and results[1]["payment"] == TYRES_2021


# the fuzz: well-formed rows (no quote in them), then 1 or 3 quotes put at random places of
# random cells; rows in (physical lines) = rows out, or a refusal naming the line
_cells = st.text(alphabet="abcxyz 019.-", max_size=8)
_rows = st.lists(st.tuples(_cells, st.sampled_from(["2021-03-01", "2022-05-14", "x"]), st.sampled_from(["tyres", "oils"]),
                           st.sampled_from(["1", "2.5", ""]), st.sampled_from(["1", TYRES_2021]), _cells), min_size=1, max_size=12)
_quotes = st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 5), st.sampled_from(["start", "end", "middle"])),
                   min_size=1, max_size=3).filter(lambda quotes: len(quotes) % 2 == 1)


@settings(max_examples=int(os.environ.get("KZ_EPR_FUZZ_QUOTES", "150")), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(rows=_rows, quotes=_quotes)
def test_random_open_quotes_lose_no_row(tax_benefit_system, tmp_path_factory, rows, quotes):
    rows = [list(row) for row in rows]
    for index, column, where in quotes:
        row = rows[index % len(rows)]
        row[column] = {"start": '"' + row[column], "end": row[column] + '"',
                       "middle": row[column][:1] + '"' + row[column][1:]}[where]
    text = HEADER + "".join(",".join(row) + "\n" for row in rows)
    folder = tmp_path_factory.mktemp("quotes")
    try:
        out = audited(tax_benefit_system, folder, text)
    except AuditError as error:
        assert "line " in str(error)
        return
    assert len(out) == data_lines(text)
