"""The German AI-register entry (`ki-register.de.json`): this project's own schema.

`build_register_entry` turns the settings (`[ai_register]`, `[review]`, the configured
models) and the measured figures into one object::

    {"schema": "protokoll-ki-register", "schema_version": "2.0", "generated_at": ...,
     "generator": "protokoll 0.1.0",
     "hinweise": [...], "fehlende_angaben": [...],   # for whoever publishes the entry
     "betrieb": {...},              # human control and retention as configured
     "eintrag": {...},              # the register entry in German
     "details": {...},              # responsibility, rationale, process, tool, data, risks
     "kennzahlen": {...}}           # RegisterFigures.to_dict()

It claims no conformance with another register's standard: the Dutch Algoritmeregister and
the UK ATRS have their own exports (`algoritmeregister.py`, `atrs.py`) in their own
languages. The German KI-Steckbrief (DOCX) is written from this entry.

Empty `[ai_register]` settings never stop this export: texts say "nicht angegeben", links
and dates are null, and the keys are listed under `fehlende_angaben` (with a German note
under `hinweise`). `validate_register_entry` checks an entry against
`schemas/protokoll-ki-register.schema.json` and names the first failing field.
"""

from __future__ import annotations

import json
import logging
import os
import re
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from protokoll import __version__
from protokoll.config import Settings
from protokoll.errors import ModelError
from protokoll.formatting import date_de, num_de, percent_de
from protokoll.modelstore import ModelEntry, load_manifest, models_for_settings
from protokoll.register.figures import RegisterFigures
from protokoll.register.standards import validate

log = logging.getLogger(__name__)

SCHEMA_NAME = "protokoll-ki-register"
SCHEMA_VERSION = "2.0"
NOT_GIVEN = "nicht angegeben"
TOOL_NAME = "protokoll – KI-gestützte Entwürfe von Sitzungsniederschriften"

# the [ai_register] keys whose absence the entry reports
REGISTER_KEYS = (
    "organization",
    "department",
    "contact_email",
    "website",
    "purpose",
    "legal_basis",
    "dpia_url",
    "begin_date",
)

STAGE_TASKS = {
    "transcription": "Spracherkennung (Transkription)",
    "diarization": "Sprechertrennung (wer spricht wann)",
    "minutes": "Entwurf der Niederschrift (Sprachmodell)",
}
ROLE_STAGES = {
    "transcription": "transcription",
    "segmentation": "diarization",
    "speaker-embedding": "diarization",
    "diarization-pipeline": "diarization",
    "llm": "minutes",
}

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_URL = re.compile(r"^https?://\S+$")


# ---- settings: what is given, what is missing -----------------------------------------------


class GivenSettings:
    """The `[ai_register]` values, checked; empty or unusable ones are recorded as missing."""

    def __init__(self, settings: Settings) -> None:
        self.reg = settings.ai_register
        self.missing: list[str] = []
        self.notes: list[str] = []
        self.organization = self._text("organization")
        self.department = self._text("department")
        self.purpose = self._text("purpose")
        self.legal_basis = self._text("legal_basis")
        email = self.reg.contact_email.strip()
        if email and not _EMAIL.match(email):
            self.notes.append(f"contact_email „{email}“ ist keine E-Mail-Adresse.")
            email = ""
        self.contact_email = email or self._missing("contact_email", NOT_GIVEN)
        self.website = self._url("website")
        self.dpia_url = self._url("dpia_url")
        self.begin_date = self._date("begin_date")

    def _missing(self, key: str, value: Any) -> Any:
        if key not in self.missing:
            self.missing.append(key)
        return value

    def _text(self, key: str) -> str:
        value = str(getattr(self.reg, key)).strip()
        return value or self._missing(key, NOT_GIVEN)

    def _url(self, key: str) -> str | None:
        value = str(getattr(self.reg, key)).strip()
        if value and not _URL.match(value):
            self.notes.append(f"{key} „{value}“ ist keine Adresse mit http:// oder https://.")
            value = ""
        return value or self._missing(key, None)

    def _date(self, key: str) -> str | None:
        value = str(getattr(self.reg, key)).strip()
        if value:
            try:
                return date.fromisoformat(value).isoformat()
            except ValueError:
                self.notes.append(f"{key} „{value}“ ist kein Datum im Format JJJJ-MM-TT.")
        return self._missing(key, None)


