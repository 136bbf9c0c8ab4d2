"""Example situations (they feed the web API's /spec)."""

import json
from pathlib import Path

_DIR = Path(__file__).resolve().parent


def load(name: str) -> dict:
    return json.loads((_DIR / f"{name}.json").read_text(encoding="utf-8"))


importer_2021 = load("importer_2021")
