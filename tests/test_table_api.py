"""The Python API for many lines: a table of declarations in, the same table priced out
(openfisca_kz_epr.engine.table_api.price), each figure the law's arithmetic written here."""

import datetime
from decimal import Decimal

import numpy
import pyarrow
import pytest

from openfisca_kz_epr.engine.table_api import ADDED, price


def test_a_table_comes_back_priced_line_by_line(tax_benefit_system):
    table = pyarrow.table({
        "id": ["a", "b", "c", "d", "e"],
        "date": [datetime.date(2021, 3, 1), datetime.date(2024, 3, 1), datetime.date(2022, 2, 1), None, datetime.date(2021, 3, 1)],
        "product": ["tyres", None, "combined_packaging", "tyres", "vehicle"],
        "customs_code": [None, "8471300000", None, None, None],
        "mass_tonnes": [2.5, 1.0, 1.0, 1.0, None],
        "vehicle_category": [None, None, None, None, "m1"],
        "engine_displacement_cm3": [None, None, None, None, 1598.0],
    })
    priced = price(table, tax_benefit_system)
    assert priced.column_names == [*table.column_names, *ADDED]  # the input columns unchanged, in order
    rows = priced.to_pylist()
    assert rows[0]["payment"] == Decimal("103188.88")  # 2.5 × 2917 × 14.15 = 103 188.875, half up
    assert (rows[0]["payment_tiyn"], rows[0]["confidence"]) == (10318888, "confirmed")
    assert rows[1]["payment"] == Decimal("29092.96") and rows[1]["confidence"] == "inferred"  # 1 × 3692 × 7.88, by code
    assert rows[2]["payment"] is None and "combined-material packaging" in rows[2]["problem"]
    assert rows[3]["payment"] is None and rows[3]["problem"] == "date is missing"
    assert rows[4]["payment"] == Decimal(50 * 2917 * 7) and rows[4]["legal_basis"] == "budget_law_2021;order_122_2019;order_762_2015"


def test_text_cells_and_a_dict_of_columns_are_read_alike(tax_benefit_system):
    priced = price({"date": ["2024-03-01"], "product": ["tyres"], "mass_tonnes": ["0.025"],
                    "packaging_material": ["polymer"], "packaging_mass_tonnes": ["0.00625"]}, tax_benefit_system)
    row = priced.to_pylist()[0]
    # 0.025 × 3692 × 14.15 = 1 306.045 → 1 306.05; 0.00625 × 3692 × 1.40 = 32.305 → 32.31
    assert (row["goods_payment"], row["packaging_payment"], row["payment"]) == (
        Decimal("1306.05"), Decimal("32.31"), Decimal("1338.36"))


@pytest.mark.parametrize(("table", "words"), [
    ({"product": ["tyres"]}, "need a 'date' column"),
    ({"date": ["2021-03-01"], "product": ["tyres"], "payment": [1]}, "payment are ones price() adds"),
    ([1, 2], "not list"),
])
def test_a_table_that_is_not_declarations_is_refused(tax_benefit_system, table, words):
    with pytest.raises(ValueError, match=words.replace("(", r"\(").replace(")", r"\)")):
        price(table, tax_benefit_system)


TYRES_2021 = Decimal("41275.55")  # 1 × 2917 × 14.15 (MRP budget_law_2021, Appendix 1 order_122_2019)


@pytest.mark.parametrize("dates", [
    pyarrow.array([datetime.datetime(2021, 3, 1, 15, 30)], pyarrow.timestamp("us")),  # a datetime: its day
    pyarrow.array([datetime.datetime(2021, 3, 1, 0, 0)], pyarrow.timestamp("ns", tz="Asia/Almaty")),  # its local day
    numpy.array(["2021-03-01T00:00:00"], dtype="datetime64[ns]"),  # pandas' datetime64
    ["01.03.2021"],  # DD.MM.YYYY text, as the audit reads it
])
def test_dates_as_timestamps_datetime64_or_day_first_text(tax_benefit_system, dates):
    priced = price({"date": dates, "product": ["tyres"], "mass_tonnes": [numpy.int64(1)]}, tax_benefit_system).to_pylist()
    assert (priced[0]["payment"], priced[0]["problem"]) == (TYRES_2021, "")


def test_a_column_of_mixed_types_is_one_error_naming_it(tax_benefit_system):
    with pytest.raises(ValueError, match="the column 'mass_tonnes' cannot be read"):
        price({"date": ["2021-03-01", "2021-03-01"], "product": ["tyres", "tyres"], "mass_tonnes": [1, "2.5"]}, tax_benefit_system)


def test_a_numpy_integer_mass_in_the_python_api(tax_benefit_system):
    from openfisca_core.simulations import SimulationBuilder

    simulation = SimulationBuilder().build_from_entities(tax_benefit_system, {"product_lines": {"l": {
        "product": {"2021-03-01": "tyres"}, "mass_tonnes": {"2021-03-01": numpy.int64(2)}}}})
    assert Decimal(str(simulation.calculate("epr_payment", "2021-03-01")[0])) == 2 * TYRES_2021  # 2 × 2917 × 14.15
