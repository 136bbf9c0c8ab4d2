"""`kz-epr serve` speaks OpenFisca's web API (same endpoints, same JSON) with exact amounts,
serves each parameter as of a day with its act from legislation_refs/, and says what it is
(/version). A real server on a free port of 127.0.0.1, spoken to over HTTP."""

import concurrent.futures
import datetime
import subprocess
import time
from decimal import Decimal
from importlib.metadata import version
from pathlib import Path

import pytest
import yaml
from web_server import call, command, free_port, kz_epr_server

ROOT = Path(__file__).resolve().parent.parent
DAY = "2021-03-01"


@pytest.fixture(scope="module")
def server():
    with kz_epr_server() as url:
        yield url


def payment(server, day, **inputs) -> Decimal:
    status, _, body = call("POST", f"{server}/calculate", {"product_lines": {"l": {
        **{name: {day: value} for name, value in inputs.items()}, "epr_payment": {day: None}}}})
    assert status == 200, body
    return Decimal(repr(body["product_lines"]["l"]["epr_payment"][day]))


def test_calculate_answers_openfisca_json_exactly(server):
    situation = {
        "product_lines": {
            "tyres": {"product": {DAY: "tyres"}, "mass_tonnes": {DAY: 2.5}, "epr_payment": {DAY: None}, "epr_payment_tiyn": {DAY: None}},
            "accumulators": {"product": {DAY: "electric_accumulators"}, "mass_tonnes": {DAY: 300000}, "epr_payment": {DAY: None}},
            "car": {"product": {DAY: "vehicle"}, "vehicle_category": {DAY: "m1"}, "engine_displacement_cm3": {DAY: 1598},
                    "epr_payment": {DAY: None}, "epr_legal_basis": {DAY: None}, "epr_confidence": {DAY: None}},
            "unasked": {"product": {DAY: "oils"}, "mass_tonnes": {DAY: 1}},
        },
        "producers": {"importer": {"lines": ["tyres", "accumulators", "car"], "producer_epr_payment": {DAY: None}, "producer_epr_payment_tiyn": {DAY: None}},
                      "other": {"lines": ["unasked"]}},
    }
    status, headers, body = call("POST", f"{server}/calculate", situation)
    assert status == 200, body
    assert headers["Country-Package"] == "openfisca-kz-epr"
    lines = body["product_lines"]
    assert lines["tyres"]["epr_payment"][DAY] == 103188.88  # 2.5 × 2 917 × 14.15 = 103 188.875 → half up
    assert lines["tyres"]["epr_payment_tiyn"][DAY] == 10318888
    assert lines["tyres"]["mass_tonnes"][DAY] == 2.5  # the inputs come back as given
    assert lines["accumulators"]["epr_payment"][DAY] == 300000 * 2917 * 56.25  # 49 224 375 000.00: beyond float32
    assert lines["car"]["epr_payment"][DAY] == 50 * 2917 * 7  # M1 1 001-2 000 cm³: coefficient 7 until 13.05.2022
    assert lines["car"]["epr_legal_basis"][DAY] == "budget_law_2021;order_122_2019;order_762_2015"
    assert lines["car"]["epr_confidence"][DAY] == "inferred"
    assert lines["unasked"] == {"product": {DAY: "oils"}, "mass_tonnes": {DAY: 1}}
    total = Decimal("103188.88") + Decimal(300000 * 2917) * Decimal("56.25") + 50 * 2917 * 7
    producer = body["producers"]["importer"]
    assert Decimal(repr(producer["producer_epr_payment"][DAY])) == total
    assert producer["producer_epr_payment_tiyn"][DAY] == int(total * 100)


