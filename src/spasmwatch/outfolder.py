"""Writing an analysis's files into a folder the user names (``--out``), whole or not at all.

The files are written into a hidden folder inside the target and moved in when all are
done, ``analysis.json`` last: an interrupted or failed run leaves the folder as it was, and
a folder with a new ``analysis.json`` holds that run's files. The folder keeps a list of the
files its last run wrote (:data:`MANIFEST`); a new run removes the ones it did not write
again (say, a clip of an event the new run does not find), and never any other file.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from spasmwatch.errors import SpasmwatchError
from spasmwatch.processes import process_alive

__all__ = ["MANIFEST", "staged_outputs"]

#: The names of the files the folder's last run wrote (a JSON list).
MANIFEST = ".spasmwatch-outputs.json"
#: Moved in last: whoever reads it finds the files it names.
LAST = "analysis.json"
_STAGE = re.compile(r"^\.partial-(\d+)-")


@contextlib.contextmanager
def staged_outputs(out_dir: str | Path, into: Path | None = None) -> Iterator[Path]:
    """Yield an empty folder to write into; its files replace the last run's in ``out_dir``
    when the block ends without an error (and are thrown away when it raises).

    ``into``: a private folder that the caller puts in the place of ``out_dir`` whole
    (the web app's analyses, :mod:`spasmwatch.attachments`). It is yielded as it is: the
    files go there directly, with no list of them kept."""
    if into is not None:
        yield into
        return
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
        _remove_abandoned(out)
        stage = Path(tempfile.mkdtemp(prefix=f".partial-{os.getpid()}-", dir=out))
    except OSError as exc:
        raise SpasmwatchError(
            f"Cannot write into the output folder {out}: {exc.strerror or exc}"
        ) from None
    try:
        yield stage
        _move_in(stage, out)
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def _move_in(stage: Path, out: Path) -> None:
    names = sorted((p.name for p in stage.iterdir() if p.is_file()), key=lambda n: n == LAST)
    earlier = _manifest(out)
    try:
        for name in names:
            os.replace(stage / name, out / name)
        listing = stage / MANIFEST
        listing.write_text(json.dumps(sorted(names)), encoding="utf-8")
        os.replace(listing, out / MANIFEST)
    except OSError as exc:
        raise SpasmwatchError(
            f"Cannot write into the output folder {out}: {exc.strerror or exc}"
        ) from None
    for name in set(earlier) - set(names):
        with contextlib.suppress(OSError):
            (out / name).unlink(missing_ok=True)


def _manifest(out: Path) -> list[str]:
    """The file names the folder's last run wrote (only plain names inside the folder)."""
    try:
        names = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    if not isinstance(names, list):
        return []
    return [
        n for n in names if isinstance(n, str) and Path(n).name == n and n not in ("", ".", "..")
    ]


def _remove_abandoned(out: Path) -> None:
    """Remove hidden folders left by runs that were stopped (their process is gone)."""
    for p in out.iterdir():
        m = _STAGE.match(p.name)
        if m and p.is_dir() and not process_alive(int(m.group(1))):
            shutil.rmtree(p, ignore_errors=True)
