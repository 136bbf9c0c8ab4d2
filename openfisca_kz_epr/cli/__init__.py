"""The ``kz-epr`` command. Each module of this package adds its subcommands through
``register(subparsers)``; the subcommand's ``run(args)`` returns the exit code."""

import argparse
import importlib
import pkgutil
import sys
import threading

DOCUMENTATION = "https://github.com/openfisca-kz-epr/openfisca-kz-epr/blob/main/"  # the repository's files (pyproject's Repository)


def epilog(examples: list[str], page: str, more: str = "") -> str:
    """The end of a subcommand's ``--help``: ``more`` (kept as written), its examples, one a line, and
    where its documentation page (``page``, a file of ``docs/`` in the repository) is read."""
    lines = ([more, ""] if more else []) + ["examples:", *(f"  {example}" for example in examples), ""]
    return "\n".join([*lines, f"documentation: {page} ({DOCUMENTATION}{page})"])


class _HelpFormatter(argparse.HelpFormatter):
    """argparse's, but a text of several lines (an epilog, a table) is printed as written."""

    def _fill_text(self, text, width, indent):
        return text if "\n" in text else super()._fill_text(text, width, indent)


class _OneLineParser(argparse.ArgumentParser):
    """A parser whose refusal of the arguments is one line (``kz-epr audit: …; see kz-epr audit
    --help``), exit code 2, rather than the usage block and the message."""

    def __init__(self, *arguments, **options):
        options.setdefault("formatter_class", _HelpFormatter)
        super().__init__(*arguments, **options)

    def format_help(self) -> str:
        if callable(self.epilog):  # an epilog read from the project's files when help is asked only
            self.epilog = self.epilog()
        return super().format_help()

    def error(self, message: str):
        self.exit(2, f"{self.prog}: {' '.join(message.split())}; see {self.prog} --help\n")


class _Version(argparse.Action):
    """``kz-epr --version``: what ``GET /version`` says (``web.version.describe``), then exit 0."""

    def __init__(self, option_strings, dest, **options):
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS,
                         help="print the versions of this package and of openfisca-core and the law's last change, and exit")

    def __call__(self, parser, namespace, values, option_string=None):
        from openfisca_kz_epr import CountryTaxBenefitSystem
        from openfisca_kz_epr.web.version import describe

        found = describe(CountryTaxBenefitSystem())
        lines = [f"kz-epr {found['version']} ({found['package']})", f"openfisca-core {found['openfisca_core']}",
                 f"latest legal change: {found['latest_legal_change']} ({found['legal_periods']} legal periods)"]
        if found["commit"]:
            lines.append(f"commit: {found['commit']}")
        print("\n".join(lines))
        parser.exit(0)


def build_parser() -> argparse.ArgumentParser:
    parser = _OneLineParser(prog="kz-epr", description="Kazakhstan's EPR payment, as of any day, exact and traced to the law.",
                            epilog=epilog(["kz-epr audit declarations.csv -o report.csv --summary summary.md",
                                           "kz-epr explain --date 2021-03-01 --product tyres --mass-tonnes 2.5",
                                           "kz-epr serve --port 5000", "kz-epr COMMAND --help"], "README.md"))
    parser.add_argument("--version", action=_Version)
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND", parser_class=_OneLineParser)
    for module in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        importlib.import_module(f"{__name__}.{module.name}").register(subparsers)
    return parser


def main(argv=None) -> int:
    """Run a subcommand; its exit code. Ctrl-C, SIGTERM and SIGHUP unwind it (files being written
    are removed, ``output_files``) and exit 128 + the signal's number."""
    from openfisca_kz_epr.audit.output_files import Terminated, raise_on_termination

    if threading.current_thread() is threading.main_thread():
        raise_on_termination()
    try:
        args = build_parser().parse_args(argv)  # the subcommands' modules are imported here
        return args.run(args)
    except KeyboardInterrupt:
        print("kz-epr: interrupted", file=sys.stderr)
        return 130
    except Terminated as stop:
        print(f"kz-epr: stopped by {stop}", file=sys.stderr)
        return 128 + stop.signum
