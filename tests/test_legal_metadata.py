"""Every parameter value cites its act (held in legislation_refs/) and says how sure we are."""

import datetime

import pytest

from openfisca_kz_epr.law.acts import acts
from openfisca_kz_epr.law.values import as_date, in_force, metadata_of

CONFIDENCE = {"confirmed", "inferred"}


def _leaves(node):
    """(series, its metadata, the node described) for every dated series: parameters and scale brackets."""
    if hasattr(node, "values_list"):
        yield node, metadata_of(node), node
    elif hasattr(node, "brackets"):
        for bracket in node.brackets:
            yield bracket.threshold, metadata_of(bracket.threshold, node.metadata), node
            yield bracket.amount, metadata_of(bracket.amount, node.metadata), node
    else:
        for child in node.children.values():
            yield from _leaves(child)


def _series(tax_benefit_system):
    return list(_leaves(tax_benefit_system.parameters))


def test_there_are_parameters_to_check(tax_benefit_system):
    assert len(_series(tax_benefit_system)) > 60


def test_every_value_has_a_reference_to_a_known_act_and_a_confidence(tax_benefit_system):
    known_acts = acts()
    missing = []
    for parameter, metadata, _ in _series(tax_benefit_system):
        for at_instant in parameter.values_list:
            day = as_date(at_instant.instant_str)
            reference = in_force(metadata.get("reference"), day)
            confidence = in_force(metadata.get("confidence"), day)
            where = f"{parameter.name} from {day}"
            if reference and reference.get("act_sets_value") is False:  # a null no act sets yet: the act it is missing from
                if at_instant.value is not None or not reference.get("missing_act") or not reference.get("item"):
                    missing.append(f"{where}: act_sets_value false needs a null value, missing_act and item")
            elif not reference or not reference.get("act") or not reference.get("item"):
                missing.append(f"{where}: no reference (act and item)")
            elif reference["act"] not in known_acts:
                missing.append(f"{where}: act {reference['act']!r} is not in legislation_refs/")
            if at_instant.value is None:  # unknown ('unknown'), or repealed ('confirmed'): the note says which
                if confidence not in {"unknown", "confirmed"} or not in_force(metadata.get("notes"), day):
                    missing.append(f"{where}: a null value needs confidence 'unknown' or 'confirmed' and a note")
            elif confidence not in CONFIDENCE:
                missing.append(f"{where}: confidence {confidence!r} is not one of {sorted(CONFIDENCE)}")
    assert not missing, "\n".join(missing)


def test_every_parameter_has_a_description_and_a_unit(tax_benefit_system):
    for _, metadata, node in _series(tax_benefit_system):
        assert node.description, node.name
        assert metadata.get("unit") or metadata.get("amount_unit"), node.name


def test_publication_dates_are_dates(tax_benefit_system):
    for _, metadata, node in _series(tax_benefit_system):
        for key, value in (metadata.get("official_journal_date") or {}).items():
            assert isinstance(as_date(value), datetime.date), (node.name, key)


@pytest.mark.parametrize("field", ["id", "kind", "number", "title_en", "signed", "in_force", "url", "confidence"])
def test_every_act_has_its_citation_fields(field):
    for act_id, act in acts().items():
        assert field in act, f"{act_id} lacks {field}"
        assert act["id"] == act_id
