"""Case 4, logistics and payment: trunk lines, warehouses, settlement speed, fraud rates, landed cost in Brazil.

Reading 000, §5 and §2.1. Datasets: ``facts``, ``synthetic_deliveries``, ``synthetic_payments``.
29 points. Reference functions: ``logistics``, with case 1's ``market`` and case 6's payment
shares; explorer: ``widgets.landed_cost_explorer``.
"""
