"""`protokoll register export` as a subprocess, against a temporary data folder and config."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

from docx import Document

from protokoll.register import validate_register_entry
from protokoll.register.standards import validate
from protokoll.service.infra.db import Database, make_engine, migrate
from tests.support.audit_log import LOG, write_log

REPO = Path(__file__).resolve().parents[3]

COMPLETE = "\n".join(
    [
        'organization = "Gemeinde Musterstadt"',
        'department = "Büro des Rates"',
        'contact_email = "rat@musterstadt.de"',
        'website = "https://www.musterstadt.de/ki"',
        'legal_basis = "§ 52 GO NRW"',
        'dpia_url = "https://www.musterstadt.de/dsfa.pdf"',
        'begin_date = "2026-03-01"',
    ]
)


def _data_dir(tmp_path: Path) -> Path:
    """A data folder whose database holds the known log."""
    data = tmp_path / "data"
    data.mkdir()
    engine = make_engine(f"sqlite:///{data / 'protokoll.db'}")
    migrate(engine)
    write_log(Database(engine), LOG)
    engine.dispose()
    return data


def _config(tmp_path: Path, data: Path, register: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(
        f'[service]\ndata_dir = "{data}"\n\n[output]\ndir = "{tmp_path / "ausgabe"}"\n\n'
        f"[ai_register]\n{register}\n",
        encoding="utf-8",
    )
    return path


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(Path.home())}
    return subprocess.run(
        [sys.executable, "-m", "protokoll", *args],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_export_writes_json_and_docx_and_warns_about_missing_settings(tmp_path: Path) -> None:
    config = _config(tmp_path, _data_dir(tmp_path), 'organization = "Gemeinde Musterstadt"')
    out = tmp_path / "register"
    done = _run("register", "export", "--out", str(out), "--config", str(config))
    assert done.returncode == 0, done.stderr
    entry = json.loads((out / "ki-register.de.json").read_text(encoding="utf-8"))
    validate_register_entry(entry)
    assert entry["eintrag"]["organization"] == "Gemeinde Musterstadt"
    assert entry["eintrag"]["contact_email"] == "nicht angegeben"
    assert entry["kennzahlen"]["sessions_processed"] == 2
    assert entry["kennzahlen"]["incidents"]["chain_ok"] is True
    # German warning naming the [ai_register] keys to set
    assert "Warnung (protokoll-Registereintrag (eigenes Schema)):" in done.stderr
    assert "[ai_register] contact_email" in done.stderr
    assert "organization" not in done.stderr.split("Hinweis")[0]
    assert "Hinweis (protokoll-Registereintrag (eigenes Schema)): Von 2 im" in done.stderr
    assert "Verarbeitet: 2 Sitzung(en), 2 Niederschrift(en) veröffentlicht." in done.stdout
    assert str(out / "ki-steckbrief.docx") in done.stdout
    doc = Document(io.BytesIO((out / "ki-steckbrief.docx").read_bytes()))
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    assert "Gemeinde Musterstadt" in cells


def test_complete_settings_give_no_warning_and_default_to_the_output_folder(
    tmp_path: Path,
) -> None:
    register = COMPLETE
    config = _config(tmp_path, _data_dir(tmp_path), register)
    done = _run("--config", str(config), "register", "export")  # --config before the command
    assert done.returncode == 0, done.stderr
    assert "Warnung" not in done.stderr
    entry = json.loads((tmp_path / "ausgabe" / "ki-register.de.json").read_text(encoding="utf-8"))
    assert entry["fehlende_angaben"] == []
    assert (tmp_path / "ausgabe" / "ki-steckbrief.docx").is_file()


def test_without_a_database_a_german_error_and_nothing_created(tmp_path: Path) -> None:
    data = tmp_path / "leer"
    config = _config(tmp_path, data, 'organization = "Gemeinde Musterstadt"')
    out = tmp_path / "register"
    done = _run("register", "export", "--out", str(out), "--config", str(config))
    assert done.returncode == 7
    assert done.stderr.startswith("Fehler: Die Datenbank") and "gibt es noch nicht" in done.stderr
    assert "protokoll serve" in done.stderr
    assert not data.exists() and not out.exists()


def test_target_all_writes_each_register_in_its_language_and_standard(tmp_path: Path) -> None:
    register = COMPLETE + '\n\n[ai_register.texts.nld]\nlawful_basis = "Gemeentewet art. 147"\n'
    config = _config(tmp_path, _data_dir(tmp_path), register)
    out = tmp_path / "register"
    done = _run(
        "register", "export", "--target", "alle", "--out", str(out), "--config", str(config)
    )
    assert done.returncode == 0, done.stderr
    names = sorted(p.name for p in out.iterdir())
    assert names == [
        "algoritmeregister.nl.json", "atrs.uk.json", "ki-register.de.json", "ki-steckbrief.docx",
    ]  # fmt: skip
    nl = json.loads((out / "algoritmeregister.nl.json").read_text(encoding="utf-8"))
    validate(nl, "nl")
    assert nl["lang"] == "nld" and nl["status"] == "In gebruik" and nl["begin_date"] == "2026-03"
    assert nl["lawful_basis"] == "Gemeentewet art. 147"
    uk = json.loads((out / "atrs.uk.json").read_text(encoding="utf-8"))
    validate(uk, "uk")
    assert uk["summary_information"]["phase"] == "Production"
    assert "KI-Registereintrag Algoritmeregister v1.0 erstellt:" in done.stdout
    assert "KI-Registereintrag ATRS v4.0 erstellt:" in done.stdout


def test_a_target_missing_required_settings_fails_in_german_and_the_others_are_written(
    tmp_path: Path,
) -> None:
    config = _config(tmp_path, _data_dir(tmp_path), 'organization = "Gemeinde Musterstadt"')
    out = tmp_path / "register"
    done = _run(
        "register", "export", "--target", "alle", "--out", str(out), "--config", str(config)
    )
    assert done.returncode == 7
    # the German entry is lenient; NL and UK need the contact address (and UK the team)
    assert sorted(p.name for p in out.iterdir()) == ["ki-register.de.json", "ki-steckbrief.docx"]
    assert (
        "Fehler: Der Eintrag für Algoritmeregister v1.0 lässt sich nicht erstellen" in done.stderr
    )
    assert (
        "[ai_register] contact_email" in done.stderr and "[ai_register] department" in done.stderr
    )


def test_export_per_municipality_holds_only_its_figures(tmp_path: Path) -> None:
    config = _config(tmp_path, _data_dir(tmp_path), COMPLETE)
    added = _run("--config", str(config), "kommunen", "add", "olfen", "Stadt Olfen")
    assert added.returncode == 0, added.stderr
    assert "Kommune „olfen“ angelegt" in added.stdout
    listed = _run("--config", str(config), "kommunen", "list")
    assert "olfen" in listed.stdout and "standard" in listed.stdout
    out = tmp_path / "olfen"
    done = _run("--config", str(config), "register", "export", "--kommune", "olfen",
                "--out", str(out))  # fmt: skip
    assert done.returncode == 0, done.stderr
    entry = json.loads((out / "ki-register.de.json").read_text(encoding="utf-8"))
    assert entry["kennzahlen"]["sessions_processed"] == 0  # the log is the default's
    assert "Verarbeitet: 0 Sitzung(en)" in done.stdout
    default = _run("--config", str(config), "register", "export", "--out", str(tmp_path / "std"))
    assert "Verarbeitet: 2 Sitzung(en)" in default.stdout
    unknown = _run("--config", str(config), "register", "export", "--kommune", "gibtsnicht")
    assert unknown.returncode != 0 and "Die Kommune „gibtsnicht“ gibt es nicht" in unknown.stderr
