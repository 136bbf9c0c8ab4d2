"""Packaging coefficients (Appendix 1 rows 5-9 and 19-23) raised by 25 % from 01.07.2021.

The reform file ``packaging_raise.yaml`` beside this module says why; this module makes it an OpenFisca
reform: ``openfisca serve --country-package openfisca_kz_epr --reforms openfisca_kz_epr.reforms.packaging_raise.packaging_raise``.
"""

from pathlib import Path

from openfisca_kz_epr.reforms import reform_class

packaging_raise = reform_class(Path(__file__).with_suffix(".yaml"))
