"""The ``kz-epr`` command. Each module of this package adds its subcommands through
``register(subparsers)``; the subcommand's ``run(args)`` returns the exit code."""

import argparse
import importlib
import pkgutil
import sys
import threading


class _OneLineParser(argparse.ArgumentParser):
    """A parser whose refusal of the arguments is one line (``kz-epr audit: …; see kz-epr audit
    --help``), exit code 2, rather than the usage block and the message."""

    def error(self, message: str):
        self.exit(2, f"{self.prog}: {' '.join(message.split())}; see {self.prog} --help\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _OneLineParser(prog="kz-epr", description="Kazakhstan's EPR payment, as of any day, exact and traced to the law.")
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
