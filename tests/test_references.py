"""References that resolve: every variable's ``reference`` and every parameter value's reference
is an http(s) address of the act or source (legislation_refs/ holds it), on both web servers
too; an act of legislation_refs/ without an address is one of the few named below."""

import re

import pytest
from web_server import kz_epr_server, openfisca_server

from openfisca_kz_epr.law.acts import acts

ADDRESS = re.compile(r"https?://[^\s/]+\.[^\s/]+/\S*\Z")
# no address found for these yet: the values that cite them show their id and title
WITHOUT_ADDRESS = {"budget_law_2015_2017", "budget_law_2021", "budget_law_2024", "budget_law_2026",
                   "evidence_recycling_fee_calculator_2026"}


def test_every_act_has_an_address_but_the_few_named():
    missing = {act_id for act_id, act in acts().items() if not act.get("url")}
    assert missing == WITHOUT_ADDRESS
    assert all(ADDRESS.match(act["url"]) for act in acts().values() if act.get("url"))


def test_every_variable_reference_is_an_address(tax_benefit_system):
    cited = 0
    for name, variable in tax_benefit_system.variables.items():
        for reference in variable.reference or []:
            assert ADDRESS.match(reference), (name, reference)
            cited += 1
    assert cited > 40


def test_every_parameter_value_reference_is_an_address_or_a_named_act(tax_benefit_system):
    entries = 0
    for parameter in tax_benefit_system.parameters.get_descendants():
        for day, entry in (parameter.metadata.get("reference") or {}).items():
            entries += 1
            assert entry["title"], (parameter.name, day)
            if entry.get("act_sets_value") is False:  # no act sets it yet (the MRP of 2027): the act missing, named
                assert entry["missing_act"] and "act" not in entry and "href" not in entry, (parameter.name, day)
                continue
            assert entry["act"] in acts(), (parameter.name, day)
            if entry["act"] in WITHOUT_ADDRESS and not entry.get("url"):
                assert "href" not in entry
            else:
                assert ADDRESS.match(entry["href"]), (parameter.name, day, entry)
    assert entries > 200


@pytest.mark.parametrize("start", [kz_epr_server, openfisca_server], ids=["kz-epr serve", "openfisca serve"])
def test_the_servers_give_addresses(start):
    from web_server import call

    with start() as url:
        for name in ("mass_tonnes", "goods_coefficient", "mrp", "epr_payment"):
            status, _, body = call("GET", f"{url}/variable/{name}")
            assert status == 200 and body["references"], name
            assert all(ADDRESS.match(reference) for reference in body["references"]), body["references"]
        status, _, body = call("GET", f"{url}/parameter/goods/appendix_1/tyres")
        references = body["metadata"]["reference"]
        assert all(ADDRESS.match(entry["href"]) for entry in references.values()), references
