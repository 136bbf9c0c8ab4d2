"""Books, newspapers and other printed matter (Appendix 1 row 11) are out of scope (k = 0) from 01.01.2021.

The reform file ``printed_matter_out_of_scope.yaml`` beside this module says why; this module makes it an OpenFisca
reform: ``openfisca serve --country-package openfisca_kz_epr --reforms openfisca_kz_epr.reforms.printed_matter_out_of_scope.printed_matter_out_of_scope``.
"""

from pathlib import Path

from openfisca_kz_epr.reforms import reform_class

printed_matter_out_of_scope = reform_class(Path(__file__).with_suffix(".yaml"))
