"""The register entry: built from settings and figures, checked against its JSON Schema,
and written as a German KI-Steckbrief (DOCX)."""

from __future__ import annotations

import copy
import io
import json
import tomllib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from jsonschema import Draft202012Validator

from protokoll.config import Settings, load_settings
from protokoll.modelstore import load_manifest
from protokoll.register import (
    RegisterError,
    build_register_entry,
    register_figures,
    steckbrief_docx_bytes,
    validate_register_entry,
    write_steckbrief_docx,
)
from protokoll.register.figures import RegisterFigures
from protokoll.register.standards import DE_SCHEMA, de_schema
from protokoll.service.infra.db import Database, make_engine, migrate
from protokoll.service.usecases.register import register_entry_from_db
from tests.support.audit_log import LOG, WHISPER, Log, entries, write_log

REPO = Path(__file__).resolve().parents[3]
NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
MANIFEST = load_manifest(REPO / "models" / "manifest.toml")
WHISPER_PINNED = MANIFEST["whisper-base"].files[0].sha256

COMPLETE = {
    "PROTOKOLL_AI_REGISTER__ORGANIZATION": "Gemeinde Musterstadt",
    "PROTOKOLL_AI_REGISTER__DEPARTMENT": "Büro des Rates",
    "PROTOKOLL_AI_REGISTER__CONTACT_EMAIL": "rat@musterstadt.de",
    "PROTOKOLL_AI_REGISTER__WEBSITE": "https://www.musterstadt.de/ki",
    "PROTOKOLL_AI_REGISTER__LEGAL_BASIS": "§ 52 GO NRW; § 24 der Geschäftsordnung des Rates",
    "PROTOKOLL_AI_REGISTER__DPIA_URL": "https://www.musterstadt.de/dsfa-protokoll.pdf",
    "PROTOKOLL_AI_REGISTER__BEGIN_DATE": "2026-03-01",
}


def _settings(**env: str) -> Settings:
    return load_settings(REPO / "config.toml", env)


def _figures() -> RegisterFigures:
    return register_figures(entries(LOG), chain_ok=True)


def _entry(
    settings: Settings | None = None, figures: RegisterFigures | None = None
) -> dict[str, Any]:
    return build_register_entry(
        settings or _settings(**COMPLETE), figures or _figures(), generated_at=NOW,
        manifest=MANIFEST,
    )  # fmt: skip


def test_schema_is_a_valid_draft_2020_12_schema_and_ships_with_the_package() -> None:
    Draft202012Validator.check_schema(de_schema())
    assert de_schema()["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    package_data = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"][
        "package-data"
    ]["protokoll"]
    assert "register/schemas/*.json" in package_data and DE_SCHEMA.parent.name == "schemas"
    assert "register/texts/*.toml" in package_data


def test_complete_entry_validates_and_carries_the_settings() -> None:
    entry = _entry()
    validate_register_entry(entry)
    assert entry["schema"] == "protokoll-ki-register" and entry["schema_version"] == "2.0"
    assert entry["generated_at"] == "2026-11-21T12:00:00+00:00"
    assert entry["fehlende_angaben"] == []
    reg = entry["eintrag"]
    assert reg["organization"] == "Gemeinde Musterstadt"
    assert reg["contact_email"] == "rat@musterstadt.de"
    # the project's own schema: no other standard's markers, German values
    assert "lang" not in reg and "standard_version" not in reg
    assert reg["category"] == ["Organisation und Verwaltung"]
    assert reg["publication_category"] == "Sonstiger Algorithmus"
    assert reg["status"] == "in Betrieb" and reg["begin_date"] == "2026-03-01"
    assert reg["lawful_basis"].startswith("§ 52 GO NRW")
    assert reg["impacttoetsen_grouping"] == [
        {"title": "Datenschutz-Folgenabschätzung (DSFA)",
         "link": "https://www.musterstadt.de/dsfa-protokoll.pdf"},
    ]  # fmt: skip
    tier_2 = entry["details"]
    assert tier_2["owner_and_responsibility"]["team"] == "Büro des Rates"
    assert entry["kennzahlen"] == _figures().to_dict()
    assert entry["betrieb"]["human_review"]["four_eyes"] is False
    assert entry["betrieb"]["retention"]["recording_retention_days"] == 90
    assert "spätestens 90 Tage" in tier_2["data_specification"]["data_retention"]
    json.dumps(entry)  # plain JSON


