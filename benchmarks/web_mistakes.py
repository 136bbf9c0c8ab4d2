"""User mistakes sent to plain ``openfisca serve`` and to ``kz-epr serve`` of the same package,
in the same run, on loopback only: the status each answers, and whether plain OpenFisca
computed something it should have refused. Both servers are stopped at the end.

    .venv/bin/python benchmarks/web_mistakes.py
"""

from __future__ import annotations

import http.client
import json
import shutil
import sys
from contextlib import ExitStack

from web_load import BIN, HOST, free_port, server

DAY = "2021-03-01"


def line(**variables) -> dict:
    return {"product_lines": {"l": variables}}


TYRES = {"product": {DAY: "tyres"}, "mass_tonnes": {DAY: 1}}
MISTAKES = [
    ("date before a parameter starts (MRP in 2014)", line(mrp={"2014-06-01": None})),
    ("parameter ended with null (MRP in 2027)", line(mrp={"2027-03-01": None})),
    ("output asked for a month", line(**TYRES, epr_payment={"2021-03": None})),
    ("output asked for a year", line(**TYRES, epr_payment={"2021": None})),
    ("output asked for two days", line(**TYRES, epr_payment={"day:2021-03-01:2": None})),
    ("year 0001", line(product={"0001-01-01": "tyres"}, epr_payment={"0001-01-01": None})),
    ("axes", {**line(**TYRES, epr_payment={DAY: None}), "producers": {"p": {"lines": ["l"]}},
              "axes": [[{"count": 3, "name": "mass_tonnes", "min": 0, "max": 10, "period": DAY}]]}),
    ("axes not a list", {**line(**TYRES, epr_payment={DAY: None}), "axes": 5}),
    ("enum given as number 300", line(product={DAY: 300}, mass_tonnes={DAY: 1}, epr_payment={DAY: None})),
    ("number given as a list", line(product={DAY: "tyres"}, mass_tonnes={DAY: [1]}, epr_payment={DAY: None})),
    ("empty line id", {"product_lines": {"": {**TYRES, "epr_payment": {DAY: None}}}}),
    ("line id with '/'", {"product_lines": {"a/b": {**TYRES, "epr_payment": {DAY: None}}}}),
    ("negative mass, MRP asked", line(product={DAY: "tyres"}, mass_tonnes={DAY: -5}, mrp={DAY: None})),
    ("negative mass on a vehicle line", line(product={DAY: "vehicle"}, vehicle_category={DAY: "m1"}, engine_displacement_cm3={DAY: 1598},
                                             mass_tonnes={DAY: -5}, epr_payment={DAY: None})),
    ("negative displacement on a tyres line", line(**TYRES, engine_displacement_cm3={DAY: -1500}, epr_payment={DAY: None})),
    ("expression '2+3' as a mass", line(product={DAY: "tyres"}, mass_tonnes={DAY: "2+3"}, epr_payment={DAY: None})),
    ("true as a mass", line(product={DAY: "tyres"}, mass_tonnes={DAY: True}, epr_payment={DAY: None})),
    ("'maybe' as is_electric", line(product={DAY: "vehicle"}, vehicle_category={DAY: "m1"}, engine_displacement_cm3={DAY: 1598},
                                    is_electric={DAY: "maybe"}, epr_payment={DAY: None})),
    ("enum given as number 3", line(product={DAY: 3}, mass_tonnes={DAY: 1}, epr_payment={DAY: None})),
    ("lines of a producer not a list", {"product_lines": {"l": {**TYRES, "epr_payment": {DAY: None}}}, "producers": {"p": {"lines": "l"}}}),
]
RAW = [
    ("Infinity as a mass, MRP asked", '{"product_lines": {"l": {"product": {"2021-03-01": "tyres"}, "mass_tonnes": {"2021-03-01": Infinity}, "mrp": {"2021-03-01": null}}}}'),
]


def post(port: int, body: str) -> tuple[int, str]:
    connection = http.client.HTTPConnection(HOST, port, timeout=60)
    connection.request("POST", "/calculate", body=body.encode(), headers={"Content-Type": "application/json"})
    response = connection.getresponse()
    return response.status, response.read().decode()[:90].replace("\n", " ")


def main() -> int:
    openfisca = shutil.which("openfisca", path=str(BIN)) or "openfisca"
    kz_epr = shutil.which("kz-epr", path=str(BIN)) or "kz-epr"
    plain_port, ours_port = free_port(), free_port()
    with ExitStack() as stack:
        stack.enter_context(server([openfisca, "serve", "--country-package", "openfisca_kz_epr", "--bind", f"{HOST}:{plain_port}", "--workers", "1"], plain_port))
        stack.enter_context(server([kz_epr, "serve", "--host", HOST, "--port", str(ours_port), "--workers", "1"], ours_port))
        cases = [(name, json.dumps(body)) for name, body in MISTAKES] + RAW
        print("| mistake | openfisca serve | kz-epr serve |\n|---|---|---|")
        counts = {"plain 5xx": 0, "plain 2xx": 0, "ours 4xx": 0}
        for name, body in cases:
            plain, ours = post(plain_port, body), post(ours_port, body)
            counts["plain 5xx"] += plain[0] >= 500
            counts["plain 2xx"] += plain[0] < 300
            counts["ours 4xx"] += 400 <= ours[0] < 500
            print(f"| {name} | {plain[0]} | {ours[0]} `{ours[1]}` |")
        print(f"\n{len(cases)} mistakes: openfisca serve answered {counts['plain 5xx']} with a 5xx and computed {counts['plain 2xx']} (200); "
              f"kz-epr serve answered {counts['ours 4xx']} with a 4xx.")
    return 0 if counts["ours 4xx"] == len(cases) else 1


if __name__ == "__main__":
    sys.exit(main())
