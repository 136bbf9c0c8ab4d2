"""A benchmark's measure run against another checkout of this repository (``--baseline``): in a
process of its own, with that checkout's package first on its path and the benchmarks folder
second, so that each checkout is measured by the same benchmark code."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parent


def run_in(checkout: Path, module: str, call: str):
    """The JSON value ``call`` (Python text, e.g. ``measure(1000, 'one', 2)``, a function of the
    benchmark ``module``) returns, computed in a process of its own in ``checkout``; exits naming
    the checkout and the end of its error if that process fails."""
    code = (f"import sys, json; sys.path.insert(0, {str(checkout)!r}); sys.path.insert(1, {str(BENCHMARKS)!r}); "
            f"from {module} import {call.partition('(')[0]}; print(json.dumps({call}))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=checkout, check=False)
    if done.returncode:
        raise SystemExit(f"{checkout}: {done.stderr[-2000:]}")
    return json.loads(done.stdout.splitlines()[-1])
