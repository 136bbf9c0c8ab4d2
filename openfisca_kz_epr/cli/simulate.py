"""``kz-epr simulate``: what a reform changes, for the policy analyst.

Revenue: ``kz-epr simulate --reform REFORM --data PLACED_ON_MARKET.csv [--date D | --year Y]
[-o RESULT.csv] [--lines LINES.csv] [--chart CHART.png]`` prices a placed-on-market scenario
under the law and under the reform (``openfisca_kz_epr.reforms.revenue``) and gives the revenue per
product and in total, the difference and the change in %.

Rate history: ``kz-epr simulate --reform REFORM --timeline PRODUCT --from D1 --to D2
[-o STEPS.csv] [--chart T.png]`` gives the rate of one product (``vehicle:m1:1600``,
``vehicle:m1:electric`` for a vehicle band) on every day, under both, each step with the acts
or the reform that set it (``openfisca_kz_epr.law.intervals``).

REFORM is a reform file (YAML) or the dotted path of a Reform class.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import os
import sys
from decimal import Decimal
from pathlib import Path

from openfisca_kz_epr.cli import epilog
from openfisca_kz_epr.cli.explain import assume_option
from openfisca_kz_epr.money import tenge

NAME = "kz-epr simulate"
_TIMELINE_HELP = "PRODUCT: a product key, or vehicle:CATEGORY:VALUE (VALUE in the category's band unit, or 'electric')"


class UsageError(Exception):
    """Bad arguments or input: a one-line message, exit code 2."""


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "simulate",
        help="revenue and rates under a reform, against the law",
        description=__doc__.split("\n\n", 1)[1],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=epilog(["kz-epr simulate --reform openfisca_kz_epr/reforms/eee_coefficient.yaml --data examples/placed_on_market_2021.csv --year 2021",
                       "kz-epr simulate --reform openfisca_kz_epr/reforms/cable_rate_10.yaml --timeline cable_products --from 2021-01-01 --to 2023-12-31",
                       "kz-epr simulate --reform examples/mrp_2027_assumed.yaml --timeline tyres --from 2026-01-01 --to 2027-12-31 -o steps.csv"],
                      "docs/analysts.md"),
    )
    parser.add_argument("--reform", required=True, metavar="REFORM", help="a reform file (.yaml) or the dotted path of a Reform class")
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--data", metavar="CSV", help="placed-on-market scenario (declaration columns, plus count), a CSV file as kz-epr audit reads it "
                      "(UTF-8 or Windows-1251, ',' or ';', decimal commas) or a workbook .xlsx")
    mode.add_argument("--timeline", metavar="PRODUCT", help=_TIMELINE_HELP)
    days = parser.add_mutually_exclusive_group()
    days.add_argument("--date", type=_day, metavar="D", help="price every row on day D (YYYY-MM-DD)")
    days.add_argument("--year", type=_year, metavar="Y", help="spread every row evenly over year Y, each day on its own law")
    parser.add_argument("--from", dest="first", type=_day, metavar="D1", help="timeline: first day")
    parser.add_argument("--to", dest="last", type=_day, metavar="D2", help="timeline: last day")
    parser.add_argument("-o", "--output", metavar="CSV", help="write the result (revenue per product, or the timeline's steps) as CSV")
    parser.add_argument("--lines", metavar="CSV", help="with --data: write every priced line (row, date, quantity, both payments)")
    parser.add_argument("--chart", metavar="PNG", help="draw the result as a PNG chart")
    assume_option(parser)
    parser.set_defaults(run=run)


def _day(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a day (YYYY-MM-DD)") from None


def _year(text: str) -> int:
    if not (text.isdigit() and len(text) == 4):
        raise argparse.ArgumentTypeError(f"{text!r} is not a year (YYYY)")
    return int(text)


def run(args) -> int:
    from openfisca_kz_epr.reforms import ReformError
    from openfisca_kz_epr.reforms.charts import ChartsUnavailable
    from openfisca_kz_epr.reforms.revenue import ScenarioError

    try:
        if args.timeline:
            _timeline(args)
        else:
            _revenue(args)
    except (UsageError, ReformError, ScenarioError, ChartsUnavailable) as error:
        print(f"{NAME}: {error}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # the reader stopped reading (| head): nothing more to say
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 (Python's own advice for this case)
        return 0
    except OSError as error:
        where = f"{error.filename}: " if error.filename else ""
        print(f"{NAME}: {where}{error.strerror}", file=sys.stderr)
        return 2
    return 0


def _systems(reform: str, assumed=()):
    """The law (with the values ``assumed``, ``--assume``) and the reform applied to it."""
    from openfisca_kz_epr import CountryTaxBenefitSystem
    from openfisca_kz_epr.reforms import apply_reform
    from openfisca_kz_epr.reforms.assumptions import assume

    baseline = assume(CountryTaxBenefitSystem(), assumed)
    return baseline, apply_reform(baseline, reform)


def _title(reform) -> str:
    name = getattr(reform, "name", None) or ""
    return f"reform {reform.key}" + (f": {name}" if name else "")


def _revenue(args) -> None:
    from openfisca_kz_epr.reforms.revenue import compare, read_scenario, spread

    if args.first or args.last:
        raise UsageError("--from and --to go with --timeline")
    columns, size, read = _read_csv(args.data)
    baseline, reform = _systems(args.reform, args.assume)
    if args.year:
        scenario = spread(read_scenario(columns, size, day=f"{args.year}-01-01", **read), f"{args.year}-01-01", f"{args.year}-12-31",
                          baseline, reform)
        when = f"spread evenly over {args.year}"
    elif args.date:
        scenario, when = read_scenario(columns, size, day=args.date, **read), f"all on {args.date}"
    else:
        scenario, when = read_scenario(columns, size, **read), "each row on its own date"
    comparison = compare(baseline, reform, scenario)
    revenues = comparison.by_product()
    print(f"{_title(reform)}\n{args.data}: {size} rows, {when} ({len(scenario)} lines priced)\n")
    _print_revenues(revenues)
    if comparison.not_known:  # lines only the reform prices (a year whose MRP the law does not know yet)
        shown = "; ".join(comparison.not_known[:3]) + (f"; and {len(comparison.not_known) - 3} more" if len(comparison.not_known) > 3 else "")
        print(f"\nnot known under the law ({len(comparison.not_known)} line(s), priced under the reform): {shown}")
    if comparison.relieved:
        print("\nNot owed under art. 386 of the Environmental Code (the law), tonnes by reason:")
        for reason, tonnes in comparison.relieved:
            print(f"  {tonnes:>16f} t  {reason}")
    if args.output:
        _write_revenues(args.output, revenues)
    if args.lines:
        _write_lines(args.lines, comparison)
    if args.chart:
        from openfisca_kz_epr.reforms.charts import revenue_chart

        if comparison.not_known:
            raise UsageError("--chart: the law's revenue is not known for some lines (see above): no chart is drawn")

        revenue_chart(revenues, args.chart, f"{_title(reform)}\n{Path(args.data).name}, {when}")


def _read_csv(path: str):
    """The scenario file at ``path`` (CSV as ``kz-epr audit`` reads it, or a workbook:
    ``audit.whole_file``) as ``revenue.scenario_columns`` checks it: (columns, size, the
    keywords of ``read_scenario`` for the rows' problems and the columns in kg)."""
    from openfisca_kz_epr.audit.file_format import FormatError
    from openfisca_kz_epr.audit.whole_file import read
    from openfisca_kz_epr.reforms.revenue import scenario_columns

    try:
        found = read(path)
    except FormatError as error:
        raise UsageError(str(error)) from None
    except OSError as error:
        raise UsageError(f"{path}: {error.strerror}") from None
    columns, size = scenario_columns(path, found.columns, found.size)
    return columns, size, {"problems": found.problems, "kilograms": found.kilograms}


def _kzt(tiyn: int | None) -> str:
    """Tiyn as KZT with 2 decimals; '' when not known."""
    return "" if tiyn is None else f"{tenge(tiyn):.2f}"


def _percent(value: Decimal | None) -> str:
    return "" if value is None else f"{value}"


def _change(revenue) -> str:
    """The change in %, 'new' from nothing, '' from nothing to nothing or from what is not known."""
    if revenue.baseline is None:
        return ""
    if revenue.change_percent is not None:
        return f"{revenue.change_percent}%"
    return "new" if revenue.difference else ""


def _print_revenues(revenues) -> None:
    print(f"{'product':<26}{'law, KZT':>22} {'reform, KZT':>22} {'difference, KZT':>22} {'change':>10}")
    for r in revenues:  # a space between the columns: an amount wider than its column stays apart
        law = "not known" if r.baseline is None else f"{tenge(r.baseline):,.2f}"
        difference = "" if r.difference is None else f"{tenge(r.difference):,.2f}"
        print(f"{r.product:<26}{law:>22} {tenge(r.reform):>22,.2f} {difference:>22} {_change(r):>10}")


def _write_revenues(path: str, revenues) -> None:
    with open(path, "w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file, lineterminator="\n")
        writer.writerow(["product", "baseline_kzt", "reform_kzt", "difference_kzt", "change_percent"])
        for r in revenues:
            writer.writerow([r.product, _kzt(r.baseline), _kzt(r.reform), _kzt(r.difference), _percent(r.change_percent)])


def _write_lines(path: str, comparison) -> None:
    from openfisca_kz_epr.products import Product

    scenario = comparison.scenario
    products = list(Product)
    with open(path, "w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file, lineterminator="\n")
        writer.writerow(["row", "date", "product", "mass_tonnes", "invoice_value", "count", "baseline_kzt", "reform_kzt"])
        for i in range(len(scenario)):
            mass, invoice = scenario.lines["mass_tonnes"][i], scenario.lines["invoice_value"][i]
            writer.writerow([
                int(scenario.row[i]) + 1, scenario.days[i], products[int(scenario.lines["product"][i])].name,
                "" if mass != mass else f"{mass:.6f}", "" if invoice != invoice else f"{invoice:.2f}",
                int(scenario.count[i]), _kzt(comparison.baseline[i]), _kzt(comparison.reform[i]),
            ])


def _timeline(args) -> None:
    from openfisca_kz_epr.explain.steps import tariff_steps

    if not (args.first and args.last):
        raise UsageError("--timeline needs --from D1 and --to D2")
    if args.last < args.first:
        raise UsageError(f"--to {args.last} is before --from {args.first}")
    if args.date or args.year or args.lines:
        raise UsageError("--date, --year and --lines go with --data")
    baseline, reform = _systems(args.reform, args.assume)
    line = _timeline_line(args.timeline, baseline.parameters)
    series = [("law", tariff_steps(baseline, line, args.first, args.last)),
              (f"reform {reform.key}", tariff_steps(reform, line, args.first, args.last))]
    unit = next((s.tariff.basis.unit for _, steps in series for s in steps if s.tariff is not None), "")
    print(f"{_title(reform)}\n{args.timeline}: rate in {unit}, {args.first} to {args.last}")
    for label, steps in series:
        print(f"\n{label}")
        for step in steps:
            problem = f"  ({step.problem})" if step.problem else ""
            print(f"  {step.interval.first} – {step.interval.last}  {_rate(step):>24}  {', '.join(step.causes)}{problem}")
    if args.output:
        _write_steps(args.output, series, unit)
    if args.chart:
        from openfisca_kz_epr.reforms.charts import timeline_chart

        timeline_chart(series, args.chart, f"{args.timeline}, {unit}\n{_title(reform)}", unit)


def _timeline_line(spec: str, parameters) -> dict:
    """The line whose rate the timeline follows, from PRODUCT or vehicle:CATEGORY:VALUE."""
    from openfisca_kz_epr.law.intervals import ProductSpecError, one_line, product_spec

    try:
        return one_line(**product_spec(spec, parameters))
    except ProductSpecError as error:
        raise UsageError(f"--timeline {error}") from None


def _rate(step) -> str:
    if step.rate is None:
        return "not priced"
    return format(step.rate.normalize(), ",f")


def _write_steps(path: str, series, unit: str) -> None:
    with open(path, "w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file, lineterminator="\n")
        writer.writerow(["system", "first", "last", "rate", "unit", "causes", "acts", "confidence", "problem"])
        for label, steps in series:
            for step in steps:
                tariff = step.tariff
                writer.writerow([
                    label, step.interval.first, step.interval.last,
                    "" if step.rate is None else format(step.rate.normalize(), "f"), unit,
                    ";".join(step.causes), ";".join(tariff.acts) if tariff else "",
                    tariff.confidence if tariff else "unknown", step.problem,
                ])
