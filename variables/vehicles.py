"""Vehicles and self-propelled agricultural machinery (chapter 2 of the Method, items 7-9,
Appendix 4): the payment for one vehicle = base rate × MRP × coefficient, once per vehicle,
the base rate 50 MRP and the coefficient by category and band.

Each category's coefficients are an OpenFisca scale over one input (``band_by`` in its
metadata); a band runs from its threshold, exclusive, to the next, inclusive (Appendix 4:
"up to 2.5 t", "2.5-3.5 t"). An electric vehicle takes ``<scale>_electric`` where the law
gives one. Some rows have a parallel scale chosen by a declared fact (``VARIANTS``): from
14.05.2022 road tractors used in international transport, from 07.05.2026 (Order No. 54)
vehicles imported from Russia or Belarus; on the days it is in force the fact must be declared.
"""

import numpy
from openfisca_core.periods import DAY

from openfisca_kz_epr.entities import ProductLine
from openfisca_kz_epr.law.acts import urls
from openfisca_kz_epr.law.parameter_lookup import value_or_not_known
from openfisca_kz_epr.law.tariffs.day import CATEGORIES
from openfisca_kz_epr.law.tariffs.day import day_tariffs as scales_on
from openfisca_kz_epr.law.tariffs.vehicles import OUTSIDE_THE_LIST, SCALE_KEYS, VARIANTS
from openfisca_kz_epr.line_status import BandStatus, ScaleStatus, enum_indices
from openfisca_kz_epr.money import NOT_KNOWN, RATE_PER_VEHICLE_DECIMALS, amount_tiyn, not_known
from openfisca_kz_epr.products import Product, VehicleCategory
from openfisca_kz_epr.variable_types import CheckedVariable, WideFloat, WideInt


class vehicle_scale(CheckedVariable):
    value_type = int
    entity = ProductLine
    definition_period = DAY
    label = ("The scale of Appendix 4 that prices the vehicle (its index in vehicle_scales.SCALE_KEYS: the category, "
             "or its parallel scale chosen by a declared fact), or why none: -1 not a vehicle, -2 no category, "
             "-10 and below a fact the law needs is not declared")
    reference = urls("order_762_2015", "order_448_2021")
    documentation = "Order 762 (order_762_2015), chapter 2, Appendix 4; Order 448 (order_448_2021), Appendix 4 as amended."

    def formula(product_line, period, parameters):
        vehicle = enum_indices(product_line("appendix_1_row", period)) == Product.vehicle.index
        result = numpy.full(product_line.count, ScaleStatus.NOT_A_VEHICLE, dtype=numpy.int32)
        if not vehicle.any():
            return result
        category = enum_indices(product_line("vehicle_category", period))
        result[vehicle & (category == VehicleCategory.unspecified.index)] = ScaleStatus.CATEGORY_MISSING
        on_day = scales_on(product_line.simulation.tax_benefit_system.parameters, period.start.date)
        facts = {}
        for member in CATEGORIES:
            groups = [(member.name, numpy.flatnonzero(vehicle & (category == member.index)))]
            for number, variant in enumerate(VARIANTS):
                split = []
                for key, lines in groups:
                    if on_day.parallel[key, variant] is None or not len(lines):
                        split.append((key, lines))
                        continue
                    if variant.input not in facts:
                        facts[variant.input] = enum_indices(product_line(variant.input, period))
                    fact = facts[variant.input][lines]
                    enum = variant.enum
                    result[lines[fact == enum.unspecified.index]] = ScaleStatus.FACT_MISSING - number - len(VARIANTS) * SCALE_KEYS.index(key)
                    split.append((key, lines[fact == enum[variant.other].index]))
                    split.append((f"{key}_{variant.suffix}", lines[fact == enum[variant.chosen].index]))
                groups = split
            for key, lines in groups:
                result[lines] = SCALE_KEYS.index(key)
        return result


class vehicle_band(CheckedVariable):
    value_type = int
    entity = ProductLine
    definition_period = DAY
    label = ("The band of the vehicle's scale (0 the lowest) its declared engine displacement, gross mass or power "
             "falls in, or why none: -1 no scale, -2 electric (one coefficient), -3 missing, -4 not finite, "
             "-5 not positive, -6 below every band, -7 the scale is not in force on the day")
    reference = urls("order_762_2015")
    documentation = "Order 762 (order_762_2015), chapter 2, Appendix 4."

    def formula(product_line, period, parameters):
        scale = product_line("vehicle_scale", period)
        band = numpy.full(product_line.count, BandStatus.NONE, dtype=numpy.int32)
        vehicles = numpy.flatnonzero(scale >= 0)
        if not len(vehicles):
            return band
        on_day = scales_on(product_line.simulation.tax_benefit_system.parameters, period.start.date)
        electric = product_line("is_electric", period)
        for index, of_scale in by_scale(scale, vehicles):
            rule = on_day.scales[SCALE_KEYS[index]]
            if rule.not_covered:
                band[of_scale] = BandStatus.NOT_COVERED
                continue
            by = product_line(rule.band_by, period)
            electric_lines = electric[of_scale]
            if rule.band_by == OUTSIDE_THE_LIST.band_by:  # above 50 t a goods vehicle is outside the List, electric or not
                electric_lines &= ~(by[of_scale] > OUTSIDE_THE_LIST.above)
            band[of_scale[electric_lines]] = BandStatus.ELECTRIC
            lines = of_scale[~electric_lines]
            declared = by[lines]
            found = numpy.searchsorted(rule.thresholds, declared, side="left") - 1
            band[lines] = numpy.select(
                [not_known(declared), ~numpy.isfinite(declared), declared <= 0, found < 0],
                [BandStatus.MISSING, BandStatus.NOT_FINITE, BandStatus.NOT_POSITIVE, BandStatus.BELOW_EVERY_BAND],
                found)
        return band


