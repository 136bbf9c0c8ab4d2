"""What a producer or importer declares for a line (inputs).

Period: the DAY the obligation arises, i.e. the import of the goods (importer) or their
release (producer); for a vehicle, before its first registration (legislation_refs/).
Numeric inputs default to ``money.NOT_KNOWN`` (a number JSON holds, never a quantity): a missing
value is reported, never taken as 0.
"""

from openfisca_core.indexed_enums import Enum
from openfisca_core.periods import DAY

from openfisca_kz_epr.entities import ProductLine
from openfisca_kz_epr.law.acts import urls
from openfisca_kz_epr.money import NOT_KNOWN
from openfisca_kz_epr.products import (
    Declarant,
    ImportOrigin,
    PackagingMaterial,
    Product,
    RoadTractorUse,
    VehicleCategory,
)
from openfisca_kz_epr.variable_types import CheckedVariable, WideFloat


class product(CheckedVariable):
    value_type = Enum
    possible_values = Product
    default_value = Product.unspecified
    entity = ProductLine
    definition_period = DAY
    label = "What the line places on the market: an Appendix 1 row, cable and conduction products, or a vehicle"
    reference = urls("order_762_2015")
    documentation = "Order 762 (order_762_2015), Appendix 1; item 5-1; chapter 2."


class customs_code(CheckedVariable):
    value_type = str
    default_value = ""
    entity = ProductLine
    definition_period = DAY
    label = ("Customs code of the goods (ТН ВЭД ЕАЭС, 4 to 10 digits; spaces and dots allowed), instead of "
             "or besides product: it names the row of Appendix 1 by the longest listed code that begins it")
    reference = urls("order_695_2015", "order_689_2022")
    documentation = "List of products under extended producer obligations: Order 695 (order_695_2015); from 16.01.2023 Order 689 (order_689_2022)."


class packaging_material(CheckedVariable):
    value_type = Enum
    possible_values = PackagingMaterial
    default_value = PackagingMaterial.unspecified
    entity = ProductLine
    definition_period = DAY
    label = "Material of the packaging of the goods of the line (Appendix 1, rows 19-23 price it)"
    reference = urls("order_762_2015")
    documentation = "Order 762 (order_762_2015), Appendix 1, rows 19-23."


class packaging_customs_code(CheckedVariable):
    value_type = str
    default_value = ""
    entity = ProductLine
    definition_period = DAY
    label = "Customs code of the packaging of the goods of the line (ТН ВЭД: names its material)"
    reference = urls("order_695_2015", "order_689_2022")
    documentation = "List of products under extended producer obligations, section 6 (packaging): Order 695 (order_695_2015), from 16.01.2023 Order 689 (order_689_2022)."


class packaging_mass_tonnes(WideFloat):
    value_type = float
    default_value = NOT_KNOWN
    entity = ProductLine
    definition_period = DAY
    unit = "tonne"
    label = "Mass of the packaging of the goods of the line, in tonnes (held to the gram)"
    reference = urls("order_762_2015")
    documentation = "Order 762 (order_762_2015), item 5 and Appendix 1, rows 19-23."


class vehicle_category(CheckedVariable):
    value_type = Enum
    possible_values = VehicleCategory
    default_value = VehicleCategory.unspecified
    entity = ProductLine
    definition_period = DAY
    label = "Category of the vehicle or agricultural machine (Appendix 4)"
    reference = urls("order_762_2015")
    documentation = "Order 762 (order_762_2015), chapter 2, Appendix 4."


class import_origin(CheckedVariable):
    value_type = Enum
    possible_values = ImportOrigin
    default_value = ImportOrigin.unspecified
    entity = ProductLine
    definition_period = DAY
    label = "Where the vehicle comes from: Russia or Belarus (coefficient 2) or elsewhere (coefficient 1)"
    reference = urls("order_448_2021", "order_54_2026")
    documentation = "Order 448 (order_448_2021), Appendix 4 as amended by Order No. 54 of 20.03.2026 (order_54_2026)."


class road_tractor_use(CheckedVariable):
    value_type = Enum
    possible_values = RoadTractorUse
    default_value = RoadTractorUse.unspecified
    entity = ProductLine
    definition_period = DAY
    label = "Whether a road tractor was imported with the statement of obligatory use in international transport"
    reference = urls("order_448_2021", "order_448_amend_2022_04_29")
    documentation = "Order 448 (order_448_2021), Appendix 4 as amended on 29.04.2022 (order_448_amend_2022_04_29; operator practice)."


class mass_tonnes(WideFloat):
    value_type = float
    default_value = NOT_KNOWN
    entity = ProductLine
    definition_period = DAY
    unit = "tonne"
    label = "Mass of the goods placed on the market, in tonnes (item 5: m); held to the gram"
    reference = urls("order_762_2015")
    documentation = "Order 762 (order_762_2015), item 5."


class invoice_value(WideFloat):
    value_type = float
    default_value = NOT_KNOWN
    entity = ProductLine
    definition_period = DAY
    unit = "currency-KZT"
    label = "Value of cable and conduction products on the invoice, in tenge (item 5-1: N)"
    reference = urls("order_762_2015")
    documentation = "Order 762 (order_762_2015), item 5-1."


class engine_displacement_cm3(WideFloat):
    value_type = float
    default_value = NOT_KNOWN
    entity = ProductLine
    definition_period = DAY
    unit = "cm3"
    label = "Engine displacement in cm³ (bands of categories M1 and M2/M3, Appendix 4)"


class gross_vehicle_mass_tonnes(WideFloat):
    value_type = float
    default_value = NOT_KNOWN
    entity = ProductLine
    definition_period = DAY
    unit = "tonne"
    label = "Gross (technically permissible maximum) vehicle mass in tonnes (bands of category N, Appendix 4)"


class engine_power_hp(WideFloat):
    value_type = float
    default_value = NOT_KNOWN
    entity = ProductLine
    definition_period = DAY
    unit = "hp"
    label = "Engine power in horsepower (bands of self-propelled agricultural machinery, Appendix 4)"


class is_electric(CheckedVariable):
    value_type = bool
    default_value = False
    entity = ProductLine
    definition_period = DAY
    label = "The vehicle is purely electric (not a hybrid)"


class declarant(CheckedVariable):
    value_type = Enum
    possible_values = Declarant
    default_value = Declarant.unspecified
    entity = ProductLine
    definition_period = DAY
    label = ("Who declares the line: its producer or its importer (art. 386 item 6 of the Environmental Code names "
             "one or the other for some exemptions)")
    reference = "https://adilet.zan.kz/rus/docs/K2100000400"
