"""The table API on Spark: ``mapInArrow`` hands each partition's Arrow record batches to
``price_batches``, which gives priced record batches back.

    pip install 'openfisca-kz-epr' pyspark   # and a Java runtime (17 or later) for Spark
    python examples/spark_price.py

A local Spark of two cores; on a cluster, the same code with the package installed on every
executor. The lines are sorted by date first: a partition costs one OpenFisca simulation per
legal period it holds (see docs/past-one-machine.md).
"""

import os
import sys
from pathlib import Path

from pyspark.sql import SparkSession

from openfisca_kz_epr import CountryTaxBenefitSystem
from openfisca_kz_epr.engine.table_api import price_batches

SAMPLE = Path(__file__).resolve().parent / "declarations_sample.csv"
ADDED = ("payment decimal(38,2), payment_tiyn bigint, goods_payment decimal(38,2), packaging_payment decimal(38,2), "
         "problem string, legal_basis string, confidence string")

if __name__ == "__main__":
    law = CountryTaxBenefitSystem()  # built once, pickled to the executors with the function
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)  # the workers run this Python, where the package is
    spark = SparkSession.builder.master("local[2]").config("spark.ui.enabled", "false").getOrCreate()
    try:
        lines = spark.read.csv(str(SAMPLE), header=True)  # cells as text: price reads them as the audit does
        schema = ", ".join(f"`{name}` string" for name in lines.columns) + ", " + ADDED
        priced = lines.repartitionByRange(2, "date").mapInArrow(lambda batches: price_batches(batches, law), schema)
        priced.select("declaration_id", "date", "product", "payment", "problem").show(50, truncate=60)
    finally:
        spark.stop()
