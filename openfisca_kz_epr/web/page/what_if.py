"""What if: the revenue of a placed-on-market scenario under the law and under a reform, side by
side, for the page (``reforms.revenue``, the job of ``kz-epr simulate --data``).

The reform is one of the package's reform files (``reforms/*.yaml``) or one change typed on the
page: the MRP or a coefficient k of Appendix 1 set to a value from a day (``parse_reform``, the
same checks as a file). The scenario is an uploaded file (``product`` or ``customs_code``, the
quantities, ``count``), read as ``kz-epr audit`` reads a declarations file (``audit.whole_file``:
CSV in UTF-8 or Windows-1251, ``,`` or ``;``, decimal commas, or a workbook .xlsx), or the
package's example (``examples/placed_on_market_2021.csv``), priced on each row's day or spread
evenly over a year. ``run(...)`` gives a ``WhatIf``: the revenues of the rows that can be priced,
and each other row with its error (``left_out``: rows in = rows out; the CSV download, which has
no place for them, is refused instead, naming them, as ``kz-epr simulate -o`` refuses); or raises
``WhatIfError`` naming the mistake (the file cannot be read at all, the reform is wrong). A bar
chart of the two revenues is drawn here as SVG numbers for the template (no script, no chart
library).
"""

from __future__ import annotations

import csv
import io
import tempfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import yaml

from openfisca_kz_epr.audit import whole_file
from openfisca_kz_epr.audit.file_format import FormatError
from openfisca_kz_epr.audit.workbook import WORKBOOK_SUFFIX
from openfisca_kz_epr.money import tenge
from openfisca_kz_epr.products import GOODS
from openfisca_kz_epr.reforms import ReformError, parse_reform, read_reform, reform_of
from openfisca_kz_epr.reforms.revenue import Revenue, ScenarioError, compare, read_scenario, scenario_columns, spread
from openfisca_kz_epr.resources import PACKAGE_DIR, resource_dir
from openfisca_kz_epr.web.page import reasons
from openfisca_kz_epr.web.page.calculator import LABELS
from openfisca_kz_epr.web.page.words import Words

REFORMS_DIR = PACKAGE_DIR / "reforms"
EXAMPLE = "placed_on_market_2021.csv"
MAX_SCENARIO = 2 * 2**20  # bytes of an uploaded scenario
SUFFIXES = (".csv", ".txt", WORKBOOK_SUFFIX)  # what an uploaded scenario may be
OWN = "own"  # the reform typed on the page
# What the page lets one change: the MRP, or the coefficient k of a goods row of Appendix 1.
CHANGEABLE = ("general.mrp", *(f"goods.appendix_1.{product.name}" for product in GOODS))
CHART_WIDTH, BAR_HEIGHT, LABEL_WIDTH, LEGEND = 900, 12, 330, 24
LABEL_CHARACTERS = 42  # a longer product name is written on two lines (at 11 units a character, about 7 wide)


class WhatIfError(Exception):
    """A mistake in the what-if form; the message names it."""


OWN_TITLE = "{parameter} = {value} from {start}"


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
    """The revenues (tiyn) per product and in total, under the law and the reform, of the rows
    that can be priced; ``left_out``: each other row with its error (in neither revenue)."""

    title: str
    scenario: str
    revenues: list[Revenue]
    rows: int = 0
    left_out: list[str] = field(default_factory=list)

    def csv(self) -> str:
        """The revenues as CSV, the columns of ``kz-epr simulate -o`` (amounts in KZT with 2 decimals)."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["product", "baseline_kzt", "reform_kzt", "difference_kzt", "change_percent"])
        for r in self.revenues:
            writer.writerow([r.product, _kzt(r.baseline), _kzt(r.reform), _kzt(r.difference),
                             "" if r.change_percent is None else r.change_percent])
        return out.getvalue()

    def chart(self, words: Words, product_names: dict) -> dict:
        """Bars of the law's and the reform's revenue per product (not the total), in SVG units, below
        a legend (``LEGEND`` units high) that says which bar is which; each bar's label (its name in
        ``product_names``) as one or two lines."""
        rows = [r for r in self.revenues if r.product != "total"]
        top = max([max(r.baseline, r.reform) for r in rows] + [1])
        scale = Decimal(CHART_WIDTH - LABEL_WIDTH - 10) / top
        bars = []
        for index, r in enumerate(rows):
            y = LEGEND + 10 + index * (2 * BAR_HEIGHT + 10)
            bars.append({"label": r.product, "lines": _label_lines(product_names[r.product]), "y": y, "law": int(r.baseline * scale), "reform": int(r.reform * scale),
                         "law_said": words.amount(r.baseline), "reform_said": words.amount(r.reform)})
        return {"width": CHART_WIDTH, "height": LEGEND + 20 + len(rows) * (2 * BAR_HEIGHT + 10), "bars": bars, "x": LABEL_WIDTH,
                "bar": BAR_HEIGHT}


def run(system, form, files, words: Words) -> WhatIf:
    """The revenues asked for by the form: ``reform`` (a shipped name, or ``own`` with ``parameter``,
    ``value``, ``start``), ``year`` (spread over that year; empty: each row on its ``date``) and the
    scenario (the upload ``scenario``, else the example); the reform's title said in ``words``."""
    reform, title = _reform(form, words)
    try:
        reformed = reform_of(reform)(system)
    except ReformError as error:
        raise WhatIfError(str(error)) from None
    name, found = _scenario(files)
    try:
        columns, size = scenario_columns(name, found.columns, found.size)
    except ScenarioError as error:
        raise WhatIfError(str(error)) from None
    year = form.get("year", "").strip()
    read = {"problems": found.problems, "kilograms": found.kilograms}
    try:
        if year:
            if not (year.isdigit() and 2016 <= int(year) <= 2099):
                raise WhatIfError(f"year {year!r}: a year from 2016")
            scenario = spread(read_scenario(columns, size, day=f"{year}-01-01", **read), f"{year}-01-01", f"{year}-12-31", system, reformed)
        else:
            scenario = read_scenario(columns, size, **read)
        comparison = compare(system, reformed, scenario, refuse=False)
    except (ScenarioError, ValueError) as error:
        raise WhatIfError(f"{name}: {error}") from None
    left_out = [reasons.say(said, words, LABELS) for said in comparison.left_out]  # each row's error in the page's language
    if left_out and form.get("format") == "csv":  # the CSV has no place for a row left out: refused, naming each
        raise WhatIfError(words.ngettext("{source}: {count} row cannot be priced, and the CSV has no place for it:",
                                         "{source}: {count} rows cannot be priced, and the CSV has no place for them:",
                                         len(left_out), source=name) + " " + "; ".join(left_out))
    return WhatIf(title, name, comparison.by_product(), size, left_out)


