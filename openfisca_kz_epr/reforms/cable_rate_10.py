"""Cable and conduction products pay 10 % of the invoice value (item 5-1) from 01.06.2021 to 23.05.2022 instead of 5 %.

The reform file ``cable_rate_10.yaml`` beside this module says why; this module makes it an OpenFisca
reform: ``openfisca serve --country-package openfisca_kz_epr --reforms openfisca_kz_epr.reforms.cable_rate_10.cable_rate_10``.
"""

from pathlib import Path

from openfisca_kz_epr.reforms import reform_class

cable_rate_10 = reform_class(Path(__file__).with_suffix(".yaml"))
