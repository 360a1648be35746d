"""Who may make an account (``Settings.signup``: open, invite or closed), and the
invitations to make one that whoever runs a server gives a family
(``spasmwatch invite-family``).

An invitation to make an account is a code, not a row: the last day it works and a
signature of that day and of the email it was made for (HMAC-SHA256 with the
installation's invitation key, a random key in the data directory, made when first
needed). Nothing is stored, so no table changes. A code works only with the email it was
made for, and an email makes one account: a code makes one account at most. To withdraw
every code not yet used, delete the key file (:data:`KEY_FILE`): the next code made makes
a new key. An invitation link to a child's diary (:mod:`spasmwatch.diary.sharing`) lets
its holder make an account too, in ``invite`` mode: an account the server let in gave it,
and it gives a role in that one diary. Without a code the link is taken up in the
transaction that makes the account, or no account is made: one used by someone else since
it was opened lets nobody in (:func:`~spasmwatch.diary.accounts.create_account`).
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import hmac
import os
import secrets
import tempfile
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Literal

from spasmwatch.config import SIGNUP_MODES
from spasmwatch.diary.sharing import INVITE_DAYS
from spasmwatch.errors import Conflict, InvalidInput, SpasmwatchError
from spasmwatch.store import Database, repo

__all__ = [
    "FAMILY_INVITATION_DAYS",
    "KEY_FILE",
    "MAX_FAMILY_INVITATION_DAYS",
    "CodeProblem",
    "FamilyInvitation",
    "code_letters",
    "code_problem",
    "code_works",
    "grouped_code",
    "invitation_key",
    "invite_family",
    "make_code",
    "may_sign_up",
]

#: The file in the data directory that holds the invitation key (hex, 0600): shared by
#: every web process and by ``spasmwatch invite-family``, which use the same data
#: directory as they do for the uploaded files [design].
KEY_FILE = "invitation.key"
#: The key's size: 256 bits, as the app's other random tokens
#: (:func:`~spasmwatch.diary.access.new_token`) [design].
KEY_BYTES = 32
#: How long an invitation to make an account works by default, in days: as long as an
#: invitation link to a child's diary (``sharing.INVITE_DAYS``) [design].
FAMILY_INVITATION_DAYS = INVITE_DAYS
#: The longest an invitation may be made for, in days: a code is a key to an account on
#: the server, and one that nobody used in three months is better made again [design].
MAX_FAMILY_INVITATION_DAYS = 90
#: The signature's share of a code: 64 bits. Guessing one for a given email takes some
#: 2**63 tries, against the sign-up limit of 10 tries per address in a quarter of an
#: hour, then waits (``web.routes.accounts.SIGNUPS_FREE``) [design].
MAC_BYTES = 8
#: The last day is written as days since 1970-01-01 in two bytes (until the year 2149)
#: [design].
DAY_BYTES = 2
#: A code's characters: base32 (RFC 4648), in groups of four for reading out; 0 and 1 are
#: read as O and I, which base32 has instead [design].
CODE_GROUP = 4
_LOOKALIKES = str.maketrans({"0": "O", "1": "I"})
#: What a code is read without, as people type, paste or read it out: its dashes (and the
#: other dashes a phone's keyboard or a document puts for them) and any spaces.
_SEPARATORS = str.maketrans(dict.fromkeys("-\u2010\u2011\u2012\u2013\u2014\u2212"))
#: Why a code lets nobody in (:func:`code_problem`): not a code at all (``malformed``);
#: made for another email, mistyped, or signed with a key since deleted and made again
#: (``not_for_email``: a signature cannot tell these apart); the data directory holds no
#: key, deleted to withdraw every code (``withdrawn``: no code works); or past its last
#: day (``expired``).
CodeProblem = Literal["malformed", "not_for_email", "withdrawn", "expired"]
#: What the signature is of, besides the email and the day: a key made for another use
#: never signs a valid invitation [design].
_PURPOSE = b"spasmwatch account invitation\x00"
_EPOCH = date(1970, 1, 1)


@dataclass(frozen=True)
class FamilyInvitation:
    """An invitation to make an account: the email it is for, its code and the last day
    it works (UTC; it works until that day ends)."""

    email: str
    code: str
    last_day: date


def invitation_key(data_dir: Path) -> bytes:
    """The installation's invitation key, from ``data_dir`` (:data:`KEY_FILE`); made there
    when it has none yet, once however many processes ask at the same time."""
    path = data_dir / KEY_FILE
    if not path.exists():
        data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        # Written whole to a file of its own (0600), then linked to its name, which fails
        # where another process linked its key first: every process reads that one.
        fd, scratch = tempfile.mkstemp(dir=data_dir, prefix=".invitation-key-")
        try:
            with os.fdopen(fd, "w") as f:
                f.write(secrets.token_hex(KEY_BYTES) + "\n")
                f.flush()
                os.fsync(f.fileno())
            with contextlib.suppress(FileExistsError):
                os.link(scratch, path)
        finally:
            os.unlink(scratch)
    try:
        key = bytes.fromhex(path.read_text().strip())
    except ValueError:
        key = b""
    if len(key) != KEY_BYTES:
        raise SpasmwatchError(
            f"The invitation key {path} is damaged: delete it (a new one is made; codes "
            "made with the old one stop working)"
        )
    return key


def _signature(key: bytes, email: str, day: bytes) -> bytes:
    message = _PURPOSE + email.strip().lower().encode() + b"\x00" + day
    return hmac.new(key, message, hashlib.sha256).digest()[:MAC_BYTES]


def _today() -> date:
    return datetime.now(UTC).date()


def code_letters(code: str) -> str:
    """The letters of a code as it was typed: without its dashes and spaces, in capitals.
    The invitation codes and the password reset codes
    (:func:`~spasmwatch.diary.accounts.make_reset_code`) are both groups of letters and
    digits joined by dashes; a person reads them out, copies them from a text message or
    types them on a phone, with spaces for the dashes and in lower case."""
    return "".join(code.split()).translate(_SEPARATORS).upper()


def grouped_code(letters: str) -> str:
    """``letters`` in groups of :data:`CODE_GROUP` joined by dashes, as a code is given:
    ``KE6RONFU`` is ``KE6R-ONFU``."""
    return "-".join(letters[i : i + CODE_GROUP] for i in range(0, len(letters), CODE_GROUP))


def make_code(key: bytes, email: str, last_day: date) -> str:
    """The code of an invitation for ``email`` that works until ``last_day`` ends (UTC)."""
    day = (last_day - _EPOCH).days.to_bytes(DAY_BYTES, "big")
    return grouped_code(base64.b32encode(day + _signature(key, email, day)).decode())


def code_problem(
    data_dir: Path, email: str, code: str, today: date | None = None
) -> CodeProblem | None:
    """Why ``code`` is not an invitation for ``email`` that still works (None when it is),
    typed with or without its dashes, with spaces, in either case, 0 and 1 for O and I.

    Checking makes no key: where the data directory holds none, the key the codes were
    signed with was deleted (how every unused code is withdrawn), and no code works. A
    code that is not for the email is said as such only where its signature is wrong; that
    it expired, only where the signature is right."""
    plain = code_letters(code).translate(_LOOKALIKES)
    if len(plain) * 5 != (DAY_BYTES + MAC_BYTES) * 8:
        return "malformed"
    try:
        raw = base64.b32decode(plain)
    except (binascii.Error, ValueError):
        return "malformed"
    if not (data_dir / KEY_FILE).exists():
        return "withdrawn"
    day, signature = raw[:DAY_BYTES], raw[DAY_BYTES:]
    if not hmac.compare_digest(signature, _signature(invitation_key(data_dir), email, day)):
        return "not_for_email"
    last_day = _EPOCH + timedelta(days=int.from_bytes(day, "big"))
    return None if last_day >= (today or _today()) else "expired"


def code_works(data_dir: Path, email: str, code: str, today: date | None = None) -> bool:
    """Whether ``code`` is an invitation for ``email`` that still works
    (:func:`code_problem`)."""
    return code_problem(data_dir, email, code, today) is None


def invite_family(
    db: Database,
    data_dir: Path,
    email: str,
    days: int = FAMILY_INVITATION_DAYS,
    today: date | None = None,
) -> FamilyInvitation:
    """An invitation to make an account with ``email``, for ``days`` days (audited as
    ``invite_family``). :class:`~spasmwatch.errors.Conflict` when an account uses the
    email already (it signs in instead; a forgotten password has ``reset-password``)."""
    if not 1 <= days <= MAX_FAMILY_INVITATION_DAYS:
        raise InvalidInput(
            "Invalid value for 'days': give a whole number from 1 to "
            f"{MAX_FAMILY_INVITATION_DAYS}; got {days}"
        )
    email = email.strip().lower()
    last_day = (today or _today()) + timedelta(days=days)
    code = make_code(invitation_key(data_dir), email, last_day)
    with db.transaction() as s:
        if repo.user_by_email(s, email) is not None:
            raise Conflict(
                f"An account uses {email} already: it signs in (for a forgotten password, "
                f"spasmwatch reset-password {email})"
            )
        repo.audit(s, "invite_family", detail=f"{email}, until {last_day.isoformat()}")
    return FamilyInvitation(email, code, last_day)


def may_sign_up(mode: str, *, code_ok: bool, diary_invitation: bool) -> bool:
    """Whether a new account may be made under sign-up ``mode`` (one of
    :data:`~spasmwatch.config.SIGNUP_MODES`): always when ``open``; in ``invite`` with an
    invitation code that works for its email (``code_ok``) or an invitation link to a
    child's diary that can still be taken up (``diary_invitation``); never when
    ``closed``."""
    if mode not in SIGNUP_MODES:
        raise ValueError(f"Invalid value for 'mode': allowed are {', '.join(SIGNUP_MODES)}")
    if mode == "open":
        return True
    return mode == "invite" and (code_ok or diary_invitation)
