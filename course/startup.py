"""What the casebook's own processes (its command line and grading workers) skip at start-up."""

from __future__ import annotations

import sys


def skip_iri_grammar() -> None:
    """Importing jsonschema (nbformat does) imports rfc3987_syntax when it is installed, as
    JupyterLab's jupyter-events brings it, and that builds an IRI grammar: 1.8 s at the start
    of every such process. Only jsonschema's "iri" format checks use it, and nothing here
    checks formats. Notebook kernels never import it from here and are not affected."""
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]  # None: importing it fails
