"""Reform files: a bad file is refused before anything runs, naming the problem; a good one
changes exactly the values it names, on exactly its days, and labels them as a reform."""

import datetime
import re
import textwrap
from decimal import Decimal
from pathlib import Path

import pytest

from openfisca_kz_epr.engine.bulk import legal_period_starts
from openfisca_kz_epr.law.values import bands, change_days, legal_value
from openfisca_kz_epr.reforms import (
    ReformError,
    apply_reform,
    parse_reform,
    plan,
    read_reform,
)

REFORMS = Path(__file__).resolve().parent.parent / "openfisca_kz_epr" / "reforms"
D = datetime.date.fromisoformat


def _reform(tmp_path, text: str) -> str:
    path = tmp_path / "reform.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return str(path)


def _refused(tax_benefit_system, tmp_path, changes: str) -> str:
    path = _reform(tmp_path, "name: trial\ndescription: a trial\nchanges:\n" + textwrap.indent(textwrap.dedent(changes), "  "))
    with pytest.raises(ReformError) as raised:
        apply_reform(tax_benefit_system, path)
    message = str(raised.value)
    assert "\n" not in message and message.startswith(f"reform file {path}: ")
    return message


@pytest.mark.parametrize(("changes", "words"), [
    ("goods.appendix_1.eee_larg: [{start: 2021-07-01, value: 10}]", ["eee_larg is not a parameter", "did you mean goods.appendix_1.eee_large"]),
    ("goods.appendix_1: [{start: 2021-07-01, value: 10}]", ["goods.appendix_1 is a group of parameters", "name one of"]),
    ("vehicles.coefficients.m1: [{start: 2021-07-01, value: 10}]", ["is a group of parameters", "vehicles.coefficients.m1[0].amount"]),
    ("goods.appendix_1.tyres: [{start: 2021-13-01, value: 10}]", ["start '2021-13-01' is not a day"]),
    ("goods.appendix_1.tyres: [{start: 1 July 2021, value: 10}]", ["start '1 July 2021' is not a day"]),
    ("goods.appendix_1.tyres: [{value: 10}]", ["entry 1: start is missing"]),
    ("goods.appendix_1.tyres: [{start: 2021-07-01, stop: 2021-06-30, value: 10}]", ["stop 2021-06-30 is before start 2021-07-01"]),
    ("goods.appendix_1.tyres: [{start: 2021-07-01, value: -1}]", ["value -1 is negative"]),
    ("goods.appendix_1.tyres: [{start: 2021-07-01, value: ten}]", ["value 'ten' is not a number"]),
    ("goods.appendix_1.tyres: [{start: 2021-07-01, value: true}]", ["value True is not a number"]),
    ("goods.appendix_1.tyres: [{start: 2021-07-01, value: .nan}]", ["is not finite"]),
    ("goods.appendix_1.tyres: [{start: 2021-07-01, value: 1.0000001}]", ["value 1.0000001 has more than 6 decimals"]),
    ("goods.appendix_1.tyres: [{start: 2021-07-01}]", ["give exactly one of value and factor"]),
    ("goods.appendix_1.tyres: [{start: 2021-07-01, value: 1, factor: 2}]", ["give exactly one of value and factor"]),
    ("goods.appendix_1.tyres: [{start: 2021-07-01, value: 1, until: 2022-01-01}]", ["unknown field 'until'"]),
    ("goods.appendix_1.tyres: [{start: 2021-07-01, value: 1}, {start: 2021-09-01, value: 2}]", ["entries from 2021-07-01 and from 2021-09-01 overlap"]),
    ("goods.appendix_1.tyres: {start: 2021-07-01, value: 1}", ["goods.appendix_1.tyres: expected a list"]),
    ("goods.appendix_1.combined_packaging: [{start: 2022-02-01, factor: 2}]", ["no known value on those days to scale"]),
    ("goods.appendix_1.tyres: [{start: 2021-07-01, factor: 1.0000001}]", ["has more than 6 decimals"]),
])
def test_a_bad_entry_is_refused_naming_the_problem(tax_benefit_system, tmp_path, changes, words):
    message = _refused(tax_benefit_system, tmp_path, changes)
    for word in words:
        assert word in message, message


