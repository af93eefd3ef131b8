from visible_checks import right, wrong  # noqa: F401

ENTRIES = []