def _reform(form, words: Words):
    chosen = form.get("reform", "")
    if chosen == OWN:
        parameter, value, start = (form.get(name, "").strip() for name in ("parameter", "value", "start"))
        if parameter not in CHANGEABLE:
            raise WhatIfError(f"parameter {parameter!r}: one of {', '.join(CHANGEABLE)}")
        number = yaml.safe_load(value.replace(",", ".")) if value else None  # a number as a reform file holds it
        data = {"name": "typed_on_the_page", "description": OWN_TITLE.format(parameter=parameter, value=value, start=start),
                "changes": {parameter: [{"start": start, "value": number}]}}
        try:
            return parse_reform(data, "the change typed"), words.gettext(OWN_TITLE, parameter=parameter, value=value, start=start)
        except ReformError as error:
            raise WhatIfError(str(error)) from None
    if chosen not in shipped():
        raise WhatIfError(f"reform {chosen!r}: one of {', '.join(shipped())}, or {OWN}")
    reform = read_reform(REFORMS_DIR / f"{chosen}.yaml")
    return reform, f"{reform.name}: {words.gettext(reform.description)}"  # a shipped reform's description is a catalogue entry


def _scenario(files) -> tuple[str, whole_file.WholeFile]:
    """The uploaded scenario (in a temporary folder for the time it is read, removed whatever
    happens), else the package's example, read by ``audit.whole_file``."""
    upload = files.get("scenario")
    if upload is None or not upload.filename:
        path = example()
        if path is None:
            raise WhatIfError("choose a placed-on-market file (CSV or .xlsx)")
        return path.name, _read(path, path.name)
    suffix = Path(upload.filename).suffix.lower()
    if suffix not in SUFFIXES:
        raise WhatIfError(f"{upload.filename}: not a CSV file or a workbook (.xlsx)")
    raw = upload.read(MAX_SCENARIO + 1)
    if len(raw) > MAX_SCENARIO:
        raise WhatIfError(f"{upload.filename}: larger than {MAX_SCENARIO // 2**20} MB")
    with tempfile.TemporaryDirectory(prefix="kz-epr-page-") as folder:
        source = Path(folder) / f"scenario{suffix}"
        source.write_bytes(raw)
        return upload.filename, _read(source, upload.filename)


def _read(source: Path, name: str) -> whole_file.WholeFile:
    try:
        return whole_file.read(source)
    except FormatError as error:
        raise WhatIfError(str(error).replace(str(source), name)) from None


def _kzt(tiyn: int) -> str:
    return f"{tenge(tiyn):.2f}"


def _label_lines(name: str) -> list[str]:
    """A product's name as the chart writes it: one line, or two where it is longer than
    ``LABEL_CHARACTERS``, broken at the comma or the space nearest its middle."""
    if len(name) <= LABEL_CHARACTERS:
        return [name]
    breaks = [index for index, character in enumerate(name) if character == " "]
    if not breaks:
        return [name]
    middle = min(breaks, key=lambda index: (name[index - 1] != ",", abs(index - len(name) / 2)))
    return [name[:middle], name[middle + 1:]]
