"""openfisca-kz-epr: Kazakhstan's extended producer responsibility (EPR) payment as rules as code.

``CountryTaxBenefitSystem`` is what every OpenFisca tool expects of a country package. It is
loaded on first use (``openfisca_kz_epr.tax_benefit_system``), so that importing the package's
command line costs nothing before it has installed its signal handlers. The files of
``variables/`` import as ``openfisca_kz_epr.variables.<file>`` (``resources.variables_package``).
"""

from openfisca_kz_epr.resources import variables_package

variables_package()


def __getattr__(name: str):
    if name == "CountryTaxBenefitSystem":
        from openfisca_kz_epr.tax_benefit_system import CountryTaxBenefitSystem

        return CountryTaxBenefitSystem
    raise AttributeError(f"module 'openfisca_kz_epr' has no attribute {name!r}")


__all__ = ["CountryTaxBenefitSystem"]
