"""Who pays and for what: a producer (or importer) and its product lines.

Order 762, item 5: the payment is computed "for each type of the made (imported)
products (goods)"; chapter 2, item 8: "once for each vehicle".
"""

from openfisca_core.entities import build_entity

ProductLine = build_entity(
    key="product_line",
    plural="product_lines",
    label="Goods of one kind placed on the market on one day by one producer or importer, or one vehicle",
    doc="""
    The unit on which the Method computes a payment: one type of goods (item 5, item 5-1)
    or one vehicle or unit of self-propelled agricultural machinery (chapter 2, item 9).
    Its period is the DAY the obligation arises: the import, or the release of the goods.
    """,
    is_person=True,
)

Producer = build_entity(
    key="producer",
    plural="producers",
    label="A producer or importer placing goods on the Kazakh market",
    doc="The payer: the sum of its lines is what it owes the EPR operator.",
    roles=[
        {
            "key": "line",
            "plural": "lines",
            "label": "Product line",
            "doc": "One line of goods or one vehicle declared by the producer.",
        },
    ],
)

entities = [Producer, ProductLine]
