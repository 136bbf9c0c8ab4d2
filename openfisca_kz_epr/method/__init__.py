"""The Method of Order 762 (and its successors), item by item: goods (item 5 and the
operator rates before it), cable (item 5-1), vehicles (chapter 2), and the MRP they use.

``assess`` applies them to many lines of one day at once, exactly; every face of the
project (OpenFisca variables, bulk audit, web API, explanations) goes through it.
"""

from openfisca_kz_epr.method.assessment import Assessment, assess, tariffs_on

__all__ = ["Assessment", "assess", "tariffs_on"]