def test_calculate_places_each_line_in_its_producer(server):
    """Lines declared out of order, a producer without lines; a line in no producer is refused."""
    count = 300
    lines = {f"l{i}": {"product": {DAY: "tyres"}, "mass_tonnes": {DAY: i}, "epr_payment_tiyn": {DAY: None}} for i in range(1, count + 1)}
    odd = [f"l{i}" for i in range(count - 1, 0, -2)]  # 299, 297, ..., 1
    even = [f"l{i}" for i in range(2, count + 1, 2)]  # 2, 4, ..., 300
    status, _, body = call("POST", f"{server}/calculate", {"product_lines": lines, "producers": {
        "empty": {"lines": [], "producer_epr_payment_tiyn": {DAY: None}},
        "odd": {"lines": odd, "producer_epr_payment_tiyn": {DAY: None}},
        "even": {"lines": even, "producer_epr_payment_tiyn": {DAY: None}},
    }})
    assert status == 200, body
    per_tonne = 2917 * 1415  # tiyn per tonne: 2 917 × 14.15 KZT, exact
    assert body["product_lines"]["l7"]["epr_payment_tiyn"][DAY] == 7 * per_tonne
    assert body["producers"]["odd"]["producer_epr_payment_tiyn"][DAY] == sum(range(1, count, 2)) * per_tonne
    assert body["producers"]["even"]["producer_epr_payment_tiyn"][DAY] == sum(range(2, count + 1, 2)) * per_tonne
    assert body["producers"]["empty"]["producer_epr_payment_tiyn"][DAY] == 0


def test_a_line_in_no_producer_is_refused_not_summed_under_a_colliding_id(server):
    """Lines a (1 t) and p (2 t), producers {p: [a]}: OpenFisca would make p a producer of its own
    named p and sum both under p (123 826.65 instead of 41 275.55 = 1 × 2 917 × 14.15)."""
    status, _, body = call("POST", f"{server}/calculate", {
        "product_lines": {"a": {"product": {DAY: "tyres"}, "mass_tonnes": {DAY: 1}},
                          "p": {"product": {DAY: "tyres"}, "mass_tonnes": {DAY: 2}}},
        "producers": {"p": {"lines": ["a"], "producer_epr_payment": {DAY: None}}},
    })
    assert status == 400 and body == {"producers": "product_lines 'p' are in no producer: list each in one producer's lines, "
                                                   "or declare no producers at all"}


@pytest.mark.parametrize(("day", "expected"), [
    ("2020-01-16", Decimal(37 * 1000)),  # the operator's rate: 37 KZT per kg
    ("2020-01-17", Decimal("2651") * Decimal("14.15")),  # Order 122: m × MRP × k = 37 511.65
    ("2020-03-31", Decimal("2651") * Decimal("14.15")),
    ("2020-04-01", Decimal("2778") * Decimal("14.15")),  # MRP of Decree 299: 39 308.70
])
def test_a_tonne_of_tyres_on_both_sides_of_the_changes(server, day, expected):
    assert payment(server, day, product="tyres", mass_tonnes=1) == expected


def parameter(server, name, day):
    status, _, body = call("GET", f"{server}/parameter/{name}?date={day}")
    assert status == 200, body
    assert body["id"] == name and body["date"] == day
    return body


def test_goods_coefficient_as_of_a_day(server):
    status, _, _body = call("GET", f"{server}/parameter/goods.appendix_1.tyres?date=2020-01-16")
    assert status == 400  # Appendix 1 starts with Order 122
    tyres = parameter(server, "goods.appendix_1.tyres", "2020-01-17")
    assert (tyres["value"], tyres["since"], tyres["confidence"]) == (14.15, "2020-01-17", "confirmed")
    assert tyres["reference"]["act"] == "order_122_2019" and tyres["reference"]["item"] == "Appendix 1, row 1"
    assert parameter(server, "goods.appendix_1.tyres", "2020-04-01")["value"] == 14.15


def test_operator_rate_until_the_day_before_order_122(server):
    before = parameter(server, "goods.operator_rates.tyres", "2020-01-16")
    assert before["value"] == 37000  # 37 KZT per kg, from 28.01.2016
    after = parameter(server, "goods.operator_rates.tyres", "2020-01-17")
    assert after["value"] is None  # repealed: null, with the act that deleted it
    assert after["reference"]["act"] == "order_122_2019" and "Order No. 122" in after["note"]


