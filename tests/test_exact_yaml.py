"""The YAML tests are compared exactly (tests/exact_yaml.py): one tiyn too many fails, which
``openfisca test`` (float32, a margin) lets pass."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
CAR = """- name: "M1 1 598 cm3 on 2021-03-01: 50 * 2917 * 7 = 1 020 950.00"
  period: 2021-03-01
  absolute_error_margin: 0.005
  input:
    product_lines:
      car: {{product: vehicle, vehicle_category: m1, engine_displacement_cm3: 1598}}
  output:
    {variable}: [{value}]
"""


def run_exact(tmp_path, variable: str, value: str) -> subprocess.CompletedProcess:
    folder = tmp_path / "openfisca"
    folder.mkdir(exist_ok=True)
    (folder / "car.yaml").write_text(CAR.format(variable=variable, value=value))
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "exact_yaml", "-p", "no:cacheprovider", str(folder / "car.yaml")],
                          check=False, capture_output=True, text=True, cwd=tmp_path,
                          env={**os.environ, "PYTHONPATH": str(TESTS)})


@pytest.mark.parametrize(("variable", "value", "passes"), [
    ("epr_payment_tiyn", "102095000", True),
    ("epr_payment_tiyn", "102095001", False),  # one tiyn too many: openfisca test passes it
    ("epr_payment", "1020950.00", True),
    ("epr_payment", "1020950.01", False),
])
def test_one_tiyn_off_fails(tmp_path, variable, value, passes):
    done = run_exact(tmp_path, variable, value)
    assert (done.returncode == 0) is passes, done.stdout[-2000:]
    if not passes:
        assert "compared exactly" in done.stdout
