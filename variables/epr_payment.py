"""The EPR payment of a line and of a producer, exact to the tiyn, and what priced it.

A line's payment is the payment of its item of the Method (goods: item 5, ``goods_payment_tiyn``;
cable: item 5-1, ``cable_payment_tiyn``; vehicles: chapter 2, ``vehicle_payment_tiyn``) plus its
packaging's (``packaging_payment_tiyn``), each rounded half up to the tiyn once. The ``epr_…``
outputs refuse a line that ``epr_problem`` cannot price, naming it and the reason (an
``EprError``: HTTP 400 on the web API); ``line_…`` hold the same figures without refusing (0 and
'' where ``epr_problem`` says why), for the faces that report problems line by line.
"""

import numpy
from openfisca_core.periods import DAY

from openfisca_kz_epr.entities import Producer, ProductLine
from openfisca_kz_epr.errors import EprError
from openfisca_kz_epr.law.acts import urls
from openfisca_kz_epr.law.line_sources import sources
from openfisca_kz_epr.law.relief import claimed, item_payment_tiyn, relief, relieved_parts
from openfisca_kz_epr.law.tariffs.day import NONE, day_tariffs
from openfisca_kz_epr.law.tariffs.tariff import weakest
from openfisca_kz_epr.law.tariffs.vehicles import SCALE_KEYS
from openfisca_kz_epr.line_status import BandStatus, ClaimStatus, enum_indices, packaging_possible
from openfisca_kz_epr.money import EXACT_TIYN_IN_TENGE, sums_by_group
from openfisca_kz_epr.period_check import check_day
from openfisca_kz_epr.products import Product
from openfisca_kz_epr.variable_types import CheckedVariable, WideFloat, WideInt


def in_tenge(tiyn: numpy.ndarray, variable: str, period, ids: list[str], entity: str) -> numpy.ndarray:
    """Amounts in tiyn as float64 tenge, each exact (its shortest repr is the amount); an amount
    beyond ``money.EXACT_TIYN_IN_TENGE`` is refused, naming its line or producer."""
    beyond = numpy.flatnonzero(numpy.abs(tiyn) > EXACT_TIYN_IN_TENGE)
    if len(beyond):
        raise EprError(variable, period, {ids[i]: (
            f"{int(tiyn[i])} tiyn is more than a float64 holds exactly in tenge (up to 90 071 992 547 409.91 KZT): "
            f"read {variable.replace('epr_payment', 'epr_payment_tiyn')} (int64, exact)") for i in beyond}, entity=entity)
    return tiyn / 100


def checked(product_line, period, variable: str, values) -> numpy.ndarray:
    """``values`` of the lines (the name of the variable that holds them, or a function of no
    argument), or an ``EprError`` (asked by ``variable``) naming every line ``epr_problem``
    cannot price, with its reason; a ``PeriodError`` for a period not one day of the model."""
    check_day(variable, period)
    bad = numpy.flatnonzero(~product_line("epr_priced", period))
    if len(bad):
        problem = product_line("epr_problem", period)
        ids = product_line.ids
        raise EprError(variable, period, {str(ids[i]): problem[i] for i in bad})
    return product_line(values, period) if isinstance(values, str) else values()


class tariff_index(CheckedVariable):
    value_type = int
    entity = ProductLine
    definition_period = DAY
    label = ("Index of the line's tariff in the law read on its day (law.tariffs.day.day_tariffs: a row of "
             "Appendix 1, cable, or a band of a vehicle scale), -1 where none is chosen: what the acts and confidence are read from")

    def formula(product_line, period, parameters):
        table = day_tariffs(product_line.simulation.tax_benefit_system.parameters, period.start.date)
        row = enum_indices(product_line("appendix_1_row", period))
        index = table.by_product[row]
        vehicles = numpy.flatnonzero(row == Product.vehicle.index)
        if len(vehicles):
            vehicles = numpy.flatnonzero(product_line("vehicle_scale", period) >= 0)
            scale = product_line("vehicle_scale", period)[vehicles]
            band = product_line("vehicle_band", period)[vehicles]
            for number in numpy.unique(scale).tolist():
                rule = table.scales[SCALE_KEYS[number]]
                of_scale = scale == number
                banded = band[of_scale] >= 0
                chosen = numpy.where(band[of_scale] == BandStatus.ELECTRIC, rule.electric, NONE)
                chosen[banded] = rule.bands[band[of_scale][banded]]
                index[vehicles[of_scale]] = chosen
        return index