def _ordered_missing(missing: list[str]) -> list[str]:
    return [k for k in REGISTER_KEYS if k in missing]


# ---- models: from the audit log, enriched from the manifest, plus configured ones --------


def load_manifest_leniently(settings: Settings) -> dict[str, ModelEntry]:
    try:
        return load_manifest(settings.models.manifest)
    except ModelError as exc:
        log.info("Modell-Manifest nicht lesbar, Registereintrag ohne Herkunftsangaben: %s", exc)
        return {}


def _configured_models(
    settings: Settings, manifest: Mapping[str, ModelEntry]
) -> list[dict[str, Any]]:
    found = []
    for model_id in models_for_settings(settings):
        entry = manifest.get(model_id)
        main_sha = entry.files[0].sha256 if entry and entry.files else ""
        if entry is not None and entry.role in ROLE_STAGES:
            stage = ROLE_STAGES[entry.role]
        elif model_id == settings.llm.model:
            stage = "minutes"
        else:
            stage = "transcription" if model_id == settings.transcription.model else "diarization"
        found.append(
            _model_row(
                model_id, entry.revision if entry else None, main_sha or None, [stage], entry
            )
        )
    llm = settings.llm
    if llm.backend == "openai":
        row = _model_row(llm.api_model or llm.model, None, None, ["minutes"], None)
        row["upstream"] = f"OpenAI-kompatibler Server {llm.base_url}".strip()
        found.append(row)
    return found


def _model_row(
    name: str,
    version: str | None,
    sha256: str | None,
    stages: list[str],
    entry: ModelEntry | None,
) -> dict[str, Any]:
    return {
        "name": name,
        "version": version,
        "sha256": sha256,
        "task": "; ".join(STAGE_TASKS.get(s, s) for s in stages) or "nicht angegeben",
        "stages": stages,
        "upstream": entry.upstream if entry else None,
        "license": entry.license if entry else None,
        "runs": 0,
        "devices": [],
        "first_used": None,
        "last_used": None,
        "configured": False,
    }


def tool_models(
    settings: Settings, figures: RegisterFigures, manifest: Mapping[str, ModelEntry]
) -> list[dict[str, Any]]:
    """The models for the ATRS tool specification: every model the audit log shows in use
    (with its runs), then each configured model the log does not show yet (runs 0)."""
    configured = _configured_models(settings, manifest)
    configured_names = {m["name"] for m in configured}
    rows = []
    for used in figures.models:
        entry = manifest.get(used.name)
        version = used.version
        if version is None and entry is not None:
            expected = entry.files[0].sha256 if entry.files else ""
            if not expected or expected == used.sha256:  # the same weights as the manifest's
                version = entry.revision
        row = _model_row(used.name, version, used.sha256, list(used.stages), entry)
        row.update(
            runs=used.runs,
            devices=list(used.devices),
            first_used=used.first_used,
            last_used=used.last_used,
            configured=used.name in configured_names,
        )
        rows.append(row)
    used_names = {m.name for m in figures.models}
    for row in configured:
        if row["name"] not in used_names:
            row["configured"] = True
            rows.append(row)
    return rows


# ---- texts ---------------------------------------------------------------------------------


def _date_de(iso: str | None) -> str:
    return date_de(iso, utc=True, empty="–")


def approval_statement(figures: RegisterFigures) -> str:
    """What the log shows about human approval before publication (must be all)."""
    published, approved = figures.minutes_published, figures.published_human_approved
    share = figures.published_human_approved_share
    if not published or share is None:
        return "Im Berichtszeitraum wurde keine Niederschrift veröffentlicht."
    if approved == published:
        if published == 1:
            return (
                "Die im Berichtszeitraum veröffentlichte Niederschrift wurde vor der "
                "Veröffentlichung von einer Person freigegeben (Anteil 100 %)."
            )
        return (
            f"Alle {published} im Berichtszeitraum veröffentlichten Niederschriften wurden vor "
            "der Veröffentlichung von einer Person freigegeben (Anteil 100 %)."
        )
    verb = {0: "wurde keine", 1: "wurde nur eine"}.get(approved, f"wurden nur {approved}")
    return (
        f"Von {published} im Berichtszeitraum veröffentlichten Niederschriften {verb} vor der "
        f"Veröffentlichung von einer Person freigegeben (Anteil {percent_de(share)})."
    )


