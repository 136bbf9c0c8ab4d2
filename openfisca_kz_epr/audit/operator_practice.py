"""The EPR operator's practice, beside the law: one MRP per calendar year, and k = 0 for nine
customs codes from 11.01.2022.

The operator's payment portal (evidence_operator_portal) prices a year with the MRP in force on
its 1 January, except 2020 (it applied the change of 01.04.2020): for the whole of 2022 it takes
3 063, where the law gives 3 180 from 01.06.2022 (budget_law_121_vii). This is not law: the
audit shows it beside the legal figure (``kz-epr audit --operator-rules``) for an auditor who
reconciles what the operator actually invoiced. Every value it sets cites the portal, with the
confidence ``inferred``; every other value is the law's.

From 11.01.2022 the operator's coefficient table (evidence_operator_ref_tn_code_2022) carries
k = 0 on nine codes whose group carries a k (``ZERO_K_CODES``): its portal charges them 0. The
law's figure keeps the group's k (the note of that act says why); the operator's figure is 0.
"""

from __future__ import annotations

import datetime

import numpy
import pyarrow.compute as pc
from openfisca_core import periods
from openfisca_core.reforms import Reform

from openfisca_kz_epr.law import customs_codes
from openfisca_kz_epr.line_status import given
from openfisca_kz_epr.variable_types import WideFloat

ACT = "evidence_operator_portal"
FOLLOWS_THE_LAW_IN = (2020,)  # the years the portal applies the mid-year change of the MRP
ZERO_K_TABLE = "evidence_operator_ref_tn_code_2022"
ZERO_K_FROM = datetime.date(2022, 1, 11)
ZERO_K_CODES = ("8539390000", "8539410000", "8539490000", "8525801900", "844339100", "8443393100", "950450000",
                "8470100000", "9006610000")
"""The codes of the operator's table that carry k = 0 where their group of the List carries a k
(lamps, medium and small electrical and electronic equipment): a declared code they begin is
charged 0 by the portal from ``ZERO_K_FROM``, the day its table took effect."""


def zero_k(codes) -> numpy.ndarray:
    """Per customs code (cells as written: spaces and dots allowed), whether one of
    ``ZERO_K_CODES`` begins it."""
    normalised = customs_codes.normalise(codes)[0]
    found = numpy.zeros(len(normalised), dtype=bool)
    for code in ZERO_K_CODES:
        found |= pc.starts_with(normalised, code).to_numpy(zero_copy_only=False)
    return found


class goods_coefficient(WideFloat):
    label = "Coefficient k of the line's goods as the operator's portal applies it: 0 for ZERO_K_CODES from 11.01.2022"

    def formula(product_line, period, parameters):
        law = product_line.simulation.tax_benefit_system.baseline.variables["goods_coefficient"].get_formula(period)(
            product_line, period, parameters)
        if period.start.date < ZERO_K_FROM or not given(product_line, "customs_code"):
            return law
        keyed = product_line("customs_code_status", period) >= 0
        return numpy.where(keyed & zero_k(product_line("customs_code", period)), 0.0, law)


def mid_year_changes(mrp) -> list[tuple[datetime.date, object, object]]:
    """(day, the law's value, the value on 1 January) of each change of the MRP after 1 January
    that the operator does not apply."""
    values = {datetime.date.fromisoformat(at.instant_str): at.value for at in mrp.values_list}
    changes = []
    for day, value in sorted(values.items()):
        first = datetime.date(day.year, 1, 1)
        if day != first and day.year not in FOLLOWS_THE_LAW_IN and first in values and value is not None:
            changes.append((day, value, values[first]))
    return changes


class operator_practice(Reform):
    """``general.mrp`` as the operator's portal uses it: the value of 1 January for the whole year;
    ``goods_coefficient`` as its table gives it (``ZERO_K_CODES``)."""

    name = "The EPR operator's practice: one MRP per calendar year (evidence_operator_portal)"

    def apply(self) -> None:
        def one_mrp_per_year(parameters):
            mrp = parameters.general.mrp
            for day, _, first in mid_year_changes(mrp):
                mrp.update(start=periods.instant(day.isoformat()), stop=periods.instant(f"{day.year}-12-31"), value=first)
                metadata = mrp.metadata
                metadata.setdefault("reference", {})[day.isoformat()] = {
                    "act": ACT, "item": f"one MRP per calendar year: {first} for all of {day.year} (operator practice)"}
                metadata.setdefault("confidence", {})[day.isoformat()] = "inferred"
                metadata.setdefault("notes", {})[day.isoformat()] = (
                    f"Operator practice, not law: the portal applies the MRP of 1 January {day.year} for the whole year.")
            return parameters

        self.modify_parameters(one_mrp_per_year)
        self.update_variable(goods_coefficient)
