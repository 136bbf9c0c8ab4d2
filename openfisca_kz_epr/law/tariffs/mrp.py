"""The monthly calculation index (MRP, «месячный расчётный показатель»), set by each year's
republican budget law and sometimes revised mid-year (01.04.2020, 01.06.2022)."""

from openfisca_kz_epr.law.values import LegalValue, legal_value


def mrp_on(parameters, day) -> LegalValue:
    return legal_value(parameters.general.mrp, day)
