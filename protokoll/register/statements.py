"""Texts built from settings and measured figures, for the English and Dutch targets:
deletion and retention, human review, approval before publication, usage, models, risks.

Every sentence comes from the language's text catalogue (`texts/<language>.toml`); this
module chooses the pieces and fills in the numbers. The German equivalents are in
`export.py`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from protokoll.config import Settings
from protokoll.register.figures import RegisterFigures
from protokoll.register.texts import Texts

DECIMAL_COMMA = {"nld"}
RISKS = ("asr", "hallucination", "attribution", "votes", "closed", "personal", "audit")


def number(texts: Texts, value: float, digits: int = 1) -> str:
    text = f"{value:.{digits}f}"
    return text.replace(".", ",") if texts.language in DECIMAL_COMMA else text


def day(iso: str | None) -> str:
    """The date part of an ISO timestamp (the registers' own examples use ISO dates)."""
    return (iso or "")[:10] or "–"


def deletion(texts: Texts, settings: Settings) -> str:
    review = settings.review
    days = review.recording_retention_days
    if review.delete_recording == "veroeffentlichung":
        return texts.piece(
            "deletion_on_publication_days" if days else "deletion_on_publication", days=days
        )
    return texts.piece("deletion_days", days=days) if days else texts.piece("deletion_manual")


def approval_statement(texts: Texts, figures: RegisterFigures) -> str:
    published, approved = figures.minutes_published, figures.published_human_approved
    share = figures.published_human_approved_share
    if not published or share is None:
        return texts.piece("approval_none")
    if approved == published:
        if published == 1:
            return texts.piece("approval_all_one")
        return texts.piece("approval_all_many", published=published)
    return texts.piece(
        "approval_partial", published=published, approved=approved,
        share=number(texts, share * 100, 0),
    )  # fmt: skip


def review(texts: Texts, settings: Settings, figures: RegisterFigures) -> str:
    approval = texts.piece("review_four_eyes" if settings.review.four_eyes else "review_single")
    return texts.piece("review", approval=approval, statement=approval_statement(texts, figures))


def usage(texts: Texts, figures: RegisterFigures) -> str:
    if not figures.sessions_processed:
        return texts.piece("usage_none")
    return texts.piece(
        "usage", period_from=day(figures.period_from), period_to=day(figures.period_to),
        sessions=figures.sessions_processed, hours=number(texts, figures.audio_hours),
        approved=figures.minutes_approved, published=figures.minutes_published,
    )  # fmt: skip


def task(texts: Texts, stages: Sequence[str]) -> str:
    return "; ".join(texts.piece(f"task_{s}") for s in stages)


def models(texts: Texts, rows: Sequence[dict[str, Any]]) -> str:
    parts = []
    for m in rows:
        facts = [f"{m['version']}" if m["version"] else texts.piece("model_version_unknown")]
        if m["sha256"]:
            facts.append(f"SHA-256 {m['sha256']}")
        parts.append(f"{task(texts, m['stages'])}: {m['name']} ({', '.join(facts)})")
    return texts.piece("models_intro") + "; ".join(parts) + "."


def chain(texts: Texts, figures: RegisterFigures) -> str:
    key = {True: "chain_ok", False: "chain_changed", None: "chain_unchecked"}[figures.chain_ok]
    return texts.piece(key)


def risks(texts: Texts, settings: Settings, figures: RegisterFigures) -> list[str]:
    """One sentence pair (risk, mitigation) per risk."""
    values = {
        "approval": texts.piece("risk_four_eyes") if settings.review.four_eyes else "",
        "deletion": deletion(texts, settings),
        "chain": chain(texts, figures),
    }
    return [texts.piece(f"risk_{name}", **values) for name in RISKS]
