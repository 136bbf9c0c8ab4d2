"""Why a line cannot be priced on its day: the first problem found, in words ('' when none).

The checks run in the order of the Method: what the line is (its product or customs code),
which scale and band of Appendix 4 (vehicles) or which packaging row, the quantity the item
counts (mass, invoice value), whether its claims under art. 386 of the Environmental Code hold
(an exemption, the producer's own system), then whether the law's rate is known on the day for
the parts of its payment still owed. A value the law leaves unknown is named with the note of its
parameter (``law.values.legal_value``).
"""

import numpy
from openfisca_core.periods import DAY

from openfisca_kz_epr.entities import ProductLine
from openfisca_kz_epr.language import Message, Said
from openfisca_kz_epr.law import customs_codes
from openfisca_kz_epr.law.relief import claimed, relieved_parts
from openfisca_kz_epr.law.tariffs.day import before_the_model, day_tariffs
from openfisca_kz_epr.law.tariffs.vehicles import SCALE_KEYS, VARIANTS
from openfisca_kz_epr.law.values import NotCovered
from openfisca_kz_epr.line_status import (
    BandStatus,
    ClaimStatus,
    CodeStatus,
    PackagingStatus,
    ScaleStatus,
    enum_indices,
    given,
    of_goods,
    packaging_possible,
)
from openfisca_kz_epr.money import (
    INVOICE_DECIMALS,
    MASS_DECIMALS,
    NOT_HELD,
    RATE_PER_TONNE_DECIMALS,
    RATE_PER_VEHICLE_DECIMALS,
    SHARE_DECIMALS,
    not_known,
)
from openfisca_kz_epr.period_check import check_day
from openfisca_kz_epr.problems import Problems
from openfisca_kz_epr.products import PACKAGING_OF_ROW, PackagingMaterial, Product
from openfisca_kz_epr.variable_types import CheckedVariable

PRODUCTS = list(Product)
MATERIALS = list(PackagingMaterial)


class epr_problem(CheckedVariable):
    value_type = str
    entity = ProductLine
    definition_period = DAY
    label = "Why the line cannot be priced on the day (empty when it can)"

    def formula(product_line, period, parameters):
        check_day("epr_problem", period)
        problems = Problems(product_line.count)
        day = period.start.date
        table = day_tariffs(product_line.simulation.tax_benefit_system.parameters, day)
        if given(product_line, "customs_code"):
            _customs_code(product_line, period, problems)
        row = enum_indices(product_line("appendix_1_row", period))
        problems.flag(row == Product.unspecified.index, Said("the line names no goods: neither product nor customs_code is declared"))
        vehicle = row == Product.vehicle.index
        if vehicle.any():
            _vehicle(product_line, period, table, problems)
            vehicle = product_line("vehicle_scale", period) >= 0
        packaging = packaging_possible(product_line, row, Product.packaged_goods.index)
        if packaging:
            _packaging(product_line, period, problems)

        def tariff():
            return product_line("tariff_index", period)

        goods = of_goods(row) >= 0
        cable = row == Product.cable_products.index
        owed = _claims(product_line, period, problems)  # a part relieved by art. 386 needs its quantity, not its rate
        goods_owed, packaging_owed = (owed & ClaimStatus.GOODS_PART) > 0, (owed & ClaimStatus.PACKAGING_PART) > 0
        _quantity(product_line, period, "mass_tonnes", "mass_grams", MASS_DECIMALS, goods, problems)
        _rate(product_line, period, "goods_rate_per_tonne", "goods_payment_tiyn", RATE_PER_TONNE_DECIMALS, goods & goods_owed,
              tariff, table, problems)
        _quantity(product_line, period, "invoice_value", "invoice_value_tiyn", INVOICE_DECIMALS, cable, problems)
        _rate(product_line, period, "cable_rate", "cable_payment_tiyn", SHARE_DECIMALS, cable & goods_owed, tariff, table, problems)
        _rate(product_line, period, "vehicle_rate", "vehicle_payment_tiyn", RATE_PER_VEHICLE_DECIMALS, vehicle & goods_owed,
              tariff, table, problems)
        if packaging:
            packaged = product_line("packaging_row", period) >= 0
            _quantity(product_line, period, "packaging_mass_tonnes", "packaging_mass_grams", MASS_DECIMALS, packaged, problems)
            _rate(product_line, period, "packaging_rate_per_tonne", "packaging_payment_tiyn", RATE_PER_TONNE_DECIMALS,
                  packaged & packaging_owed, lambda: product_line("packaging_tariff_index", period), table, problems)
        return problems.text


