"""``nbgrader collect`` that brings only plain files into ``submitted/``.

nbgrader's collect copies each submission out of the exchange with
``shutil.copytree``, which follows links as the instructor: a link a student
leaves in the exchange would arrive in ``submitted/`` as a plain copy of what
it points to (``source/``, the gradebook, another student's work), which no
later check can tell from the student's own file. ``nbgrader_config.py``
makes this class the exchange's collector (``c.ExchangeFactory.collect``), so
the command line and the formgrader's "Collect" button both use it:

- a submission whose latest version in the exchange holds a symbolic link, a
  hard link, a FIFO, a device or a socket (``submission_files.problems``) is
  not collected, and an error names the student and why; the others are;
- the copy never follows a link, even one made while it runs: the
  submission is first copied to a private folder with
  ``submission_files.copy_tree`` and nbgrader copies that (with its ignore
  patterns, size limits and permissions, unchanged).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from nbgrader.exchange.default.collect import ExchangeCollect

from course.grading import submission_files

__all__ = ["PlainFilesCollect"]


class PlainFilesCollect(ExchangeCollect):
    """nbgrader's collector, refusing submissions that are not plain files (module docstring)."""

    def init_src(self):
        super().init_src()
        kept = []
        for record in self.src_records:
            folder = Path(self.inbound_path, record["filename"])
            reasons = submission_files.problems(folder, f"inbound/{record['filename']}")
            if reasons:
                self.log.error("Not collected: %s's submission of %s: %s", record["username"],
                               self.coursedir.assignment_id, "; ".join(reasons))
            else:
                kept.append(record)
        self.src_records = kept

    def do_copy(self, src, dest, log=None):
        with tempfile.TemporaryDirectory(prefix="casebook-collect-") as private:
            staged = Path(private, "submission")
            try:
                submission_files.copy_tree(Path(src), staged)
            except submission_files.NotPlainFile as refusal:  # it changed since init_src looked
                self.log.error("Not collected: %s: %s", Path(src).name, refusal)
                return
            super().do_copy(str(staged), dest, log)
