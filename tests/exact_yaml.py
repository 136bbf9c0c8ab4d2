"""A pytest plugin that runs OpenFisca's YAML tests (``tests/openfisca/*.yaml``) comparing every
value exactly.

``openfisca test`` compares in float32 with a margin: a test expecting ``epr_payment_tiyn:
102095001`` for a car whose payment is 102 095 000 tiyn passes there. Here each test is built
and computed as ``openfisca test`` does (its ``YamlItem``), and each output is compared without
margin: an integer as an integer, an amount in tenge as the decimal its float64 stands for
(its shortest repr) against the decimal written in the file, a text or enum by its name.

Loaded by ``tests/conftest.py``; run alone with ``pytest -p exact_yaml`` (``tests/`` on the path).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import numpy
import yaml
from openfisca_core.indexed_enums import Enum
from openfisca_core.tools import test_runner

_SYSTEM = []


def _system():
    if not _SYSTEM:
        from openfisca_kz_epr import CountryTaxBenefitSystem

        _SYSTEM.append(CountryTaxBenefitSystem())
    return _SYSTEM[0]


def pytest_collect_file(parent, file_path: Path):
    if file_path.suffix == ".yaml" and file_path.parent.name == "openfisca":
        return ExactYamlFile.from_parent(parent, path=file_path, tax_benefit_system=_system(), options={})
    return None


class ExactYamlFile(test_runner.YamlFile):
    def collect(self):
        with open(self.path, encoding="utf-8") as file:
            tests = yaml.safe_load(file)
        for test in tests if isinstance(tests, list) else [tests]:
            yield ExactYamlItem.from_parent(self, name=test.get("name", ""), baseline_tax_benefit_system=self.tax_benefit_system,
                                            test=test, options=self.options)


class ExactYamlItem(test_runner.YamlItem):
    """OpenFisca's YAML test item, each value compared exactly."""

    def check_variable(self, variable_name, expected_value, period, entity_index=None):
        if isinstance(expected_value, dict):
            for requested_period, expected in expected_value.items():
                self.check_variable(variable_name, expected, requested_period, entity_index)
            return
        variable = self.tax_benefit_system.get_variable(variable_name)
        actual = self.simulation.calculate(variable_name, period)
        if variable.value_type is Enum:
            actual = actual.decode_to_str()
        actual = numpy.asarray(actual)
        if entity_index is not None:
            actual = actual[entity_index:entity_index + 1]
        expected = expected_value if isinstance(expected_value, list) else [expected_value] * len(actual)
        assert len(expected) == len(actual), f"{variable_name}@{period}: {len(actual)} values, {len(expected)} expected"
        for got, wanted in zip(actual.tolist(), expected):
            assert exact(variable, got) == exact(variable, wanted), (
                f"{variable_name}@{period}: {exact(variable, got)} computed, {exact(variable, wanted)} expected (compared exactly)")


def exact(variable, value):
    """A value as what it stands for exactly: a Decimal for a number (a float by its shortest
    repr, which is the amount for this model's float64 amounts), else the value itself."""
    if variable.value_type in (int, float) and not isinstance(value, bool):
        return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    return value
