"""A first fee: an importer's three lines on 1 March 2021, priced with the law of that day.

Run: .venv/bin/python examples/first_fee.py
"""

from decimal import Decimal

from openfisca_core.simulations import SimulationBuilder

from openfisca_kz_epr import CountryTaxBenefitSystem
from openfisca_kz_epr.situation_examples import importer_2021

DAY = "2021-03-01"

system = CountryTaxBenefitSystem()
simulation = SimulationBuilder().build_from_entities(system, importer_2021)
names = simulation.populations["product_line"].ids
payments = simulation.calculate("epr_payment_tiyn", DAY)
rates = simulation.calculate("epr_rate", DAY)
basis = simulation.calculate("epr_legal_basis", DAY)
confidence = simulation.calculate("epr_confidence", DAY)
print(f"EPR payment on {DAY} (MRP {simulation.calculate('mrp', DAY)[0]:.0f} KZT)")
for name, tiyn, rate, acts, sure in zip(names, payments, rates, basis, confidence):
    print(f"  {name:8} {Decimal(int(tiyn)).scaleb(-2):>14,} KZT  rate {rate:>12,.2f}  [{acts}; {sure}]")
total = simulation.calculate("producer_epr_payment_tiyn", DAY)[0]
print(f"  {'total':8} {Decimal(int(total)).scaleb(-2):>14,} KZT")
