"""The register exports per target: the Dutch Algoritmeregister v1.0 and the UK ATRS v4.0,
each validated against the vendored official schema or field list, with the German
settings mapped onto each target's vocabulary and texts in the target's language."""

from __future__ import annotations

import copy
import hashlib
import json
import os
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from protokoll.config import THEMES, Settings, load_settings
from protokoll.modelstore import load_manifest
from protokoll.register import RegisterError, build_export, register_figures
from protokoll.register.standards import (
    NL_CONFIG,
    SCHEMAS,
    UK_FIELDS,
    nl_config,
    nl_schema,
    uk_fields,
    uk_schema,
    validate,
)
from protokoll.register.texts import builtin_texts
from protokoll.register.vocabularies import (
    NL_PUBLICATION_CATEGORY,
    NL_STATUS,
    NL_THEMES,
    PUBLICATION_CATEGORIES,
    REGIONS,
    STATUSES,
    UK_PHASE,
)
from tests.support.audit_log import LOG, entries

REPO = Path(__file__).resolve().parents[3]
NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
MANIFEST = load_manifest(REPO / "models" / "manifest.toml")
COMPLETE = {
    "PROTOKOLL_AI_REGISTER__ORGANIZATION": "Gemeinde Musterstadt",
    "PROTOKOLL_AI_REGISTER__DEPARTMENT": "Büro des Rates",
    "PROTOKOLL_AI_REGISTER__CONTACT_EMAIL": "rat@musterstadt.de",
    "PROTOKOLL_AI_REGISTER__WEBSITE": "https://www.musterstadt.de/ki",
    "PROTOKOLL_AI_REGISTER__LEGAL_BASIS": "§ 52 GO NRW",
    "PROTOKOLL_AI_REGISTER__DPIA_URL": "https://www.musterstadt.de/dsfa-protokoll.pdf",
    "PROTOKOLL_AI_REGISTER__BEGIN_DATE": "2026-03-01",
}
# words that only a German text would carry (the targets' texts must have none of them)
GERMAN = re.compile(
    r"\b(Niederschrift\w*|Schriftführung|Sitzung\w*|Mitschnitt\w*|Freigabe|nicht angegeben|"
    r"Verwaltung|Prüf\w+|und|der|das|nicht|wird|werden)\b"
)
# the official files, vendored unmodified (README.md names their sources)
OFFICIAL_SHA256 = {
    "algoritmeregister-v1_0.json": (
        "fdd86b571d119d41c0035dc8e2ea04ab14e5d7eca283ca854d04be2cad9e77ff"
    ),
    "atrs-v3.0-template_table.md": (
        "bb69b7cfa2b4f793d7ca3baceb9fbac0d0495720814766ac803395e2c2a2b795"
    ),
}


def _settings(**env: str) -> Settings:
    return load_settings(REPO / "config.toml", env)


def _config(tmp_path: Path, text: str) -> Settings:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return load_settings(path, {})


def _export(target: str, settings: Settings | None = None, chain_ok: bool | None = True) -> Any:
    figures = register_figures(entries(LOG), chain_ok=chain_ok)
    return build_export(
        target, settings or _settings(**COMPLETE), figures, generated_at=NOW, manifest=MANIFEST
    )


def _strings(data: Any) -> list[str]:
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        return [s for v in data.values() for s in _strings(v)]
    if isinstance(data, list):
        return [s for v in data for s in _strings(v)]
    return []


# ---- the vendored standards --------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(OFFICIAL_SHA256))
def test_official_files_are_vendored_unmodified_with_source_and_licence(name: str) -> None:
    data = (SCHEMAS / name).read_bytes()
    assert hashlib.sha256(data).hexdigest() == OFFICIAL_SHA256[name]
    readme = (SCHEMAS / "README.md").read_text(encoding="utf-8")
    line = next(row for row in readme.splitlines() if row.startswith(f"| `{name}`"))
    assert "unmodified" in line and ("EUPL-1.2" in line or "Open Government Licence" in line)


