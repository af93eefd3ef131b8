import sys

from course.startup import skip_iri_grammar

skip_iri_grammar()  # before anything imports jsonschema

from course.instructor.cli import main  # noqa: E402

sys.exit(main())
