"""The Method as OpenFisca variables, seen the way an OpenFisca user sees it: /trace lists the
parameters and the steps of a result, and a structural reform (``update_variable`` of one
formula) runs in the Python API, ``kz-epr simulate`` and ``openfisca serve --reforms``, its
results saying ``reform``. Figures by hand from the acts of legislation_refs/: MRP 2 917 (2021),
tyres k = 14.15 (order_122_2019), M1 "1000-2000 cm3" coefficient 7, base rate 50 MRP."""

import csv
import json
import urllib.request

import pytest
from openfisca_core.simulation_builder import SimulationBuilder
from web_server import call, kz_epr_server, openfisca_server

from openfisca_kz_epr.cli import main
from openfisca_kz_epr.reforms import apply_reform

SMALL = "openfisca_kz_epr.reforms.small_consignments.small_consignments"
DAY = "2021-03-01"
REFORM_DAY = "2021-07-01"


@pytest.fixture(scope="module")
def server():
    with kz_epr_server() as url:
        yield url


def test_trace_lists_the_parameters_and_steps_of_a_goods_line(server):
    situation = {"product_lines": {"l": {"product": {DAY: "tyres"}, "mass_tonnes": {DAY: 2.5}, "epr_payment": {DAY: None}}}}
    status, _, body = call("POST", f"{server}/trace", situation)
    assert status == 200
    trace = body["trace"]
    assert trace[f"goods_coefficient<{DAY}>"]["parameters"] == {f"goods.appendix_1<{DAY}>": [14.15]}
    assert trace[f"mrp<{DAY}>"]["parameters"] == {f"general.mrp<{DAY}>": 2917}
    assert trace[f"goods_rate_per_tonne<{DAY}>"]["value"] == [41275.55]  # 2917 × 14.15
    assert trace[f"goods_payment_tiyn<{DAY}>"]["value"] == [10318888]  # 2.5 × 41 275.55 = 103 188.875 → half up
    assert trace[f"epr_payment<{DAY}>"]["value"] == [103188.88]


def test_trace_lists_the_band_and_coefficient_of_a_vehicle(server):
    situation = {"product_lines": {"car": {"product": {DAY: "vehicle"}, "vehicle_category": {DAY: "m1"},
                                           "engine_displacement_cm3": {DAY: 1598}, "epr_payment_tiyn": {DAY: None}}}}
    status, _, body = call("POST", f"{server}/trace", situation)
    assert status == 200
    trace = body["trace"]
    assert trace[f"vehicle_band<{DAY}>"]["value"] == [1]  # 1 000 < 1 598 ≤ 2 000
    assert trace[f"vehicle_coefficient<{DAY}>"]["value"] == [7]
    assert f"vehicles.coefficients.m1<{DAY}>" in trace[f"vehicle_coefficient<{DAY}>"]["parameters"]
    assert trace[f"vehicle_base_rate<{DAY}>"]["parameters"] == {f"vehicles.base_rate<{DAY}>": 50}
    assert trace[f"epr_payment_tiyn<{DAY}>"]["value"] == [50 * 2917 * 7 * 100]


def _python_api(system, mass: float) -> dict:
    simulation = SimulationBuilder().build_from_entities(system, {
        "product_lines": {"l": {"product": {REFORM_DAY: "tyres"}, "mass_tonnes": {REFORM_DAY: mass}}}})
    return {name: simulation.calculate(name, REFORM_DAY)[0]
            for name in ("epr_payment_tiyn", "epr_confidence", "epr_legal_basis", "goods_payment_tiyn")}


def test_a_structural_reform_replaces_one_formula_in_the_python_api(tax_benefit_system):
    reformed = apply_reform(tax_benefit_system, SMALL)
    assert reformed.variables["goods_payment_tiyn"] is not tax_benefit_system.variables["goods_payment_tiyn"]
    small, large = _python_api(reformed, 0.05), _python_api(reformed, 0.2)
    assert small["epr_payment_tiyn"] == 0  # below the 0.1 t threshold of the reform
    assert large["epr_payment_tiyn"] == 825511  # 0.2 × 2917 × 14.15 = 8 255.11
    assert small["epr_confidence"] == large["epr_confidence"] == "reform"
    assert "reform:small_consignments" in small["epr_legal_basis"].split(";")
    law = _python_api(tax_benefit_system, 0.05)
    assert law["epr_payment_tiyn"] == 206378  # 0.05 × 41 275.55 = 2 063.7775 → 2 063.78
    assert law["epr_confidence"] == "confirmed" and "reform" not in law["epr_legal_basis"]


def test_a_structural_reform_through_openfisca_serve():
    body = {"product_lines": {
        "small": {"product": {REFORM_DAY: "tyres"}, "mass_tonnes": {REFORM_DAY: 0.05},
                  "epr_payment": {REFORM_DAY: None}, "epr_confidence": {REFORM_DAY: None}},
        "large": {"product": {REFORM_DAY: "tyres"}, "mass_tonnes": {REFORM_DAY: 0.2}, "epr_payment": {REFORM_DAY: None}},
    }}
    with openfisca_server("--reforms", SMALL) as url:
        request = urllib.request.Request(f"{url}/calculate", data=json.dumps(body).encode(),
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=60) as response:
            lines = json.loads(response.read())["product_lines"]
    assert lines["small"]["epr_payment"][REFORM_DAY] == 0
    assert lines["small"]["epr_confidence"][REFORM_DAY] == "reform"
    assert lines["large"]["epr_payment"][REFORM_DAY] == 8255.11


def test_a_structural_reform_through_kz_epr_simulate(tmp_path):
    data = tmp_path / "plan.csv"
    data.write_text("date,product,mass_tonnes\n2021-07-01,tyres,0.05\n2021-07-01,tyres,0.2\n", encoding="utf-8")
    out = tmp_path / "result.csv"
    assert main(["simulate", "--reform", SMALL, "--data", str(data), "--date", REFORM_DAY, "-o", str(out)]) == 0
    with out.open(encoding="utf-8") as file:
        total = next(row for row in csv.DictReader(file) if row["product"] == "total")
    # law: 2 063.78 + 8 255.11 = 10 318.89; reform: 0 + 8 255.11
    assert (total["baseline_kzt"], total["reform_kzt"], total["difference_kzt"]) == ("10318.89", "8255.11", "-2063.78")


@pytest.mark.parametrize(("day", "line", "rate"), [
    ("2021-03-01", {"product": "vehicle", "vehicle_category": "m1", "engine_displacement_cm3": 1598}, 50 * 2917 * 7),
    ("2021-07-01", {"product": "vehicle", "vehicle_category": "m1", "engine_displacement_cm3": 1598}, 50 * 2917 * 7),
    ("2021-07-01", {"product": "cable_products", "invoice_value": 100}, 0.05),  # item 5-1 (order_110_2021)
    ("2021-03-01", {"product": "tyres", "mass_tonnes": 1}, 41275.55),  # 2917 × 14.15
])
def test_the_rate_in_force_is_the_line_s_own_item(tax_benefit_system, day, line, rate):
    """A car's rate is per vehicle (chapter 2), even on days cable products have a rate."""
    simulation = SimulationBuilder().build_from_entities(tax_benefit_system, {
        "product_lines": {"l": {name: {day: value} for name, value in line.items()}}})
    assert simulation.calculate("epr_rate", day).tolist() == [rate]