def _claims(product_line, period, problems: Problems) -> numpy.ndarray:
    """The line's claims under art. 386 of the Environmental Code hold (else their problem), and
    the parts of its payment still owed (``ClaimStatus`` bits): both, but those an exemption or the
    producer's own system relieves."""
    both = ClaimStatus.GOODS_PART | ClaimStatus.PACKAGING_PART
    if not claimed(product_line):
        return numpy.full(product_line.count, both, dtype=numpy.int32)
    for name in ("exemption_problem", "own_system_problem"):
        text = product_line(name, period)
        problems.flag(text != "", text)
    return both & ~relieved_parts(product_line, period)


def _customs_code(product_line, period, problems: Problems) -> None:
    status = product_line("customs_code_status", period)
    bad = (status < 0) & (status != CodeStatus.NO_CODE)
    if not bad.any():
        return
    cells = customs_codes.as_strings(product_line("customs_code", period))
    codes = customs_codes.normalise(cells)[0].to_numpy(zero_copy_only=False)
    problems.flag(status == CodeStatus.MALFORMED, lambda i: Said("customs_code {code!r} is not a customs code (ТН ВЭД: 4 to 10 "
                                                                  "digits; spaces and dots are allowed)", code=cells[i].as_py()))
    try:
        code_list = customs_codes.code_list_on(period.start.date)
    except NotCovered as error:
        problems.flag(status == CodeStatus.BEFORE_THE_LIST, before_the_model(error))
        return
    problems.flag(status == CodeStatus.NOT_LISTED,
                  lambda i: Said("customs_code {code} is not in the List as known ({list}; codes from {source}): no listed "
                                 "code begins it", code=codes[i], list=code_list.list_act, source=code_list.source))
    product = enum_indices(product_line("product", period))

    def disagree(i):
        row = PRODUCTS[int(customs_codes.rows_of(customs_codes.normalise([codes[i]])[0])[0])]
        return Said("product {product} and customs_code {code} disagree: the code is of {row} ({row_label})",
                    product=PRODUCTS[product[i]].name, code=codes[i], row=row.name, row_label=Message(row.value),
                    product_label=Message(PRODUCTS[product[i]].value))

    problems.flag(status == CodeStatus.DISAGREES, disagree)


def _vehicle(product_line, period, table, problems: Problems) -> None:
    scale = product_line("vehicle_scale", period)
    if not (scale != ScaleStatus.NOT_A_VEHICLE).any():
        return
    problems.flag(scale == ScaleStatus.CATEGORY_MISSING, Said("vehicle_category is not declared"))

    def fact_missing(i):
        key, number = divmod(int(ScaleStatus.FACT_MISSING - scale[i]), len(VARIANTS))
        variant, first_band = VARIANTS[number], table.parallel[SCALE_KEYS[key], VARIANTS[number]]
        return Said("{name} is not declared: from {since} the law ({cite}) sets a separate coefficient for {scale} vehicles of "
                    "this kind: {kind}", name=variant.input, since=first_band.since, cite=first_band.cite(), scale=SCALE_KEYS[key],
                    kind=Message(variant.enum[variant.chosen].value))

    problems.flag(scale <= ScaleStatus.FACT_MISSING, fact_missing)
    band = product_line("vehicle_band", period)

    def band_problem(i):
        key = SCALE_KEYS[scale[i]]
        rule = table.scales[key]
        if band[i] == BandStatus.NOT_COVERED:
            return rule.not_covered
        value = float(product_line(rule.band_by, period)[i])
        return Said({
            BandStatus.MISSING: "{name} is missing for a vehicle of category {category}",
            BandStatus.NOT_FINITE: "{name} = {value} is not finite",
            BandStatus.NOT_POSITIVE: "{name} = {value!r} must be positive",
            BandStatus.BELOW_EVERY_BAND: "{name} = {value!r} is below every band of category {category}",
        }[BandStatus(band[i])], name=rule.band_by, value=value, category=key)

    problems.flag(band <= BandStatus.MISSING, band_problem)


_PACKAGING = {
    PackagingStatus.REQUIRED: Said("goods in packaging (section 16 of the List) are priced on their packaging: declare "
                                   "packaging_material or packaging_customs_code, and packaging_mass_tonnes"),
    PackagingStatus.ON_VEHICLE: Said("packaging is declared on a vehicle line: vehicles are priced by chapter 2, not by their "
                                     "packaging"),
    PackagingStatus.ON_CABLE: Said("packaging is declared on a cable line: declare it on a line of its own (a packaging row "
                                   "or product packaged_goods)"),
    PackagingStatus.MATERIAL_MISSING: Said("the packaging's material is not declared: give packaging_material or "
                                           "packaging_customs_code"),
}


