"""The built wheel carries parameters/, variables/ and legislation_refs/: installed in a fresh
virtual environment outside the checkout, it computes a fee."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

SCRIPT = """
import openfisca_kz_epr, sys
from pathlib import Path
from openfisca_core.simulations import SimulationBuilder
assert "site-packages" in openfisca_kz_epr.__file__, openfisca_kz_epr.__file__
system = openfisca_kz_epr.CountryTaxBenefitSystem()
simulation = SimulationBuilder().build_from_entities(system, {"product_lines": {"l": {
    "product": {"2021-03-01": "tyres"}, "mass_tonnes": {"2021-03-01": 2}}}})
print(repr(float(simulation.calculate("epr_payment", "2021-03-01")[0])))
from openfisca_kz_epr.law.acts import act
print(act("order_122_2019")["in_force"])
"""


def test_wheel_installs_and_computes_outside_the_checkout(tmp_path):
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--outdir", str(tmp_path / "dist"), str(ROOT)],
                   check=True, capture_output=True)
    wheel = next((tmp_path / "dist").glob("openfisca_kz_epr-*.whl"))
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", str(wheel)], check=True, capture_output=True)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    done = subprocess.run([str(python), "-c", SCRIPT], cwd=tmp_path, env=env, check=True, capture_output=True, text=True)
    payment, in_force = done.stdout.split()
    assert payment == "82551.1"  # 2 * 2917 * 14.15 = 2 * 41 275.55 = 82 551.10 (MRP 2021, Appendix 1 row 1)
    assert in_force == "2020-01-17"