def test_every_problem_of_a_file_is_named_at_once(tmp_path):
    path = _reform(tmp_path, """\
        name: Bad Name
        changes:
          goods.appendix_1.tyres: [{start: 2021-07-01, value: -1}]
        colour: blue
    """)
    with pytest.raises(ReformError) as raised:
        read_reform(path)
    for word in ["unknown field 'colour'", "name 'Bad Name' must be an identifier", "description is missing", "value -1 is negative"]:
        assert word in str(raised.value)


def test_an_unreadable_file_or_bad_yaml_is_refused(tmp_path):
    with pytest.raises(ReformError, match="cannot be read"):
        read_reform(tmp_path / "missing.yaml")
    with pytest.raises(ReformError, match="not valid YAML"):
        read_reform(_reform(tmp_path, "name: [unclosed\n"))
    with pytest.raises(ReformError, match="expected a mapping"):
        parse_reform(["a", "list"])


def test_a_dotted_path_that_is_not_a_reform_is_refused(tax_benefit_system):
    with pytest.raises(ReformError, match=re.escape("reform openfisca_kz_epr.reforms.nothing_here: ")):
        apply_reform(tax_benefit_system, "openfisca_kz_epr.reforms.nothing_here")


def test_the_baseline_is_not_touched(tax_benefit_system):
    apply_reform(tax_benefit_system, str(REFORMS / "eee_coefficient.yaml"))
    assert legal_value(tax_benefit_system.parameters.goods.appendix_1.eee_large, "2021-08-01").value == 0


def test_a_reformed_value_says_it_comes_from_the_reform(tax_benefit_system):
    reform = apply_reform(tax_benefit_system, str(REFORMS / "eee_coefficient.yaml"))
    k = reform.parameters.goods.appendix_1.eee_large
    before, on, later = (legal_value(k, day) for day in ("2021-06-30", "2021-07-01", "2023-05-01"))
    assert (before.value, before.act, before.confidence) == (0, "order_122_2019", "confirmed")
    for value in (on, later):  # no stop: the reform's k also replaces Order 448's unknown one
        assert value.value == 10
        assert value.reference == {"act": "reform:eee_coefficient", "item": "goods.appendix_1.eee_large = 10 from 2021-07-01"}
        assert value.confidence == "reform"
        assert value.note.startswith("Reform eee_coefficient: Electrical and electronic equipment")


def test_after_its_stop_the_law_and_its_metadata_come_back(tax_benefit_system, tmp_path):
    path = _reform(tmp_path, """\
        name: tyres_for_a_month
        description: Tyres at k = 20 in March 2021.
        changes:
          goods.appendix_1.tyres: [{start: 2021-03-01, stop: 2021-03-31, value: 20}]
          goods.appendix_1.oils: [{start: 2021-10-01, stop: 2021-12-31, value: 12}]
    """)
    reform = apply_reform(tax_benefit_system, path)
    tyres, oils = reform.parameters.goods.appendix_1.tyres, reform.parameters.goods.appendix_1.oils
    assert [legal_value(tyres, day).value for day in ("2021-02-28", "2021-03-01", "2021-03-31", "2021-04-01")] == [Decimal("14.15"), 20, 20, Decimal("14.15")]
    assert legal_value(tyres, "2021-04-01").act == "order_122_2019"
    # the law's own metadata change inside the reform's days (confidence 'inferred' from
    # 03.11.2021) is hidden by the reform, and in force again the day after its stop
    assert [legal_value(oils, day).confidence for day in ("2021-11-02", "2021-11-03", "2021-12-31", "2022-01-01")] == ["reform"] * 3 + ["inferred"]
    assert legal_value(oils, "2022-01-01").value == Decimal("11.09")
    after = legal_value(oils, "2022-01-11")  # the operator's k under Order 448
    assert (after.value, after.act, after.confidence) == (Decimal("11.09"), "evidence_operator_ref_tn_code_2022", "inferred")


def test_a_reform_s_days_are_legal_period_bounds(tax_benefit_system, tmp_path):
    path = _reform(tmp_path, """\
        name: tyres_for_a_month
        description: Tyres at k = 20 in March 2021.
        changes:
          goods.appendix_1.tyres: [{start: 2021-03-01, stop: 2021-03-31, value: 20}]
    """)
    reform = apply_reform(tax_benefit_system, path)
    assert change_days(reform.parameters) - change_days(tax_benefit_system.parameters) == {D("2021-03-01"), D("2021-04-01")}
    starts = set(legal_period_starts(reform).astype(object))
    assert {D("2021-03-01"), D("2021-04-01")} <= starts


