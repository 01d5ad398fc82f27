"""The record for the UK Algorithmic Transparency Recording Standard v4.0, in English.

Tier 1 (`summary_information`) and tier 2 (the other sections), keyed by the template's
attribute names (`schemas/atrs-v4.0-fields.json`), so that the official sheet can be filled
field by field. The German settings are mapped onto the standard's lists (`vocabularies`);
texts are English (`texts/eng.toml`, replaced field by field by `[ai_register.texts.eng]`).
A required field without a value stops the export with a German message. One model
specification per model; the development-data section is left out, as the official
guidance asks for pre-trained models the organisation has not trained or refined.
"""

from __future__ import annotations

from typing import Any

from protokoll.config import Settings
from protokoll.register import statements
from protokoll.register.figures import RegisterFigures
from protokoll.register.report import RegisterExport, given_value, start
from protokoll.register.standards import RegisterError, validate
from protokoll.register.texts import Texts
from protokoll.register.vocabularies import UK_PHASE

LANGUAGE = "eng"
TEXTS = "[ai_register.texts.eng]"
OVERRIDABLE = (
    "title", "senior_responsible_owner", "frequency_and_scale_of_usage", "human_review",
    "models", "data_quantities", "data_access_and_storage", "impact_assessment",
    "risks_and_mitigations", "model_performance", "datasets_and_their_purposes",
)  # fmt: skip

THIRD_PARTY_FIELDS = (
    "third_party_involvement", "third_party", "companies_house_number", "third_party_role",
    "procurement_procedure_type", "third_party_data_access_terms",
)  # fmt: skip


def build(
    settings: Settings,
    figures: RegisterFigures,
    models: list[dict[str, Any]],
) -> RegisterExport:
    reg = settings.ai_register
    given, texts, out = start(settings, "uk", LANGUAGE, OVERRIDABLE)

    def field(key: str, **values: Any) -> str:
        text = texts.field(key, **values)
        if text is None:  # every field of eng.toml is there; a missing one is a bug
            raise RegisterError(f"Text {key} fehlt in protokolls englischem Textkatalog.")
        return text

    organisation = out.need(given_value(given.organization), "[ai_register] organization")
    email = out.need(given_value(given.contact_email), "[ai_register] contact_email")
    team = given_value(given.department)
    if not texts.given("senior_responsible_owner"):
        out.need(team, "[ai_register] department")
    name = field("name")
    dpia = given_value(given.dpia_url)
    if not texts.given("impact_assessment"):
        out.need(dpia, f"[ai_register] dpia_url (oder {TEXTS} impact_assessment)")
    out.check()
    remote = settings.llm.backend == "openai"
    architecture = (
        texts.piece("system_architecture_remote_llm", server=settings.llm.base_url or "?")
        if remote and not texts.given("system_architecture")
        else field("system_architecture")
    )
    record: dict[str, Any] = {
        "summary_information": {
            "title": texts.own_or("title", name),
            "organisation_name": organisation,
            "phase": UK_PHASE[reg.status],
            "region": reg.region,
            "one_sentence_description": field("one_sentence_description"),
            "name": name,
            "description": field("description"),
            "website_url": given_value(given.website) or "N/A",
            "contact_email": email,
        },
        "owner_and_responsibility": {
            "organisation_or_department": organisation,
            "team": team or "N/A",
            "senior_responsible_owner": texts.own_or(
                "senior_responsible_owner", texts.piece("senior_responsible_owner", team=team)
            ),
            **{k: field(k) for k in THIRD_PARTY_FIELDS},
        },
        "description_and_rationale": {
            k: field(k)
            for k in (
                "detailed_description",
                "benefit",
                "previous_process",
                "alternatives_considered",
            )
        },
        "deployment_context": {
            "integration_into_broader_operational_process": field(
                "integration_into_broader_operational_process"
            ),
            "frequency_and_scale_of_usage": texts.own_or(
                "frequency_and_scale_of_usage", statements.usage(texts, figures)
            ),
            "human_review": texts.own_or(
                "human_review", statements.review(texts, settings, figures)
            ),
            "required_training": field("required_training"),
            "appeals_and_review": field("appeals_and_review", contact_email=email),
        },
        "tool_specification": {
            "system_architecture": architecture,
            "system_level_input": field("system_level_input"),
            "system_level_output": field("system_level_output"),
            "maintenance": field("maintenance"),
            "models": texts.own_or("models", statements.models(texts, models)),
        },
        "model_specification": [_model(texts, m) for m in models],
        "operational_data_specification": _operational_data(texts, settings, figures),
        "risks_mitigations_and_impact_assessments": {
            "impact_assessment": texts.own_or(
                "impact_assessment", texts.piece("impact_assessment", link=dpia)
            ),
            "risks_and_mitigations": texts.own_or(
                "risks_and_mitigations", "\n".join(statements.risks(texts, settings, figures))
            ),
        },
    }
    if not models:
        del record["model_specification"]
    validate(record, "uk")
    return out.export(record)


def _model(texts: Texts, model: dict[str, Any]) -> dict[str, str]:
    stages = list(model["stages"]) or ["minutes"]

    def per_stage(piece: str) -> str:
        return " ".join(texts.piece(f"{piece}_{s}") for s in stages)

    upstream = texts.piece("upstream", upstream=model["upstream"]) if model["upstream"] else ""
    return {
        "model_name": model["name"],
        "model_version": model["version"] or texts.piece("model_version_unknown"),
        "model_task": statements.task(texts, stages),
        "model_input": per_stage("input"),
        "model_output": per_stage("output"),
        "model_architecture": per_stage("architecture"),
        "model_performance": texts.own_or("model_performance", texts.piece("model_performance")),
        "datasets_and_their_purposes": texts.own_or(
            "datasets_and_their_purposes", texts.piece("model_datasets", upstream=upstream)
        ),
    }


def _operational_data(texts: Texts, settings: Settings, figures: RegisterFigures) -> dict[str, str]:
    retention = texts.piece("retention", deletion=statements.deletion(texts, settings))
    quantities = texts.piece(
        "data_quantities", hours=statements.number(texts, figures.audio_hours),
        sessions=figures.sessions_processed,
    )  # fmt: skip
    return {
        "data_name": str(texts.field("data_name")),
        "data_modality": str(texts.field("data_modality")),
        "data_description": str(texts.field("data_description")),
        "data_quantities": texts.own_or("data_quantities", quantities),
        "sensitive_attributes": str(texts.field("sensitive_attributes")),
        "data_sharing_agreements": str(texts.field("data_sharing_agreements")),
        "data_access_and_storage": texts.own_or(
            "data_access_and_storage", texts.piece("data_access", retention=retention)
        ),
    }
