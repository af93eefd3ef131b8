"""Case 5, marketing and promotion: social commerce, the influencer pyramid, Table 3 ("Card-3").

Reading 000, §6. Datasets: ``facts``, ``synthetic_influencer_campaign``, ``table3_regional_marketing``
(its outcomes read by ``course.outcomes``), ``timeline``. 28 points. Reference functions:
``marketing``; explorers: ``widgets.outcome_explorer`` and ``widgets.pay_explorer``.
"""
