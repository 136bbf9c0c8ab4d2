"""The periods the Method's variables are defined for: one day of the model's range."""

from openfisca_kz_epr.errors import PeriodError
from openfisca_kz_epr.input_checks import day_mistake


def check_day(variable: str, period) -> None:
    """Raise ``PeriodError`` (asked by ``variable``) unless ``period`` is one day of the model's range."""
    mistake = day_mistake(str(period))
    if mistake:
        raise PeriodError(variable, period, mistake)