def test_mrp_on_both_sides_of_its_revision(server):
    march = parameter(server, "general.mrp", "2020-03-31")
    april = parameter(server, "general.mrp", "2020-04-01")
    assert (march["value"], march["reference"]["act"]) == (2651, "budget_law_276_vi")
    assert (april["value"], april["since"], april["reference"]["act"]) == (2778, "2020-04-01", "decree_299_2020")


def test_a_scale_gives_its_bands_as_of_a_day(server):
    before = parameter(server, "vehicles.coefficients.m1", "2022-05-13")
    after = parameter(server, "vehicles.coefficients.m1", "2022-05-14")
    assert before["band_by"] == "engine_displacement_cm3"
    assert [(band["above"], band["value"]) for band in before["bands"]] == [(0, 3), (1000, 7), (2000, 10), (3000, 23)]
    assert [(band["above"], band["value"]) for band in after["bands"]] == [(0, 1.5), (1000, 3.5), (2000, 5), (3000, 11.5)]


def in_force(keyed: dict, day: datetime.date):
    """The entry of a date-keyed YAML mapping in force on ``day``."""
    return keyed[max(key for key in keyed if key <= day)]


@pytest.mark.parametrize(("name", "file", "day"), [
    ("goods.appendix_1.tyres", "goods/appendix_1/tyres.yaml", "2021-03-01"),
    ("general.mrp", "general/mrp.yaml", "2020-04-01"),
    ("cable.rate", "cable/rate.yaml", "2021-07-01"),
    ("vehicles.coefficients.m1", "vehicles/coefficients/m1.yaml", "2019-06-01"),
    ("vehicles.coefficients.m1", "vehicles/coefficients/m1.yaml", "2022-05-14"),
])
def test_the_act_of_a_value_comes_from_legislation_refs(server, name, file, day):
    """The act named by the parameter's metadata that day, with its URL, number, title and
    publication date as legislation_refs/<act>.yaml gives them."""
    metadata = yaml.safe_load((ROOT / "parameters" / file).read_text(encoding="utf-8"))["metadata"]
    cited = in_force(metadata["reference"], datetime.date.fromisoformat(day))
    act = yaml.safe_load((ROOT / "legislation_refs" / f"{cited['act']}.yaml").read_text(encoding="utf-8"))
    body = parameter(server, name, day)
    values = body.get("bands", [body])
    for value in values:
        reference = value["reference"]
        assert reference["act"] == cited["act"] and reference["item"] == cited["item"]
        assert reference["url"] == (cited.get("url") or act["url"])
        assert (reference["title"], reference["number"]) == (act["title_en"], act["number"])
        assert reference["signed"] == (act["signed"] and str(act["signed"]))
        journal = metadata.get("official_journal_date") or {}
        published = in_force(journal, datetime.date.fromisoformat(day)) if any(k <= datetime.date.fromisoformat(day) for k in journal) else act["published"]
        assert reference["published"] == (published and str(published))


def test_the_act_url_and_publication_of_order_762(server):
    """A value whose reference has no URL of its own takes its act's: Order 762's."""
    reference = parameter(server, "vehicles.coefficients.m1", "2019-06-01")["bands"][0]["reference"]
    act = yaml.safe_load((ROOT / "legislation_refs" / "order_762_2015.yaml").read_text(encoding="utf-8"))
    assert reference["act"] == "order_762_2015"
    assert reference["url"] == act["url"] and reference["url"].startswith("https://")
    assert reference["published"] == "2016-01-19" == str(act["published"])


def test_a_parameter_without_a_date_keeps_openfisca_json_and_adds_its_sources(server):
    status, _, body = call("GET", f"{server}/parameter/general.mrp")
    assert status == 200
    assert body["values"]["2020-04-01"] == 2778  # OpenFisca's answer, unchanged
    assert body["legal"]["2020-04-01"]["reference"]["act"] == "decree_299_2020"
    assert body["legal"]["2020-01-01"]["value"] == 2651
    status, _, node = call("GET", f"{server}/parameter/goods.appendix_1?date=2021-03-01")
    assert node["children"]["tyres"]["value"] == 14.15
    status, _, legacy = call("GET", f"{server}/parameter/general/mrp?date=2021-03-01")
    assert legacy["value"] == 2917


