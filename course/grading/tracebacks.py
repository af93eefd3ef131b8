"""IPython's tracebacks in the grading kernels, as IPython formats them, without repeated work.

A wrong or blank answer raises, and every test cell after it raises too: a
student's notebook can show dozens of tracebacks, and IPython takes 15-60 ms
to format each one, more than running most cells. The same cost is paid under
``nbgrader autograde``; here four caches remove the repetition, each giving
back exactly what the uncached code computes:

- IPython formats each error twice, for the cell's output and for its history
  (read only by ``%notebook``), with the same arguments: the second time gets
  the first result (``remember_last_traceback``).
- ``inspect.getmodule`` scans all of ``sys.modules`` (1,300 modules in a
  kernel) for a file no module has, such as a notebook cell or a Cython
  source, several times per frame: such a miss is remembered until
  ``sys.modules`` changes size.
- stack_data builds a new pygments style, a terminal formatter for it and a
  lexer subclass (whose rules pygments compiles anew) for every traceback:
  the style and formatter are kept per theme, and a lexer subclass that adds
  no rules uses its parent's compiled ones.

``install()`` sets up the process-wide caches (in the zygote, so every kernel
starts with them filled); ``remember_last_traceback(shell)`` the per-kernel one.
"""

from __future__ import annotations

import functools
import inspect
import sys

_INSTALLED: list[bool] = []


def install() -> None:
    """Set up the process-wide caches (once; again is a no-op)."""
    if _INSTALLED:
        return
    _remember_missing_modules()
    _reuse_styles_and_formatters()
    _reuse_compiled_lexer_rules()
    _INSTALLED.append(True)


def _remember_missing_modules() -> None:
    original = inspect.getmodule
    misses: dict[str, int] = {}  # file -> len(sys.modules) when no module had it

    def getmodule(object, _filename=None):
        if not (inspect.isframe(object) or inspect.iscode(object) or inspect.istraceback(object)):
            return original(object, _filename)
        try:
            file = inspect.getabsfile(object, _filename)
        except (TypeError, FileNotFoundError):
            return original(object, _filename)
        if misses.get(file) == len(sys.modules):
            return None  # what the scan returns for an object with no __name__
        module = original(object, _filename)
        if module is None:
            misses[file] = len(sys.modules)
        return module

    functools.update_wrapper(getmodule, original)
    inspect.getmodule = getmodule


def _reuse_styles_and_formatters() -> None:
    import stack_data
    import stack_data.core
    from pygments.formatters import terminal256

    cached = functools.lru_cache(maxsize=32)(stack_data.core.style_with_executing_node)
    stack_data.style_with_executing_node = stack_data.core.style_with_executing_node = cached
    terminal256.Terminal256Formatter = _one_formatter_per_style(terminal256.Terminal256Formatter)


def _one_formatter_per_style(formatter_class):
    """Formatters keep no state between calls to ``format``: one per set of options will do."""
    made: dict = {}

    @functools.wraps(formatter_class, updated=())
    def make(**options):
        try:
            key = tuple(sorted(options.items()))
            hash(key)
        except TypeError:  # unhashable options: not cached
            return formatter_class(**options)
        if key not in made:
            made[key] = formatter_class(**options)
        return made[key]

    return make


# What a lexer class can change about how its rules are compiled.
RULE_MAKERS = {"tokens", "flags", "token_variants", "get_tokendefs", "process_tokendef", "_process_state",
               "_process_new_state", "_process_regex", "_process_token"}


def _reuse_compiled_lexer_rules() -> None:
    """stack_data subclasses the Python lexer per frame to mark the running node, adding no
    rules; pygments compiles the rules of each new class, ~7 ms. Give such a subclass its
    parent's compiled rules (the same ``process_tokendef`` result, as no rule is added)."""
    from pygments.lexers import get_lexer_by_name

    python_lexer = type(get_lexer_by_name("python3"))

    def __init_subclass__(cls, **kwargs):
        super(python_lexer, cls).__init_subclass__(**kwargs)
        parent = cls.__mro__[1]
        if "_tokens" in parent.__dict__ and not RULE_MAKERS & set(cls.__dict__):
            cls._tokens = parent._tokens

    python_lexer.__init_subclass__ = classmethod(__init_subclass__)  # type: ignore[assignment]  # as a class body has it
    python_lexer(stripnl=False)  # compile the parent's rules now (in the zygote)


def remember_last_traceback(shell) -> None:
    """The shell's traceback formatter returns its last result when asked again for the same
    error with the same settings (IPython asks twice per error: to show it, to store it)."""
    formatter = shell.InteractiveTB
    format_traceback = formatter.structured_traceback
    last = {"error": (), "settings": None, "lines": None}  # the error objects are kept: ids stay unique

    def structured_traceback(etype, evalue=None, etb=None, tb_offset=None, context=5):
        error = (etype, evalue, etb)
        settings = (formatter.tb_offset if tb_offset is None else tb_offset, context, formatter.mode,
                    formatter._theme_name, formatter.has_colors)
        if etype is not None and settings == last["settings"] and all(
                a is b for a, b in zip(error, last["error"])):
            return list(last["lines"])
        lines = format_traceback(etype, evalue, etb, tb_offset=tb_offset, context=context)
        last.update(error=error, settings=settings, lines=list(lines))
        return lines

    formatter.structured_traceback = structured_traceback
