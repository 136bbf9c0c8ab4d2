"""What a line declares: the product (goods of the List, cable, or a vehicle) and, for
vehicles, the category of Appendix 4 and the facts that choose between its parallel
coefficients (the country of import, the use of a road tractor).

The order of ``Product`` follows Appendix 1 of the Method (rows 1-23), then cable and
conduction products (item 5-1), then vehicles (chapter 2). The parameter files carry the
same keys: ``parameters/goods/appendix_1/<key>.yaml``, ``parameters/vehicles/coefficients/<key>.yaml``.
"""

import numpy
from openfisca_core.indexed_enums import Enum


class Product(Enum):
    tyres = "Tyres (Appendix 1, row 1; List section 2)"
    electric_accumulators = "Electric accumulators (row 2; section 3)"
    oils = "Engine, lubricating, gear and hydraulic oils (row 3; section 4)"
    special_fluids = "Brake and hydraulic fluids, antifreezes (row 4; section 5)"
    paper_packaging = "Paper and cardboard packaging and products (row 5; section 6)"
    glass_packaging = "Glass packaging (row 6; section 6)"
    polymer_packaging = "Polymer packaging (row 7; section 6)"
    metal_packaging = "Metal packaging (row 8; section 6)"
    combined_packaging = "Combined-material packaging (row 9; section 6)"
    plastic_products = "Plastic products (row 10; section 7)"
    printed_matter = "Books, newspapers and other printed matter (row 11; section 8)"
    paper_and_cardboard = "Paper and cardboard (row 12; section 9)"
    primary_batteries = "Primary cells and batteries (row 13; section 10)"
    lamps = "Lamps (row 14; section 11)"
    thermometers = "Mercury thermometers (row 15; section 12)"
    eee_large = "Electrical and electronic equipment, large (row 16; section 13)"
    eee_medium = "Electrical and electronic equipment, medium (row 17; section 14)"
    eee_small = "Electrical and electronic equipment, small (row 18; section 15)"
    packaged_goods_paper = "Goods in paper and cardboard packaging (row 19; section 16)"
    packaged_goods_glass = "Goods in glass packaging (row 20; section 16)"
    packaged_goods_polymer = "Goods in polymer packaging (row 21; section 16)"
    packaged_goods_metal = "Goods in metal packaging (row 22; section 16)"
    packaged_goods_combined = "Goods in combined-material packaging (row 23; section 16)"
    packaged_goods = "Goods in packaging (section 16), the goods themselves: k 0, their packaging pays (rows 19-23)"
    cable_products = "Cable and conduction products (item 5-1)"
    vehicle = "A vehicle or unit of self-propelled agricultural machinery (chapter 2)"
    unspecified = "Not declared (an error: every line must name its product)"


class VehicleCategory(Enum):
    m1 = "M1: passenger car (HS 8703), by engine displacement"
    n = "N: goods vehicle other than a road tractor, by gross vehicle mass"
    n_road_tractor = "N: road tractor for semi-trailers, by gross vehicle mass"
    m2_m3 = "M2/M3: bus, by engine displacement"
    combine_harvester = "Combine harvester (self-propelled agricultural machinery), by engine power"
    unspecified = "Not declared (an error for a vehicle line)"


class PackagingMaterial(Enum):
    """The material of the packaging declared on a goods line; it chooses the row of Appendix 1
    that prices the packaging (rows 19-23: goods in packaging)."""

    paper = "Paper and cardboard packaging (row 19)"
    glass = "Glass packaging (row 20)"
    polymer = "Polymer packaging (row 21)"
    metal = "Metal packaging (row 22)"
    combined = "Combined-material packaging (row 23)"
    unspecified = "Not declared"


PACKAGING_ROW = {material: f"packaged_goods_{material.name}" for material in PackagingMaterial
                 if material is not PackagingMaterial.unspecified}
"""The Appendix 1 row (a ``Product`` name) that prices packaging of each material on a goods line."""

PACKAGING_OF_ROW = {"paper_packaging": PackagingMaterial.paper, "glass_packaging": PackagingMaterial.glass,
                    "polymer_packaging": PackagingMaterial.polymer, "metal_packaging": PackagingMaterial.metal,
                    "combined_packaging": PackagingMaterial.combined}
"""The material of the packaging rows of section 6 (rows 5-9): a packaging's own customs code maps
to one of them, which names its material."""


class ImportOrigin(Enum):
    other = "Produced in Kazakhstan, or imported from a country other than Russia and Belarus (coefficient 1)"
    russia_or_belarus = "Imported from Russia or Belarus (coefficient 2 of Order No. 54)"
    unspecified = "Not declared (an error for a vehicle line on days the law prices by country of import)"


class RoadTractorUse(Enum):
    other = "A road tractor without the statement of obligatory use in international transport"
    international_transport = "A road tractor imported with the statement of obligatory use in international transport"
    unspecified = "Not declared (an error for a road tractor on days the law distinguishes its use)"


class Declarant(Enum):
    """Who declares the line, where the Environmental Code distinguishes them (art. 386 item 6)."""

    producer = "A producer: the goods were produced in Kazakhstan"
    importer = "An importer: the goods were imported into Kazakhstan (a natural person for personal_use_quota)"
    unspecified = "Not declared (an error for an exemption that names producers or importers only)"


class Exemption(Enum):
    """What a line claims under art. 386 item 6 of the Environmental Code of 02.01.2021: the cases
    the producer's obligations do not extend to (``variables/exemptions.py``)."""

    none = "No exemption claimed (the default)"
    recycled_content = ("Sub. 1: a producer's oils, polymer, glass, paper or cardboard packaging or accumulators made "
                        "with at least 30 % of such waste recycled in Kazakhstan")
    exported = "Sub. 2 and 3: goods sold outside Kazakhstan, and their packaging"
    personal_use_quota = ("Sub. 4: a natural person importing within the duty-free quota for goods for personal use "
                          "(not vehicles, not self-propelled agricultural machinery)")
    socially_significant_food_packaging = "Sub. 5: an importer's packaging of socially significant food (the Government's list)"
    preforms_paid = "Sub. 6: a producer's polymer packaging made from preforms whose utilisation payment was made"
    own_use_packaging = ("Sub. 7: an importer's packaging of goods used in its own activity (fixed assets, materials, raw "
                         "materials, spare parts, general needs), not for sale")
    humanitarian_aid = "Sub. 8: an importer's polymer, glass, paper, cardboard or metal packaging of foreign humanitarian aid"


class Fulfilment(Enum):
    """How the producer fulfils its obligation (art. 386 item 2 of the Environmental Code of 02.01.2021)."""

    operator_payment = "Item 2 sub. 2: a contract with the EPR operator and the utilisation payment (the default)"
    own_system = ("Item 2 sub. 1: the producer's own system of collection and recycling: nothing is owed to the operator "
                  "(not for vehicles, self-propelled agricultural machinery and cable: item 3)")


WHEN_EMPTY = {Exemption: Exemption.none, Fulfilment: Fulfilment.operator_payment}
"""The member an empty cell stands for, for the enums whose default is not ``unspecified``."""


def when_empty(enum):
    """The member of ``enum`` an empty cell stands for: its default (``WHEN_EMPTY``) or ``unspecified``."""
    return WHEN_EMPTY.get(enum) or enum.unspecified


GOODS = tuple(p for p in Product if p not in (Product.cable_products, Product.vehicle, Product.unspecified))

PRICED_ON_PACKAGING = numpy.array([p.name.startswith("packaged_goods_") for p in Product])
"""By ``Product`` index: whether the row is priced on the mass of the packaging (rows 19-23)."""
