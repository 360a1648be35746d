"""`spasmwatch export fhir|csv` and `spasmwatch import csv` from the command line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

from fhir.resources.R4B.bundle import Bundle

from web.webworld import SPASM_EPISODE, add_child, log_episode, new_app, sign_up


def test_export_and_import_commands(tmp_path: Path, cli: Any) -> None:
    app = new_app(tmp_path)  # data in tmp_path / "data"
    person = sign_up(app, "ann@example.org", "Ann")
    first = add_child(person, "Mia")
    second = add_child(person, "Leo")
    log_episode(person, first)
    log_episode(person, first, {**SPASM_EPISODE, "started_at": "2026-11-21T07:00:00"})
    app.state.db.dispose()
    where = ("--data-dir", str(tmp_path / "data"))

    bundle_file = tmp_path / "bundle.json"
    made = cli("export", "fhir", str(first), "--out", str(bundle_file), *where)
    assert made.returncode == 0, made.stderr
    bundle = Bundle.model_validate_json(bundle_file.read_text())
    assert bundle.type == "document"
    assert sum(e.resource.get_resource_type() == "Observation" for e in bundle.entry) == 2

    exported = cli("export", "csv", str(first), *where)  # to standard output
    assert exported.returncode == 0, exported.stderr
    assert exported.stdout.startswith("id,started_at,state,movements")
    csv_file = tmp_path / "episodes.csv"
    csv_file.write_text(exported.stdout, newline="")

    checked = cli("import", "csv", str(second), str(csv_file), "--dry-run", *where)
    assert checked.returncode == 0, checked.stderr
    assert "all 2 rows are valid" in checked.stdout
    imported = cli("import", "csv", str(second), str(csv_file), *where)
    assert imported.returncode == 0 and "Imported 2 episodes" in imported.stdout
    # the same file again: nothing doubled
    again = cli("import", "csv", str(second), str(csv_file), *where)
    assert again.returncode == 0, again.stderr
    said = " ".join(again.stdout.split())
    assert "Imported 0 episodes from 2 rows. 2 of them equal an episode the diary" in said

    bad = tmp_path / "bad.csv"
    bad.write_text("movements,count,state\nhead_nod,ten,awake\nwobble,2,sleeping\n")
    refused = cli("import", "csv", str(second), str(bad), *where)
    assert refused.returncode == 2
    assert "nothing was imported" in refused.stderr and "Traceback" not in refused.stderr
    for line in ("row 2, count:", "row 3, movements:", "row 3, state:"):
        assert line in refused.stderr

    again = cli("export", "csv", str(second), *where)
    rows = again.stdout.strip().splitlines()
    assert len(rows) == 3  # the header and the two imported episodes, nothing from bad.csv
    assert [r.split(",", 1)[1] for r in rows[1:]] == [
        r.split(",", 1)[1] for r in exported.stdout.strip().splitlines()[1:]
    ]

    zipped = tmp_path / "tables.zip"
    made_zip = cli("export", "csv", str(first), "--tables", "--out", str(zipped), *where)
    assert made_zip.returncode == 0, made_zip.stderr
    with zipfile.ZipFile(zipped) as archive:
        names = sorted(archive.namelist())
        tables = {name: archive.read(name) for name in names}
    assert names == [
        "episodes.csv",
        "milestones.csv",
        "recordings.csv",
        "treatments.csv",
        "workup.csv",
    ]
    # files for a spreadsheet start with a byte order mark (Excel reads accents right)
    assert all(table.startswith(b"\xef\xbb\xbf") for table in tables.values())
    # the same episodes table as the plain export
    assert tables["episodes.csv"].decode("utf-8-sig") == exported.stdout
    as_file = tmp_path / "for-excel.csv"
    assert cli("export", "csv", str(first), "--out", str(as_file), *where).returncode == 0
    assert as_file.read_bytes() == b"\xef\xbb\xbf" + exported.stdout.encode()
    # and such a file imports as it is
    assert cli("import", "csv", str(second), str(as_file), "--dry-run", *where).returncode == 0
    no_out = cli("export", "csv", str(first), "--tables", *where)
    assert no_out.returncode == 2 and "--out" in no_out.stderr and "Traceback" not in no_out.stderr
    assert cli("export", "csv", "999", "--tables", "--out", str(zipped), *where).returncode == 2

    missing = cli("export", "fhir", "999", *where)
    assert missing.returncode == 2 and "No child with id 999" in missing.stderr
    no_file = cli("import", "csv", str(second), str(tmp_path / "nope.csv"), *where)
    assert no_file.returncode == 2 and "nope.csv" in no_file.stderr
    assert json.loads(cli("export", "fhir", str(first), "--no-name", *where).stdout)["entry"]


def test_the_installed_command_refuses_a_bad_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("movements,count\nhead_nod,ten\n")
    app = new_app(tmp_path)
    child = add_child(sign_up(app, "ann@example.org"))
    app.state.db.dispose()
    command = ["import", "csv", str(child), str(bad), "--dry-run"]
    result = subprocess.run(
        [sys.executable, "-m", "spasmwatch", *command, "--data-dir", str(tmp_path / "data")],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "200"},
        timeout=120,
    )
    assert result.returncode == 2 and "row 2, count:" in result.stderr
    assert "Traceback" not in result.stderr