def test_four_eyes_and_retention_come_from_the_review_settings() -> None:
    settings = _settings(
        **COMPLETE, PROTOKOLL_REVIEW__FOUR_EYES="true",
        PROTOKOLL_REVIEW__DELETE_RECORDING="nie",
        PROTOKOLL_REVIEW__RECORDING_RETENTION_DAYS="30",
    )  # fmt: skip
    entry = _entry(settings)
    validate_register_entry(entry)
    assert entry["betrieb"]["human_review"]["four_eyes"] is True
    assert "Vier-Augen-Prinzip" in entry["eintrag"]["human_intervention"]
    retention = entry["betrieb"]["retention"]
    assert retention == {
        "delete_recording_on_publication": False, "recording_retention_days": 30,
        "audit_log": retention["audit_log"],
    }  # fmt: skip
    assert "spätestens 30 Tage nach dem Hochladen" in entry["eintrag"]["proportionality"]


def test_missing_settings_are_filled_and_listed() -> None:
    entry = _entry(_settings())  # config.toml leaves [ai_register] empty
    validate_register_entry(entry)
    reg = entry["eintrag"]
    assert reg["organization"] == "nicht angegeben" and reg["contact_email"] == "nicht angegeben"
    assert reg["website"] is None and reg["begin_date"] is None
    assert entry["fehlende_angaben"] == [
        "organization", "department", "contact_email", "website", "legal_basis", "dpia_url",
        "begin_date",
    ]  # fmt: skip
    assert "[ai_register]" in entry["hinweise"][0] and "organization" in entry["hinweise"][0]
    assert "nicht angegeben" not in reg["provider"].split("betrieben von")[1][:20]


def test_unusable_settings_are_reported_not_passed_on() -> None:
    settings = _settings(
        **{**COMPLETE, "PROTOKOLL_AI_REGISTER__CONTACT_EMAIL": "Büro des Rates",
           "PROTOKOLL_AI_REGISTER__BEGIN_DATE": "März 2026",
           "PROTOKOLL_AI_REGISTER__WEBSITE": "www.musterstadt.de"}
    )  # fmt: skip
    entry = _entry(settings)
    validate_register_entry(entry)
    assert entry["fehlende_angaben"] == ["contact_email", "website", "begin_date"]
    notes = " ".join(entry["hinweise"])
    assert "keine E-Mail-Adresse" in notes and "JJJJ-MM-TT" in notes and "https://" in notes


def test_approval_share_is_stated_and_a_gap_is_flagged() -> None:
    entry = _entry()  # the known log: 2 published, 1 approved before
    statement = entry["eintrag"]["human_intervention"]
    assert "wurde nur eine vor der Veröffentlichung von einer Person freigegeben (Anteil 50 %)" in (
        statement
    )
    assert any("Bitte die Veröffentlichungen prüfen" in h for h in entry["hinweise"])

    approved_only = [e for e in LOG if not (e[2] == "m2" and e[1] == "review.published")]
    figures = register_figures(entries(approved_only), chain_ok=True)
    entry = _entry(figures=figures)
    review = entry["details"]["decision_making_process"]["human_decisions_and_review"]
    assert (
        "Die im Berichtszeitraum veröffentlichte Niederschrift wurde vor der Veröffentlichung "
        "von einer Person freigegeben (Anteil 100 %)."
    ) in review
    assert entry["kennzahlen"]["minutes"]["published_human_approved_share"] == 1.0
    assert entry["hinweise"] == []


