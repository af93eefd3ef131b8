"""nbgrader's Autograde converter as the casebook runs it, in a grading worker.

The steps, in order, are nbgrader's as configured (``c.Autograde.sanitize_preprocessors`` and
``c.Autograde.autograde_preprocessors``) with these changes, made by ``casebook_autograde``:

- sanitize: ``ConformToRelease`` (``course.grading.conformance``) before ``DeduplicateIds``
  (first, if that is not configured): the notebook that runs is rebuilt on the release;
- autograde: ``GradingExecute`` (``course.grading.kernels``) in place of ``Execute``, kernels
  forked from the worker's zygote and test cells judged in the worker; ``TrustCheck``
  (``course.grading.trust``) and the caller's extra steps just before ``SaveAutoGrades``;
  ``VerdictSaveAutoGrades`` (``course.grading.save_verdicts``) in place of ``SaveAutoGrades``;
  the steps that write the gradebook under the class's gradebook lock;
- reading the submission: ``plain_reads`` and ``plain_course_directory`` open its files
  without following a link (``course.grading.submission_files``).
"""

from __future__ import annotations

import datetime
import functools
import os
import shutil
from pathlib import Path

from course.grading import submission_files

__all__ = ["casebook_autograde", "pipeline", "plain_course_directory", "plain_reads"]


def _resolve(item):
    if isinstance(item, str):
        from traitlets.utils.importstring import import_item

        return import_item(item.replace(":", "."))
    return item


def _locked(cls, lock):
    """A subclass of nbgrader preprocessor ``cls`` that touches the gradebook under the lock."""

    def preprocess(self, nb, resources):
        with lock.held():
            return cls.preprocess(self, nb, resources)

    return type(cls.__name__, (cls,), {"preprocess": preprocess, "__module__": __name__,
                                       "__doc__": f"nbgrader's {cls.__name__}, under the gradebook lock."})


def casebook_autograde(lock):
    from nbgrader.converters import Autograde
    from nbgrader.preprocessors import AssignLatePenalties, DeduplicateIds, Execute, SaveAutoGrades

    from course.grading.conformance import ConformToRelease
    from course.grading.kernels import GradingExecute
    from course.grading.save_verdicts import VerdictSaveAutoGrades
    from course.grading.trust import TrustCheck

    locked = {SaveAutoGrades: _locked(VerdictSaveAutoGrades, lock),
              AssignLatePenalties: _locked(AssignLatePenalties, lock)}

    class CasebookAutograde(Autograde, plain_reads()):
        """nbgrader's Autograde on the notebook rebuilt from the release; kernels from the zygote,
        scores from the grader's own verdicts, gradebook writes one worker at a time."""

        def __init__(self, *args, extra_preprocessors=(), **kwargs):
            super().__init__(*args, **kwargs)
            sanitize = list(map(_resolve, self.sanitize_preprocessors))
            sanitize.insert(sanitize.index(DeduplicateIds) if DeduplicateIds in sanitize else 0, ConformToRelease)
            self.sanitize_preprocessors = sanitize
            steps = []
            for configured in map(_resolve, self.autograde_preprocessors):
                step = GradingExecute if configured is Execute else configured
                if step is SaveAutoGrades:
                    steps.extend([TrustCheck, *map(_resolve, extra_preprocessors)])
                steps.append(locked.get(step, step))
            self.autograde_preprocessors = steps

        def init_assignment(self, assignment_id, student_id):
            with lock.held():
                super().init_assignment(assignment_id, student_id)

    return CasebookAutograde


def pipeline(config=None) -> list[str]:
    """The steps a submission goes through under ``config`` (nbgrader's configuration), in order,
    as ``"<pass>: <module>.<class>"``."""
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config import Config

    from course.grading.worker import GradebookLock

    converter = casebook_autograde(GradebookLock(Path(os.devnull)))(coursedir=CourseDirectory(),
                                                                   config=config or Config())
    return [f"{name}: {step.__module__}.{step.__name__}"
            for name, steps in (("sanitize", converter.sanitize_preprocessors),
                                ("autograde", converter.autograde_preprocessors))
            for step in steps]