def by_scale(scale: numpy.ndarray, vehicles: numpy.ndarray):
    """(scale index, its lines) for each scale of the vehicle lines ``vehicles``."""
    of_vehicles = scale[vehicles]
    for index in numpy.unique(of_vehicles).tolist():
        yield index, vehicles[of_vehicles == index]


class vehicle_coefficient(WideFloat):
    value_type = float
    entity = ProductLine
    definition_period = DAY
    unit = "/1"
    label = "Coefficient of Appendix 4 for the vehicle (its scale's band, or the electric coefficient); money.NOT_KNOWN where none applies or it is not known"
    reference = urls("order_762_2015")
    documentation = "Order 762 (order_762_2015), chapter 2, item 9 and Appendix 4."

    def formula(product_line, period, parameters):
        scale = product_line("vehicle_scale", period)
        coefficient = numpy.full(product_line.count, NOT_KNOWN)
        vehicles = numpy.flatnonzero(scale >= 0)
        if not len(vehicles):
            return coefficient
        band = product_line("vehicle_band", period)
        coefficients = parameters(period).vehicles.coefficients
        on_day = scales_on(product_line.simulation.tax_benefit_system.parameters, period.start.date)
        for index, lines in by_scale(scale, vehicles):
            key = SCALE_KEYS[index]
            electric = lines[band[lines] == BandStatus.ELECTRIC]
            if len(electric) and f"{key}_electric" in coefficients:
                coefficient[electric] = coefficients[f"{key}_electric"]
            banded = lines[band[lines] >= 0]
            if len(banded):
                # The scale in force as OpenFisca reads it leaves out a band whose coefficient is not
                # known: each band is found by its threshold, and one left out stays NOT_KNOWN.
                at_instant = coefficients[key]
                amounts = dict(zip(map(float, at_instant.thresholds), map(float, at_instant.amounts)))
                table = numpy.array([amounts.get(float(threshold), NOT_KNOWN) for threshold in on_day.scales[key].thresholds])
                coefficient[banded] = table[band[banded]]
                if hasattr(coefficients, "tracer"):  # a traced simulation: OpenFisca records no access to a scale itself
                    coefficients.tracer.record_parameter_access(f"vehicles.coefficients.{key}", str(period), table)
        return coefficient


class vehicle_base_rate(WideFloat):
    value_type = float
    entity = ProductLine
    definition_period = DAY
    unit = "MRP"
    label = "Base rate of the payment for one vehicle, in MRP (chapter 2, items 8-9); money.NOT_KNOWN where not known"
    reference = urls("order_762_2015", "order_448_2021")
    documentation = "Order 762 (order_762_2015), chapter 2, items 8-9; Order 448 (order_448_2021)."

    def formula(product_line, period, parameters):
        vehicles = parameters(period).vehicles
        return product_line.filled_array(value_or_not_known(vehicles, "base_rate"))


class vehicle_rate(WideFloat):
    value_type = float
    entity = ProductLine
    definition_period = DAY
    unit = "currency-KZT"
    label = "Payment for one vehicle in tenge: base rate × MRP × coefficient (item 9); money.NOT_KNOWN where a factor is not known"
    reference = urls("order_762_2015")
    documentation = ("Order 762 (order_762_2015), chapter 2, item 9 and Appendix 4. "
                     "Item 9 (its Russian wording is not among the sources): the payment for one vehicle is the base rate "
                     "(50 MRP) times the coefficient of Appendix 4 for its category and band, paid once per vehicle.")

    def formula(product_line, period, parameters):
        coefficient = product_line("vehicle_coefficient", period)
        if not_known(coefficient).all():  # no vehicle (or none with a known coefficient)
            return coefficient
        base_rate, mrp = product_line("vehicle_base_rate", period), product_line("mrp", period)
        known = ~(not_known(coefficient) | not_known(base_rate) | not_known(mrp))
        rate = numpy.round(base_rate * mrp * coefficient, RATE_PER_VEHICLE_DECIMALS)  # the float nearest the exact decimal product
        return numpy.where(known, rate, NOT_KNOWN)


class vehicle_payment_tiyn(WideInt):
    value_type = int
    entity = ProductLine
    definition_period = DAY
    unit = "tiyn"
    label = "Payment for the vehicle of the line, in tiyn, rounded half up; 0 for other lines, -1 where the rate is not known or not held (epr_problem says why)"
    reference = urls("order_762_2015")
    documentation = "Order 762 (order_762_2015), chapter 2, item 9."

    def formula(product_line, period, parameters):
        one_vehicle = numpy.ones(product_line.count, dtype=numpy.int64)
        return amount_tiyn(one_vehicle, 0, product_line("vehicle_rate", period), RATE_PER_VEHICLE_DECIMALS,
                           product_line("vehicle_scale", period) >= 0)
