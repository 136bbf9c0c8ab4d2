"""GET /version: what is answering: this package's version, openfisca-core's, the latest day
on which an act changes the model's law (``law.values.latest_legal_change``: not a day from which
a value no act sets yet is missing), and the commit when the package runs from a git checkout."""

from __future__ import annotations

import subprocess
from importlib.metadata import version as installed_version

from openfisca_kz_epr.law.values import change_days, latest_legal_change
from openfisca_kz_epr.resources import PACKAGE_DIR


def describe(system) -> dict:
    """Read once, when the app is made."""
    days = change_days(system.parameters)
    return {
        "package": "openfisca-kz-epr",
        "version": installed_version("openfisca-kz-epr"),
        "openfisca_core": installed_version("openfisca-core"),
        "latest_legal_change": latest_legal_change(system.parameters).isoformat(),
        "legal_periods": len(days),
        "commit": commit(),
    }


def commit() -> str | None:
    """The checked-out commit of the repository holding the package, or None (a wheel)."""
    root = PACKAGE_DIR.parent
    if not (root / ".git").exists():  # not a checkout: never report an enclosing repository's commit
        return None
    try:
        done = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], check=False, capture_output=True, text=True, timeout=5)
    except (OSError, subprocess.SubprocessError):
        return None
    return (done.stdout.strip() or None) if done.returncode == 0 else None


def get(api):
    return api.version