def test_no_approved_publication_is_stated() -> None:
    log: Log = [
        ("human", "review.published", "m1", None, {"version": 1}),
        ("human", "review.published", "m2", None, {"version": 1}),
    ]
    entry = _entry(figures=register_figures(entries(log)))
    validate_register_entry(entry)
    assert (
        "Von 2 im Berichtszeitraum veröffentlichten Niederschriften wurde keine vor der "
        in (entry["eintrag"]["human_intervention"])
    )
    assert entry["kennzahlen"]["minutes"]["published_human_approved_share"] == 0.0


def test_broken_chain_is_flagged() -> None:
    figures = register_figures(entries(LOG), chain_ok=False)
    entry = _entry(figures=figures)
    validate_register_entry(entry)
    assert any("Protokollkette" in h for h in entry["hinweise"])


def test_models_from_the_log_and_from_the_configuration() -> None:
    pinned: Log = [
        ("ai", "stage.transcription", "m1", "j1",
         {"models": [{"stage": "transcription", "name": "whisper-base",
                      "sha256": WHISPER_PINNED, "device": "cpu"}]}),
        ("ai", "stage.transcription", "m2", "j2",
         {"models": [{"stage": "transcription", "name": "whisper-base", "sha256": WHISPER,
                      "device": "cpu"}]}),
    ]  # fmt: skip
    entry = _entry(figures=register_figures(entries(pinned)))
    validate_register_entry(entry)
    models = entry["details"]["tool_specification"]["models"]
    by_sha = {m["sha256"]: m for m in models}
    # the manifest's revision only for the weights the manifest pins
    assert by_sha[WHISPER_PINNED]["version"] == MANIFEST["whisper-base"].revision
    assert by_sha[WHISPER]["version"] is None
    assert by_sha[WHISPER_PINNED]["license"] == "MIT" and by_sha[WHISPER_PINNED]["runs"] == 1
    assert by_sha[WHISPER_PINNED]["configured"] is True
    # configured, not yet used: runs 0
    unused = {m["name"]: m for m in models if m["runs"] == 0}
    assert set(unused) == {
        "pyannote-segmentation-3.0", "campplus-zh-en-common", "qwen2.5-coder-1.5b-instruct-q4km",
    }  # fmt: skip
    assert unused["qwen2.5-coder-1.5b-instruct-q4km"]["task"].startswith("Entwurf")
    assert WHISPER_PINNED in entry["eintrag"]["methods_and_models"]


def test_a_central_llm_server_is_named() -> None:
    settings = _settings(
        **COMPLETE, PROTOKOLL_LLM__BACKEND="openai", PROTOKOLL_LLM__API_MODEL="qwen2.5-72b",
        PROTOKOLL_LLM__BASE_URL="http://llm.kreis.local:8000/v1",
    )  # fmt: skip
    entry = _entry(settings, register_figures([]))
    validate_register_entry(entry)
    models = entry["details"]["tool_specification"]["models"]
    remote = next(m for m in models if m["name"] == "qwen2.5-72b")
    assert remote["sha256"] is None and "llm.kreis.local" in remote["upstream"]
    assert "llm.kreis.local" in entry["eintrag"]["provider"]


# ---- validation names the field --------------------------------------------------------------


def _broken(change: Any) -> dict[str, Any]:
    entry = copy.deepcopy(_entry())
    change(entry)
    return entry


