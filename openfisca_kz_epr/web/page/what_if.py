"""What if: the revenue of a placed-on-market scenario under the law and under a reform, side by
side, for the page (``reforms.revenue``, the job of ``kz-epr simulate --data``).

The reform is one of the package's reform files (``reforms/*.yaml``) or one change typed on the
page: the MRP or a coefficient k of Appendix 1 set to a value from a day (``parse_reform``, the
same checks as a file). The scenario is an uploaded CSV (``product`` or ``customs_code``, the
quantities, ``count``; UTF-8) or the package's example (``examples/placed_on_market_2021.csv``),
priced on each row's day or spread evenly over a year. ``run(...)`` gives a ``WhatIf``, or raises
``WhatIfError`` naming the mistake. A bar chart of the two revenues is drawn here as SVG numbers
for the template (no script, no chart library).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import yaml

from openfisca_kz_epr.money import tenge
from openfisca_kz_epr.products import GOODS
from openfisca_kz_epr.reforms import ReformError, parse_reform, read_reform, reform_of
from openfisca_kz_epr.reforms.revenue import Revenue, ScenarioError, compare, read_scenario, scenario_columns, spread
from openfisca_kz_epr.resources import PACKAGE_DIR, resource_dir
from openfisca_kz_epr.web.page.words import Words

REFORMS_DIR = PACKAGE_DIR / "reforms"
EXAMPLE = "placed_on_market_2021.csv"
MAX_SCENARIO = 2 * 2**20  # bytes of an uploaded scenario
OWN = "own"  # the reform typed on the page
# What the page lets one change: the MRP, or the coefficient k of a goods row of Appendix 1.
CHANGEABLE = ("general.mrp", *(f"goods.appendix_1.{product.name}" for product in GOODS))
CHART_WIDTH, BAR_HEIGHT, LABEL_WIDTH = 640, 12, 190


class WhatIfError(Exception):
    """A mistake in the what-if form; the message names it."""


def shipped() -> dict[str, str]:
    """The package's reform files: name → description."""
    found = {}
    for path in sorted(REFORMS_DIR.glob("*.yaml")):
        reform = read_reform(path)
        found[reform.name] = reform.description
    return found


def example() -> Path | None:
    """The shipped placed-on-market example, if the installation holds it."""
    try:
        path = resource_dir("examples") / EXAMPLE
    except FileNotFoundError:
        return None
    return path if path.is_file() else None


@dataclass
class WhatIf:
    """The revenues (tiyn) per product and in total, under the law and the reform."""

    title: str
    scenario: str
    revenues: list[Revenue]

    def csv(self) -> str:
        """The revenues as CSV, the columns of ``kz-epr simulate -o`` (amounts in KZT with 2 decimals)."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["product", "baseline_kzt", "reform_kzt", "difference_kzt", "change_percent"])
        for r in self.revenues:
            writer.writerow([r.product, _kzt(r.baseline), _kzt(r.reform), _kzt(r.difference),
                             "" if r.change_percent is None else r.change_percent])
        return out.getvalue()

    def chart(self, words: Words) -> dict:
        """Bars of the law's and the reform's revenue per product (not the total), in SVG units."""
        rows = [r for r in self.revenues if r.product != "total"]
        top = max([max(r.baseline, r.reform) for r in rows] + [1])
        scale = Decimal(CHART_WIDTH - LABEL_WIDTH - 10) / top
        bars = []
        for index, r in enumerate(rows):
            y = 10 + index * (2 * BAR_HEIGHT + 10)
            bars.append({"label": r.product, "y": y, "law": int(r.baseline * scale), "reform": int(r.reform * scale),
                         "law_said": words.amount(r.baseline), "reform_said": words.amount(r.reform)})
        return {"width": CHART_WIDTH, "height": 20 + len(rows) * (2 * BAR_HEIGHT + 10), "bars": bars, "x": LABEL_WIDTH,
                "bar": BAR_HEIGHT}


def run(system, form, files) -> WhatIf:
    """The revenues asked for by the form: ``reform`` (a shipped name, or ``own`` with ``parameter``,
    ``value``, ``start``), ``year`` (spread over that year; empty: each row on its ``date``) and the
    scenario (the upload ``scenario``, else the example)."""
    reform, title = _reform(form)
    try:
        reformed = reform_of(reform)(system)
    except ReformError as error:
        raise WhatIfError(str(error)) from None
    name, text = _scenario(files)
    try:
        columns, size = scenario_columns(name, io.StringIO(text, newline=""))
    except ScenarioError as error:
        raise WhatIfError(str(error)) from None
    year = form.get("year", "").strip()
    try:
        if year:
            if not (year.isdigit() and 2016 <= int(year) <= 2099):
                raise WhatIfError(f"year {year!r}: a year from 2016")
            scenario = spread(read_scenario(columns, size, day=f"{year}-01-01"), f"{year}-01-01", f"{year}-12-31", system, reformed)
        else:
            scenario = read_scenario(columns, size)
        return WhatIf(title, name, compare(system, reformed, scenario).by_product())
    except (ScenarioError, ValueError) as error:
        raise WhatIfError(f"{name}: {error}") from None


def _reform(form):
    chosen = form.get("reform", "")
    if chosen == OWN:
        parameter, value, start = (form.get(name, "").strip() for name in ("parameter", "value", "start"))
        if parameter not in CHANGEABLE:
            raise WhatIfError(f"parameter {parameter!r}: one of {', '.join(CHANGEABLE)}")
        number = yaml.safe_load(value.replace(",", ".")) if value else None  # a number as a reform file holds it
        data = {"name": "typed_on_the_page", "description": f"{parameter} = {value} from {start}",
                "changes": {parameter: [{"start": start, "value": number}]}}
        try:
            return parse_reform(data, "the change typed"), data["description"]
        except ReformError as error:
            raise WhatIfError(str(error)) from None
    if chosen not in shipped():
        raise WhatIfError(f"reform {chosen!r}: one of {', '.join(shipped())}, or {OWN}")
    reform = read_reform(REFORMS_DIR / f"{chosen}.yaml")
    return reform, f"{reform.name}: {reform.description}"


def _scenario(files) -> tuple[str, str]:
    upload = files.get("scenario")
    if upload is not None and upload.filename:
        raw = upload.read(MAX_SCENARIO + 1)
        if len(raw) > MAX_SCENARIO:
            raise WhatIfError(f"{upload.filename}: larger than {MAX_SCENARIO // 2**20} MB")
        try:
            return upload.filename, raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise WhatIfError(f"{upload.filename}: not a UTF-8 CSV file") from None
    path = example()
    if path is None:
        raise WhatIfError("choose a placed-on-market file (CSV)")
    return path.name, path.read_text(encoding="utf-8-sig")


def _kzt(tiyn: int) -> str:
    return f"{tenge(tiyn):.2f}"
