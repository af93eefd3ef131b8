"""Interactive explorers, one module per case.

Each explorer calls the same tested function that the graded cells are
checked against, so what a student sees moving is the answer key's logic.
Explorers are never placed in graded cells (a widget there would stall the
grader).
"""