def plain_reads():
    """A step of nbgrader's converters, put after ``Autograde`` in the order of its bases, that
    reads the submission without following a link (``submission_files``): ``_grade`` checked the
    folder, and these close the gap between that check and nbgrader's reading it."""
    from nbconvert.exporters.exporter import ResourcesDict
    from nbgrader.converters.base import BaseConverter
    from nbgrader.utils import find_all_files, remove

    class PlainReads(BaseConverter):
        def _reads_submission(self) -> bool:
            return getattr(self, "_sanitizing", False)  # Autograde's first pass reads submitted/

        def _trusted(self, path: str | Path) -> Path:
            """The folder above the student's (``submitted/``): no link is followed below it."""
            base = Path(os.path.normpath(self.coursedir.format_path(self.coursedir.submitted_directory, ".", ".")))
            path = Path(os.path.normpath(path))
            return base if path.is_relative_to(base) and path != base else path.parent

        def init_assignment(self, assignment_id: str, student_id: str) -> None:
            # nbgrader's, with a copy that opens each file without following a link
            source = self._format_source(assignment_id, student_id)
            dest = self._format_dest(assignment_id, student_id)
            trusted = self._trusted(source)
            for filename in find_all_files(source, [*self.coursedir.ignore, "*.ipynb"]):
                path = os.path.join(dest, os.path.relpath(filename, source))
                os.makedirs(os.path.dirname(path), exist_ok=True)
                if os.path.lexists(path):
                    remove(path)
                self.log.info("Copying %s -> %s", filename, path)
                if self._reads_submission():
                    submission_files.copy_plain(Path(filename), Path(path), beneath=trusted)
                else:
                    shutil.copy(filename, path)

        def convert_single_notebook(self, notebook_filename: str) -> None:
            if not self._reads_submission():
                return super().convert_single_notebook(notebook_filename)
            # nbgrader's and nbconvert's from_filename, on a descriptor opened without following a link
            self.log.info("Converting notebook %s", notebook_filename)
            resources = self.init_single_notebook_resources(notebook_filename)
            handle = submission_files.open_plain(Path(notebook_filename), beneath=self._trusted(notebook_filename))
            with os.fdopen(handle, encoding="utf-8") as reader:
                metadata = resources.setdefault("metadata", ResourcesDict())
                folder, name = os.path.split(notebook_filename)
                metadata["name"], metadata["path"] = os.path.splitext(name)[0], folder
                modified = datetime.datetime.fromtimestamp(os.fstat(reader.fileno()).st_mtime,
                                                           tz=datetime.UTC)
                metadata["modified_date"] = modified.strftime("%B %-d, %Y")
                output, resources = self.exporter.from_file(reader, resources=resources)
            self.write_single_notebook(output, resources)

    return PlainReads


@functools.cache
def plain_course_directory():
    """nbgrader's course directory, reading a submission's ``timestamp.txt`` as ``PlainReads``
    reads its other files (nbgrader's own open would wait forever on a FIFO swapped in)."""
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.utils import parse_utc

    class PlainCourseDirectory(CourseDirectory):
        def get_existing_timestamp(self, dest_path: str):
            submitted = Path(os.path.normpath(self.format_path(self.submitted_directory, ".", ".")))
            path = Path(os.path.normpath(dest_path), "timestamp.txt")
            if not path.is_relative_to(submitted) or not os.path.lexists(path):
                return super().get_existing_timestamp(dest_path)
            with os.fdopen(submission_files.open_plain(path, beneath=submitted), encoding="utf-8") as reader:
                timestamp = reader.read().strip()
            if not timestamp:
                self.log.warning("Empty timestamp file: %s", path)
                return None
            try:
                return parse_utc(timestamp)
            except ValueError:
                raise ValueError(f"Invalid timestamp string in {path}") from None

    return PlainCourseDirectory
