"""The EPR operator portal's own report files (``operator_layouts.yaml``), recognised by their
header: which of their columns are the model's, in which unit, and where «—» means 0.

A ``Layout`` is read instead of the column names of ``column_names.yaml`` when a file's header
holds every name of the layout's header (``words.plain_words``: ignoring case, "ё"/"е" and spaces), or when the
user names it (``kz-epr audit --layout NAME``). The layouts are evidence of the operator's
practice (``evidence_operator_portal``), not legal texts.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import pyarrow.compute as pc

from openfisca_kz_epr.audit.words import plain_words
from openfisca_kz_epr.language import Message, MessageError
from openfisca_kz_epr.resources import read_yaml

LAYOUTS_FILE = Path(__file__).resolve().parent / "operator_layouts.yaml"
AUTOMATIC, GENERIC = "auto", "generic"
"""``--layout auto``: an operator layout when the header is one, else the column names;
``--layout generic``: the column names of ``column_names.yaml`` only."""


@dataclass(frozen=True)
class Layout:
    """One of the operator's files: its ``name`` (the key of ``operator_layouts.yaml``), its
    ``title`` on the portal, its ``header`` in order, the model column of each name read
    (``columns``), the model columns given in kilograms and those where «—» means 0, and the
    customs code written on a vehicle's line (``vehicle_code``, or None)."""

    name: str
    title: str
    header: tuple[str, ...]
    columns: dict[str, str]
    kilograms: tuple[str, ...]
    dash_is_zero: tuple[str, ...]
    vehicle_code: str | None = None

    def read(self, names: list[str]) -> dict[str, str]:
        """The model column of each of ``names`` (a file's header as written) the layout reads."""
        wanted = {plain_words(name): column for name, column in self.columns.items()}
        return {name: wanted[plain_words(name)] for name in names if plain_words(name) in wanted}

    def vehicles(self, columns: dict) -> None:
        """Read, in place, the lines whose customs code is ``vehicle_code`` as vehicles (product
        ``vehicle``, no customs code): the model then names what such a line does not give."""
        codes = columns.get("customs_code")
        if self.vehicle_code is None or codes is None:
            return
        vehicle = pc.equal(pc.utf8_trim_whitespace(pc.fill_null(codes, "")), self.vehicle_code)
        if not pc.any(vehicle).as_py():
            return
        columns["customs_code"] = pc.if_else(vehicle, "", codes)
        columns["product"] = pc.if_else(vehicle, "vehicle", columns.get("product", ""))


@functools.cache
def layouts() -> dict[str, Layout]:
    """Every layout of ``operator_layouts.yaml``, by name."""
    with LAYOUTS_FILE.open(encoding="utf-8") as file:
        table = read_yaml(file)
    return {name: Layout(name, entry["title"], tuple(entry["header"]), dict(entry["columns"]),
                         tuple(entry.get("kilograms", ())), tuple(entry.get("dash_is_zero", ())), entry.get("vehicle_code"))
            for name, entry in table.items()}


def choose(names: list[str], asked: str) -> Layout | None:
    """The layout to read a file whose header is ``names`` with: the one ``asked`` names, else
    (``auto``) the one whose whole header is in ``names``, else None (``generic``, or no layout's
    header). Raises ``MessageError`` naming the choices for an unknown name."""
    if asked == GENERIC:
        return None
    if asked != AUTOMATIC:
        if asked not in layouts():
            raise MessageError(Message("--layout {asked}: one of {choices}", asked=repr(asked), choices=", ".join(choices())))
        return layouts()[asked]
    given = {plain_words(name) for name in names}
    return next((layout for layout in layouts().values() if {plain_words(name) for name in layout.header} <= given), None)


def choices() -> tuple[str, ...]:
    return (AUTOMATIC, GENERIC, *layouts())