def deletion_text(settings: Settings) -> str:
    """When the recording is deleted, as configured in `[review]`."""
    review = settings.review
    days = review.recording_retention_days
    if review.delete_recording == "veroeffentlichung":
        text = "Der Mitschnitt wird gelöscht, sobald die Niederschrift veröffentlicht ist"
        return text + (f", spätestens {days} Tage nach dem Hochladen." if days else ".")
    if days:
        return f"Der Mitschnitt wird spätestens {days} Tage nach dem Hochladen gelöscht."
    return "Der Mitschnitt wird nicht automatisch gelöscht, sondern von Hand."


def retention_text(settings: Settings) -> str:
    return (
        f"{deletion_text(settings)} Transkript und Entwürfe bleiben bei der Sitzung, bis sie "
        "gelöscht wird. Das Prüfprotokoll ist nur anfügbar und hash-verkettet; seine Einträge "
        "werden nicht gelöscht."
    )


def _review_text(settings: Settings, figures: RegisterFigures) -> str:
    approval = (
        "Die Freigabe erfordert zwei verschiedene prüfende Personen (Vier-Augen-Prinzip)."
        if settings.review.four_eyes
        else "Die Freigabe erteilt eine prüfende Person."
    )
    return (
        "Die KI erstellt nur einen Entwurf und trifft keine Entscheidung. Die Schriftführung "
        "prüft und ändert jeden Entwurf; die Namen der Sprecherinnen und Sprecher ordnet eine "
        f"Person zu (keine Stimmprofile). {approval} Veröffentlicht wird nur eine freigegebene "
        f"Fassung. {approval_statement(figures)} Jeder Schritt steht mit Person und Zeitpunkt "
        "im manipulationsgeschützten Prüfprotokoll."
    )


def _usage_text(figures: RegisterFigures) -> str:
    if not figures.sessions_processed:
        return "Im Berichtszeitraum wurde noch keine Sitzung verarbeitet."
    return (
        f"Vom {_date_de(figures.period_from)} bis {_date_de(figures.period_to)} wurden "
        f"{figures.sessions_processed} Sitzung(en) mit zusammen "
        f"{num_de(figures.audio_hours)} Stunden Aufnahme verarbeitet; "
        f"{figures.minutes_approved} Niederschrift(en) wurden freigegeben, "
        f"{figures.minutes_published} veröffentlicht."
    )


def _models_text(models: list[dict[str, Any]]) -> str:
    if not models:
        return "Keine Modelle konfiguriert."
    parts = []
    for m in models:
        facts = [f"Version {m['version']}" if m["version"] else "Version nicht angegeben"]
        if m["sha256"]:
            facts.append(f"SHA-256 {m['sha256']}")
        parts.append(f"{m['task']}: {m['name']} ({', '.join(facts)})")
    return (
        "Spracherkennung, Sprechertrennung und ein Sprachmodell für den Entwurf, ergänzt um "
        "regelbasierte Prüfungen (Phantomsätze, Abstimmungsergebnisse, nicht öffentliche "
        "Teile). Modelle: " + "; ".join(parts) + "."
    )


