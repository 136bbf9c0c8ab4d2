import sys
import tempfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))


@pytest.fixture(scope="session")
def tax_benefit_system():
    from openfisca_kz_epr import CountryTaxBenefitSystem

    return CountryTaxBenefitSystem()


pytest_plugins = ["exact_yaml"]  # tests/openfisca/*.yaml, every value compared exactly


@pytest.fixture
def system_temp(tmp_path, monkeypatch):
    """The system temp folder, for this test: a folder of its own, to be found empty."""
    folder = tmp_path / "system_temp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder
