"""The core the audit made faster keeps its meaning: the day's tariffs belong to one parameter
tree (a reform gets its own), a rate is read only for the lines it prices, bulk reports each
line's problem and prices the others, and cells read the same whatever their container."""

import numpy
import pyarrow
from openfisca_core import periods
from openfisca_core.reforms import Reform
from openfisca_core.simulations import SimulationBuilder

from openfisca_kz_epr.engine.bulk import compute
from openfisca_kz_epr.engine.declarations import read_declarations


def calculate(tax_benefit_system, variable, day, **line):
    simulation = SimulationBuilder().build_from_entities(tax_benefit_system, {
        "product_lines": {"a": {name: {day: value} for name, value in line.items()}},
    })
    return simulation.calculate(variable, day)[0]


def test_the_rate_of_a_line_does_not_need_the_unknown_rates_of_the_day(tax_benefit_system):
    # 01.03.2021: road tractors up to 20 t have no known coefficient; tyres do: 2917 * 14.15
    assert calculate(tax_benefit_system, "epr_rate", "2021-03-01", product="tyres", mass_tonnes=1) == 2917 * 14.15
    # 01.03.2022: goods are unknown (Order 448), cable is 5 % of the invoice
    assert calculate(tax_benefit_system, "epr_rate", "2022-03-01", product="cable_products", invoice_value=100) == 0.05


class TyresAt20(Reform):
    name = "k of tyres 20 from 17.01.2020"

    def apply(self):
        def modify(parameters):
            parameters.goods.appendix_1.tyres.update(start=periods.instant("2020-01-17"), stop=periods.instant("2022-01-10"), value=20)
            return parameters

        self.modify_parameters(modifier_function=modify)


def test_a_reform_gets_its_own_tariffs(tax_benefit_system):
    before = calculate(tax_benefit_system, "epr_payment_tiyn", "2021-03-01", product="tyres", mass_tonnes=1)
    reformed = calculate(TyresAt20(tax_benefit_system), "epr_payment_tiyn", "2021-03-01", product="tyres", mass_tonnes=1)
    after = calculate(tax_benefit_system, "epr_payment_tiyn", "2021-03-01", product="tyres", mass_tonnes=1)
    assert (before, reformed, after) == (4127555, 2917 * 20 * 100, 4127555)  # 2917 * 14.15 = 41 275.55


def test_bulk_prices_the_good_lines_of_a_period_and_names_the_bad_ones(tax_benefit_system):
    cells = {
        "date": ["2021-03-01"] * 4,
        "product": ["tyres", "tyres", "vehicle", "oils"],
        "mass_tonnes": ["2", "-1", "", "0.5"],
        "vehicle_category": ["", "", "n_road_tractor", ""],
        "gross_vehicle_mass_tonnes": ["", "", "12", ""],
    }
    days, lines, problem = read_declarations(cells, 4)
    result = compute(tax_benefit_system, days, lines, problem)
    # 2 * 2917 * 14.15 = 82 551.10; 0.5 * 2917 * 11.09 = 16 174.765 -> 16 174.77
    assert result.tiyn.tolist() == [8255110, 0, 0, 1617477]
    assert result.problem[0] == "" and result.problem[3] == ""
    assert "negative" in result.problem[1] and "20-50 t" in result.problem[2]
    assert result.legal_basis.tolist() == ["budget_law_2021;order_122_2019", "", "", "budget_law_2021;order_122_2019"]


def test_cells_read_the_same_from_lists_and_from_pyarrow(tax_benefit_system):
    cells = {
        "date": [" 2021-03-01 ", "2021-02-29", "", "2021-03-01"],
        "product": ["tyres ", "tyres", "tyres", "oils"],
        "mass_tonnes": ["1.5", "nan", "inf", " 2 "],
        "is_electric": ["", "No", "yes", "maybe"],
    }
    as_lists = read_declarations(cells, 4)
    as_arrays = read_declarations({name: pyarrow.array(values) for name, values in cells.items()}, 4)
    for got in (as_lists, as_arrays):
        days, lines, problem = got
        assert days.astype(str).tolist() == ["2021-03-01", "NaT", "NaT", "2021-03-01"]
        assert problem.tolist() == [
            "",
            "date '2021-02-29' is not a date (YYYY-MM-DD)",
            "date is missing",
            "is_electric 'maybe' is not true or false",
        ]
        assert numpy.array_equal(lines["mass_tonnes"], [1.5, numpy.nan, numpy.nan, 2.0], equal_nan=True)
        assert lines["is_electric"].tolist() == [False, False, True, False]
    days, lines, problem = read_declarations({"date": ["2021-03-01"] * 2, "product": ["tyres"] * 2, "mass_tonnes": ["nan", "inf"]}, 2)
    assert problem.tolist() == ["mass_tonnes 'nan' is not a number", "mass_tonnes 'inf' is not a number"]
