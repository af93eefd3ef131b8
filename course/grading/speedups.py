"""Speed-ups of nbgrader, nbconvert, jsonschema and SQLAlchemy in the grading workers, behind one switch.

Each replaces a slow part with one that gives the same result, so none of them is needed for a
grade to be right; an upgrade of those libraries may break one. Set ``CASEBOOK_SPEEDUPS=off`` in
the environment of ``python -m course grade`` to grade without any of them (to find out whether
one is to blame for a regression); ``tests/grading/test_grading.py`` checks that a class grades the same
either way. They are:

- in the worker (``install_in_worker``): nbgrader's metadata schema checked once, not per cell
  (``CheckedSchemas``); one database engine per gradebook URL (``share_engines``); the
  gradebook rows of a submission read in a few queries (``course.grading.prefetch``);
- in the worker's configuration (``configure``): nbconvert's notebook validation once, after
  the last step;
- in the zygote (``course.grading.zygote``): IPython's traceback formatting without its repeated
  work (``course.grading.tracebacks``);
- in ``course.grading.save_verdicts``: a notebook's grades written in one transaction.
"""

from __future__ import annotations

import json
import os

__all__ = ["SWITCH", "CheckedSchemas", "configure", "enabled", "install_in_worker", "share_engines"]

SWITCH = "CASEBOOK_SPEEDUPS"


def enabled() -> bool:
    """Whether the speed-ups are on (the default), as ``CASEBOOK_SPEEDUPS`` in this process's environment says."""
    return os.environ.get(SWITCH, "on").strip().lower() not in ("off", "0", "no", "false")


def install_in_worker() -> None:
    """Install the worker's speed-ups (unless switched off)."""
    if not enabled():
        return
    from nbgrader.nbgraderformat import common as metadata_format

    from course.grading import prefetch

    metadata_format.jsonschema = CheckedSchemas()
    share_engines()
    prefetch.install()


class CheckedSchemas:
    """``jsonschema`` for nbgrader's cell metadata validator, checking each schema only once.

    ``jsonschema.validate`` checks the schema itself before every instance: for nbgrader's
    fixed schema that is most of its cost, twice per graded cell. Instances are still
    validated, each distinct one once (a cell's metadata is the same in nearly every
    submission), and an invalid one raises the same best-matching error every time.
    nbgrader reads its schema file anew for each notebook: equal schemas share one entry.
    """

    REMEMBERED_PER_SCHEMA = 10_000

    def __init__(self):
        self._by_text: dict[str, tuple] = {}  # the schema's JSON -> (validator, valid instances)
        self._last: tuple | None = None  # (schema, its entry) of the last call

    def __getattr__(self, name):
        import jsonschema

        return getattr(jsonschema, name)

    def _checked(self, schema) -> tuple:
        import jsonschema

        if self._last is None or self._last[0] is not schema:
            text = json.dumps(schema, sort_keys=True)
            if text not in self._by_text:
                cls = jsonschema.validators.validator_for(schema)
                cls.check_schema(schema)
                self._by_text[text] = (cls(schema), set())
            self._last = (schema, self._by_text[text])
        return self._last[1]

    def validate(self, instance, schema) -> None:
        import jsonschema

        validator, valid = self._checked(schema)
        try:
            text = json.dumps(instance, sort_keys=True)
        except (TypeError, ValueError):  # not JSON: validated every time
            text = None
        if text is not None and text in valid:
            return
        error = jsonschema.exceptions.best_match(validator.iter_errors(instance))
        if error is not None:
            raise error
        if text is not None and len(valid) < self.REMEMBERED_PER_SCHEMA:
            valid.add(text)


def share_engines() -> None:
    """nbgrader opens a gradebook (a new engine, connecting anew, checking every table exists)
    about ten times per student: let this worker's gradebooks share one engine, and its pooled
    connections, per URL, and check its tables once."""
    import nbgrader.api
    from sqlalchemy import create_engine

    engines: dict = {}
    metadata = nbgrader.api.Base.metadata
    create_all = metadata.create_all
    with_tables: set = set()

    def shared_engine(url, **options):
        key = (str(url), tuple(sorted(options.items())))
        if key not in engines:
            engines[key] = create_engine(url, **options)
        return engines[key]

    def create_tables_once(bind, **options):
        if bind not in with_tables:
            create_all(bind=bind, **options)
            with_tables.add(bind)

    nbgrader.api.create_engine = shared_engine
    metadata.create_all = create_tables_once


def configure(config) -> None:
    """nbconvert checks the whole notebook against the schema after each of nbgrader's steps,
    13 a student; check it once, after the last step (unless the course configured this, or the
    speed-ups are off)."""
    if not enabled():
        return
    if not any("optimistic_validation" in config[section] for section in ("Exporter", "NotebookExporter")):
        config.Exporter.optimistic_validation = True
