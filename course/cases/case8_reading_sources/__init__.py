"""Case 8, reading sources critically: the same facts told differently.

Readings 001 (the blog essay "The Digital Silk Road"), 002 (China Daily, 2019) and 004 (customer
groups and markets, 2013-2014) against 000 and 003. Datasets: ``facts``, ``timeline``. 28 points.
Reference functions: ``source_criticism``, with case 1's ``market`` and case 7's reach by
reading; explorer: ``widgets.claims_explorer``.
"""