def _risks(settings: Settings, figures: RegisterFigures) -> list[dict[str, str]]:
    approval = "nach dem Vier-Augen-Prinzip " if settings.review.four_eyes else ""
    chain = {
        True: "die letzte Prüfung der Kette war in Ordnung",
        False: "die letzte Prüfung der Kette hat eine Veränderung gefunden",
        None: "die Kette lässt sich jederzeit prüfen (protokoll audit verify)",
    }[figures.chain_ok]
    return [
        {
            "risk": "Falsch erkannte Wörter, Namen oder Zahlen in der Spracherkennung.",
            "mitigation": "Namen und Begriffe der Tagesordnung als Vokabular; unsichere Stellen "
            "werden markiert; die Schriftführung prüft den Entwurf vor der Freigabe.",
        },
        {
            "risk": "Erfundene Textstellen (Halluzinationen), etwa in Pausen oder bei Lärm.",
            "mitigation": "Typische Phantomsätze und Wiederholungen werden erkannt und entfernt; "
            "der Entwurf wird mit dem Transkript abgeglichen und bleibt bis zur Freigabe als "
            "KI-Entwurf gekennzeichnet.",
        },
        {
            "risk": "Redebeiträge werden der falschen Person zugeordnet.",
            "mitigation": "Namen ordnet eine Person zu; Vorschläge stammen nur aus dem Gesagten, "
            "nie aus der Stimme; es werden keine Stimmprofile gespeichert.",
        },
        {
            "risk": "Beschlüsse oder Abstimmungsergebnisse werden falsch wiedergegeben.",
            "mitigation": "Nicht genannte Stimmenzahlen bleiben leer statt 0 und werden als "
            f"Prüfhinweis markiert; Freigabe {approval}vor jeder Veröffentlichung.",
        },
        {
            "risk": "Inhalte nicht öffentlicher Sitzungsteile werden bekannt.",
            "mitigation": "Nicht öffentliche Tagesordnungspunkte erscheinen nie in der "
            "öffentlichen Fassung; Zugriff nur mit Konto und passender Rolle.",
        },
        {
            "risk": "Stimmen und Äußerungen sind personenbezogene Daten.",
            "mitigation": "Verarbeitung nur auf eigenen Servern, ohne Cloud-Dienst. "
            + deletion_text(settings),
        },
        {
            "risk": "Die Dokumentation der Schritte wird nachträglich verändert.",
            "mitigation": f"Das Prüfprotokoll ist nur anfügbar und hash-verkettet; {chain}.",
        },
    ]


# ---- the entry -----------------------------------------------------------------------------

DPIA_TITLE = "Datenschutz-Folgenabschätzung (DSFA)"
DESCRIPTION = (
    "Aus dem Mitschnitt einer Rats- oder Ausschusssitzung entsteht ein Entwurf der "
    "Niederschrift; die Schriftführung prüft, ändert und gibt ihn frei."
)
DETAILED_DESCRIPTION = (
    "protokoll läuft auf Servern der Verwaltung. Aus dem hochgeladenen Mitschnitt erzeugt es "
    "ein Transkript mit Zeitmarken, trennt die Sprecherinnen und Sprecher, gliedert den Text "
    "nach der Tagesordnung und schreibt einen Entwurf der Niederschrift (Verlaufs-, Ergebnis- "
    "oder Wortprotokoll) mit Beschlüssen und Abstimmungsergebnissen. Unsichere Stellen sind "
    "als Prüfhinweise markiert. Die Schriftführung bearbeitet den Entwurf im Browser oder in "
    "Word und gibt ihn frei; erst dann kann er veröffentlicht werden."
)


def build_register_entry(
    settings: Settings,
    figures: RegisterFigures,
    *,
    generated_at: datetime,
    manifest: Mapping[str, ModelEntry] | None = None,
) -> dict[str, Any]:
    """The register entry (see the module docstring); `manifest` defaults to the configured
    model manifest, read leniently (without it, models carry no origin or licence)."""
    given = GivenSettings(settings)
    if manifest is None:
        manifest = load_manifest_leniently(settings)
    models = tool_models(settings, figures, manifest)
    missing = _ordered_missing(given.missing)
    return {
        "schema": SCHEMA_NAME,
        "schema_version": SCHEMA_VERSION,
        "generated_at": generated_at.astimezone(UTC).isoformat(timespec="seconds"),
        "generator": f"protokoll {__version__}",
        "hinweise": _hints(given, missing, figures),
        "fehlende_angaben": missing,
        "betrieb": _operation(settings),
        "eintrag": _entry(settings, given, figures, models),
        "details": _details(settings, given, figures, models),
        "kennzahlen": figures.to_dict(),
    }


def missing_settings_hint(missing: Sequence[str]) -> str:
    """The note on empty `[ai_register]` keys, first among an entry's `hinweise`."""
    return (
        f"In der Konfiguration fehlen im Abschnitt [ai_register]: {', '.join(missing)}. "
        f"Im Eintrag stehen sie als „{NOT_GIVEN}“ oder leer."
    )


def _hints(given: GivenSettings, missing: list[str], figures: RegisterFigures) -> list[str]:
    hints = [missing_settings_hint(missing)] if missing else []
    hints += given.notes
    share = figures.published_human_approved_share
    if share is not None and share < 1:
        hints.append(approval_statement(figures) + " Bitte die Veröffentlichungen prüfen.")
    if figures.chain_ok is False:
        hints.append(
            "Die Prüfung der Protokollkette hat eine Veränderung gefunden (protokoll audit "
            "verify nennt den Eintrag); die Kennzahlen sind nicht verlässlich."
        )
    return hints


