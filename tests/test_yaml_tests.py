"""The OpenFisca YAML tests of tests/openfisca/ (law examples computed by hand), run by the
real `openfisca test` command. They compare in float32: exactness is proven in
test_exactness.py against decimal."""

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
