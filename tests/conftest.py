import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))


@pytest.fixture(scope="session")
def tax_benefit_system():
    from openfisca_kz_epr import CountryTaxBenefitSystem

    return CountryTaxBenefitSystem()


pytest_plugins = ["exact_yaml"]  # tests/openfisca/*.yaml, every value compared exactly