def test_the_built_schemas_are_valid_json_schemas() -> None:
    Draft202012Validator.check_schema(nl_schema())
    Draft202012Validator.check_schema(uk_schema())
    fields = nl_config()["properties"]
    assert set(nl_schema()["properties"]) == set(fields)
    assert set(nl_schema()["required"]) == {k for k, v in fields.items() if v["required"] is True}
    assert nl_schema()["properties"]["lang"] == {"enum": ["nld"]}


def _v3_fields() -> dict[str, tuple[str, bool]]:
    """attribute → (reference number, required) of the official v3.0 table."""
    rows = {}
    for line in (SCHEMAS / "atrs-v3.0-template_table.md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 8 or not re.fullmatch(r"[0-9.]+", cells[0]):
            continue
        attribute = cells[1].replace("<br>", "").strip()
        rows[f"{cells[0]}:{attribute}"] = (attribute, cells[-1] == "TRUE")
    return {k.split(":")[1]: v for k, v in rows.items() if k.split(":")[0] != "2.4.1.2"}


def test_the_v4_field_list_is_the_v3_table_with_the_change_log_applied() -> None:
    """The v3.0 → v4.0 changes of the official change log, applied to the v3.0 table, give
    the derived field list (the new operational-data section is inferred: not compared)."""
    v3 = _v3_fields()
    deleted = {
        "id", "standard_version", "organisation_type", "function", "capability", "task",
        "tags", "date_of_completion", "date_updated", "date_archived",  # metadata
        "scope",  # merged into detailed_description
        "dataset_purposes",  # merged with datasets
        "provided_information",  # merged into process integration
    }  # fmt: skip
    renamed = {
        "external_supplier_involvement": "third_party_involvement",
        "external_supplier": "third_party",
        "external_supplier_role": "third_party_role",
        "data_access_terms": "third_party_data_access_terms",
        "process_integration": "integration_into_broader_operational_process",
        "human_decisions_and_review": "human_review",
        "datasets": "datasets_and_their_purposes",
    }
    added = {"system_level_input", "system_level_output"}
    expected = {renamed.get(a, a) for a in v3 if a not in deleted} | added
    sections = {s["key"]: s for s in uk_fields()["sections"]}
    derived = {
        f["attribute"]
        for key, s in sections.items()
        if key != "operational_data_specification"
        for f in s["fields"]
    }
    assert derived == expected
    # required as in v3.0, except where the v4.0 guidance asks for every field
    owner = {f["attribute"] for f in sections["owner_and_responsibility"]["fields"]}
    for key, s in sections.items():
        for f in s["fields"]:
            old = {v: k for k, v in renamed.items()}.get(f["attribute"], f["attribute"])
            if key in ("operational_data_specification",) or old not in v3:
                continue
            if f["attribute"] in owner or f["attribute"] == "detailed_description":
                assert f["required"], f["attribute"]
            else:
                assert f["required"] == v3[old][1], f["attribute"]
    phase = next(f for f in sections["summary_information"]["fields"] if f["attribute"] == "phase")
    assert "Pilot/beta" not in phase["enum"] and {"Private beta", "Public beta"} <= set(
        phase["enum"]
    )
    assert UK_FIELDS.name == "atrs-v4.0-fields.json" and NL_CONFIG.is_file()


# ---- mapping, never copying ---------------------------------------------------------------


def test_every_german_value_has_a_value_in_each_targets_list() -> None:
    nl_fields = nl_config()["properties"]
    assert set(NL_STATUS) == set(STATUSES) == set(UK_PHASE)
    assert set(NL_STATUS.values()) <= set(nl_fields["status"]["permitted_values"])
    assert set(NL_PUBLICATION_CATEGORY) == set(PUBLICATION_CATEGORIES)
    assert set(NL_PUBLICATION_CATEGORY.values()) == set(
        nl_fields["publication_category"]["permitted_values"]
    )
    assert tuple(NL_THEMES) == THEMES
    assert sorted(NL_THEMES.values()) == sorted(nl_fields["category"]["permitted_values"])
    sections = {s["key"]: s for s in uk_fields()["sections"]}
    summary = {f["attribute"]: f for f in sections["summary_information"]["fields"]}
    assert set(UK_PHASE.values()) <= set(summary["phase"]["enum"])
    assert set(REGIONS) == set(summary["region"]["enum"])


def test_the_old_export_with_german_values_is_rejected_by_the_official_schema() -> None:
    """What protokoll used to export under the Algoritmeregister's field names: each of the
    five German values the issue found fails the official v1.0 model."""
    de = _export("de").data["eintrag"]
    old = {**de, "lang": "deu", "standard_version": "1.0"}
    old = {k: v for k, v in old.items() if v is not None and k != "impacttoetsen_grouping"}
    schema = nl_schema()
    failing = {
        next(iter(e.absolute_path), None) for e in Draft202012Validator(schema).iter_errors(old)
    }
    assert {"lang", "status", "publication_category", "category", "begin_date"} <= failing


@pytest.mark.parametrize("status", STATUSES)
def test_nl_entry_maps_the_german_settings_and_is_dutch(status: str) -> None:
    settings = _settings(
        **COMPLETE, PROTOKOLL_AI_REGISTER__STATUS=status,
        PROTOKOLL_AI_REGISTER__THEMES='["Organisation und Verwaltung", "Recht"]',
        PROTOKOLL_AI_REGISTER__PUBLICATION_CATEGORY="Algorithmus mit Auswirkungen",
    )  # fmt: skip
    export = _export("nl", settings)
    data = export.data
    validate(data, "nl")
    assert data["lang"] == "nld" and data["standard_version"] == "1.0"
    assert data["status"] == NL_STATUS[status] != status
    assert data["category"] == ["Organisatie en bedrijfsvoering", "Recht"]
    assert data["publication_category"] == "Impactvolle algoritmes"
    assert data["begin_date"] == "2026-03"
    assert data["impacttoetsen_grouping"] == [
        {"title": "Data Protection Impact Assessment (DPIA)",
         "link": "https://www.musterstadt.de/dsfa-protokoll.pdf"},
    ]  # fmt: skip
    names = {"Gemeinde Musterstadt", "Büro des Rates"}
    assert GERMAN.search(_export("de").data["eintrag"]["description_short"])  # the check bites
    texts = [t for t in _strings(data) if t not in names]
    assert not [t for t in texts if GERMAN.search(t)], [t for t in texts if GERMAN.search(t)]


def test_a_text_without_a_dutch_version_is_reported_never_exported_in_german() -> None:
    export = _export("nl")  # legal_basis is set in German only
    assert "lawful_basis" not in export.data
    assert export.missing == ["[ai_register.texts.nld] lawful_basis"]
    assert any("nur auf Deutsch" in h for h in export.hints)
    assert "§ 52 GO NRW" not in json.dumps(export.data, ensure_ascii=False)


def test_the_administrators_dutch_texts_replace_protokolls(tmp_path: Path) -> None:
    settings = _config(
        tmp_path,
        '[ai_register]\norganization = "Gemeente Noorderhaaks"\ncontact_email = "a@b.nl"\n'
        'purpose = "Eigener deutscher Zweck"\n\n'
        '[ai_register.texts.nld]\nlawful_basis = "Gemeentewet art. 147"\n'
        'human_intervention = "Eigen tekst over menselijke tussenkomst."\n',
    )
    export = _export("nl", settings)
    assert export.data["lawful_basis"] == "Gemeentewet art. 147"
    assert export.data["human_intervention"] == "Eigen tekst over menselijke tussenkomst."
    # the German purpose was changed, the Dutch goal was not: said, not copied
    assert export.data["goal"] == builtin_texts("nld")["goal"]
    assert any("goal" in h and "purpose" in h for h in export.hints)
    assert sorted(export.missing) == [
        "[ai_register] begin_date", "[ai_register] dpia_url", "[ai_register] website",
    ]  # fmt: skip


def test_an_unknown_text_key_or_language_is_a_german_error(tmp_path: Path) -> None:
    settings = _config(tmp_path, '[ai_register.texts.nld]\nzweck = "…"\n')
    with pytest.raises(RegisterError, match=r"unbekannte Felder zweck; bekannt sind: .*goal"):
        _export("nl", settings)
    with pytest.raises(Exception, match="unbekannte Sprache fra"):
        _config(tmp_path, '[ai_register.texts.fra]\nname = "…"\n')
    with pytest.raises(Exception, match="unbekanntes Thema Sport"):
        _config(tmp_path, '[ai_register]\nthemes = ["Sport"]\n')


@pytest.mark.parametrize("target", ["nl", "uk"])
def test_required_settings_missing_stop_the_export_naming_them(target: str) -> None:
    with pytest.raises(RegisterError) as caught:
        _export(target, _settings())
    message = str(caught.value)
    assert "[ai_register] organization" in message and "[ai_register] contact_email" in message
    assert "zurückweisen" in message


def test_http_links_are_refused_for_the_dutch_register() -> None:
    settings = _settings(**{**COMPLETE, "PROTOKOLL_AI_REGISTER__WEBSITE": "http://musterstadt.de"})
    export = _export("nl", settings)
    assert "website" not in export.data and any("https://" in h for h in export.hints)


@pytest.mark.parametrize(
    ("change", "field", "phrase"),
    [
        (lambda d: d.update(lang="deu"), "lang", "erlaubt: 'nld'"),
        (lambda d: d.update(status="in Betrieb"), "status", "erlaubt"),
        (lambda d: d.update(begin_date="2026-03-01"), "begin_date", "länger als 7"),
        (lambda d: d.update(begin_date="03-2026"), "begin_date", "ungültiger Wert"),
        (lambda d: d.update(category=["Organisation und Verwaltung"]), "category[0]", "erlaubt"),
        (lambda d: d.update(name="x" * 101), "name", "länger als 100"),
        (lambda d: d.pop("organization"), "organization", "Pflichtfeld fehlt"),
        (lambda d: d.update(kennzahlen={}), "(Eintrag)", "unbekanntes Feld kennzahlen"),
    ],
)  # fmt: skip
def test_the_nl_check_names_the_field_in_german(change: Any, field: str, phrase: str) -> None:
    data = copy.deepcopy(_export("nl").data)
    change(data)
    with pytest.raises(RegisterError) as caught:
        validate(data, "nl")
    assert f"„{field}“" in str(caught.value) and phrase in str(caught.value), str(caught.value)
    assert "Algoritmeregister v1.0" in str(caught.value)


# ---- UK ATRS v4.0 ---------------------------------------------------------------------------


@pytest.mark.parametrize("status", STATUSES)
def test_uk_record_has_every_required_field_in_english(status: str) -> None:
    settings = _settings(**COMPLETE, PROTOKOLL_AI_REGISTER__STATUS=status)
    record = _export("uk", settings).data
    validate(record, "uk")
    for section in uk_fields()["sections"]:
        if section["key"] == "development_data_specification":
            assert section["key"] not in record  # left blank: pre-trained models
            continue
        rows = record[section["key"]]
        for row in rows if isinstance(rows, list) else [rows]:
            for f in section["fields"]:
                if f["required"]:
                    assert row[f["attribute"]].strip(), f["attribute"]
    summary = record["summary_information"]
    assert summary["phase"] == UK_PHASE[status] and summary["region"] == "International"
    assert (
        record["owner_and_responsibility"]["senior_responsible_owner"] == "Head of Büro des Rates"
    )
    models = record["model_specification"]
    assert {m["model_name"] for m in models} >= {"whisper-base", "campplus-zh-en-common"}
    names = {"Gemeinde Musterstadt", "Büro des Rates", "Head of Büro des Rates"}
    texts = [t for t in _strings(record) if t not in names]
    assert not [t for t in texts if GERMAN.search(t)], [t for t in texts if GERMAN.search(t)]


def test_uk_record_needs_the_team_and_an_impact_assessment() -> None:
    env = {k: v for k, v in COMPLETE.items() if not k.endswith(("DEPARTMENT", "DPIA_URL"))}
    with pytest.raises(RegisterError) as caught:
        _export("uk", _settings(**env))
    assert "[ai_register] department" in str(caught.value)
    assert "[ai_register] dpia_url (oder [ai_register.texts.eng] impact_assessment)" in str(
        caught.value
    )


def test_uk_texts_follow_the_settings(tmp_path: Path) -> None:
    settings = _settings(
        **COMPLETE, PROTOKOLL_REVIEW__FOUR_EYES="true",
        PROTOKOLL_REVIEW__DELETE_RECORDING="nie",
        PROTOKOLL_REVIEW__RECORDING_RETENTION_DAYS="30", PROTOKOLL_LLM__BACKEND="openai",
        PROTOKOLL_LLM__API_MODEL="qwen2.5-72b", PROTOKOLL_LLM__BASE_URL="http://llm.kreis.local/v1",
        PROTOKOLL_AI_REGISTER__REGION="England",
    )  # fmt: skip
    record = _export("uk", settings, chain_ok=False).data
    validate(record, "uk")
    assert "two different reviewers" in record["deployment_context"]["human_review"]
    assert (
        "at the latest 30 days after upload"
        in (record["operational_data_specification"]["data_access_and_storage"])
    )
    assert "llm.kreis.local" in record["tool_specification"]["system_architecture"]
    assert (
        "found an alteration"
        in record["risks_mitigations_and_impact_assessments"]["risks_and_mitigations"]
    )
    assert "only 1 (50 %)" in record["deployment_context"]["human_review"]
    assert record["summary_information"]["region"] == "England"


def test_nl_texts_follow_the_settings_and_stay_within_the_lengths() -> None:
    settings = _settings(
        **COMPLETE, PROTOKOLL_REVIEW__FOUR_EYES="true",
        PROTOKOLL_REVIEW__RECORDING_RETENTION_DAYS="0", PROTOKOLL_LLM__BACKEND="openai",
        PROTOKOLL_LLM__API_MODEL="qwen2.5-72b", PROTOKOLL_LLM__BASE_URL="http://llm.kreis.local/v1",
    )  # fmt: skip
    data = _export("nl", settings).data
    validate(data, "nl")  # max_length of every field
    assert "vier-ogenprincipe" in data["human_intervention"]
    assert "llm.kreis.local" in data["provider"] and "qwen2.5-72b" in data["methods_and_models"]
    assert "zodra de notulen zijn gepubliceerd." in data["proportionality"]


def test_every_catalogue_piece_is_filled_without_leftover_placeholders() -> None:
    for target in ("nl", "uk"):
        text = json.dumps(_export(target).data, ensure_ascii=False)
        assert not re.search(r"\{[a-z_]+\}", text), target


# ---- the examples in the documentation are what the code writes --------------------------

EXAMPLES = REPO / "docs" / "examples" / "register"


@pytest.mark.parametrize("target", ["de", "nl", "uk"])
def test_documented_examples_are_current(target: str) -> None:
    """docs/examples/register/ holds one file per target, built from the test audit log with
    complete settings; PROTOKOLL_UPDATE_EXAMPLES=1 rewrites them."""
    settings = _settings(
        **COMPLETE, PROTOKOLL_AI_REGISTER__TEXTS='{nld = {lawful_basis = "Gemeentewet art. 147"}}'
    )
    export = _export(target, settings)
    text = json.dumps(export.data, ensure_ascii=False, indent=2) + "\n"
    path = EXAMPLES / export.file_name
    if os.environ.get("PROTOKOLL_UPDATE_EXAMPLES") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.read_text(encoding="utf-8") == text
    validate(json.loads(text), target)
