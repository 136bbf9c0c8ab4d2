"""The EPR operator's practice, beside the law: one MRP per calendar year.

The operator's payment portal (evidence_operator_portal) prices a year with the MRP in force on
its 1 January, except 2020 (it applied the change of 01.04.2020): for the whole of 2022 it takes
3 063, where the law gives 3 180 from 01.06.2022 (budget_law_121_vii). This is not law: the
audit shows it beside the legal figure (``kz-epr audit --operator-rules``) for an auditor who
reconciles what the operator actually invoiced. Every value it sets cites the portal, with the
confidence ``inferred``; every other value is the law's.
"""

from __future__ import annotations

import datetime

from openfisca_core import periods
from openfisca_core.reforms import Reform

ACT = "evidence_operator_portal"
FOLLOWS_THE_LAW_IN = (2020,)  # the years the portal applies the mid-year change of the MRP


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
    """``general.mrp`` as the operator's portal uses it: the value of 1 January for the whole year."""

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
