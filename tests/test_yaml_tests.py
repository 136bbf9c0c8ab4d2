"""The OpenFisca YAML tests of tests/openfisca/ (law examples computed by hand) also run by the
real `openfisca test` command, as a user of the country package would run them. It compares in
float32; pytest runs the same files exactly (tests/exact_yaml.py)."""

import shutil
import subprocess
import sys
from pathlib import Path

YAML_DIR = Path(__file__).resolve().parent / "openfisca"


def test_openfisca_yaml_tests_pass():
    files = sorted(YAML_DIR.glob("*.yaml"))
    assert files, "no YAML test in tests/openfisca/"
    openfisca = shutil.which("openfisca", path=str(Path(sys.executable).parent)) or "openfisca"
    done = subprocess.run([openfisca, "test", "--country-package", "openfisca_kz_epr", *map(str, files)],
                          check=False, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-3000:]
