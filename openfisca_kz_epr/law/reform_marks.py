"""Which structural reforms replaced a formula of the Method: their results are hypothetical and say so;
and which values were assumed for a run (``reforms.assumptions``): their results say ``assumed``."""

import weakref

from openfisca_kz_epr.law.values import series

ASSUMED = "assumed"

_REPLACED: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def replaced_formulas(tax_benefit_system) -> tuple[str, ...]:
    """The names of the reforms (their classes) under which ``tax_benefit_system`` has a variable
    whose formulas differ from its baseline's (``Reform.update_variable`` or a formula given to
    an input), outermost first; () for the law itself or a reform of parameters only."""
    if tax_benefit_system not in _REPLACED:
        names = []
        system = tax_benefit_system
        while getattr(system, "baseline", None) is not None:
            baseline = system.baseline
            if any(name not in baseline.variables or _formulas(variable) != _formulas(baseline.variables[name])
                   for name, variable in system.variables.items()):
                names.append(type(system).__name__)
            system = baseline
        _REPLACED[tax_benefit_system] = tuple(names)
    return _REPLACED[tax_benefit_system]


def _formulas(variable) -> list:
    return [getattr(formula, "__code__", formula) for formula in variable.formulas.values()]


def assumed_values(tax_benefit_system) -> list[str]:
    """The values assumed for the run (``PARAMETER@DAY=VALUE``) a system prices with: the acts
    ``assumed:…`` of its parameters' references, for a summary to say at the top; [] for the law."""
    found = set()
    for parameter, _ in series(tax_benefit_system.parameters):
        for reference in ((parameter.metadata or {}).get("reference") or {}).values():
            act = reference.get("act", "") if isinstance(reference, dict) else ""
            if act.startswith(f"{ASSUMED}:"):
                found.add(act[len(ASSUMED) + 1:])
    return sorted(found)
