"""The ``kz-epr`` command. Each module of this package adds its subcommands through
``register(subparsers)``; the subcommand's ``run(args)`` returns the exit code."""

import argparse
import importlib
import pkgutil
import sys


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kz-epr", description="Kazakhstan's EPR payment, as of any day, exact and traced to the law.")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        importlib.import_module(f"{__name__}.{module.name}").register(subparsers)
    return parser


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except KeyboardInterrupt:
        print("kz-epr: interrupted", file=sys.stderr)
        return 130
