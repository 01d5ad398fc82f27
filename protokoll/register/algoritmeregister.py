"""The entry for the Dutch Algoritmeregister, publication standard v1.0, in Dutch.

The file is what the register's upload API takes: the standard's fields only, `lang`
"nld", the German settings mapped onto the standard's lists (`vocabularies`), texts in
Dutch (`texts/nld.toml`, replaced field by field by `[ai_register.texts.nld]`). A
required field without a value stops the export with a German message; an optional one
is left out and reported. Checked against `schemas/algoritmeregister-v1_0.json`
(`standards.nl_schema`).
"""

from __future__ import annotations

from typing import Any

from protokoll.config import Settings
from protokoll.register import statements
from protokoll.register.figures import RegisterFigures
from protokoll.register.report import RegisterExport, compact, given_value, start
from protokoll.register.standards import validate
from protokoll.register.vocabularies import NL_PUBLICATION_CATEGORY, NL_STATUS, NL_THEMES

LANGUAGE = "nld"
TEXTS = "[ai_register.texts.nld]"
# fields whose text protokoll builds from settings and figures, or only the municipality has
OVERRIDABLE = (
    "proportionality", "human_intervention", "risks", "lawful_basis", "impacttoetsen",
    "methods_and_models", "provider", "source_id", "url", "publiccode", "process_index_url",
)  # fmt: skip


def build(
    settings: Settings,
    figures: RegisterFigures,
    models: list[dict[str, Any]],
) -> RegisterExport:
    reg = settings.ai_register
    given, texts, out = start(settings, "nl", LANGUAGE, OVERRIDABLE)

    website = given_value(given.website)
    if website and not website.startswith("https://"):
        out.hints.append(f"website „{website}“: das Algoritmeregister verlangt https://.")
        website = None
    goal = texts.field("goal")
    if reg.purpose != type(reg)().purpose and not texts.given("goal"):
        out.hints.append(
            "purpose ist auf Deutsch angepasst, das Ziel auf Niederländisch nicht: im Eintrag "
            f"steht protokolls Standardtext. Bitte {TEXTS} goal setzen."
        )
    lawful_basis = texts.field("lawful_basis")
    if lawful_basis is None and reg.legal_basis.strip():
        out.hints.append(
            "Die Rechtsgrundlage liegt nur auf Deutsch vor; sie wird nicht auf Deutsch "
            f"übernommen. Bitte {TEXTS} lawful_basis auf Niederländisch setzen."
        )
    dpia = given_value(given.dpia_url)
    provider = texts.own_or("provider", texts.piece("provider"))
    if settings.llm.backend == "openai" and not texts.given("provider"):
        provider += texts.piece("provider_remote_llm", server=settings.llm.base_url or "?")
    data = {
        "name": texts.field("name"),
        "description_short": texts.field("description_short"),
        "organization": out.need(given_value(given.organization), "[ai_register] organization"),
        "category": [NL_THEMES[t] for t in reg.themes],
        "status": NL_STATUS[reg.status],
        "begin_date": out.want(
            given.begin_date[:7] if given.begin_date else None, "[ai_register] begin_date"
        ),
        "contact_email": out.need(given_value(given.contact_email), "[ai_register] contact_email"),
        "website": out.want(website, "[ai_register] website"),
        "publication_category": NL_PUBLICATION_CATEGORY[reg.publication_category],
        "goal": goal,
        "proportionality": texts.own_or(
            "proportionality",
            texts.piece("proportionality", deletion=statements.deletion(texts, settings)),
        ),
        "human_intervention": texts.own_or(
            "human_intervention", statements.review(texts, settings, figures)
        ),
        "risks": texts.own_or("risks", " ".join(statements.risks(texts, settings, figures))),
        "lawful_basis": out.want(lawful_basis, f"{TEXTS} lawful_basis"),
        "impacttoetsen": texts.field("impacttoetsen"),
        "impacttoetsen_grouping": [{"title": texts.piece("dpia_title"), "link": dpia}]
        if out.want(dpia, "[ai_register] dpia_url")
        else None,
        "source_data": texts.field("source_data"),
        "methods_and_models": texts.own_or("methods_and_models", statements.models(texts, models)),
        "provider": provider,
        **{k: texts.field(k) for k in ("source_id", "url", "publiccode", "process_index_url")},
        "lang": LANGUAGE,
        "standard_version": "1.0",
    }
    out.check()
    entry = compact(data)
    validate(entry, "nl")
    return out.export(entry)