def test_a_factor_scales_the_law_s_value_on_each_day_and_leaves_unknown_days_unknown(tax_benefit_system):
    reform = apply_reform(tax_benefit_system, str(REFORMS / "packaging_raise.yaml"))
    glass = reform.parameters.goods.appendix_1.glass_packaging
    assert legal_value(glass, "2021-06-30").value == Decimal("1.14")
    assert legal_value(glass, "2021-07-01").value == Decimal("1.14") * Decimal("1.25") == Decimal("1.425")
    assert legal_value(glass, "2021-07-01").reference["item"] == "goods.appendix_1.glass_packaging × 1.25 of the law's value from 2021-07-01"
    assert legal_value(glass, "2022-01-10").value == Decimal("1.425")
    assert legal_value(glass, "2022-01-11").value == Decimal("1.14") * Decimal("1.25")  # the operator's k, scaled
    combined = reform.parameters.goods.appendix_1.combined_packaging
    assert legal_value(combined, "2022-01-10").value == Decimal("0.91") * Decimal("1.25")
    assert legal_value(combined, "2022-01-11").value is None  # no k known to scale
    assert legal_value(combined, "2022-01-11").confidence == "unknown"


def test_a_scale_band_can_be_reformed_and_only_that_band_changes(tax_benefit_system, tmp_path):
    path = _reform(tmp_path, """\
        name: m1_band_2
        description: M1 cars of 1 001-2 000 cm3 at coefficient 8 from 01.03.2021 to 30.06.2022.
        changes:
          vehicles.coefficients.m1[1].amount: [{start: 2021-03-01, stop: 2022-06-30, value: 8}]
    """)
    m1 = apply_reform(tax_benefit_system, path).parameters.vehicles.coefficients.m1
    coefficients = {day: [band.coefficient for band in bands(m1, day)] for day in ("2021-02-28", "2021-03-01", "2022-05-14", "2022-07-01")}
    assert [c.value for c in coefficients["2021-02-28"]] == [3, 7, 10, 23]
    assert [c.value for c in coefficients["2021-03-01"]] == [3, 8, 10, 23]
    # the scale's own reference changes on 14.05.2022 (the halving): the reformed band keeps
    # citing the reform until its stop, the other bands follow the law
    assert [c.value for c in coefficients["2022-05-14"]] == [Decimal("1.5"), 8, 5, Decimal("11.5")]
    assert coefficients["2022-05-14"][1].act == "reform:m1_band_2"
    assert coefficients["2022-05-14"][0].act == "order_448_amend_2022_04_29"
    assert [(c.value, c.act) for c in coefficients["2022-07-01"]][1] == (Decimal("3.5"), "order_448_amend_2022_04_29")


def test_plan_lists_the_dated_values(tax_benefit_system):
    edits = plan(read_reform(REFORMS / "packaging_raise.yaml"), tax_benefit_system.parameters)
    paper = [(e.start, e.stop, e.value) for e in edits if e.change.path == "goods.appendix_1.paper_packaging"]
    raised = Decimal("1.76") * Decimal("1.25")  # 1.76 under Order 762, then the operator's 1.76 (2022 and 2023 tables)
    assert paper == [(D("2021-07-01"), D("2022-01-10"), raised), (D("2022-01-11"), D("2023-01-15"), raised),
                     (D("2023-01-16"), None, raised)]
    combined = [(e.start, e.stop) for e in edits if e.change.path == "goods.appendix_1.combined_packaging"]
    assert combined == [(D("2021-07-01"), D("2022-01-10"))]  # unknown from 11.01.2022: nothing to scale


def test_every_example_reform_file_has_its_module_and_loads(tax_benefit_system):
    files = sorted(REFORMS.glob("*.yaml"))
    assert len(files) >= 4
    for path in files:
        module = __import__(f"openfisca_kz_epr.reforms.{path.stem}", fromlist=[path.stem])
        reform = getattr(module, path.stem)(tax_benefit_system)
        assert reform.key == path.stem == read_reform(path).name
