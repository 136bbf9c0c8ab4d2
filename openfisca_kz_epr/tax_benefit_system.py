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
from openfisca_kz_epr.resources import PARAMETERS_DIR, VARIABLES_DIR, VARIABLES_PACKAGE
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
        self.open_api_config = {
            "variable_example": "epr_payment",
            "parameter_example": "goods.appendix_1.tyres",
            "simulation_example": importer_2021,
        }
