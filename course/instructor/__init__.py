"""The tools run from a checkout, never imported by a notebook: ``python -m course`` (``cli``), building
``release/`` (``release``, through ``nbgrader_tools``), the demo class (``demo``), the answer hashes
(``hash_recording``, running keys with ``execution``), the visible checks held to the hidden tests
(``visible_checks``), teaching notes (``teaching_notes``), feedback pages (``feedback``), timings
(``bench``), a self-study answer key (``selfstudy``) and a student's own JupyterLab (``student_lab``).
"""
