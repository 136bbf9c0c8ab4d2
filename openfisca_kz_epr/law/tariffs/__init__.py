"""The law read on a day, with its sources: the tariff of each row of Appendix 1, of cable
(item 5-1) and of each band of a vehicle scale (chapter 2), each with the values, acts,
confidence and notes that make it. The formulas that price lines are the OpenFisca
variables of ``variables/``; these tariffs say which acts priced a line and why a value is
not known, and explain a figure."""

from openfisca_kz_epr.law.tariffs.day import Sources, day_tariffs, tariffs_on

__all__ = ["Sources", "day_tariffs", "tariffs_on"]
