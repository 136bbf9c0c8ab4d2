"""Files a user names as output, written so that nothing is lost.

Each output is written to a temporary file created exclusively (``tempfile.mkstemp``: a fresh
name no input can have) in its target's folder, then renamed onto the target once every
output is complete; a run's own temporary data (xlsxwriter's, the audit's ids seen so far) goes
into a folder made beside the target likewise (``scratch``) and removed with everything in it. Only a path that does not exist yet or a regular file is ever replaced: a
device, a link, a folder is refused before anything is read. ``-`` is the standard output. The
inputs and outputs of one run must be different files, by identity (device and inode), not by
name. On any failure or interruption (Ctrl-C, SIGTERM, SIGHUP: see ``Terminated``) the
temporary files are removed and every target keeps what it held before.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import stat
import sys
import tempfile
import threading

from openfisca_kz_epr.language import Message, MessageError

STDOUT = "-"


class OutputError(MessageError):
    """An output that cannot be written as asked; the message is one line."""


class Terminated(BaseException):
    """SIGTERM or SIGHUP received: unwinds like Ctrl-C's KeyboardInterrupt, so that every
    ``finally`` runs; the exit code is 128 + the signal's number."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


def raise_on_termination() -> None:
    """Turn SIGTERM and SIGHUP into ``Terminated`` in the main thread (where they are delivered)."""
    def handler(signum, frame):
        raise Terminated(signum)

    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, handler)


class StopOnSignal:
    """Within the block, Ctrl-C, SIGTERM and SIGHUP are noted, not raised where they land (in a
    C call, a finaliser, a half-made file); ``check()`` raises the first one noted
    (``KeyboardInterrupt`` for Ctrl-C, ``Terminated`` otherwise) where stopping is clean, and so
    does leaving the block. Outside the main thread it notes nothing."""

    SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)

    def __init__(self) -> None:
        self.received: int | None = None
        self.before: dict = {}

    def __enter__(self) -> StopOnSignal:
        if threading.current_thread() is threading.main_thread():
            for signum in self.SIGNALS:
                self.before[signum] = signal.signal(signum, self._note)
        return self

    def _note(self, signum, frame) -> None:
        self.received = self.received or signum

    def check(self) -> None:
        if self.received == signal.SIGINT:
            raise KeyboardInterrupt
        if self.received is not None:
            raise Terminated(self.received)

    def __exit__(self, kind, error, trace) -> None:
        for signum, handler in self.before.items():
            signal.signal(signum, handler)
        if kind is None:
            self.check()


def check(inputs: dict[str, str], outputs: dict[str, str | None]) -> None:
    """Refuse, with an ``OutputError``, outputs that would destroy something: each output
    (role → path; None: not asked) must be ``-``, a path that does not exist in an existing
    folder, or a regular file; no two of the inputs and outputs may be the same file; at most
    one output may be ``-``."""
    named = {role: path for role, path in outputs.items() if path is not None}
    if sum(path == STDOUT for path in named.values()) > 1:
        raise OutputError(Message("only one output can be the standard output ('-'): {roles}",
                                  roles=", ".join(named)))
    for role, path in named.items():
        if path == STDOUT:
            continue
        try:
            found = os.lstat(path)
        except FileNotFoundError:
            folder = os.path.dirname(path) or "."
            if not os.path.isdir(folder):
                raise OutputError(Message("the {role} {path}: the folder {folder} does not exist", role=Message(role), path=path,
                                          folder=folder)) from None
            continue
        if not stat.S_ISREG(found.st_mode):
            raise OutputError(Message("the {role} {path} is not a regular file (a link, a device or a folder): it is not "
                                      "replaced; name a file, or '-' for the standard output", role=Message(role), path=path))
    identities: dict[tuple, tuple[str, str]] = {}
    for role, path in [*inputs.items(), *((r, p) for r, p in named.items() if p != STDOUT)]:
        key = _identity(path)
        if key in identities:
            first_role, first_path = identities[key]
            raise OutputError(Message("the {role} {path} is the same file as the {first_role} {first_path}: the input and "
                                      "each output must be different files", role=Message(role), path=path,
                                      first_role=Message(first_role), first_path=first_path))
        identities[key] = (role, path)


def _identity(path: str) -> tuple:
    """The file's device and inode; for a path that does not exist yet, its resolved name."""
    try:
        found = os.stat(path)
        return ("inode", found.st_dev, found.st_ino)
    except OSError:
        return ("name", os.path.realpath(path))


@contextlib.contextmanager
def staged(targets: list[str | None]):
    """Where to write each target (None: not asked; ``-``: the binary standard output; else a
    temporary file's path in the target's folder), as a list. On a normal exit the temporary
    files are renamed onto their targets in order, keeping an existing target's permission
    bits (a new one gets those the umask gives); on any exception they are removed and the
    targets are untouched."""
    temporary: list[str | None] = []
    try:
        for target in targets:
            if target is None or target == STDOUT:
                temporary.append(None)
                continue
            folder = os.path.dirname(target) or "."
            with _signals_deferred():  # a file made is a file listed, to be removed
                handle, path = tempfile.mkstemp(prefix=f".{os.path.basename(target)}.", suffix=".tmp", dir=folder)
                temporary.append(path)
            os.close(handle)
        yield [sys.stdout.buffer if target == STDOUT else path for target, path in zip(targets, temporary)]
        with _signals_deferred():  # all the targets renamed, or (on an error) none after it
            for index, (target, path) in enumerate(zip(targets, temporary)):
                if path is not None:
                    os.chmod(path, _mode_for(target))
                    os.replace(path, target)
                    temporary[index] = None
    finally:
        for path in temporary:
            if path is not None:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(path)


@contextlib.contextmanager
def scratch(beside: str | None):
    """A new empty folder beside the file ``beside`` (a staged output) for a run's temporary
    data (a writer's, the ids seen so far), removed with all it holds when the block ends,
    whatever ends it. ``beside`` None (the output is the standard output): in the system's
    temporary folder (``tempfile``), beside no file of the user's."""
    with _signals_deferred():  # a folder made is a folder removed
        if beside is None:
            folder = tempfile.mkdtemp(prefix=".kz-epr.", suffix=".scratch")
        else:
            folder = tempfile.mkdtemp(prefix=f".{os.path.basename(beside)}.", suffix=".scratch",
                                      dir=os.path.dirname(beside) or ".")
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def _signals_deferred():
    """Ctrl-C, SIGTERM and SIGHUP held back (then delivered) while a step must not be cut in two;
    only the main thread receives them."""
    held = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP}
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    before = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


def _mode_for(target: str) -> int:
    try:
        return stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask
