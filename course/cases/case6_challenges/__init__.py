"""Case 6, challenges and optimization: compliance costs, payment fees, ESG targets; checking the paper's sums.

Reading 000, §7 (with §7.2's fee cut of 1.7 points that is to give 6 points of margin). Datasets:
``facts``, ``synthetic_payments``. 22 points. Reference functions: ``challenges``; explorers:
``widgets.margin_explorer`` and ``widgets.green_path_explorer``.
"""
