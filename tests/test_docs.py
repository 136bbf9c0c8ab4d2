"""The documentation: the generated pages are current (the CLI reference is what ``--help``
prints, the coverage table what the parameters say), the README stays short and links only to
pages that exist, and the docs site's configuration works offline."""

from __future__ import annotations

import importlib.util
import json
import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
import yaml

from openfisca_kz_epr.cli import main

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"


def _tool():
    spec = importlib.util.spec_from_file_location("docs_pages", ROOT / "tools" / "docs_pages.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _help(capsys, monkeypatch, *argv: str) -> str:
    """What ``kz-epr ARGV --help`` prints in a terminal of 100 columns."""
    monkeypatch.setenv("COLUMNS", "100")
    with pytest.raises(SystemExit) as exit_:
        main([*argv, "--help"])
    assert exit_.value.code == 0
    return capsys.readouterr().out


def _blocks(page: str) -> dict[str, str]:
    """The page's ``## `kz-epr …``` sections: title → the text of its code block."""
    return {title: body for title, body in re.findall(r"^## `([^`]+)`\n\n```text\n(.*?)\n```$", page, re.S | re.M)}


def test_the_cli_reference_is_what_help_prints(capsys, monkeypatch):
    page = (DOCS / "cli.md").read_text(encoding="utf-8")
    blocks = _blocks(page)
    top = _help(capsys, monkeypatch)
    commands = re.findall(r"^    (\w+) ", top.split("positional arguments:")[1], re.M)
    assert {"audit", "explain", "changes", "timeline", "code", "serve", "simulate"} <= set(commands)
    assert list(blocks) == ["kz-epr"] + [f"kz-epr {command}" for command in commands]
    assert blocks["kz-epr"] == top.rstrip("\n")
    for command in commands:
        assert blocks[f"kz-epr {command}"] == _help(capsys, monkeypatch, command).rstrip("\n"), command


def test_the_generated_pages_are_current():
    assert _tool().stale() == {}, "run python tools/docs_pages.py"


def _rows(line: str) -> list[list[str]]:
    """The coverage table's rows of one line (the table under its heading), as cells, the
    line's name first."""
    page = (DOCS / "coverage.md").read_text(encoding="utf-8")
    table = page.split(f"\n### {line}\n\n", 1)[1].split("\n\n", 1)[0].splitlines()[2:]
    return [[line, *(cell.strip() for cell in row.strip("|").split(" | "))] for row in table]


def _kzt(amount: Decimal) -> str:
    return f"{amount.quantize(Decimal('0.01'), ROUND_HALF_UP).normalize():,f}"


def test_the_coverage_table_says_what_the_law_says():
    """Facts of the law, typed here from the acts: each must be a row of the table."""
    tyres = _rows("tyres")
    # Decree 28 took effect on 27.01.2016: goods up to that day owe nothing
    assert tyres[0][1:4] == ["2016-01-01 – 2016-01-27", "0", "0 KZT/t"]
    # Order 122 from 17.01.2020: m × MRP × k, k = 14.15, MRP 2 651 then 2 778 (01.04.2020), 2 917 (2021)
    low, high = _kzt(2651 * Decimal("14.15")), _kzt(2917 * Decimal("14.15"))
    assert ["2020-01-17 – 2021-11-02", "owes", f"{low} – {high} KZT/t", "confirmed"] in [row[1:5] for row in tyres]
    # the MRP of 2027 is not known: an error
    assert tyres[-1][1:3] == ["2027-01-01 – 2027-12-31", "error: unknown"]
    # combined-material packaging from 11.01.2022: the k is not known
    assert ["2022-01-11", "error: unknown"] in [[row[1][:10], row[2]] for row in _rows("combined_packaging")]
    cable = _rows("cable_products")
    # cable: 5 % of the invoice from 01.06.2021 (Order 110); nothing from 30.10.2023
    assert cable[0][1:4] == ["2016-01-01 – 2021-05-31", "0", "0 of the invoice"]
    assert next(row[1][:10] for row in cable if row[3] == "0.05 of the invoice") == "2021-06-01"
    assert ["2023-10-30", "0"] in [[row[1][:10], row[2]] for row in cable]
    # an M1 car of 1 500 cm³ (band 1 001-2 000), coefficient 3.5 from 14.05.2022: 50 × 3 063 × 3.5
    car = _rows("m1 (engine_displacement_cm3 1500, import_origin other)")
    halved = next(row for row in car if row[1].startswith("2022-05-14"))
    assert halved[2:5] == ["owes", f"{_kzt(50 * 3063 * Decimal('3.5'))} – {_kzt(50 * 4325 * Decimal('3.5'))} KZT", "confirmed"]


def test_the_readme_is_short_and_links_to_pages_that_exist():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= 210
    links = re.findall(r"\]\((docs/[^)#]+)", readme)
    assert {"docs/auditors.md", "docs/analysts.md", "docs/integrators.md", "docs/declarants.md", "docs/python.md",
            "docs/cli.md", "docs/coverage.md"} <= set(links)
    for link in links:
        assert (ROOT / link).is_file(), link


def test_the_site_works_offline_and_lists_every_page():
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8").replace("!!python/name:", ""))
    assert config["theme"]["name"] == "material"
    assert config["theme"]["font"] is False  # no Google fonts at run time
    listed = set(re.findall(r"([\w./-]+\.md)", yaml.safe_dump(config["nav"])))
    pages = {path.relative_to(DOCS).as_posix() for path in DOCS.rglob("*.md")}
    assert listed - pages == {"index.md", "api.md"}  # written by tools/docs_hooks.py when the site is built
    assert {"auditors.md", "auditors.ru.md", "cli.md", "coverage.md", "audit_measurements.md", "web_measurements.md"} <= listed


def _shape(page: str) -> tuple:
    """What a translation keeps: the code blocks, verbatim; the number of rows of each table;
    the number of paragraphs and items."""
    code = re.findall(r"^```.*?^```$", page, re.S | re.M)
    prose = re.sub(r"^```.*?^```$", "", page, flags=re.S | re.M)
    tables = [len(block.splitlines()) for block in re.findall(r"(?:^\|.*\n)+", prose, re.M)]
    return code, tables


def test_the_auditors_page_in_russian_is_a_translation_of_the_english_one():
    english = (DOCS / "auditors.md").read_text(encoding="utf-8")
    russian = (DOCS / "auditors.ru.md").read_text(encoding="utf-8")
    assert _shape(russian) == _shape(english)
    prose = re.sub(r"`[^`]*`|«[^»]*»|^```.*?^```$|^\|.*$", "", russian, flags=re.S | re.M)
    letters = [c for c in prose if c.isalpha()]
    assert sum("а" <= c.lower() <= "я" or c in "ёЁ" for c in letters) > 0.9 * len(letters)


def test_the_api_reference_has_every_operation_and_schema_of_the_served_spec():
    from openfisca_kz_epr.web.app import create_app

    spec = json.loads(create_app().test_client().get("/spec").data)
    page = _tool().api_reference(spec)
    operations = {f"{method.upper()} {path}" for path, methods in spec["paths"].items() for method in methods}
    assert {"POST /calculate", "POST /bulk", "GET /explain", "GET /version"} <= operations
    assert set(re.findall(r"^## `([A-Z]+ [^`]+)`$", page, re.M)) == operations
    assert set(re.findall(r"^### (\w+)$", page, re.M)) == set(spec["components"]["schemas"])
    for name in re.findall(r"\]\(#([\w-]+)\)", page):  # every link to a schema finds it
        assert name in {schema.lower() for schema in spec["components"]["schemas"]}, name


def test_the_home_page_is_the_readme_with_the_sites_links():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    home = _tool().home_page(readme)
    assert "](auditors.md)" in home and "](docs/" not in home
    assert "](https://github.com/openfisca-kz-epr/openfisca-kz-epr/blob/main/legislation_refs/OPEN_QUESTIONS.md)" in home
    assert re.sub(r"\]\([^)]*\)", "]()", home) == re.sub(r"\]\([^)]*\)", "]()", readme)  # only the links differ