class packaging_tariff_index(CheckedVariable):
    value_type = int
    entity = ProductLine
    definition_period = DAY
    label = "Index of the tariff of the line's packaging in the law read on its day, -1 where no packaging is priced"

    def formula(product_line, period, parameters):
        table = day_tariffs(product_line.simulation.tax_benefit_system.parameters, period.start.date)
        if not packaging_possible(product_line, enum_indices(product_line("appendix_1_row", period)), Product.packaged_goods.index):
            return numpy.full(product_line.count, NONE)
        row = product_line("packaging_row", period)
        return numpy.where(row >= 0, table.by_product[numpy.maximum(row, 0)], NONE)


class epr_priced(CheckedVariable):
    value_type = bool
    entity = ProductLine
    definition_period = DAY
    label = "The line can be priced on its day (epr_problem is empty)"

    def formula(product_line, period, parameters):
        return ~product_line("epr_problem", period).astype(bool)  # '' is the only false text


class line_goods_payment_tiyn(WideInt):
    value_type = int
    entity = ProductLine
    definition_period = DAY
    unit = "tiyn"
    label = ("The payment of the line's own item (goods, cable or vehicle) in tiyn; 0 where epr_problem says why not "
             "or art. 386 relieves it")

    def formula(product_line, period, parameters):
        owed = product_line("epr_priced", period)
        if claimed(product_line):
            owed = owed & ((relieved_parts(product_line, period) & ClaimStatus.GOODS_PART) == 0)
        return numpy.where(owed, item_payment_tiyn(product_line, period), 0)


class line_packaging_payment_tiyn(WideInt):
    value_type = int
    entity = ProductLine
    definition_period = DAY
    unit = "tiyn"
    label = "The payment of the line's packaging in tiyn; 0 without packaging or where epr_problem says why not"

    def formula(product_line, period, parameters):
        row = enum_indices(product_line("appendix_1_row", period))
        if not packaging_possible(product_line, row, Product.packaged_goods.index):
            return numpy.zeros(product_line.count, dtype=numpy.int64)
        owed = product_line("epr_priced", period)
        if claimed(product_line):
            owed = owed & ((relieved_parts(product_line, period) & ClaimStatus.PACKAGING_PART) == 0)
        return numpy.where(owed, product_line("packaging_payment_tiyn", period), 0)


class line_payment_tiyn(WideInt):
    value_type = int
    entity = ProductLine
    definition_period = DAY
    unit = "tiyn"
    label = "The line's payment in tiyn, goods and packaging; 0 where epr_problem says why not"

    def formula(product_line, period, parameters):
        return product_line("line_goods_payment_tiyn", period) + product_line("line_packaging_payment_tiyn", period)


class line_legal_basis(CheckedVariable):
    value_type = str
    entity = ProductLine
    definition_period = DAY
    label = "Ids of the acts (legislation_refs/) whose values priced the line, ';'-separated; '' where epr_problem says why none"

    def formula(product_line, period, parameters):
        found, relieved = _owed_sources(product_line, period)
        basis = found.legal_basis()  # a new array: its unpriced lines are blanked in place
        if relieved is not None:  # the item of art. 386 that relieves a part, after the acts of the part still owed
            basis = numpy.array([f"{acts};{cite}" if acts and cite else (acts or cite) for acts, cite in zip(basis, relieved.cite)],
                                dtype=object)
        basis[~product_line("epr_priced", period)] = ""
        return basis


class line_confidence(CheckedVariable):
    value_type = str
    entity = ProductLine
    definition_period = DAY
    label = "Confidence of the line's payment ('confirmed', 'inferred', 'reform'); '' where epr_problem says why none"

    def formula(product_line, period, parameters):
        found, relieved = _owed_sources(product_line, period)
        confidence = found.confidence()  # a new array: its unpriced lines are blanked in place
        if relieved is not None:
            confidence = numpy.array([weakest([owed, claim]) if owed and claim else (owed or claim)
                                      for owed, claim in zip(confidence, relieved.confidence)], dtype=object)
        confidence[~product_line("epr_priced", period)] = ""
        return confidence


def _owed_sources(product_line, period):
    """What priced the parts of each line still owed (``Sources``), and what relieved the others
    (a ``law.relief.Relief``; None where no line claims anything under art. 386)."""
    found = sources(product_line, period)
    if not claimed(product_line):
        return found, None
    relieved = relief(product_line, period)
    return relieved.owed(found), relieved