def _packaging(product_line, period, problems: Problems) -> None:
    status = product_line("packaging_row", period)
    if not (status < PackagingStatus.NONE).any():
        return
    for code, text in _PACKAGING.items():
        problems.flag(status == code, text)
    row = enum_indices(product_line("appendix_1_row", period))
    problems.flag(status == PackagingStatus.TWICE, lambda i: Said("packaging is declared twice: product {product} is already "
                                                                  "priced on the mass of its packaging", product=PRODUCTS[row[i]].name,
                                                                  product_label=Message(PRODUCTS[row[i]].value)))
    if not (status < PackagingStatus.TWICE).any():
        return
    cells = customs_codes.as_strings(product_line("packaging_customs_code", period))
    codes = customs_codes.normalise(cells)[0].to_numpy(zero_copy_only=False)
    problems.flag(status == PackagingStatus.CODE_MALFORMED, lambda i: Said("packaging_customs_code {code!r} is not a customs "
                                                                           "code (ТН ВЭД: 4 to 10 digits)", code=cells[i].as_py()))
    if (status == PackagingStatus.BEFORE_THE_LIST).any():
        try:
            customs_codes.code_list_on(period.start.date)
        except NotCovered as error:
            problems.flag(status == PackagingStatus.BEFORE_THE_LIST, before_the_model(error))
    problems.flag(status == PackagingStatus.CODE_NOT_LISTED, lambda i: Said("packaging_customs_code {code} is not in the List as known",
                                                                            code=codes[i]))

    def row_of(i) -> Product:
        return PRODUCTS[int(customs_codes.rows_of(customs_codes.normalise([codes[i]])[0])[0])]

    problems.flag(status == PackagingStatus.NOT_PACKAGING_CODE,
                  lambda i: Said("packaging_customs_code {code} is not a code of packaging: it is of {row}", code=codes[i],
                                 row=row_of(i).name, row_label=Message(row_of(i).value)))
    material = enum_indices(product_line("packaging_material", period))
    problems.flag(status == PackagingStatus.DISAGREES,
                  lambda i: Said("packaging_material {material} and packaging_customs_code {code} disagree: the code is of "
                                 "{code_material} packaging", material=MATERIALS[material[i]].name, code=codes[i],
                                 code_material=PACKAGING_OF_ROW[row_of(i).name].name,
                                 material_label=Message(MATERIALS[material[i]].value),
                                 code_material_label=Message(PACKAGING_OF_ROW[row_of(i).name].value)))


def _quantity(product_line, period, name: str, held: str, places: int, lines, problems: Problems) -> None:
    """The quantity ``name`` of the lines ``lines`` is held exactly (``held``, its integer of
    10^-places, is not ``NOT_HELD``): else it is missing, not finite, negative, or finer or too large."""
    if not lines.any():
        return
    rows = numpy.flatnonzero(lines & (product_line(held, period) == NOT_HELD) & ~problems.found)
    if not len(rows):
        return
    given = product_line(name, period)
    values = given[rows]
    problems.flag_rows(rows[not_known(values)], Said("{name} is missing", name=name))
    problems.flag_rows(rows[numpy.isinf(values)], lambda i: Said("{name} = {value} is not finite", name=name, value=float(given[i])))
    problems.flag_rows(rows[values < 0], lambda i: Said("{name} = {value!r} is negative", name=name, value=float(given[i])))
    problems.flag_rows(rows, lambda i: Said("{name} = {value!r} is finer than 10^-{places} or too large to hold exactly", name=name,
                                            value=float(given[i]), places=places))


def _rate(product_line, period, name: str, payment: str, places: int, lines, tariff, table, problems: Problems) -> None:
    """The rate ``name`` of the lines ``lines`` is known (else the law's reason, from the note of
    the value it lacks, of the tariff ``tariff()`` gives each line), and the payment ``payment``
    could be made of it (else the rate is negative, or not held exactly to 10^-places)."""
    if not lines.any():
        return
    rate = product_line(name, period)
    rows = numpy.flatnonzero(lines & (not_known(rate) | (product_line(payment, period) == NOT_HELD)) & ~problems.found)
    if not len(rows):
        return
    unknown = rows[not_known(rate[rows])]
    if len(unknown):
        reason = table.reason[tariff()[unknown]]
        reason[reason == None] = Said("{name} is not known on {day}", name=name, day=period)  # noqa: E711  (a copy: fancy indexing)
        problems.flag_rows(unknown, reason)
    problems.flag_rows(rows, lambda i: Said("{name} = {value!r} is negative, or finer than 10^-{places} or too large to hold "
                                            "exactly", name=name, value=float(rate[i]), places=places))
