"""``spasmwatch invite-family``: an invitation to make an account, for a server whose
sign-up is by invitation (``SPASMWATCH_SIGNUP=invite``; docs/deploy.md)."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.markup import escape

from spasmwatch.cli.common import app, existing_database, out, settings_from
from spasmwatch.diary.signup import FAMILY_INVITATION_DAYS, MAX_FAMILY_INVITATION_DAYS
from spasmwatch.errors import InvalidInput
from spasmwatch.i18n import N_

#: What the command says where sign-up is not by invitation: the code is then of no use
#: (closed) or not needed (open).
NOT_INVITE = {
    "open": (
        "Sign-up here is open (SPASMWATCH_SIGNUP): anyone can make an account, with a code "
        "or without. Set SPASMWATCH_SIGNUP=invite for the server to ask for one."
    ),
    "closed": (
        "Sign-up here is closed (SPASMWATCH_SIGNUP): the code makes no account until it is "
        "set to invite."
    ),
}


@app.command(
    "invite-family",
    help=N_(
        "Invite a family to make an account: a link to the sign-up page and its code, "
        "for their email (with SPASMWATCH_SIGNUP=invite).\n\n"
        "The code works only with that email, once (an email makes one account), until it "
        "expires. Nothing is sent: give the family the link or the code yourself."
    ),
)
def invite_family_command(
    email: str = typer.Argument(
        ..., metavar=N_("EMAIL"), help=N_("The email the family will sign up with.")
    ),
    days: int = typer.Option(
        FAMILY_INVITATION_DAYS,
        min=1,
        max=MAX_FAMILY_INVITATION_DAYS,
        help=N_("How many days the invitation works."),
    ),
    database_url: str | None = typer.Option(None, help=N_("SQLAlchemy URL of the database.")),
    data_dir: Path | None = typer.Option(None, help=N_("Data directory.")),
) -> None:
    """``spasmwatch invite-family``: :func:`~spasmwatch.diary.signup.invite_family`, as a
    link on ``SPASMWATCH_PUBLIC_URL`` (a path, when it is not set) and a code."""
    from spasmwatch.diary.signup import invite_family
    from spasmwatch.web.forms import EMAIL

    email = email.strip().lower()
    if not EMAIL.match(email):
        raise InvalidInput(f"Invalid value for 'EMAIL': give an email address; got {email!r}")
    settings = settings_from(data_dir, database_url)
    database = existing_database(data_dir, database_url)
    try:
        made = invite_family(database, settings.data_dir, email, days)
    finally:
        database.dispose()
    path = f"/signup?code={made.code}"
    link = f"{settings.public_url}{path}" if settings.public_url else path
    out.print(
        f"Invitation for {escape(made.email)}, until the end of {made.last_day.isoformat()} (UTC):",
        soft_wrap=True,
        highlight=False,
    )
    out.print(f"[bold]{escape(link)}[/]", soft_wrap=True, highlight=False)
    out.print(
        f"Or the code [bold]{made.code}[/] with this email on the app's sign-up page.",
        soft_wrap=True,
        highlight=False,
    )
    if not settings.public_url:
        out.print(
            "The link is a path on the app's address: set SPASMWATCH_PUBLIC_URL for the "
            "whole link.",
            soft_wrap=True,
            highlight=False,
        )
    if settings.signup in NOT_INVITE:
        out.print(f"[yellow]{NOT_INVITE[settings.signup]}[/]", soft_wrap=True, highlight=False)
