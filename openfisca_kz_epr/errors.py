"""Domain errors: lines the law, as modelled, cannot price on a day.

``EprError`` is a ``SituationParsingError``: the OpenFisca web API answers it with HTTP 400
and a JSON body that names, for each bad line, the variable, the period and the reason.
"""

from openfisca_core.errors import SituationParsingError

_SHOWN = 20


class EprError(SituationParsingError):
    """One or more product lines (or producers, ``entity``) cannot be computed; ``problems``
    maps id to reason."""

    def __init__(self, variable: str, period, problems: dict[str, str], entity: str = "product_lines") -> None:
        self.problems = problems
        self.kind = "producer" if entity == "producers" else "line"
        self.variable = variable
        self.period = str(period)
        self.code = 400
        self.error = {
            entity: {
                line: {variable: {self.period: reason}} for line, reason in list(problems.items())[:_SHOWN]
            }
        }
        if len(problems) > _SHOWN:
            self.error["more"] = f"{len(problems) - _SHOWN} more lines have problems"
        Exception.__init__(self, str(self))

    def __str__(self) -> str:
        shown = [f"{self.kind} {line!r}: {reason}" for line, reason in list(self.problems.items())[:_SHOWN]]
        more = len(self.problems) - _SHOWN
        tail = f"; and {more} more {self.kind}s" if more > 0 else ""
        return f"{self.variable} on {self.period}: " + "; ".join(shown) + tail


class PeriodError(SituationParsingError):
    """A variable asked for a period this model does not define it for (not one day, or a day
    out of range); the message is ``input_checks.day_mistake``'s, as the web API gives it."""

    def __init__(self, variable: str, period, reason: str) -> None:
        self.variable = variable
        self.period = str(period)
        self.code = 400
        self.error = {"period": {self.period: reason}, "variable": variable}
        Exception.__init__(self, f"{variable}: {reason}")
