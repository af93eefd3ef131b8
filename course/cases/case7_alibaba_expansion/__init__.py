"""Case 7, Alibaba's international expansion: timeline, revenue share growth, the five discussion questions.

Reading 003 ("Alibaba: Expansion Into International Markets"), its timeline, results, takeaways and
§9's five discussion questions, graded as short answers. Datasets: ``facts``, ``timeline``.
32 points. Reference functions: ``expansion``; explorer: ``widgets.share_growth_explorer``.
"""
