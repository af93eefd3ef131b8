"""The grader's limits on what a cell may send and the grader keeps, from ``nbgrader_config.py``
(``c.GradingLimits.cell_output_chars = ...``). The sandbox's limits on a kernel's resources are
``SandboxLimits`` (``course.grading.sandbox``).

A worker reads them from the course's configuration (``configure``) and puts them in its
environment, from which its kernels inherit them: the parts that run in a kernel (the output
cap, the evidence encoder) and the parts that run in the worker use the same numbers. A
kernel that changes its own copy changes only what it sends, never what the worker accepts.
"""

from __future__ import annotations

import functools
import json
import os

from traitlets import Integer
from traitlets.config import Configurable

__all__ = ["LIMITS_ENV", "GradingLimits", "configure", "current"]

LIMITS_ENV = "CASEBOOK_GRADING_LIMITS"


class GradingLimits(Configurable):
    """What one cell may print, send and return to the grader."""

    cell_output_chars = Integer(
        2 * 2**20, help="Characters of output one cell sends (the kernel stops sending past them) and the "
                        "worker keeps (twice as many: a kernel whose cap the student's code removed)").tag(config=True)
    message_bytes = Integer(
        32 * 2**20, help="Size of any one kernel message the worker receives at all (ZeroMQ drops the "
                         "connection past it: the submission fails)").tag(config=True)
    error_text_chars = Integer(
        64 * 2**10, help="Characters kept of an error's value and of each of its traceback lines").tag(config=True)
    evidence_items = Integer(
        200_000, help="Elements of one value the kernel sends to the grader; a larger value cannot be graded"
                      ).tag(config=True)
    evidence_depth = Integer(20, help="Nesting of containers in one value sent to the grader").tag(config=True)

    @property
    def worker_output_chars(self) -> int:
        """What the worker keeps of one cell's output: twice what a kernel sends, for a kernel
        whose cap the student's code removed."""
        return 2 * self.cell_output_chars

    def as_json(self) -> str:
        return json.dumps({name: getattr(self, name) for name in self.class_trait_names(config=True)})


def configure(config) -> GradingLimits:
    """The limits of ``config`` (nbgrader's configuration), for this process and its kernels."""
    limits = GradingLimits(config=config)
    os.environ[LIMITS_ENV] = limits.as_json()
    return limits


def current() -> GradingLimits:
    """The limits this process was given (``configure``, or inherited), else the defaults."""
    return _parsed(os.environ.get(LIMITS_ENV, ""))


@functools.lru_cache(maxsize=4)
def _parsed(given: str) -> GradingLimits:
    return GradingLimits(**json.loads(given)) if given else GradingLimits()