class epr_payment_tiyn(WideInt):
    value_type = int
    entity = ProductLine
    definition_period = DAY
    unit = "tiyn"
    label = "EPR payment of the line in tiyn (0.01 KZT), exact, rounded half up once per part"
    reference = urls("order_762_2015", "order_448_2021")
    documentation = "Order 762 (order_762_2015), items 5, 5-1 and 9; from 11.01.2022 Order 448 (order_448_2021)."

    def formula(product_line, period, parameters):
        return checked(product_line, period, "epr_payment_tiyn", "line_payment_tiyn")


class epr_payment(WideFloat):
    value_type = float
    entity = ProductLine
    definition_period = DAY
    unit = "currency-KZT"
    label = "EPR payment of the line in tenge, exact to the tiyn"
    reference = urls("order_762_2015", "order_448_2021")
    documentation = "Order 762 (order_762_2015), items 5, 5-1 and 9; from 11.01.2022 Order 448 (order_448_2021)."

    def formula(product_line, period, parameters):
        tiyn = checked(product_line, period, "epr_payment", "line_payment_tiyn")
        return in_tenge(tiyn, "epr_payment", period, [str(i) for i in product_line.ids], "product_lines")


class epr_goods_payment_tiyn(WideInt):
    value_type = int
    entity = ProductLine
    definition_period = DAY
    unit = "tiyn"
    label = "The goods' part of the line's payment in tiyn (the whole payment of a line without packaging), rounded half up"

    def formula(product_line, period, parameters):
        return checked(product_line, period, "epr_goods_payment_tiyn", "line_goods_payment_tiyn")


class epr_packaging_payment_tiyn(WideInt):
    value_type = int
    entity = ProductLine
    definition_period = DAY
    unit = "tiyn"
    label = "The packaging's part of the line's payment in tiyn (rows 19-23 on packaging_mass_tonnes; 0 without packaging), rounded half up"

    def formula(product_line, period, parameters):
        return checked(product_line, period, "epr_packaging_payment_tiyn", "line_packaging_payment_tiyn")


class epr_rate(WideFloat):
    value_type = float
    entity = ProductLine
    definition_period = DAY
    label = "Rate in force for the line's goods: KZT per tonne (goods), share of the invoice (cable) or KZT per vehicle"

    def formula(product_line, period, parameters):
        return checked(product_line, period, "epr_rate", "line_rate")


class epr_legal_basis(CheckedVariable):
    value_type = str
    entity = ProductLine
    definition_period = DAY
    label = "Ids of the acts (legislation_refs/) whose values priced the line, separated by ';'"

    def formula(product_line, period, parameters):
        return checked(product_line, period, "epr_legal_basis", "line_legal_basis")


class epr_confidence(CheckedVariable):
    value_type = str
    entity = ProductLine
    definition_period = DAY
    label = "'confirmed' when every value used is stated by a source, 'inferred' otherwise; 'reform' when a reform set one"

    def formula(product_line, period, parameters):
        return checked(product_line, period, "epr_confidence", "line_confidence")


class producer_epr_payment_tiyn(WideInt):
    value_type = int
    entity = Producer
    definition_period = DAY
    unit = "tiyn"
    label = "EPR payment of the producer in tiyn: the sum of its lines' rounded payments"

    def formula(producer, period, parameters):
        ids = [str(i) for i in producer.ids]
        if len(set(ids)) < len(ids):  # OpenFisca names a producer it makes for an unlisted line after the line
            twice = sorted({i for i in ids if ids.count(i) > 1})
            raise EprError("producer_epr_payment_tiyn", period, {i: (
                f"two producers have the id {i!r}: a line that no producer lists becomes a producer named after "
                "it, so a line and a producer share this id; list every line in one producer's lines") for i in twice},
                entity="producers")
        lines = producer.members("epr_payment_tiyn", period)
        total, too_large = sums_by_group(lines, producer.members_entity_id, producer.count)  # exact, or refused
        if too_large.any():
            raise EprError("producer_epr_payment_tiyn", period, {ids[i]: (
                "the sum of its lines exceeds 9 223 372 036 854 775 807 tiyn, the most an int64 holds: "
                "split the lines among producers or sum epr_payment_tiyn yourself") for i in numpy.flatnonzero(too_large)},
                entity="producers")
        return total


class producer_epr_payment(WideFloat):
    value_type = float
    entity = Producer
    definition_period = DAY
    unit = "currency-KZT"
    label = "EPR payment of the producer in tenge: the sum of its lines, exact to the tiyn"

    def formula(producer, period, parameters):
        return in_tenge(producer("producer_epr_payment_tiyn", period), "producer_epr_payment", period,
                        [str(i) for i in producer.ids], "producers")