@pytest.mark.parametrize(
    ("change", "field", "phrase"),
    [
        (lambda e: e["kennzahlen"]["minutes"].update(published_human_approved_share=1.5),
         "kennzahlen.minutes.published_human_approved_share", "höchstens 1"),
        (lambda e: e["kennzahlen"].update(sessions_processed=-1),
         "kennzahlen.sessions_processed", "mindestens 0"),
        (lambda e: e["kennzahlen"]["incidents"].update(jobs_failed="drei"),
         "kennzahlen.incidents.jobs_failed", "ganze Zahl erwartet"),
        (lambda e: e["eintrag"].pop("organization"),
         "eintrag.organization", "Pflichtfeld fehlt"),
        (lambda e: e["eintrag"].update(status="läuft"),
         "eintrag.status", "erlaubt"),
        (lambda e: e["eintrag"].update(contact_email="rat at musterstadt"),
         "eintrag.contact_email", "ungültiger Wert"),
        (lambda e: e["kennzahlen"]["models"][0].update(sha256="abc"),
         "kennzahlen.models[0].sha256", "ungültiger Wert"),
        (lambda e: e["details"]["tool_specification"]["models"][0].update(runs=1.5),
         "details.tool_specification.models[0].runs", "ganze Zahl"),
        (lambda e: e.update(extra=1), "(Eintrag)", "unbekanntes Feld extra"),
    ],
)  # fmt: skip
def test_broken_entry_fails_naming_the_field(change: Any, field: str, phrase: str) -> None:
    with pytest.raises(RegisterError) as caught:
        validate_register_entry(_broken(change))
    message = str(caught.value)
    assert f"„{field}“" in message and phrase in message, message
    assert caught.value.exit_code != 0


# ---- the Steckbrief ---------------------------------------------------------------------------


def _docx_text(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    parts += [p.text for p in doc.sections[0].header.paragraphs]
    return "\n".join(parts)


def test_steckbrief_holds_organization_models_and_figures() -> None:
    figures = register_figures(
        entries([*LOG, ("ai", "stage.transcription", "m9", "j9",
                         {"models": [{"stage": "transcription", "name": "whisper-base",
                                      "sha256": WHISPER_PINNED, "device": "cpu"}]})]),
        chain_ok=True,
    )  # fmt: skip
    entry = _entry(figures=figures)
    data = steckbrief_docx_bytes(entry)
    text = _docx_text(data)
    for expected in (
        "KI-Steckbrief", "Gemeinde Musterstadt", "Büro des Rates", "§ 52 GO NRW",
        "in Betrieb", "01.03.2026", "rat@musterstadt.de",
        WHISPER, WHISPER_PINNED, MANIFEST["whisper-base"].revision,
        "Vier-Augen-Prinzip", "nein – eine prüfende Person gibt frei",
        "90 Tage nach dem Hochladen", "Risiken und Maßnahmen", "https://www.musterstadt.de/dsfa",
        "2,0 Stunden", "1 (Anteil 50 %)", "30 % (über 2 Freigaben)",
        "nach Freigabe: 1, nach Frist: 1, von Hand: 1", "in Ordnung", "Stand: 21.11.2026",
    ):  # fmt: skip
        assert expected in text, expected
    doc = Document(io.BytesIO(data))
    assert doc.core_properties.language == "de-DE"
    assert "KI-Steckbrief" in doc.core_properties.title
    assert doc.core_properties.author == "Gemeinde Musterstadt"


def test_steckbrief_of_an_incomplete_entry(tmp_path: Path) -> None:
    entry = _entry(_settings(), register_figures([]))
    path = write_steckbrief_docx(entry, tmp_path / "sub" / "ki-steckbrief.docx")
    text = _docx_text(path.read_bytes())
    assert "Hinweise zu diesem Eintrag" in text and "contact_email" in text
    assert "nicht angegeben" in text and "keine Freigabe im Zeitraum" in text
    assert [p.name for p in path.parent.iterdir()] == ["ki-steckbrief.docx"]  # no leftovers


# ---- from the database ------------------------------------------------------------------------


def test_register_entry_from_db_builds_and_validates(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'protokoll.db'}")
    migrate(engine)
    db = Database(engine)
    write_log(db, LOG)
    with db.session() as s:
        entry = register_entry_from_db(s, _settings(**COMPLETE), now=NOW)
    engine.dispose()
    assert entry["generated_at"] == "2026-11-21T12:00:00+00:00"
    assert entry["kennzahlen"]["sessions_processed"] == 2
    assert entry["kennzahlen"]["incidents"]["chain_ok"] is True
    assert entry["kennzahlen"]["minutes"]["published_human_approved_share"] == 0.5
