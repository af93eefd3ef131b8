"""Fast, trustworthy class grading: nbgrader's own autograde steps, run by one worker per core,
each starting every student's kernel as a fresh fork of a warm process in a sandbox, and scoring
every test cell by the grader's own verdict.

``runner.grade_class`` is the entry point; ``python -m course grade CASE`` is its command line.
The modules, by the process they run in:

- the coordinating process: ``runner`` (the class, the worker pool, resuming), ``cluster`` (the
  class over a Dask cluster instead of the pool; its plugin and its tasks run in each Dask
  worker), ``course_setup`` (nbgrader's configuration and gradebook), ``journal`` (what is fully
  graded), ``records`` (per-student records and the summary; also written to from the workers);
- each worker: ``worker`` (its life and one student's grading), ``autograde`` (nbgrader's
  converter and its steps), ``conformance`` (the notebook rebuilt on the release), ``kernels``
  (kernels from the zygote; ``GradingExecute``), ``verdict`` and ``evidence`` (test cells judged
  on the student's values as data), ``save_verdicts`` (scores into the gradebook), ``trust``
  (review flags), ``failures`` (why a submission failed), ``submission_files`` (plain files
  only), ``speedups`` and ``prefetch`` (faster equivalents of library parts), ``output_limit``,
  ``limits`` (the grader's configurable limits, passed on to the kernels);
- the sandbox's proxy, between a worker and its zygote: ``sandbox``;
- the zygote, which forks the kernels: ``zygote``, ``tracebacks``;
- each kernel: ``evidence``'s ``collect`` and ``call`` (what the grader asks of it), ``output_limit``,
  ``limits``;
- nbgrader's collect (``nbgrader collect``, the formgrader): ``exchange``;
- the instructor's Jupyter server: ``formgrader`` (its Autograde button runs the grading command);
- after a run (tests, the benchmark): ``compare`` (two graded classes), ``integrity`` (the gradebook
  whole, nothing outside the outputs changed).
"""
