"""Publication of approved minutes: the documents, written once into the meeting's
`veroeffentlicht/` folder.

Written are the full Niederschrift (DOCX, PDF, JSON) and, when the minutes have
non-public items, the public version (DOCX, PDF, JSON), plus `oparl.json`, the public
minutes as an OParl 1.1 Meeting for the council information system. All files are
built in a temporary folder next to the target and moved into place by one rename, so
a failure (e.g. LibreOffice missing) leaves nothing half-published.

`oparl_object` builds that Meeting; the service's OParl interface (`usecases/oparl.py`)
calls it too, with the moment of publication, so the file and the interface agree.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, object_session

from protokoll.documents import artifacts
from protokoll.domain.minutes import Minutes
from protokoll.formatting import date_de
from protokoll.pipeline.runner import letterhead
from protokoll.publication.oparl_export import PublishedFile, oparl_meeting, write_oparl_json
from protokoll.publication.pdf import docx_to_pdf
from protokoll.service.context import ServiceContext
from protokoll.service.infra.tables import (
    DEFAULT_MUNICIPALITY,
    Meeting,
    MinutesVersion,
    Municipality,
    ReviewEvent,
)

PUBLISHED_LABELS = {name: artifacts.LABELS[name] for name in artifacts.PUBLISHED_FILES}


def letterhead_name(ctx: ServiceContext, meeting: Meeting) -> str:
    """The municipality's name for the letterhead of its documents: `[ai_register]
    organization`, else `[oparl] body_name`, else the municipality's own name (not that of
    the unnamed default municipality); "" if none is known."""
    named = letterhead(ctx.of(meeting).settings)
    if named:
        return named
    s = object_session(meeting)
    municipality = s.get(Municipality, meeting.municipality_id) if s is not None else None
    if municipality is None or municipality.id == DEFAULT_MUNICIPALITY:
        return ""
    return municipality.name.strip()


def approval_note(approved_by: list[str], when: dt.datetime) -> str:
    names = " und ".join(approved_by) if approved_by else "der Prüfung"
    return f"Geprüft und freigegeben von {names} am {date_de(when.astimezone())}"


def published_minutes(version: MinutesVersion) -> Minutes:
    """The minutes of a published (or to be published) version: all items, public or not."""
    minutes = Minutes.from_dict(json.loads(version.content))
    minutes.ai_generated = False  # reviewed and approved by a person (schema: ai_generated)
    minutes.transcript_edits = {}  # corrections of the transcript: not published with it
    return minutes


def publish(
    ctx: ServiceContext,
    s: Session,
    meeting: Meeting,
    version: MinutesVersion,
    approved_by: list[str],
    now: dt.datetime | None = None,
) -> dict[str, str]:
    """Write the published documents of ``version``; returns file name → SHA-256.
    ``now`` is the moment of publication (default: now), written into the documents."""
    ctx = ctx.of(meeting)
    minutes = published_minutes(version)
    now = now or dt.datetime.now(dt.UTC)
    note = approval_note(approved_by, now)
    target = ctx.layout.published(meeting.id)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".veroeffentlichen-", dir=target.parent))
    try:
        _write_all(ctx, meeting, minutes, version, note, now, staging)
        if target.exists():  # an earlier publication attempt that was not committed
            shutil.rmtree(target)
        os.replace(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return {p.name: artifacts.file_sha256(p) for p in sorted(target.iterdir()) if p.is_file()}


def _write_all(
    ctx: ServiceContext,
    meeting: Meeting,
    minutes: Minutes,
    version: MinutesVersion,
    note: str,
    now: dt.datetime,
    folder: Path,
) -> None:
    non_public = artifacts.has_public_version(minutes)
    products = artifacts.Products(
        minutes=minutes, template=ctx.settings.minutes.template, created=now, approval=note,
        document_id=f"protokoll:{meeting.id}:{version.number}:freigegeben",
        letterhead=letterhead_name(ctx, meeting) or None,
    )  # fmt: skip
    suffixes = ["", ".oeffentlich"] if non_public else [""]
    for suffix in suffixes:
        docx = folder / f"niederschrift{suffix}.docx"
        artifacts.render(docx.name, products, docx)
        docx_to_pdf(docx, docx.with_suffix(".pdf"))
        artifacts.render(f"minutes{suffix}.json", products, folder / f"minutes{suffix}.json")
    data = oparl_object(
        ctx, meeting, minutes, now, folder, base_url=ctx.settings.review.public_base_url
    )
    write_oparl_json(data, folder / artifacts.OPARL_JSON)


def oparl_file_names(minutes: Minutes) -> tuple[str, ...]:
    """The published documents an OParl Meeting lists: PDF and DOCX of the public version
    (of the minutes themselves when no item is non-public)."""
    public_stem = (
        "niederschrift.oeffentlich" if artifacts.has_public_version(minutes) else "niederschrift"
    )
    return (f"{public_stem}.pdf", f"{public_stem}.docx")


def oparl_object(
    ctx: ServiceContext,
    meeting: Meeting,
    minutes: Minutes,
    published_at: dt.datetime,
    folder: Path,
    *,
    base_url: str,
    with_files: bool = True,
) -> dict[str, Any]:
    """The published minutes as an OParl Meeting (public items only), with the documents in
    ``folder`` as its files (``with_files=False``: none, nothing is read); ids under
    ``base_url``. Published at ``published_at``."""
    names = oparl_file_names(minutes) if with_files else ()
    files = {
        PUBLISHED_LABELS[name]: PublishedFile.from_path(
            folder / name, file_date=published_at.date()
        )
        for name in names
    }
    return oparl_meeting(
        minutes, meeting_id=meeting.id, base_url=base_url,
        name=meeting.title or minutes.meeting.body, files=files, public_only=True,
        approved_at=published_at, created=meeting.created_at,
        license=ctx.of(meeting).settings.oparl.license or None,
    )  # fmt: skip


def published_at(s: Session, meeting: Meeting) -> dt.datetime | None:
    """When the meeting's minutes were (last) published; None if never."""
    query = (
        select(ReviewEvent.at)
        .where(ReviewEvent.meeting_id == meeting.id, ReviewEvent.action == "veroeffentlichen")
        .order_by(ReviewEvent.id.desc())
        .limit(1)
    )
    at = s.scalar(query)
    return at if at is None or at.tzinfo else at.replace(tzinfo=dt.UTC)


def published_files(ctx: ServiceContext, meeting: Meeting, *, confidential: bool) -> list[str]:
    folder = ctx.of(meeting).layout.published(meeting.id)
    if not folder.is_dir():
        return []
    present = [n for n in artifacts.PUBLISHED_FILES if (folder / n).is_file()]
    if confidential:
        return present
    # without a non-public item at all, everything published is public
    has_public_version = (folder / artifacts.PUBLIC_MINUTES_JSON).is_file()
    return artifacts.public_names(present, has_non_public=has_public_version)
