"""Case 1, market selection: the dual-track strategy, Table 1, delivery-time gains by region, GMV shares.

Reading 000 (Chen, "AliExpress's Internationalization"), §2 (market selection, with §2.1.2's
"six times faster" clearance). Datasets: ``facts``, ``table1_market_layout``, ``figure1_gmv_share``.
18 points. Reference functions: ``market`` (speed-ups, percent reductions, delivery tables, which
cases 4 and 8 reuse); explorer: ``widgets.delivery_explorer``.
"""
