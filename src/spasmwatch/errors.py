"""The error hierarchy of spasmwatch.

Every error a user can cause derives from :class:`SpasmwatchError` and carries a message
that names the field or file and what is wrong, so that the command line and the web app
can show it as it is, without a traceback.
"""

from __future__ import annotations

from collections.abc import Callable

from spasmwatch.i18n import N_, english

__all__ = [
    "AnalysisError",
    "Conflict",
    "Forbidden",
    "InvalidCase",
    "InvalidInput",
    "NotFound",
    "SpasmwatchError",
    "UnreadableFile",
]


class SpasmwatchError(Exception):
    """Base class of every error spasmwatch raises on purpose."""


#: The head of an :class:`InvalidCase`'s message: its one problem, or how many there are
#: (listed below it, one a line).
INVALID_CASE = N_("Invalid case: %(problem)s")
INVALID_CASE_PROBLEMS = N_("Invalid case (%(n)s problems):")


class InvalidCase(SpasmwatchError, ValueError):
    """A case document does not follow the case format.

    Parameters
    ----------
    problems
        One message per problem, each naming the field (as a dotted path such as
        ``episodes[0].state``), the bad value and what is allowed.
    """

    def __init__(self, problems: list[str] | str) -> None:
        if isinstance(problems, str):
            problems = [problems]
        self.problems: list[str] = list(problems)
        super().__init__("; ".join(self.problems))

    def __str__(self) -> str:
        return self.said()

    def said(
        self,
        gettext: Callable[[str], str] = english,
        say: Callable[[str], str] = english,
    ) -> str:
        """The message in ``gettext``'s language, each problem said by ``say``
        (:func:`spasmwatch.case.say_problem`); English by default, as ``str()`` gives it."""
        said = [say(p) for p in self.problems]
        if len(said) == 1:
            return gettext(INVALID_CASE) % {"problem": said[0]}
        lines = "\n".join(f"  - {p}" for p in said)
        return gettext(INVALID_CASE_PROBLEMS) % {"n": len(said)} + "\n" + lines


class UnreadableFile(SpasmwatchError, OSError):
    """A file cannot be read: missing, wrong format, corrupt or truncated.

    The message names the file and the problem.
    """


class NoEEGChannel(UnreadableFile):
    """A well-formed EDF/EDF+/BDF file with no EEG channel to analyse (a hypnogram of
    annotations only, or only other signals): kept as a file, but nothing to analyse."""


class AnalysisError(SpasmwatchError, RuntimeError):
    """An analysis cannot be carried out on valid input (e.g. a recording too short)."""


class NotFound(SpasmwatchError, LookupError):
    """The thing asked for does not exist (or is not visible to whoever asks)."""


class Forbidden(SpasmwatchError, PermissionError):
    """Whoever asks may not do this (e.g. a viewer logging an episode)."""


class Conflict(SpasmwatchError):
    """The request conflicts with the current state (e.g. an analysis already running)."""


class InvalidInput(SpasmwatchError, ValueError):
    """A value given to a use case is not allowed; the message names the field.

    Parameters
    ----------
    message
        What is wrong, in English. With ``params`` it has ``%(name)s`` placeholders for
        them: ``str()`` gives the message filled in, and a page can say ``message`` in its
        own language filled in with the same values (``message`` is then the message id
        of the catalogs).
    params
        The values of the placeholders (the value that was given, the limits...).
    """

    def __init__(self, message: str, /, **params: object) -> None:
        self.message = message
        self.params = params
        super().__init__(message % params if params else message)