def _operation(settings: Settings) -> dict[str, Any]:
    review = settings.review
    return {
        "deployment": "lokal auf Servern der Verwaltung (on-premise), ohne Cloud-Dienst",
        "profile": settings.profile,
        "human_review": {
            "review_required": True,
            "speaker_names_by_person": True,
            "voice_profiles_stored": False,
            "four_eyes": review.four_eyes,
            "approval_required_for_publication": True,
        },
        "retention": {
            "delete_recording_on_publication": review.delete_recording == "veroeffentlichung",
            "recording_retention_days": review.recording_retention_days,
            "audit_log": "nur anfügbar und hash-verkettet; Einträge werden nicht gelöscht",
        },
    }


def _entry(
    settings: Settings, given: GivenSettings, figures: RegisterFigures, models: list[dict[str, Any]]
) -> dict[str, Any]:
    llm = settings.llm
    operator = given.organization if given.organization != NOT_GIVEN else "der Verwaltung"
    provider = (
        f"protokoll (freie Software, Lizenz Apache-2.0), betrieben von {operator} auf eigenen "
        "Servern; kein externer Dienstleister."
    )
    if llm.backend == "openai":
        provider += f" Das Sprachmodell läuft auf dem Server {llm.base_url or NOT_GIVEN}."
    risks = _risks(settings, figures)
    return {
        "name": TOOL_NAME,
        "description_short": DESCRIPTION,
        "organization": given.organization,
        "category": list(settings.ai_register.themes),
        "status": settings.ai_register.status,
        "begin_date": given.begin_date,
        "end_date": None,
        "contact_email": given.contact_email,
        "website": given.website,
        "publication_category": settings.ai_register.publication_category,
        "goal": given.purpose,
        "proportionality": (
            "Eine von Hand geschriebene Niederschrift kostet nach Erfahrung anderer Kommunen 18 "
            "bis 20 Arbeitsstunden, mit einem KI-Entwurf etwa zwei. Die Verarbeitung bleibt auf "
            f"eigenen Servern; der Mitschnitt dient nur dem Entwurf. {deletion_text(settings)} "
            "Die KI entscheidet nichts: Sie schlägt Text vor, den Menschen prüfen und "
            "verantworten. Keine Hochrisiko-Anwendung nach Anhang III KI-Verordnung "
            "(vorbereitende Tätigkeit, Art. 6 Abs. 3)."
        ),
        "human_intervention": _review_text(settings, figures),
        "risks": " ".join(f"{r['risk']} Maßnahme: {r['mitigation']}" for r in risks),
        "lawful_basis": given.legal_basis,
        "impacttoetsen": f"{DPIA_TITLE}: {given.dpia_url or NOT_GIVEN}",
        "impacttoetsen_grouping": [{"title": DPIA_TITLE, "link": given.dpia_url}],
        "source_data": (
            "Audio- oder Videomitschnitte der Sitzungen; Tagesordnung und Teilnehmende (Datei "
            "oder OParl-Schnittstelle des Ratsinformationssystems). Die Modelle werden mit "
            "diesen Daten nicht nachtrainiert."
        ),
        "methods_and_models": _models_text(models),
        "provider": provider,
    }


