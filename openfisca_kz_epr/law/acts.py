"""The acts of ``legislation_refs/``: one YAML file per act, named by its id (the ``act`` that
parameter references point to)."""

from functools import cache

import yaml

from openfisca_kz_epr.resources import LEGISLATION_REFS_DIR


@cache
def acts() -> dict[str, dict]:
    """Every act by id."""
    found = {}
    for path in sorted(LEGISLATION_REFS_DIR.glob("*.yaml")):
        with path.open(encoding="utf-8") as file:
            found[path.stem] = yaml.safe_load(file)
    return found


def act(act_id: str) -> dict:
    """One act; a ``KeyError`` naming the id when ``legislation_refs/`` does not hold it."""
    try:
        return acts()[act_id]
    except KeyError:
        raise KeyError(f"legislation_refs/ holds no act {act_id!r}") from None
