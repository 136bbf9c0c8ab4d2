"""PNG charts of the reform simulator: revenue per product, and a rate over time.

matplotlib (the ``charts`` extra) draws off screen (its Agg backend). Every chart has a fixed
size in pixels (``SIZE``), whatever it shows.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from openfisca_kz_epr.explain.steps import Step
from openfisca_kz_epr.money import tenge
from openfisca_kz_epr.reforms.revenue import Revenue

DPI = 100
SIZE = (1200, 800)  # pixels
_LAW, _REFORM = "#4c72b0", "#dd8452"
_ONE_DAY = datetime.timedelta(days=1)


class ChartsUnavailable(RuntimeError):
    """matplotlib is not installed."""


def _pyplot():
    try:
        import matplotlib
    except ImportError:
        raise ChartsUnavailable("charts need matplotlib: pip install 'openfisca-kz-epr[charts]'") from None
    matplotlib.use("Agg")
    from matplotlib import pyplot

    return pyplot


def _figure(pyplot):
    return pyplot.figure(figsize=(SIZE[0] / DPI, SIZE[1] / DPI), dpi=DPI)


def revenue_chart(revenues: list[Revenue], path, title: str) -> None:
    """Horizontal bars per product, the law's revenue beside the reform's, in million KZT; the
    total in the subtitle."""
    pyplot = _pyplot()
    *products, total = revenues
    figure = _figure(pyplot)
    axes = figure.add_subplot()
    rows = list(range(len(products)))[::-1]
    millions = [(float(tenge(r.baseline)) / 1e6, float(tenge(r.reform)) / 1e6) for r in products]
    axes.barh([y + 0.2 for y in rows], [m[0] for m in millions], height=0.4, color=_LAW, label="law")
    axes.barh([y - 0.2 for y in rows], [m[1] for m in millions], height=0.4, color=_REFORM, label="reform")
    for y, revenue, (_, reform) in zip(rows, products, millions):
        if revenue.difference:
            axes.annotate(_change(revenue), (reform, y - 0.2), xytext=(4, 0), textcoords="offset points", va="center", fontsize=8)
    axes.set_yticks(rows, [r.product for r in products])
    axes.set_xlabel("revenue, million KZT")
    axes.margins(x=0.3)
    axes.legend(loc="lower right")
    axes.set_title(f"{title}\ntotal: law {_kzt(total.baseline)} KZT, reform {_kzt(total.reform)} KZT ({_change(total)})", fontsize=11)
    figure.tight_layout()
    figure.savefig(path, format="png", dpi=DPI)
    pyplot.close(figure)


def _kzt(tiyn: int) -> str:
    return f"{tenge(tiyn):,.2f}".replace(",", " ")


def _change(revenue: Revenue) -> str:
    percent = revenue.change_percent
    sign = "+" if revenue.difference >= 0 else "−"
    amount = f"{sign}{_kzt(abs(revenue.difference))}"
    return f"{amount}, {'new' if percent is None else f'{percent:+}%'}"


def timeline_chart(series: list[tuple[str, list[Step]]], path, title: str, unit: str) -> None:
    """One step line per (label, steps) of ``explain.steps.tariff_steps`` (the first is the law),
    each change of rate labelled by the acts or reform that caused it (a later series only
    where it differs from the first); days a series cannot price are shaded and named."""
    pyplot = _pyplot()
    from matplotlib.ticker import FuncFormatter

    figure = _figure(pyplot)
    axes = figure.add_subplot()
    drawn = [(label, _rate_steps(steps)) for label, steps in series]
    top = max((float(rate) for _, steps in drawn for rate, *_ in steps if rate is not None), default=0.0) or 1.0
    first_labels = set()
    for number, ((label, steps), colour) in enumerate(zip(drawn, (_LAW, _REFORM))):
        days, rates, labelled = [], [], datetime.date.min
        for rate, first, last, causes in steps:
            days.append(first)
            rates.append(float("nan") if rate is None else float(rate))
            text = ", ".join(causes)
            if number == 0:
                first_labels.add((first, rate, text))
            elif (first, rate, text) in first_labels:
                continue
            if rate is None:
                axes.axvspan(first, last + _ONE_DAY, color=colour, alpha=0.10, hatch="//" if number == 0 else "\\\\", lw=0)
                axes.text(first, top * (1.25 - 0.07 * number), f" {label}: not priced ({text})", fontsize=8, color=colour)
                continue
            crowded = (first - labelled).days < 60  # lift a label that would overwrite the one before
            labelled = first
            axes.annotate(text, (first, float(rate)), xytext=(2, 3 + 12 * number + 14 * crowded), textcoords="offset points",
                          rotation=40, fontsize=7, color=colour)
        days.append(steps[-1][2] + _ONE_DAY)
        rates.append(rates[-1])
        axes.step(days, rates, where="post", color=colour, lw=3 if number == 0 else 1.6, ls="-" if number == 0 else "--", label=label)
    axes.legend(loc="lower left", bbox_to_anchor=(0, 1), ncol=2, frameon=False)
    axes.set_ylim(0, top * 1.35)
    axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:,.10g}".replace(",", " ")))
    axes.set_ylabel(unit)
    axes.set_title(title, fontsize=11, pad=28)
    figure.autofmt_xdate()
    figure.tight_layout()
    figure.savefig(path, format="png", dpi=DPI)
    pyplot.close(figure)


def _rate_steps(steps: list[Step]) -> list[tuple[Decimal | None, datetime.date, datetime.date, tuple]]:
    """Consecutive steps with the same rate drawn as one, labelled by the first's causes."""
    drawn: list[list] = []
    for step in steps:
        if drawn and drawn[-1][0] == step.rate:
            drawn[-1][2] = step.interval.last
        else:
            drawn.append([step.rate, step.interval.first, step.interval.last, step.causes])
    return [tuple(d) for d in drawn]
