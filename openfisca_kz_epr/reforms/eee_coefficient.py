"""Electrical and electronic equipment (Appendix 1 rows 16-18) pays k = 10 from 01.07.2021 instead of 0.

The reform file ``eee_coefficient.yaml`` beside this module says why; this module makes it an OpenFisca
reform: ``openfisca serve --country-package openfisca_kz_epr --reforms openfisca_kz_epr.reforms.eee_coefficient.eee_coefficient``.
"""

from pathlib import Path

from openfisca_kz_epr.reforms import reform_class

eee_coefficient = reform_class(Path(__file__).with_suffix(".yaml"))
