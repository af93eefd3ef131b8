"""Support code for the AliExpress and Alibaba internationalization casebook.

Notebooks import from here so that they stay short; every answer and every
number the notebooks use has one home in this package or in ``datasets/``.
"""

__version__ = "0.1.0"
