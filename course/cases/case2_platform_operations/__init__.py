"""Case 2, platform operations: the four hosting models, Table 2, matching seller profiles to models.

Reading 000, §3 (multi-tier hosting, the merchant cases, the data tools). Datasets: ``facts``,
``table2_hosting_models``, ``timeline``. 22 points. Reference functions: ``operations``; explorer:
``widgets.model_explorer``.
"""
