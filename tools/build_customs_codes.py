"""Build ``legislation_refs/customs_codes/list_2015.yaml``, the map of customs codes (ТН ВЭД
ЕАЭС) to the rows of Appendix 1, from the copy of the operator's table ref_tn_code
(``legislation_refs/sources/operator_ref_tn_code_2022.txt``, act
``evidence_operator_ref_tn_code_2022``).

Each code of the table goes to the row of its group (the table's third column); the group of
packaging is split by the code's heading (3920, 3923 polymer; 4811, 4819 paper; 7010 glass;
7310, 7612 metal). The k column is not used to choose a row: ``tests/test_customs_codes.py``
checks the result against it. Run from the repository's root:

    python tools/build_customs_codes.py
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "legislation_refs" / "sources" / "operator_ref_tn_code_2022.txt"
TARGET = ROOT / "legislation_refs" / "customs_codes" / "list_2015.yaml"

GROUPS = {  # the operator's group (column 3) → the Appendix 1 row (a Product name)
    "Каучук, резина и изделия из них": "tyres",
    "Аккумуляторы электрические, включая сепараторы для них": "electric_accumulators",
    "Нефть и нефтепродукты (кроме сырых)": "oils",
    "Прочие химические продукты": "special_fluids",
    ("Посуда столовая и кухонная, приборы столовые и кухонные принадлежности, прочие предметы домашнего "
     "обихода и предметы гигиены или туалета, из пластмасс"): "plastic_products",
    ("Газеты, журналы и прочие периодические издания, иллюстрированные или неиллюстрированные, содержащие "
     "или не содержащие рекламный материал"): "printed_matter",
    ("Бумага и картон ручного отлива, немелованные, используемые для письма, печати или других графических "
     "целей"): "paper_and_cardboard",
    "Первичные элементы и первичные батареи": "primary_batteries",
    ("Лампы накаливания электрические или газоразрядные, включая лампы герметичные направленного света, а "
     "также ультрафиолетовые или инфракрасные лампы; дуговые лампы, ртутьсодержащие:"): "lamps",
    "Термометры медицинские или ветеринарные, ртутьсодержащие": "thermometers",
    "Крупногабаритное электрическое и электронное оборудование": "eee_large",
    "Среднегабаритное электрическое и электронное оборудование": "eee_medium",
    "Мелкогабаритное электрическое и электронное оборудование": "eee_small",
    "Продукция (товары) в упаковке": "packaged_goods",
    "Кабельно-проводниковая продукция": "cable_products",
}
PACKAGING_GROUPS = (
    "Пластмассовая, стеклянная, бумажная, картонная, алюминиевая и металлическая упаковки",
    "Полимерная, стеклянная, бумажная, картонная, металлическая упаковки, упаковка из комбинированных материалов",
)
PACKAGING_BY_HEADING = {"3920": "polymer_packaging", "3923": "polymer_packaging", "4811": "paper_packaging",
                        "4819": "paper_packaging", "7010": "glass_packaging", "7310": "metal_packaging",
                        "7612": "metal_packaging"}
EXCEPTIONS = {  # code → (row, why): codes the table files under a group whose row does not fit them
    "4818": ("paper_packaging", ("filed under goods in packaging but charged k 1.76 on the goods: toilet paper, "
                                 "tissues, napkins and other paper household goods, row 5 (paper and cardboard products)")),
}


def rows(text: str) -> list[tuple[str, str, str]]:
    """(code, group, k) of every line of the table, codes without spaces."""
    found = []
    for line in text.splitlines():
        if line.strip():
            _, code, group, k, _ = (cell.strip() for cell in line.split(" || "))
            found.append((code.replace(" ", ""), group, k))
    return found


def row_of(code: str, group: str) -> str:
    if code in EXCEPTIONS:
        return EXCEPTIONS[code][0]
    if group in PACKAGING_GROUPS:
        return PACKAGING_BY_HEADING[code[:4]]
    return GROUPS[group]


def build(text: str) -> dict:
    codes = {}
    for code, group, _ in rows(text):
        codes.setdefault(code, row_of(code, group))
    return {
        "description": "Customs codes (ТН ВЭД ЕАЭС) of the List of products under extended producer "
                       "obligations, each mapped to the row of Appendix 1 (a product key) that prices it. "
                       "A declared code takes the row of the longest code here that begins it.",
        "source": "evidence_operator_ref_tn_code_2022",
        "copy": "sources/operator_ref_tn_code_2022.txt",
        "built_by": "tools/build_customs_codes.py",
        "periods": {
            "2016-01-01": {
                "list": "order_695_2015",
                "confidence": "inferred",
                "note": "The codes of the 2015 List (Order 695) as the EPR operator's table ref_tn_code files "
                        "them (evidence_operator_ref_tn_code_2022): operator practice, the List's own code "
                        "table was not seen.",
            },
            "2023-01-16": {
                "list": "order_689_2022",
                "confidence": "inferred",
                "note": "From 16.01.2023 the new List (Order 689) applies; its customs codes were not found. "
                        "The codes of the 2015 List as the operator's table files them are kept "
                        "(evidence_operator_ref_tn_code_2022; inferred until the new List's codes are found).",
            },
        },
        "exceptions": {code: why for code, (_, why) in EXCEPTIONS.items()},
        "codes": codes,
    }


def main() -> int:
    TARGET.write_text(yaml.safe_dump(build(SOURCE.read_text(encoding="utf-8")), sort_keys=False,
                                     allow_unicode=True, width=100), encoding="utf-8")
    print(f"wrote {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
