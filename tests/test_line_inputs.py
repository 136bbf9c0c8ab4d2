"""How the Method's inputs are read from a simulation (the Method's variables): as given, through
a formula when a reform gives an input one, and through OpenFisca's ``calculate`` when the
simulation is traced. Figures by hand from the legal research: 2021 MRP 2 917, tyres k = 14.15."""

from decimal import Decimal

from openfisca_core.reforms import Reform
from openfisca_core.simulations import SimulationBuilder

from openfisca_kz_epr.variable_types import WideFloat

DAY = "2021-03-01"


class mass_from_the_invoice(Reform):
    """A reform that derives the mass from the invoice value (1 t per 1 000 000 KZT)."""

    def apply(self):
        class mass_tonnes(WideFloat):  # the law's variable, given a formula
            label = "Mass in tonnes, from the invoice value"

            def formula(product_line, period, parameters):
                return product_line("invoice_value", period) / 1_000_000

        self.update_variable(mass_tonnes)


def payment(system, line: dict, trace: bool = False):
    simulation = SimulationBuilder().build_from_entities(system, {
        "product_lines": {"l": {name: {DAY: value} for name, value in line.items()}},
    })
    simulation.trace = trace
    return Decimal(repr(float(simulation.calculate("epr_payment", DAY)[0]))), simulation


def test_an_input_given_a_formula_by_a_reform_is_computed(tax_benefit_system):
    reformed = mass_from_the_invoice(tax_benefit_system)
    # 2 500 000 KZT -> 2.5 t; 2.5 × 2 917 × 14.15 = 103 188.875 -> 103 188.88
    got, _ = payment(reformed, {"product": "tyres", "invoice_value": 2_500_000})
    assert got == Decimal("103188.88")
    # the baseline has no such formula: the mass is missing
    base = SimulationBuilder().build_from_entities(tax_benefit_system, {
        "product_lines": {"l": {"product": {DAY: "tyres"}, "invoice_value": {DAY: 2_500_000}}}})
    assert base.calculate("epr_problem", DAY)[0] == "mass_tonnes is missing"


def test_a_traced_simulation_gives_the_same_figure_and_traces_the_inputs_it_read(tax_benefit_system):
    # 2 × 2 917 × 14.15 = 82 551.10
    got, simulation = payment(tax_benefit_system, {"product": "tyres", "mass_tonnes": 2}, trace=True)
    assert got == Decimal("82551.10")
    traced = {node.name for node in simulation.tracer.browse_trace()}
    assert {"epr_payment", "product", "mass_tonnes"} <= traced
    assert "engine_displacement_cm3" not in traced  # a goods line needs no vehicle facts