def test_version(server):
    status, _, body = call("GET", f"{server}/version")
    assert status == 200
    assert body["package"] == "openfisca-kz-epr"
    assert body["version"] == version("openfisca-kz-epr")
    assert body["openfisca_core"] == version("openfisca-core")
    # Order No. 54 of 20.03.2026 (coefficient 2 for vehicles from Russia or Belarus) applies from 07.05.2026: the
    # latest change an act makes; the MRP of 2027 (01.01.2027) is missing, no published act sets it yet
    assert body["latest_legal_change"] == "2026-05-07"
    if (ROOT / ".git").exists():
        head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "HEAD"], check=False, capture_output=True, text=True).stdout.strip()
        assert body["commit"] == head


def test_spec_describes_the_added_endpoints(server):
    status, _, spec = call("GET", f"{server}/spec")
    assert status == 200
    assert {"/calculate", "/trace", "/parameter/{parameterID}", "/version", "/bulk"} <= set(spec["paths"])
    query = [p for p in spec["paths"]["/parameter/{parameterID}"]["get"]["parameters"] if p["name"] == "date"]
    assert query and query[0]["in"] == "query"
    assert spec["servers"] == [{"url": server}]


def test_trace_is_openfiscas_once_the_situation_is_checked(server):
    situation = {"product_lines": {"l": {"product": {DAY: "tyres"}, "mass_tonnes": {DAY: 1}, "epr_payment": {DAY: None}}}}
    status, _, body = call("POST", f"{server}/trace", situation)
    assert status == 200
    assert body["requestedCalculations"] == [f"epr_payment<{DAY}>"]
    status, _, body = call("POST", f"{server}/trace", {"product_lines": {"l": {"epr_payment": {"2021-03": None}}}})
    assert status == 400


@pytest.mark.parametrize("arguments", [["--port", "70000"], ["--port", "x"], ["--workers", "0"], ["--threads", "0"]])
def test_bad_arguments_exit_2(arguments):
    done = subprocess.run([command("kz-epr"), "serve", *arguments], check=False, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert done.stderr.startswith(f"kz-epr serve: argument {arguments[0]}: ") and done.stderr.count("\n") == 1
    assert done.stderr.endswith("; see kz-epr serve --help\n")  # one line, naming the argument


@pytest.mark.parametrize(("workers", "threads", "options"), [
    (1, 2, ("--worker-class", "gthread")),  # one worker, two threads
    (2, 1, ()),  # the default gevent worker: a long request holds its worker, the other answers
], ids=["gthread-2-threads", "gevent-2-workers"])
def test_a_short_request_is_answered_while_a_long_bulk_runs(workers, threads, options):
    """/version is answered while a /bulk of 300 000 lines runs."""
    body = "date,product,mass_tonnes\n" + "2021-03-01,tyres,2.5\n" * 300_000
    with kz_epr_server(workers, threads, *options) as url:
        bulk = concurrent.futures.ThreadPoolExecutor(1).submit(call, "POST", f"{url}/bulk", body, "text/csv")
        time.sleep(0.3)  # the bulk begun
        status, _, _ = call("GET", f"{url}/version")
        assert status == 200
        assert not bulk.done(), "the bulk ended first: make it longer"  # /version did not wait for it (how fast: benchmarks/web_load.py)
        assert bulk.result()[0] == 200


def test_a_port_in_use_is_said_at_once():
    import socket

    port = free_port()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", port))
        taken.listen()
        done = subprocess.run([command("kz-epr"), "serve", "--port", str(port)], check=False, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert f"cannot listen on 127.0.0.1:{port}" in done.stderr
