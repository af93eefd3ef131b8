"""Submissions are files, not links: find, refuse and never follow anything else.

A student's folder under ``submitted/`` may hold only plain files (regular
files with a single name) and folders. A symbolic link would let
``shutil.copy``, nbgrader and the sandbox's copy bring whatever it points to
(``source/``, the gradebook, another student's work) into a kernel,
``autograded/`` or ``feedback/``; a hard link is a second name of a file that
may live outside the submission; a FIFO blocks whoever opens it; a device
or a socket is no data of the student's at all. ``submission_problems`` says, in an instructor's terms,
which entries are refused; the copy and open helpers never follow a link even
if the folder changes after it was checked.

Everything here looks at entries with ``lstat`` and opens them with
``O_NOFOLLOW``, folder by folder from a trusted base, so a link is never
followed, at the end of a path or in the middle of one.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import stat
from collections.abc import Iterator
from pathlib import Path

__all__ = [
    "MAX_REASONS",
    "NotPlainFile",
    "copy_plain",
    "copy_tree",
    "describe",
    "entries",
    "open_plain",
    "problems",
    "remove_output",
    "submission_problems",
]

MAX_REASONS = 5  # reasons listed per submission; the rest are counted
_SHOWN_TARGET = 80  # characters of a link's target shown in a reason
_FILE_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC  # NONBLOCK: a FIFO must not hang us
_FOLDER_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_DIRECTORY | os.O_CLOEXEC
_NOT_A_FOLDER = "a file, not a folder"


class NotPlainFile(OSError):
    """An entry that is not a plain file or folder was met while opening or copying a submission."""


def describe(info: os.stat_result) -> str | None:
    """What is wrong with an entry whose ``lstat`` is ``info``, or None for a plain file or folder."""
    mode = info.st_mode
    if stat.S_ISDIR(mode):
        return None
    if stat.S_ISREG(mode):
        if info.st_nlink > 1:
            return (f"a hard link (one of {info.st_nlink} names of the same file, which may be "
                    "outside the submission)")
        return None
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    return "neither a regular file nor a folder"


def _shown(text: str, limit: int = 200) -> str:
    """``text`` safe to print: control characters escaped, undecodable bytes as ``\\x..``, clipped."""
    text = text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    text = "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text)
    return text if len(text) <= limit else text[:limit - 3] + "..."


def _reason(shown: str, path: Path, what: str) -> str:
    if what == _NOT_A_FOLDER:
        return f"{shown} is {what}"
    if what == "a symbolic link":
        with contextlib.suppress(OSError):
            what += f" (to {_shown(os.readlink(path), _SHOWN_TARGET)})"
    return f"{shown} is {what}; submissions must be plain files"


def entries(folder: Path, errors: list | None = None) -> Iterator[tuple[tuple[str, ...], os.stat_result]]:
    """Every entry under ``folder`` (not ``folder`` itself), as its path's parts relative to it and
    its ``lstat``, folders before their contents and siblings in name order. Links are listed,
    never followed. A folder or entry that cannot be read (its path too long, say) is skipped
    and added to ``errors`` as ``(parts, OSError)``."""
    stack: list[tuple[str, ...]] = [()]
    while stack:
        parts = stack.pop()
        try:
            with os.scandir(Path(folder, *parts)) as listing:
                found = sorted(listing, key=lambda entry: entry.name)
        except OSError as err:
            if errors is not None:
                errors.append((parts, err))
            continue
        inner = []
        for entry in found:
            try:
                info = entry.stat(follow_symlinks=False)
            except FileNotFoundError:  # gone meanwhile
                continue
            except OSError as err:
                if errors is not None:
                    errors.append(((*parts, entry.name), err))
                continue
            yield (*parts, entry.name), info
            if stat.S_ISDIR(info.st_mode):
                inner.append((*parts, entry.name))
        stack.extend(reversed(inner))


def problems(folder: Path, shown_as: str | None = None, limit: int = MAX_REASONS) -> list[str]:
    """Why ``folder`` cannot be graded as a submission: one reason per entry (``folder`` itself
    included) that is not a plain file or folder, at most ``limit`` and then a count of the rest.
    ``shown_as`` is how reasons name ``folder`` (its path by default). A missing folder has none."""
    folder = Path(folder)
    shown = shown_as or str(folder)
    try:
        top = os.lstat(folder)
    except FileNotFoundError:
        return []
    except OSError as err:
        return [f"{shown} cannot be read ({err.strerror})"]
    if not stat.S_ISDIR(top.st_mode):
        return [_reason(shown, folder, describe(top) or _NOT_A_FOLDER)]
    found: list[str] = []
    more = 0
    unreadable: list[tuple[tuple[str, ...], OSError]] = []
    for parts, info in entries(folder, unreadable):
        what = describe(info)
        if what is None:
            continue
        if len(found) < limit:
            found.append(_reason(_shown("/".join((shown, *parts))), Path(folder, *parts), what))
        else:
            more += 1
    # a folder not read may hide anything: refused too
    found = [f"{_shown('/'.join((shown, *parts)))} cannot be read ({err.strerror}); submissions must be plain files"
             for parts, err in unreadable] + found
    more += max(0, len(found) - limit)
    found = found[:limit]
    if more:
        found.append(f"and {more} more entries of {shown} that are not plain files")
    return found


def submission_problems(root: Path, student: str, case: str, step: str = "submitted") -> list[str]:
    """Why ``step/<student>/<case>/`` of course ``root`` cannot be graded (``problems``), the
    student's own folder and the case's included: neither may be a link. Reasons name paths
    relative to ``root``; a submission that is not there has none."""
    base = Path(root) / step
    student_folder = base / student
    shown = f"{step}/{_shown(student)}"
    try:
        info = os.lstat(student_folder)
    except FileNotFoundError:
        return []
    except OSError as err:
        return [f"{shown} cannot be read ({err.strerror})"]
    what = describe(info)
    if what is not None or not stat.S_ISDIR(info.st_mode):
        return [_reason(shown, student_folder, what or _NOT_A_FOLDER)]
    return problems(student_folder / case, f"{shown}/{_shown(case)}")


def open_plain(path: Path, beneath: Path | None = None) -> int:
    """A descriptor open for reading on the plain file ``path``; ``NotPlainFile`` if it, or any
    folder on its way from ``beneath`` (an ancestor of ``path`` the caller trusts; by default
    its parent), is a link or anything but a plain file or folder. The caller closes it."""
    path = Path(path)
    beneath = Path(beneath) if beneath is not None else path.parent
    parts = path.relative_to(beneath).parts
    if not parts:
        raise NotPlainFile(f"{_shown(str(path))} is not a file")
    try:
        folder = os.open(beneath, _FOLDER_FLAGS)
    except OSError as err:
        if err.errno in (errno.ELOOP, errno.ENOTDIR):
            raise NotPlainFile(_reason(_shown(str(beneath)), beneath, "a symbolic link" if beneath.is_symlink()
                                       else _NOT_A_FOLDER)) from None
        raise
    try:
        for index, part in enumerate(parts[:-1]):
            try:
                inner = os.open(part, _FOLDER_FLAGS, dir_fd=folder)
            except OSError as err:
                if err.errno in (errno.ELOOP, errno.ENOTDIR):  # a link, or a file, where a folder should be
                    _refuse(Path(beneath, *parts[:index + 1]), folder, part)
                raise
            os.close(folder)
            folder = inner
        # look before opening: opening a device or a socket may do something, or fail obscurely
        seen = os.stat(parts[-1], dir_fd=folder, follow_symlinks=False)
        if describe(seen) is not None or not stat.S_ISREG(seen.st_mode):
            _refuse(path, folder, parts[-1])
        handle = os.open(parts[-1], _FILE_FLAGS, dir_fd=folder)  # ELOOP if it became a link meanwhile
    finally:
        os.close(folder)
    info = os.fstat(handle)
    if (info.st_dev, info.st_ino) != (seen.st_dev, seen.st_ino) or describe(info) is not None:
        os.close(handle)
        raise NotPlainFile(f"{_shown(str(path))} changed while it was opened; submissions must be plain files")
    os.set_blocking(handle, True)
    return handle


def _refuse(path: Path, folder: int, name: str):
    """Raise ``NotPlainFile`` for entry ``name`` of the open ``folder`` (``path``), if it is not plain."""
    try:
        info = os.stat(name, dir_fd=folder, follow_symlinks=False)
    except OSError:
        return
    what = describe(info) or (_NOT_A_FOLDER if stat.S_ISREG(info.st_mode) else "a folder, not a file")
    raise NotPlainFile(_reason(_shown(str(path)), path, what))


def copy_plain(source: Path, target: Path, beneath: Path | None = None, keep_times: bool = False) -> None:
    """Copy plain file ``source`` (``open_plain``, from ``beneath``) to ``target``, with its
    permission bits (and its times if ``keep_times``); ``target`` is written, never through a link."""
    handle = open_plain(source, beneath)
    with os.fdopen(handle, "rb") as reader:
        info = os.fstat(reader.fileno())
        flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW | os.O_CLOEXEC
        with os.fdopen(os.open(target, flags, 0o600), "wb") as writer:
            shutil.copyfileobj(reader, writer, 1 << 20)
            writer.flush()
            os.fchmod(writer.fileno(), stat.S_IMODE(info.st_mode) & 0o777)
            if keep_times:
                os.utime(writer.fileno(), ns=(info.st_atime_ns, info.st_mtime_ns))


def copy_tree(source: Path, target: Path) -> None:
    """Copy the contents of folder ``source`` into folder ``target`` (made if missing), keeping
    permission bits and times; ``NotPlainFile`` at the first entry that is not a plain file or
    folder, after which ``target`` may hold part of the copy."""
    source, target = Path(source), Path(target)
    target.mkdir(parents=True, exist_ok=True)
    found = problems(source, limit=1)
    if found:
        raise NotPlainFile(found[0])
    folders = []
    for parts, info in entries(source):
        here = Path(target, *parts)
        if stat.S_ISDIR(info.st_mode):
            here.mkdir()
            folders.append((here, info))
        else:
            copy_plain(Path(source, *parts), here, beneath=source, keep_times=True)
    for here, info in reversed(folders):  # innermost first: filling a folder changes its times
        os.chmod(here, stat.S_IMODE(info.st_mode) & 0o777 | stat.S_IRWXU, follow_symlinks=False)
        os.utime(here, ns=(info.st_atime_ns, info.st_mtime_ns), follow_symlinks=False)


def remove_output(student_folder: Path, case: str) -> None:
    """Remove ``student_folder/case`` (an earlier run's ``autograded/`` or ``feedback/`` of a
    submission now refused), never following a link: a link is removed, not what it points to."""
    student_folder = Path(student_folder)
    if student_folder.is_symlink() or not student_folder.is_dir():
        return
    target = student_folder / case
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        target.unlink()
    elif target.is_dir():
        shutil.rmtree(target)  # shutil's rmtree does not follow links inside the folder either
