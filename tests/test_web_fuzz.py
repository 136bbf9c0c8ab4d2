"""Fuzzing: schemathesis generates requests from the server's own OpenAPI /spec (valid and
invalid situations, parameter ids and dates, bulk bodies) and runs all its checks: none is
answered with a 5xx, every answer conforms to its schema in /spec (status, content type, body),
a request the schema refuses is refused (``schemathesis.toml`` says which answers a valid
request may get: the law refuses some, 400 naming why). Bounded in count and time;
KZ_EPR_FUZZ_EXAMPLES (per operation) and KZ_EPR_FUZZ_SECONDS make a longer run,
KZ_EPR_FUZZ_SEED another one."""

import os
import re
import subprocess
from pathlib import Path

from web_server import command, kz_epr_server

EXAMPLES = os.environ.get("KZ_EPR_FUZZ_EXAMPLES", "15")
SECONDS = os.environ.get("KZ_EPR_FUZZ_SECONDS", "60")  # every check: fewer cases a second than the 5xx check alone
SEED = os.environ.get("KZ_EPR_FUZZ_SEED", "20260517")
HERE = Path(__file__).resolve().parent
PHASES = os.environ.get("KZ_EPR_FUZZ_PHASES", "examples,coverage,fuzzing")


def test_every_check_passes_on_generated_requests(tmp_path):
    env = {**os.environ, "SCHEMATHESIS_HOOKS": "schemathesis_hooks", "PYTHONPATH": str(HERE)}
    with kz_epr_server(workers=2) as url:
        done = subprocess.run(
            [command("schemathesis"), "--config-file", str(HERE / "schemathesis.toml"), "run", f"{url}/spec", "--checks", "all",
             "--max-examples", EXAMPLES,
             "--max-time", SECONDS, "--phases", PHASES, "--seed", SEED, "--request-timeout", "30", "--no-color"],
            check=False, capture_output=True, text=True, cwd=tmp_path, env=env, timeout=int(SECONDS) + 120,
        )
    summary = done.stdout[-3000:]
    assert done.returncode == 0, summary
    generated = re.search(r"(\d+) generated, (\d+) passed", done.stdout)
    assert generated and generated.group(1) == generated.group(2) and int(generated.group(1)) > 100, summary
    print(summary)
