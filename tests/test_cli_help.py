"""``kz-epr --version`` says what ``GET /version`` says, and every subcommand's ``--help`` is
complete on its own: it ends with examples that run, and names its documentation page rather
than "the README"; the audit's lists its input columns from the project's column table."""

import contextlib
import io
import re
import shlex
from pathlib import Path

import pytest
import yaml

from openfisca_kz_epr.cli import main

ROOT = Path(__file__).resolve().parent.parent
SUBCOMMANDS = ("audit", "changes", "code", "explain", "serve", "simulate", "timeline")


def said(argv: list[str]) -> tuple[int, str]:
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")  # with a buffer, as a report to '-' writes bytes
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        try:
            code = main(argv)
        except SystemExit as stop:
            code = stop.code
    out.flush()
    return code, out.buffer.getvalue().decode()


def test_version_says_what_the_web_api_says(tax_benefit_system):
    from openfisca_kz_epr.web.version import describe

    code, text = said(["--version"])
    assert code == 0
    expected = describe(tax_benefit_system)
    assert f"kz-epr {expected['version']}" in text
    assert f"openfisca-core {expected['openfisca_core']}" in text
    assert f"latest legal change: {expected['latest_legal_change']}" in text
    assert "latest legal change: 2026-05-07" in text  # Order No. 54 in force 07.05.2026; no act sets the MRP of 2027 yet


def help_of(name: str) -> str:
    return said([name, "--help"])[1]


@pytest.mark.parametrize("name", SUBCOMMANDS)
def test_every_help_ends_with_examples_and_its_page(name):
    text = help_of(name)
    assert "README" not in text
    examples, page = text.split("\nexamples:\n")[1].rsplit("\ndocumentation: ", 1)
    assert all(line.startswith("  ") for line in examples.strip("\n").splitlines())
    assert re.fullmatch(r"docs/[\w-]+\.md \(https://github\.com/\S+/blob/main/docs/[\w-]+\.md\)\n", page), page


def test_the_audit_help_lists_every_column_of_the_column_table():
    text = help_of("audit")
    table = yaml.safe_load((ROOT / "openfisca_kz_epr/audit/column_names.yaml").read_text(encoding="utf-8"))
    for column, entry in table.items():
        assert f"  {column}: also" in text, column
        assert entry["names"][-1] in " ".join(text.split()), column
    assert "date, paid_amount and product or customs_code are required" in " ".join(text.split())


def examples() -> list[list[str]]:
    found = []
    for name in SUBCOMMANDS:
        if name == "serve":  # starts a server: tests/test_web_api.py runs it
            continue
        block = help_of(name).split("\nexamples:\n")[1].split("\n\n")[0]
        found += [shlex.split(line)[1:] for line in block.splitlines()]
    return found


@pytest.mark.parametrize("argv", examples(), ids=" ".join)
def test_every_example_of_the_help_runs(argv, tmp_path, monkeypatch):
    for folder in ("examples", "openfisca_kz_epr"):
        (tmp_path / folder).symlink_to(ROOT / folder)
    monkeypatch.chdir(tmp_path)
    code, _ = said(argv)
    assert code == 0, argv
    outputs = [argv[i + 1] for i, option in enumerate(argv) if option in ("-o", "--summary") and argv[i + 1] != "-"]
    assert all((tmp_path / name).stat().st_size > 0 for name in outputs), outputs
