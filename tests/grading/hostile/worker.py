"""A grading step that kills its grading worker, as the out-of-memory killer would, while it
grades one student."""

import os
import signal

from nbgrader.preprocessors import NbGraderPreprocessor

DOOMED = "doomed"


class KillsItsWorker(NbGraderPreprocessor):
    def preprocess(self, nb, resources):
        if resources["nbgrader"]["student"] == DOOMED:
            os.kill(os.getpid(), signal.SIGKILL)
        return nb, resources