def _details(
    settings: Settings, given: GivenSettings, figures: RegisterFigures, models: list[dict[str, Any]]
) -> dict[str, Any]:
    department = given.department
    remote_llm = settings.llm.backend == "openai"
    return {
        "owner_and_responsibility": {
            "organisation": given.organization,
            "team": department,
            "senior_responsible_owner": (
                f"Leitung {department}" if department != NOT_GIVEN else NOT_GIVEN
            ),
            "external_supplier_involvement": (
                "Keine. protokoll ist freie Software (Apache-2.0) und läuft auf eigenen Servern."
            ),
        },
        "description_and_rationale": {
            "detailed_description": DETAILED_DESCRIPTION,
            "scope": (
                "Nur Entwürfe von Niederschriften der Rats- und Ausschusssitzungen. Keine "
                "Entscheidung über Personen, keine Bewertung von Redebeiträgen."
            ),
            "benefit": (
                "Weniger Schreibarbeit für die Schriftführung, schnellere Niederschriften, "
                "Beschlüsse und Abstimmungsergebnisse einheitlich erfasst."
            ),
            "previous_process": (
                "Die Schriftführung schrieb die Niederschrift aus Notizen und dem Mitschnitt "
                "von Hand."
            ),
            "alternatives_considered": (
                "Weiter von Hand schreiben; Cloud-Dienste (die Mitschnitte verließen dann die "
                "Verwaltung)."
            ),
        },
        "decision_making_process": {
            "process_integration": (
                "Hochladen des Mitschnitts → automatische Verarbeitung → Prüfung und "
                "Bearbeitung durch die Schriftführung → Freigabe → Veröffentlichung."
            ),
            "provided_information": (
                "Ein Entwurf der Niederschrift (DOCX, im Browser bearbeitbar) mit markierten "
                "Prüfhinweisen, das Transkript mit Zeitmarken und Sprechern."
            ),
            "frequency_and_scale_of_usage": _usage_text(figures),
            "human_decisions_and_review": _review_text(settings, figures),
            "required_training": (
                "Einweisung der Schriftführung und der Prüfenden in Funktionsweise und Grenzen "
                "des Werkzeugs (KI-Kompetenz nach Art. 4 KI-Verordnung)."
            ),
            "appeals_and_review": (
                "Das Gremium genehmigt die Niederschrift in einer folgenden Sitzung; "
                f"Einwendungen sind dort möglich. Fragen an: {given.contact_email}."
            ),
        },
        "tool_specification": {
            "system_architecture": (
                "Webdienst und Worker auf Servern der Verwaltung, Datenbank (SQLite oder "
                "PostgreSQL); die Modelle laufen lokal"
                + (", das Sprachmodell auf einem eigenen Server." if remote_llm else ".")
            ),
            "phase": settings.ai_register.status,
            "maintenance": (
                "Die Modelle sind mit SHA-256 festgeschrieben und werden bei jedem Laden "
                "geprüft; jeder Verarbeitungsschritt nennt im Prüfprotokoll Modell, Prüfsumme "
                "und Gerät. Ein Modellwechsel erscheint in diesem Eintrag."
            ),
            "models": models,
        },
        "data_specification": {
            "source_data_name": "Mitschnitte der Sitzungen",
            "data_modality": ["Audio", "Text"],
            "data_description": "Ton der Sitzung, Tagesordnung mit Vorlagen, Liste der Mitglieder.",
            "data_quantities": (
                f"{num_de(figures.audio_hours)} Stunden Aufnahme aus "
                f"{figures.sessions_processed} Sitzung(en) im Berichtszeitraum."
            ),
            "sensitive_attributes": (
                "Stimmen und Äußerungen von Ratsmitgliedern, Verwaltung und Gästen "
                "(personenbezogene Daten); in nicht öffentlichen Sitzungen vertrauliche "
                "Angaben. Stimmen werden nicht zur Identifizierung ausgewertet."
            ),
            "data_access_and_storage": (
                "Gespeichert auf Servern der Verwaltung; Zugriff nur mit Konto und Rolle "
                "(Schriftführung, Prüfung, Verwaltung)."
            ),
            "data_retention": retention_text(settings),
        },
        "risks_mitigations_and_impact_assessments": {
            "impact_assessments": [
                {
                    "name": DPIA_TITLE,
                    "description": "Nach Art. 35 DSGVO, für die Verarbeitung der Mitschnitte"
                    + ("." if given.dpia_url else f"; Verweis {NOT_GIVEN}."),
                    "link": given.dpia_url,
                }
            ],
            "risks": _risks(settings, figures),
        },
    }


# ---- validation ----------------------------------------------------------------------------


def validate_register_entry(data: Any) -> None:
    """Check `data` against the German entry's own schema; `RegisterError` names the field."""
    validate(data, "de")


# ---- from the service database ------------------------------------------------------------


def write_register_json(entry: Mapping[str, Any], path: Path) -> Path:
    """Write the entry as indented UTF-8 JSON, atomically (a temporary file, then renamed)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.partial")
    try:
        tmp.write_text(json.dumps(entry, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path
