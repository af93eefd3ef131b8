"""Support code for the AliExpress and Alibaba internationalization casebook.

Notebooks import from here so that they stay short; every answer and every
number the notebooks use has one home in this package or in ``datasets/``.
The package has three layers:

- what every notebook imports, at this level: ``data`` and ``outcomes`` (the datasets),
  ``facts`` and ``provenance`` (numbers from the readings, with their quotes), ``checks``
  (the visible checks), ``plotting``, ``widgets`` (the explorers' shared parts) and
  ``shortanswer`` (grading written answers); ``paths`` finds the course's folders;
- ``cases/``: one package per case, with the reference functions its hidden tests compare
  with, its explorers, its answer hashes and its visible-check corpus;
- what instructors and graders run: ``instructor/`` (the command line, the release build,
  the demo class, teaching notes, feedback), ``grading/`` (``python -m course grade``),
  ``reports/`` and ``synthetic/`` (writing the synthetic datasets); ``notebooks`` (reading
  nbgrader notebooks) and ``startup`` serve both of these.
"""

__version__ = "0.1.0"
