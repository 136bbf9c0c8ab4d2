"""The acts of ``legislation_refs/``: one YAML file per act, named by its id (the ``act`` that
parameter references point to)."""


from openfisca_kz_epr.resources import PARAMETERS_DIR, acts, read_yaml

__all__ = ["act", "acts", "urls", "urls_cited_in"]


def act(act_id: str) -> dict:
    """One act; a ``KeyError`` naming the id when ``legislation_refs/`` does not hold it."""
    try:
        return acts()[act_id]
    except KeyError:
        raise KeyError(f"legislation_refs/ holds no act {act_id!r}") from None


def urls(*act_ids: str) -> list[str]:
    """The address (``url``) of each act, for a variable's ``reference``: a ``KeyError`` naming an
    act ``legislation_refs/`` does not hold, a ``ValueError`` naming one without an address (cite
    it in the variable's ``documentation`` instead)."""
    found = []
    for act_id in act_ids:
        url = act(act_id).get("url")
        if not url:
            raise ValueError(f"legislation_refs/{act_id}.yaml has no url: cite it in the variable's documentation")
        found.append(url)
    return found


def urls_cited_in(parameter_file: str) -> list[str]:
    """The addresses of the acts the values of ``parameters/<parameter_file>`` cite, in the order of
    their days, once each; an act without an address is left out (the file names it by its id)."""
    with (PARAMETERS_DIR / parameter_file).open(encoding="utf-8") as file:
        references = read_yaml(file)["metadata"]["reference"]
    cited = dict.fromkeys(entry["act"] for _, entry in sorted(references.items(), key=lambda item: str(item[0]))
                          if entry.get("act"))  # a value no act sets yet (``act_sets_value: false``) cites none
    return [acts()[act_id]["url"] for act_id in cited if acts()[act_id].get("url")]
