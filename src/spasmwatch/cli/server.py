"""``spasmwatch serve``, ``worker``, ``backup``, ``restore`` and ``reset-password``."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.markup import escape

from spasmwatch.cli.common import app, existing_database, language, out, settings_from
from spasmwatch.i18n import N_

if TYPE_CHECKING:
    from collections.abc import Callable

    from spasmwatch.cli.backup_words import NGettext
    from spasmwatch.config import Settings
    from spasmwatch.store import Database

log = logging.getLogger("spasmwatch")


#: The ports ``serve`` may listen on: TCP's 16-bit port numbers (RFC 9293), without 0, which
#: asks the system for any free port and which the address it prints could not name.
LOWEST_PORT, HIGHEST_PORT = 1, 65535


@app.command(
    "serve", help=N_("Start the web app (diary, triage, sharing) and its analysis workers.")
)
def serve_command(
    host: str = typer.Option("127.0.0.1", help=N_("Address to listen on.")),
    port: int = typer.Option(
        8000, min=LOWEST_PORT, max=HIGHEST_PORT, help=N_("Port to listen on.")
    ),
    database_url: str | None = typer.Option(
        None, help=N_("SQLAlchemy URL (default: SQLite in the data directory).")
    ),
    data_dir: Path | None = typer.Option(
        None,
        # Said in words short enough to wrap: a path of 26 characters has no place to
        # break, and the help's column cut it ("~/.local/share/spasmwatch…").
        help=N_(
            "Data directory (default: $SPASMWATCH_DATA_DIR, else a folder spasmwatch in "
            "$XDG_DATA_HOME or in ~/.local/share)."
        ),
    ),
    workers: int = typer.Option(
        0,
        min=0,
        help=N_(
            "Web processes (0: two on a machine with two or more cores, else one; "
            "see docs/deploy.md)."
        ),
    ),
    job_workers: int = typer.Option(
        1,
        min=0,
        help=N_(
            "Analysis worker processes to start beside the web app (0: run "
            "'spasmwatch worker' yourself, here or on other machines)."
        ),
    ),
    access_log: bool = typer.Option(
        False,
        "--access-log",
        help=N_(
            "Print a line for every request (client, method, path, status); off by "
            "default, since the paths name children and share links."
        ),
    ),
) -> None:
    """``spasmwatch serve``: the web app under uvicorn, with its analysis workers."""
    import signal

    import uvicorn

    from spasmwatch.jobs import WorkerProcesses
    from spasmwatch.store import Database

    def stop_now(_number: int, _frame: object) -> None:
        raise SystemExit(0)  # stopped as asked: the ``finally`` below stops the workers

    # Told to stop while starting (before uvicorn takes the signals over, and again when
    # its server hands a signal back on the way out): stop cleanly, never killed half-way.
    signal.signal(signal.SIGTERM, stop_now)
    settings = settings_from(data_dir, database_url)
    # uvicorn logs each request at "info"; without the access log only its warnings
    log_level = "info" if access_log else "warning"
    # One Python process renders pages on one core at a time: a second one answers about
    # twice as many pages a second (docs/benchmarks-history.md, Web); they share all state
    # through the database and the data directory.
    workers = workers or min(2, os.cpu_count() or 1)
    _port_free(host, port)
    database = Database(settings)
    database.migrate()
    database.dispose()
    # The web processes and the workers read their settings from the environment.
    env = {**os.environ, "SPASMWATCH_DATA_DIR": str(settings.data_dir)}
    if settings.database_url:
        env["SPASMWATCH_DATABASE_URL"] = settings.database_url
    analysers = WorkerProcesses(job_workers, env)
    where = escape(_database_words(settings))
    out.print(
        f"spasmwatch is running at [bold]http://{host}:{port}/[/] (data: {where}; "
        f"{workers} web and {job_workers} analysis process{'es' if job_workers != 1 else ''})",
        soft_wrap=True,
    )
    out.print("Press Ctrl+C to stop.")
    try:
        analysers.start()
        if workers == 1:
            from spasmwatch.web import create_app
            from spasmwatch.web.app import freeze_start_up

            served = create_app(settings)
            freeze_start_up()
            uvicorn.run(served, host=host, port=port, log_level=log_level, access_log=access_log)
        else:
            import tempfile

            from spasmwatch.web.app import SERVE_PID_VARIABLE
            from spasmwatch.web.serving import TABLE_VARIABLE, ConnectionTable

            os.environ.update(env)
            os.environ[SERVE_PID_VARIABLE] = str(os.getpid())
            # Where the web processes say how many connections each holds, so that the
            # one with the fewest takes the next (spasmwatch.web.serving); in the data
            # directory's temporary folder, cleaned at a later start if the server is
            # killed.
            with tempfile.TemporaryDirectory(prefix="serve-", dir=database.temp_dir) as folder:
                table = Path(folder) / "connections"
                ConnectionTable.create(table)
                os.environ[TABLE_VARIABLE] = str(table)
                uvicorn.run(
                    "spasmwatch.web.app:create_served_app",
                    factory=True,
                    workers=workers,
                    loop="spasmwatch.web.serving:SharedSocketLoop",
                    host=host,
                    port=port,
                    log_level=log_level,
                    access_log=access_log,
                )
    finally:
        analysers.stop()


def _database_words(settings: Settings) -> str:
    """The database the settings name, as ``serve`` and ``worker`` say it at start: the
    URL with its password hidden, or "SQLite in" the data directory."""
    if not settings.database_url:
        return f"SQLite in {settings.data_dir}"
    from sqlalchemy.engine import make_url

    return make_url(settings.database_url).render_as_string(hide_password=True)


#: How the worker's lines begin: a journal of several workers (``spasmwatch-worker@N``,
#: or those ``serve`` starts beside itself) tells them apart by their process id.
WORKER_LOG_FORMAT = "spasmwatch worker %(process)d: %(message)s"


def _log_to_stderr() -> None:
    """Send the worker's log lines (``spasmwatch`` logger, ``info`` and above: its start,
    each job, its stop; :mod:`spasmwatch.jobs`) to standard error, where a service's
    journal or ``serve``'s console shows them. Without a handler, Python would print its
    warnings only."""
    log.setLevel(logging.INFO)
    if any(getattr(h, "spasmwatch_worker", False) for h in log.handlers):
        return  # a process that starts the worker again logs each line once
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter(WORKER_LOG_FORMAT))
    handler.spasmwatch_worker = True  # type: ignore[attr-defined]
    log.addHandler(handler)
    log.propagate = False  # said once, whatever else configured the root logger


@app.command(
    "worker",
    help=N_(
        "Run the analyses (videos, EEG) the web app queues.\n\n"
        "One at a time, each in a child process with the memory and time limits of "
        "SPASMWATCH_JOB_MEMORY_MB and SPASMWATCH_JOB_TIME_LIMIT_S. Several workers, here or "
        "on other machines sharing the database and the data directory, never take the "
        "same job."
    ),
)
def worker_command(
    database_url: str | None = typer.Option(
        None, help=N_("SQLAlchemy URL (default: SQLite in the data directory).")
    ),
    data_dir: Path | None = typer.Option(
        None, help=N_("Data directory (shared with the web app).")
    ),
    once: bool = typer.Option(False, "--once", help=N_("Stop when the queue is empty.")),
) -> None:
    """``spasmwatch worker``: :func:`~spasmwatch.jobs.run_worker` in a thread, this one
    taking the signals."""
    import signal
    import threading

    from spasmwatch.jobs import JobLimits, run_worker

    settings = settings_from(data_dir, database_url)
    _log_to_stderr()
    limits = JobLimits.from_settings(settings)
    memory = f"{limits.memory_mb} MB" if limits.memory_mb else "no memory limit"
    log.info(
        "started: analyses the videos and EEG recordings the web app queues, one at a time "
        "(%s and %.0f s at most each), from %s, files in %s%s",
        memory,
        limits.time_s,
        _database_words(settings),
        settings.data_dir,
        "; stops when the queue is empty" if once else "",
    )
    stop = threading.Event()
    ran: list[int] = []
    failed: list[BaseException] = []

    def work() -> None:
        try:
            ran.append(run_worker(settings, stop, once=once))
        except BaseException as exc:  # re-raised below, in the command's own thread
            failed.append(exc)

    # The jobs run in a thread; this one only waits and takes the signals. The handler
    # only notes the signal: setting the event from a handler takes the event's lock,
    # which this thread may hold already (inside Event.set or Event.wait, or a second
    # signal inside the first handler), and the worker would never stop.
    signalled: list[int] = []
    runner = threading.Thread(target=work, name="spasmwatch-worker")
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda number, _frame: signalled.append(number))
    runner.start()
    while runner.is_alive():
        runner.join(0.5)
        if signalled and not stop.is_set():
            stop.set()
    if failed:
        log.info("stopped by an error: %s", failed[0])
        raise failed[0]
    ran_count = ran[0]
    log.info("stopped after %d job%s", ran_count, "s" if ran_count != 1 else "")
    if once:
        out.print(f"Ran {ran_count} analysis job{'s' if ran_count != 1 else ''}.")


def _port_free(host: str, port: int) -> None:
    """Refuse to start (before saying it runs) where the address is taken already."""
    import socket

    from spasmwatch.errors import SpasmwatchError

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise SpasmwatchError(
                f"Cannot listen on {host}:{port}: {exc.strerror or exc} (is spasmwatch "
                "running there already? stop it, or choose another --port)"
            ) from None


@app.command("backup", help=N_("Back up the database and the attachments into one file."))
def backup_command(
    archive: Path = typer.Argument(
        ..., metavar=N_("ARCHIVE"), help=N_("The backup file to write (.tar.gz).")
    ),
    database_url: str | None = typer.Option(None, help=N_("SQLAlchemy URL of the database.")),
    data_dir: Path | None = typer.Option(None, help=N_("Data directory.")),
    overwrite: bool = typer.Option(
        False, "--overwrite", help=N_("Replace the backup file if it exists already.")
    ),
    allow_missing_attachments: bool = typer.Option(
        False,
        "--allow-missing-attachments",
        help=N_(
            "Write the backup even when attachment files the database refers to are not in "
            "the data directory (it lists them as missing)."
        ),
    ),
    lang: str = typer.Option("en", "--lang", help=N_("Language of the messages: en or es.")),
) -> None:
    """``spasmwatch backup``: :func:`~spasmwatch.store.backup.write_backup`, never over a
    file unless told to, and what the backup holds."""
    from spasmwatch.cli.backup_words import said_contents, said_missing_after_backup
    from spasmwatch.errors import SpasmwatchError
    from spasmwatch.store.backup import MissingAttachments, write_backup

    gettext, ngettext = language(lang)
    if archive.is_file() and not overwrite:
        raise SpasmwatchError(
            f"{archive} exists already: give another name, or --overwrite to replace it"
        )
    folder = settings_from(data_dir, database_url).data_dir
    made_here = _new_folders(folder)
    database = existing_database(data_dir, database_url)
    try:
        contents = write_backup(
            database, archive, allow_missing_attachments=allow_missing_attachments
        )
    except MissingAttachments:
        database.dispose()
        _remove_empty(made_here)  # a mistyped --data-dir is not left behind, made empty
        raise
    said = gettext("Backed up to %(path)s: %(contents)s") % {
        "path": contents.path,
        "contents": said_contents(contents, gettext, ngettext),
    }
    out.print(escape(said), soft_wrap=True, highlight=False)
    if contents.missing_files:
        warning = said_missing_after_backup(contents, database.data_dir, ngettext)
        out.print(f"[yellow]{escape(warning)}[/]", soft_wrap=True, highlight=False)


def _new_folders(folder: Path) -> list[Path]:
    """The folders a :class:`~spasmwatch.store.Database` on ``folder`` makes that are not
    there yet, innermost first."""
    made = [f for f in (folder / "tmp", folder / "attachments") if not f.exists()]
    missing = [p for p in (folder, *folder.parents) if not p.exists()]
    return made + missing


def _remove_empty(folders: list[Path]) -> None:
    """Remove ``folders`` in their order while each is empty (never one that holds
    anything)."""
    for folder in folders:
        try:
            folder.rmdir()  # only if empty
        except OSError:
            return


@app.command("restore", help=N_("Restore a backup into an empty database and data directory."))
def restore_command(
    archive: Path = typer.Argument(
        ..., metavar=N_("ARCHIVE"), help=N_("A backup file made by 'spasmwatch backup'.")
    ),
    database_url: str | None = typer.Option(None, help=N_("SQLAlchemy URL of an empty database.")),
    data_dir: Path | None = typer.Option(None, help=N_("Data directory.")),
    lang: str = typer.Option("en", "--lang", help=N_("Language of the messages: en or es.")),
) -> None:
    """``spasmwatch restore``: :func:`~spasmwatch.store.restore.restore_backup`, and what it
    restored."""
    from spasmwatch.cli.backup_words import said_contents, said_missing_after_restore
    from spasmwatch.store import Database
    from spasmwatch.store.restore import restore_backup

    gettext, ngettext = language(lang)
    database = Database(settings_from(data_dir, database_url))
    database.migrate()
    try:
        _refuse_data_there(database, gettext, ngettext)
        restored = restore_backup(database, archive)
    finally:
        database.dispose()
    said = gettext("Restored: %(contents)s") % {
        "contents": said_contents(restored, gettext, ngettext)
    }
    out.print(escape(said), soft_wrap=True, highlight=False)
    if restored.missing_files:
        warning = said_missing_after_restore(restored, ngettext)
        out.print(f"[yellow]{escape(warning)}[/]", soft_wrap=True, highlight=False)
    if restored.schema_migrations:
        out.print(
            ngettext(
                "The backup was made by an older version: its rows went through "
                "%(count)s database migration to this version's schema.",
                "The backup was made by an older version: its rows went through "
                "%(count)s database migrations to this version's schema.",
                restored.schema_migrations,
            )
            % {"count": restored.schema_migrations},
            soft_wrap=True,
            highlight=False,
        )


def _refuse_data_there(
    database: Database, gettext: Callable[[str], str], ngettext: NGettext
) -> None:
    """Refuse a restore into a database that holds rows, saying what it holds as
    ``backup`` says what a backup holds ("2 accounts, 1 child, ..."), before the backup is
    read (a large one takes minutes). :func:`~spasmwatch.store.restore.restore_backup`
    checks again in its transaction, for rows written meanwhile."""
    from sqlalchemy import func, select

    from spasmwatch.cli.backup_words import said_rows
    from spasmwatch.errors import SpasmwatchError
    from spasmwatch.store.archive import backup_tables
    from spasmwatch.store.models import Attachment

    with database.engine.connect() as conn:
        rows = {
            table.name: n
            for table in backup_tables()
            if (n := conn.execute(select(func.count()).select_from(table)).scalar())
        }
        kinds = {
            str(kind): int(n)
            for kind, n in conn.execute(
                select(Attachment.kind, func.count()).group_by(Attachment.kind)
            )
        }
    if rows:
        where = _database_words(database.settings)
        raise SpasmwatchError(
            gettext(
                "The database to restore into is not empty (%(database)s holds "
                "%(contents)s): restore only into a new, empty database and data directory "
                "(--database-url, --data-dir); nothing was restored"
            )
            % {"database": where, "contents": said_rows(rows, kinds, ngettext)}
        )


@app.command(
    "reset-password",
    help=N_("Make a one-time code that sets a new password on the app's reset page (/reset)."),
)
def reset_password_command(
    email: str = typer.Argument(..., metavar=N_("EMAIL"), help=N_("The email of the account.")),
    database_url: str | None = typer.Option(None, help=N_("SQLAlchemy URL of the database.")),
    data_dir: Path | None = typer.Option(None, help=N_("Data directory.")),
) -> None:
    """``spasmwatch reset-password``: a code from
    :func:`~spasmwatch.diary.accounts.reset_code_for`."""
    from spasmwatch.diary.accounts import RESET_MINUTES, reset_code_for

    database = existing_database(data_dir, database_url)
    try:
        who, code = reset_code_for(database, email, "command line")
    finally:
        database.dispose()
    # Never wrapped (a narrow terminal broke the line before the code): copied whole.
    out.print(
        f"One-time code for {escape(who)}: [bold]{code}[/] (works once, for {RESET_MINUTES} "
        "minutes): enter it with a new password on the app's page /reset",
        soft_wrap=True,
        highlight=False,
    )


# ---------------------------------------------------------------- end web and data commands
