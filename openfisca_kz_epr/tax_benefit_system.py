"""The country package's tax and benefit system: entities, ``variables/`` and ``parameters/``."""

from openfisca_core.taxbenefitsystems import TaxBenefitSystem

from openfisca_kz_epr import entities
from openfisca_kz_epr.resources import PARAMETERS_DIR, VARIABLES_DIR
from openfisca_kz_epr.situation_examples import importer_2021


class CountryTaxBenefitSystem(TaxBenefitSystem):
    """The law of the EPR payment: entities, variables/ and parameters/."""

    def __init__(self) -> None:
        super().__init__(entities.entities)
        self.add_variables_from_directory(str(VARIABLES_DIR))
        self.load_parameters(str(PARAMETERS_DIR))
        self.open_api_config = {
            "variable_example": "epr_payment",
            "parameter_example": "goods.appendix_1.tyres",
            "simulation_example": importer_2021,
        }
