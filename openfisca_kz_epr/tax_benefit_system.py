"""The country package's tax and benefit system: entities, ``variables/`` and ``parameters/``.

The Method's variables are loaded as the modules ``openfisca_kz_epr.variables.<file>``
(``resources.variables_package``), not as OpenFisca's ``add_variables_from_directory`` loads
them (under a name made of the system's id and a hash, known to the building process only): a
system, a reform of it or a simulation pickles by reference to importable classes, so a worker
process (Dask, Spark, ``multiprocessing``) unpickles it and prices the same lines.
"""

import importlib

from openfisca_core.taxbenefitsystems import TaxBenefitSystem
from openfisca_core.variables import Variable

from openfisca_kz_epr import entities
from openfisca_kz_epr.resources import PARAMETERS_DIR, VARIABLES_DIR, VARIABLES_PACKAGE, acts
from openfisca_kz_epr.situation_examples import importer_2021


def method_variables() -> list[type[Variable]]:
    """The variable classes of every file of ``variables/``, file by file in name order, each
    class defined in its file (not one it imports)."""
    found = []
    for path in sorted(VARIABLES_DIR.glob("*.py")):
        module = importlib.import_module(f"{VARIABLES_PACKAGE}.{path.stem}")
        found += [value for value in vars(module).values()
                  if isinstance(value, type) and issubclass(value, Variable) and value.__module__ == module.__name__]
    return found


class CountryTaxBenefitSystem(TaxBenefitSystem):
    """The law of the EPR payment: entities, variables/ and parameters/."""

    def __init__(self) -> None:
        super().__init__(entities.entities)
        self.add_variables(*method_variables())
        self.load_parameters(str(PARAMETERS_DIR))
        link_references(self.parameters)
        self.open_api_config = {
            "variable_example": "epr_payment",
            "parameter_example": "goods.appendix_1.tyres",
            "simulation_example": importer_2021,
        }


LINK_FIELDS = ("title", "href")
"""The fields ``link_references`` adds to a reference (what the parameter files write is the rest)."""


def link_references(parameters) -> None:
    """Give each value's reference (``metadata.reference.<day>``: the ``act``, an id of
    ``legislation_refs/``, and its ``item``) the act's ``title`` and address (``href``), the fields
    OpenFisca's clients (its legislation explorer) show and link; a ``url`` written in the entry
    comes first. An act without an address gets no ``href``: its id and title say what it is."""
    known = acts()
    for parameter in parameters.get_descendants():
        for entry in (parameter.metadata.get("reference") or {}).values():
            act = known.get(entry.get("act")) or {}
            missing = f"missing: {entry['missing_act']}" if entry.get("missing_act") else None  # no act sets the value yet
            entry["title"] = ", ".join(str(part) for part in (act.get("title_en") or entry.get("act") or missing, entry.get("item")) if part)
            href = entry.get("url") or act.get("url")
            if href:
                entry["href"] = href
