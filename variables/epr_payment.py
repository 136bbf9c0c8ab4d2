"""The EPR payment of a line and of a producer, exact to the tiyn.

Goods: Order 762 item 5 (S = m × MRP × k, from 17.01.2020) and the operator's flat rates
before it; cable: item 5-1 (S = N × 0.05); vehicles: chapter 2, item 9 (base rate × MRP ×
coefficient). The law itself is in ``openfisca_kz_epr.method``; these variables expose it.
A line the law cannot price on the day raises an error naming the line and the reason.
"""

import numpy
from openfisca_core.periods import DAY

from openfisca_kz_epr.entities import Producer, ProductLine
from openfisca_kz_epr.errors import EprError
from openfisca_kz_epr.line_assessment import assessment, checked
from openfisca_kz_epr.money import EXACT_TIYN_IN_TENGE, sums_by_group
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


class epr_problem(CheckedVariable):
    value_type = str
    entity = ProductLine
    definition_period = DAY
    label = "Why the line cannot be priced on the day (empty when it can)"

    def formula(product_line, period, parameters):
        return assessment(product_line, period).problem.astype(object)


class epr_payment_tiyn(WideInt):
    value_type = int
    entity = ProductLine
    definition_period = DAY
    unit = "tiyn"
    label = "EPR payment of the line in tiyn (0.01 KZT), exact, rounded half up once per line"

    def formula(product_line, period, parameters):
        return checked(product_line, period, "epr_payment_tiyn").tiyn


class epr_payment(WideFloat):
    value_type = float
    entity = ProductLine
    definition_period = DAY
    unit = "currency-KZT"
    label = "EPR payment of the line in tenge, exact to the tiyn"
    reference = "Order 762, items 5, 5-1 and 9"

    def formula(product_line, period, parameters):
        return in_tenge(checked(product_line, period, "epr_payment").tiyn, "epr_payment", period,
                        [str(i) for i in product_line.ids], "product_lines")


class epr_goods_payment_tiyn(WideInt):
    value_type = int
    entity = ProductLine
    definition_period = DAY
    unit = "tiyn"
    label = "The goods' part of the line's payment in tiyn (the whole payment of a line without packaging), rounded half up"

    def formula(product_line, period, parameters):
        return checked(product_line, period, "epr_goods_payment_tiyn").goods_tiyn


class epr_packaging_payment_tiyn(WideInt):
    value_type = int
    entity = ProductLine
    definition_period = DAY
    unit = "tiyn"
    label = "The packaging's part of the line's payment in tiyn (rows 19-23 on packaging_mass_tonnes; 0 without packaging), rounded half up"

    def formula(product_line, period, parameters):
        return checked(product_line, period, "epr_packaging_payment_tiyn").packaging_tiyn


class epr_rate(WideFloat):
    value_type = float
    entity = ProductLine
    definition_period = DAY
    label = "Rate in force for the line's goods: KZT per tonne (goods), share of the invoice (cable) or KZT per vehicle"

    def formula(product_line, period, parameters):
        result = checked(product_line, period, "epr_rate")
        return result.per_line(lambda t: float(t.rate)).astype(numpy.float64)


class epr_legal_basis(CheckedVariable):
    value_type = str
    entity = ProductLine
    definition_period = DAY
    label = "Ids of the acts (legislation_refs/) whose values priced the line, separated by ';'"

    def formula(product_line, period, parameters):
        return checked(product_line, period, "epr_legal_basis").legal_basis()


class epr_confidence(CheckedVariable):
    value_type = str
    entity = ProductLine
    definition_period = DAY
    label = "'confirmed' when every value used is stated by a source, 'inferred' otherwise; 'reform' when a reform set one"

    def formula(product_line, period, parameters):
        return checked(product_line, period, "epr_confidence").confidence()


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
