"""Many declarations priced at once from Python: a table in, the same table priced out.

``price(table)`` is the door the audit, ``/bulk`` and ``simulate`` use (``declarations`` reads
the cells, ``engine.bulk.compute`` groups the lines by legal period, one OpenFisca simulation each),
for a pyarrow ``Table``, a pandas ``DataFrame`` or a dict of columns. It is linear in the
number of lines; OpenFisca's dict situations (``SimulationBuilder.build_from_entities``) are
not, which makes them fit for a few lines only.

``price_batches(batches)`` is the same for a stream of Arrow record batches (the shape of
Spark's ``mapInArrow``, DuckDB's and Ray Data's batch maps): batches are gathered up to
``rows_per_chunk`` lines and priced together, so lines of one legal period spread over many
small batches share one simulation.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import pyarrow

from openfisca_kz_epr.engine.arrow_texts import strings
from openfisca_kz_epr.engine.bulk import compute
from openfisca_kz_epr.engine.declarations import COLUMNS, read_declarations
from openfisca_kz_epr.money import tenge_array

ROWS_PER_CHUNK = 100_000
ADDED = ("payment", "payment_tiyn", "goods_payment", "packaging_payment", "problem", "legal_basis", "confidence")


def price(declarations, tax_benefit_system=None):
    """``declarations`` priced, line by line, exactly.

    ``declarations``: a ``pyarrow.Table``, a ``pandas.DataFrame`` or a dict of columns, one row
    per line, with the audit's columns: ``date`` (``YYYY-MM-DD`` or ``DD.MM.YYYY`` text, a date, a
    datetime64 or an Arrow timestamp: its day), ``product``
    or ``customs_code``, and the inputs the lines need (``mass_tonnes``, ``invoice_value``,
    ``vehicle_category``, ``engine_displacement_cm3``, ``gross_vehicle_mass_tonnes``,
    ``engine_power_hp``, ``is_electric``, ``import_origin``, ``road_tractor_use``,
    ``packaging_material``, ``packaging_customs_code``, ``packaging_mass_tonnes``); other
    columns are carried through. Numbers may be numbers or decimal text; missing values are
    missing, never 0.

    Returns a table (a ``pandas.DataFrame`` for a ``DataFrame``, the added columns Arrow-backed:
    ``pandas.ArrowDtype``, never Python objects; else a ``pyarrow.Table``), its columns
    unchanged and in order, followed by ``ADDED``:
    ``payment`` (tenge, decimal128(38, 2), exact; null where the line cannot be priced),
    ``payment_tiyn`` (int64; null likewise), ``goods_payment`` and ``packaging_payment`` (the
    two parts, each rounded half up), ``problem`` ('' or why the line is not priced: nothing is
    silently 0), ``legal_basis`` (act ids of ``legislation_refs/``, ``;``-separated) and
    ``confidence``. ``tax_benefit_system``: this package's law by default, or a reform of it.
    Raises ``ValueError`` when a column the model needs is missing or an added one is there, or
    a column cannot be read as one type (naming it).
    """
    table, as_pandas = _as_table(declarations)
    added = _priced_columns(table, _system(tax_benefit_system))
    if as_pandas:
        import pandas

        frame = table.to_pandas()
        for name, column in zip(ADDED, added):
            frame[name] = pandas.Series(pandas.arrays.ArrowExtensionArray(column), index=frame.index)
        return frame
    return pyarrow.Table.from_arrays([*table.columns, *added], names=[*table.column_names, *ADDED])


def price_batches(batches: Iterable[pyarrow.RecordBatch], tax_benefit_system=None,
                  rows_per_chunk: int = ROWS_PER_CHUNK) -> Iterator[pyarrow.RecordBatch]:
    """The record batches ``batches`` (declarations, as for ``price``; every batch of one
    schema) priced: record batches of their columns followed by ``ADDED``, line for line in
    the order given. Batches are gathered up to ``rows_per_chunk`` lines (a larger batch is
    priced whole) and each chunk priced by one ``price``: one simulation per legal period of
    the chunk, however many batches its lines came in. A chunk of lines of one or a few
    legal periods costs least (sort or partition by ``date``): each period a chunk holds costs
    one simulation (see the documentation's page "Past one machine").

    Raises what ``price`` raises, before any batch of the chunk that has the mistake is yielded.
    """
    system = _system(tax_benefit_system)
    waiting: list[pyarrow.RecordBatch] = []
    count = 0
    for batch in batches:
        waiting.append(batch)
        count += batch.num_rows
        if count >= rows_per_chunk:
            yield from price(pyarrow.Table.from_batches(waiting), system).to_batches()
            waiting, count = [], 0
    if waiting:
        yield from price(pyarrow.Table.from_batches(waiting), system).to_batches()


def _system(tax_benefit_system):
    if tax_benefit_system is None:
        from openfisca_kz_epr import CountryTaxBenefitSystem

        return CountryTaxBenefitSystem()
    return tax_benefit_system


def _priced_columns(table: pyarrow.Table, tax_benefit_system) -> list[pyarrow.Array]:
    """The columns ``ADDED`` of the declarations ``table``."""
    names = table.column_names
    if "date" not in names or not ({"product", "customs_code"} & set(names)):
        raise ValueError(f"the declarations need a 'date' column and a 'product' or 'customs_code' column; they have: {', '.join(names)}")
    clash = [name for name in ADDED if name in names]
    if clash:
        raise ValueError(f"the columns {', '.join(clash)} are ones price() adds: rename them")
    columns = {name: table.column(name) for name in COLUMNS if name in names}  # text, numbers or dates alike
    days, lines, problem = read_declarations(columns, table.num_rows)
    result = compute(tax_benefit_system, days, lines, problem)
    ok = result.ok
    return [tenge_array(result.tiyn, ok), pyarrow.array(result.tiyn, mask=~ok), tenge_array(result.goods_tiyn, ok),
            tenge_array(result.packaging_tiyn, ok), strings(result.problem), strings(result.legal_basis), strings(result.confidence)]


def _as_table(declarations) -> tuple[pyarrow.Table, bool]:
    """(the declarations as a pyarrow table, whether they came as a pandas DataFrame); raises
    ``ValueError`` naming a column pyarrow cannot read as one type (numbers and texts mixed)."""
    if isinstance(declarations, pyarrow.Table):
        return declarations, False
    if isinstance(declarations, dict):
        columns, as_pandas = declarations, False
    elif hasattr(declarations, "to_dict") and hasattr(declarations, "columns"):  # a pandas DataFrame
        columns, as_pandas = {name: declarations[name] for name in declarations.columns}, True
    else:
        raise ValueError(f"declarations are a pyarrow Table, a pandas DataFrame or a dict of columns, not {type(declarations).__name__}")
    arrays = {}
    for name, values in columns.items():
        try:
            arrays[str(name)] = values if isinstance(values, (pyarrow.Array, pyarrow.ChunkedArray)) else pyarrow.array(values, from_pandas=True)
        except (pyarrow.ArrowException, TypeError, ValueError) as error:
            raise ValueError(f"the column {name!r} cannot be read ({' '.join(str(error).split())}): give its cells one type "
                             "(numbers, dates or texts)") from None
    return pyarrow.table(arrays), as_pandas
