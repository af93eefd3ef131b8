"""Case 3, product selection and pricing: trend capture, test-and-reorder, tiered prices, blockbuster rates.

Reading 000, §4 (with Figure 2, whose caption repeats Figure 1's title). Datasets: ``facts``,
``synthetic_product_trials``, ``figure2_blockbuster_rate``. 26 points. Reference functions:
``pricing`` (growth multiples, which case 2 reuses); explorer: ``widgets.threshold_explorer``.
"""
