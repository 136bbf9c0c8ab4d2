"""Workbook output leaves nothing behind: xlsxwriter's temporary files live in a scratch folder
beside the target, removed when a workbook too long is refused (before any work when the
file's lines tell, else when the rows pass the limit), as on success."""


import pytest

from openfisca_kz_epr.audit import workbook
from openfisca_kz_epr.audit.report import AuditError, audit

HEADER = "declaration_id,date,product,mass_tonnes,paid_amount,note\n"
ROW = "D{i},2021-03-01,tyres,1,41275.55,{note}\n"  # 1 × 2917 × 14.15 = 41 275.55


def test_a_file_known_too_long_is_refused_before_any_work(tmp_path, system_temp, monkeypatch):
    monkeypatch.setattr(workbook, "MAX_ROWS", 5)
    source = tmp_path / "in.csv"
    source.write_text(HEADER + "".join(ROW.format(i=i, note="ok") for i in range(6)), encoding="utf-8")

    def no_work():
        raise AssertionError("the law was built: the work started")

    with pytest.raises(AuditError, match="a workbook holds at most 5 rows"):
        audit(no_work, str(source), str(tmp_path / "report.xlsx"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv", "system_temp"]
    assert not list(system_temp.iterdir())


def test_a_file_found_too_long_while_written_leaves_nothing(tax_benefit_system, tmp_path, system_temp, monkeypatch):
    monkeypatch.setattr(workbook, "MAX_ROWS", 5)
    source = tmp_path / "in.csv"  # a quoted note: its rows cannot be counted from its lines
    source.write_text(HEADER + "".join(ROW.format(i=i, note='"a, b"') for i in range(6)), encoding="utf-8")
    with pytest.raises(AuditError, match="a workbook holds at most 5 rows"):
        audit(tax_benefit_system, str(source), str(tmp_path / "report.xlsx"), chunk_rows=2)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv", "system_temp"]
    assert not list(system_temp.iterdir())


def test_a_workbook_written_leaves_only_itself(tax_benefit_system, tmp_path, system_temp):
    source = tmp_path / "in.csv"
    source.write_text(HEADER + "".join(ROW.format(i=i, note="ok") for i in range(3)), encoding="utf-8")
    audit(tax_benefit_system, str(source), str(tmp_path / "report.xlsx"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv", "report.xlsx", "system_temp"]
    assert not list(system_temp.iterdir())
