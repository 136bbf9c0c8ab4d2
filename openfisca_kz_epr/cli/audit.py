"""``kz-epr audit DECLARATIONS.csv -o REPORT.csv [--summary SUMMARY.md] [--tolerance KZT] [--quiet]``:
recompute what every declaration should have paid and flag each difference with the law behind it.

Exit code 0 when the run completed, whatever it found; 2 with a one-line reason when it could
not run (bad arguments, unreadable file, missing column, an output that would replace the input
or something that is not a regular file); 130 on Ctrl-C, 143 on SIGTERM, 129 on SIGHUP. The report
and the summary are written whole or not at all (``output_files``).
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import textwrap
from decimal import Decimal, InvalidOperation

from openfisca_kz_epr.audit import operator_layouts
from openfisca_kz_epr.cli import epilog
from openfisca_kz_epr.cli.explain import assume_option
from openfisca_kz_epr.money import INVOICE_DECIMALS, scaled_int


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "audit",
        help="recompute the expected payment of every declaration in a CSV file and reconcile it with what was paid",
        description=(
            "Recompute the EPR payment of every row of DECLARATIONS.csv on its own date, exact to the tiyn, "
            "and compare it with paid_amount. The report is every input row, in order, its columns unchanged, "
            "followed by expected_payment, difference (paid - expected), status (ok, underpaid, overpaid, error), "
            "error, legal_basis and confidence. The input columns are listed below."
        ),
        epilog=lambda: epilog(["kz-epr audit examples/declarations_sample.csv -o report.csv --summary summary.md",
                               "kz-epr audit examples/declarations_sample.csv -o report.xlsx --lang ru --quiet",
                               "kz-epr audit examples/declarations_sample.csv -o - --operator-rules --tolerance 0.5"],
                              "docs/auditors.md", input_columns()),
    )
    parser.add_argument("declarations", metavar="DECLARATIONS.csv",
                        help="the declarations, one row per product line or vehicle: a CSV file or a workbook (.xlsx)")
    parser.add_argument("-o", "--output", required=True, metavar="REPORT.csv",
                        help="the report: every input row, in order, with the added columns; '-' for the standard output")
    parser.add_argument("--summary", metavar="SUMMARY.md", help="also write totals per status, producer, product and year (Markdown)")
    parser.add_argument("--tolerance", type=tolerance_tiyn, default=tolerance_tiyn("1"), metavar="KZT",
                        help="a row is ok when |paid - expected| is at most this (default: 1 KZT)")
    parser.add_argument("--encoding", metavar="NAME", help="the file's encoding: utf-8, cp1251 (Windows-1251) or utf-16 "
                        "(default: detected from its byte-order mark, else UTF-8, else Windows-1251)")
    parser.add_argument("--delimiter", metavar="MARK", help="the separator between cells: ',', ';' or 'tab' "
                        "(default: the one the header uses most)")
    parser.add_argument("--skip-rows", type=_lines, default=None, metavar="N",
                        help="lines above the header to skip (a title, a date of export) in a CSV file or a sheet (default: "
                             "the first line, else the one of the first 10 that names the columns the audit needs)")
    parser.add_argument("--sheet", metavar="NAME", help="the sheet of a workbook (.xlsx) to read (default: the first)")
    parser.add_argument("--layout", default=operator_layouts.AUTOMATIC, metavar="|".join(operator_layouts.choices()),
                        help="how to read the columns: auto (an operator portal report by its own layout when the header "
                             "is one, else the input columns listed below), generic (the column names only), or the "
                             "operator's layout to read")
    parser.add_argument("--operator-rules", action="store_true",
                        help="also give, for every line, what the EPR operator's rules charge (one MRP per calendar year), "
                             "the difference with the law's figure and why; the law stays the figure the status is judged by")
    parser.add_argument("--date-rule", choices=("import", "sent"), default="import",
                        help="with --operator-rules: price the operator's figure on the import date (date) or on the day "
                             "the application was sent (the sent_date column)")
    parser.add_argument("--lang", choices=("en", "ru", "kk"), default="en",
                        help="the language of the report's added columns, statuses, flags and summary, and of these "
                             "messages (default: en)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar and no closing line on stderr")
    assume_option(parser)
    parser.set_defaults(run=run)


def input_columns() -> str:
    """The input columns of a declarations file, with the other names each may have, from the
    project's column table (``audit/column_names.yaml``) and the audit's required columns."""
    from openfisca_kz_epr.audit.file_format import column_table
    from openfisca_kz_epr.audit.reconcile import INPUT_COLUMNS
    from openfisca_kz_epr.audit.report import KEY_COLUMNS, REQUIRED_COLUMNS

    table = column_table()
    lines = [f"input columns (a header row; {', '.join(REQUIRED_COLUMNS)} and {' or '.join(KEY_COLUMNS)} are required, the "
             "others may be left out; any other column is carried to the report unchanged; names are matched ignoring case, "
             "spaces and ё/е, with the unit after a comma or in brackets):"]
    for column in dict.fromkeys([*INPUT_COLUMNS, *table]):
        entry = table.get(column, {})
        other = [name for name in entry.get("names", ()) if name != column]
        text = f"  {column}" + (f": also {', '.join(other)}" if other else "")
        if entry.get("kilograms"):
            text += f"; in kilograms: {', '.join(entry['kilograms'])}"
        if entry.get("unit_needed"):
            text += f"; refused without a unit: {', '.join(entry['unit_needed'])}"
        lines.append(text)
    return "\n".join(textwrap.fill(line, width=100, subsequent_indent="      ") for line in lines)


def tolerance_tiyn(text: str) -> int:
    """A tolerance in KZT (up to 2 decimals, not negative) as tiyn."""
    try:
        value = Decimal(text)
        tiyn = scaled_int(value, INVOICE_DECIMALS) if value.is_finite() else None
    except (InvalidOperation, ValueError):
        tiyn = None
    if tiyn is None or tiyn < 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not an amount of KZT of at least 0 with at most 2 decimals")
    return tiyn


def _lines(text: str) -> int:
    """A number of lines, 0 or more."""
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of lines (0 or more)")
    return int(text)


def run(args) -> int:
    # imported here: every kz-epr command loads this module, only the audit needs these
    from openfisca_kz_epr import CountryTaxBenefitSystem
    from openfisca_kz_epr.audit.report import AuditError, audit
    from openfisca_kz_epr.language import Language, Message
    from openfisca_kz_epr.reforms.assumptions import AssumptionError, assume

    words = Language(args.lang)
    if args.date_rule != "import" and not args.operator_rules:
        return _fail(words.t("--date-rule goes with --operator-rules: the law prices a line on its date"))
    system = CountryTaxBenefitSystem  # built while the first rows are read, unless values are assumed
    if args.assume:
        try:
            system = assume(CountryTaxBenefitSystem(), args.assume)
        except AssumptionError as error:
            return _fail(str(error))
    with _progress_bar(words, quiet=args.quiet or not sys.stderr.isatty()) as progress:
        try:
            summary = audit(system, args.declarations, args.output, args.tolerance, progress=progress,
                            summary_path=args.summary, encoding=args.encoding, delimiter=args.delimiter,
                            sheet=args.sheet, operator_rules=args.date_rule if args.operator_rules else None,
                            language=args.lang, layout=args.layout, skip_rows=args.skip_rows)
        except AuditError as error:
            return _fail(error.said(words))
    if summary.title_lines:  # said even with --quiet: the file was not read from its first line
        print("kz-epr audit: " + Message("the header is line {line}: the {lines} lines above it are skipped as a title (give "
                                         "--skip-rows to choose)", line=summary.title_lines + 1,
                                         lines=summary.title_lines).said(words), file=sys.stderr)
    if not args.quiet:
        counts = ", ".join(f"{count} {words.t('status ' + status)}" for status, count in summary.counts().items())
        print("kz-epr audit: " + Message("{rows} rows ({counts}) -> {output}", rows=sum(summary.counts().values()),
                                         counts=counts, output=args.output).said(words), file=sys.stderr)
    return 0


@contextlib.contextmanager
def _progress_bar(words, quiet: bool):
    """``update(rows)`` of a progress bar on stderr (its unit in ``words``' language), or None when
    quiet (tqdm not even loaded)."""
    if quiet:
        yield None
        return
    from tqdm import tqdm

    with tqdm(desc="kz-epr audit", unit=" " + words.t("rows"), unit_scale=True, file=sys.stderr) as bar:
        yield bar.update


def _fail(reason: str) -> int:
    print(f"kz-epr audit: {reason}", file=sys.stderr)
    return 2
