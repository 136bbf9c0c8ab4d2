"""One declaration line through the Python API (OpenFisca's ``SimulationBuilder``), for tests:
the values of some variables on a day, or the problem that refuses the line."""

import pytest
from openfisca_core.simulations import SimulationBuilder

from openfisca_kz_epr.errors import EprError


def simulate(tax_benefit_system, day: str, *variables: str, **line):
    """``variables`` of one line ``line`` (input name → value) on ``day``."""
    simulation = SimulationBuilder().build_from_entities(tax_benefit_system, {
        "product_lines": {"l": {name: {day: value} for name, value in line.items()}},
    })
    return [simulation.calculate(name, day)[0] for name in variables]


def refused(tax_benefit_system, day: str, **line) -> str:
    """The problem that refuses the line's ``epr_payment_tiyn`` on ``day`` (an ``EprError``)."""
    with pytest.raises(EprError) as raised:
        simulate(tax_benefit_system, day, "epr_payment_tiyn", **line)
    return raised.value.problems["l"]
