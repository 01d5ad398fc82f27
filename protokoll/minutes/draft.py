"""From transcript and agenda to draft minutes: the minutes stage, end to end.

    sentences -> agenda boundaries -> per item: rules (result, counts, resolution,
    motions) -> LLM (summary; result and resolution only where the rules found
    none) -> cross-checks against the transcript -> `Minutes`

Rules come first because they are exact and explainable; the LLM writes the
prose and fills gaps, and everything it claims is checked against what was
said in that item. Nothing a model produced is presented as fact unchecked.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping, Sequence, Set
from typing import Any

from protokoll.config import MinutesSettings
from protokoll.domain.agenda import Agenda, AgendaItem
from protokoll.domain.minutes import (
    RESULTS,
    Attendance,
    Evidence,
    Flag,
    Minutes,
    MinutesItem,
    MinutesMeeting,
    SourceRange,
    SummarySentence,
    Votes,
)
from protokoll.domain.progress import ProgressHook, null_hook
from protokoll.domain.speakers import SpeakerNames, label_of
from protokoll.domain.transcript import Transcript, speaker_display_name
from protokoll.errors import StageError
from protokoll.formatting import format_hms
from protokoll.llm.base import LLM, ChatMessage
from protokoll.llm.json_output import JSONOutputError, extract_json
from protokoll.minutes.faithfulness import check_summary, number_values, sentence_checker
from protokoll.minutes.segmentation import (
    ItemSpan,
    Segmentation,
    apply_corrections,
    dropped_at_opening,
    find_boundaries,
    is_procedural,
    sentences_in,
)
from protokoll.minutes.sentences import Sentence, split_sentences
from protokoll.minutes.speaker_names import propose_names
from protokoll.minutes.summarize import Summarizer, prompt
from protokoll.minutes.verlauf import VerlaufWriter
from protokoll.minutes.votes import (
    check_consistency,
    check_resolution,
    check_votes,
    dropped_items,
    extract_counts,
    extract_motions,
    extract_resolution,
    question_item_without_vote,
    read_result,
    unreadable_flags,
)

log = logging.getLogger(__name__)

LOW_CONFIDENCE = 0.5
_VOTE_TAIL_SENTENCES = 12
_MAX_RESOLUTION_WORDS = 40
_DECIDED = (
    "einstimmig beschlossen",
    "mehrheitlich beschlossen",
    "beschlossen",
    "geändert beschlossen",
)
_END_TIME = re.compile(r"\bum\s+(\d{1,2})[.:](\d{2})\s*Uhr|\bum\s+(\d{1,2})\s+Uhr\s+(\d{2})\b")

VOTE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "ergebnis": {"type": "string", "enum": list(RESULTS)},
        "ja": {"type": ["integer", "null"]},
        "nein": {"type": ["integer", "null"]},
        "enthaltung": {"type": ["integer", "null"]},
        "befangen": {"type": ["integer", "null"]},
    },
    "required": ["ergebnis", "ja", "nein", "enthaltung", "befangen"],
}
RESOLUTION_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "text": {"type": "string"},
        "zeilen": {"type": "array", "items": {"type": "integer"}},
    },
    "required": ["text", "zeilen"],
}


def _json_object(text: str) -> dict[str, Any] | None:
    try:
        data = extract_json(text)
    except JSONOutputError:
        return None
    return data if isinstance(data, dict) else None


class MinutesDrafter:
    def __init__(
        self,
        agenda: Agenda,
        settings: MinutesSettings,
        llm: LLM | None = None,
        max_output_tokens: int = 700,
        *,
        temperature: float = 0.0,
        low_confidence: float = LOW_CONFIDENCE,
    ) -> None:
        self.agenda = agenda
        self.settings = settings
        self.llm = llm
        self.temperature = temperature
        self.low_confidence = low_confidence
        self.summarizer = (
            Summarizer(llm, settings.protocol_type, max_output_tokens, temperature)
            if llm is not None and settings.protocol_type == "ergebnis"
            else None
        )
        self.verlauf = (
            VerlaufWriter(llm, max_output_tokens=max_output_tokens, temperature=temperature)
            if llm is not None and settings.protocol_type == "verlauf"
            else None
        )

    # ---- names -------------------------------------------------------------------------

    def speaker_names(
        self, sentences: Sequence[Sentence], confirmed: Mapping[str, str] | None
    ) -> tuple[dict[str, str], list[Flag]]:
        """Confirmed names win; the rest are proposals from what was said, flagged."""
        names = dict(confirmed or {})
        flags: list[Flag] = []
        for proposal in propose_names(sentences, self.agenda.members):
            if proposal.label in names or proposal.name in names.values():
                continue
            names[proposal.label] = proposal.name
            flags.append(
                Flag(
                    "sprecher_vorgeschlagen",
                    f"{speaker_display_name(proposal.label)} wurde als „{proposal.name}“ "
                    f"erkannt ({proposal.reason}). Bitte bestätigen oder korrigieren.",
                )
            )
        return names, flags

    # ---- per item ----------------------------------------------------------------------

    def _item(
        self,
        item: AgendaItem,
        span: ItemSpan,
        sentences: Sequence[Sentence],
        names: Mapping[str, str],
    ) -> MinutesItem:
        own = sentences_in(span, sentences)
        out = MinutesItem(
            number=item.number,
            title=item.title,
            paper=item.paper,
            public=item.public,
            start_s=span.start_s,
            end_s=span.end_s,
            boundary=span.boundary,
            flags=list(span.flags),
        )
        if not own:
            return out
        text = " ".join(s.text for s in own)
        # labels, in order of first appearance (docs/minutes-schema.md); readers see names
        out.speakers = list(dict.fromkeys(s.speaker for s in own if s.speaker is not None))

        result, result_ev, conflict = read_result(own)
        if result is None and conflict is None:
            asked = question_item_without_vote(item.title, own)
            if asked is not None:
                result, result_ev = "ohne Beschluss", asked
                out.flags.append(
                    Flag(
                        "ergebnis_aus_art",
                        "„ohne Beschluss“ aus der Art des Punkts (Fragen, keine Abstimmung); "
                        "bitte prüfen.",
                        start_s=asked.start_s,
                        end_s=asked.end_s,
                    )
                )
        counts = extract_counts(own)
        out.votes, out.vote_evidence = counts.votes, counts.evidence
        suggestion = None
        if result is None and self.llm is not None:
            try:
                # the model's reading is offered to the reviewer, never written as the result
                suggestion, llm_votes = self._llm_vote(own[-_VOTE_TAIL_SENTENCES:], out)
                # a count said but not understood stays empty, whatever the model reads
                unreadable = {category for category, _ in counts.unreadable}
                out.votes = _merge_votes(out.votes, llm_votes, keep_empty=unreadable)
            except StageError as exc:
                out.flags.append(_llm_failed("Abstimmungsergebnis", exc))
        out.result, out.result_evidence = result, result_ev
        vote_flags = check_votes(out.result, out.votes)
        if suggestion is not None or conflict is not None:
            vote_flags = [f for f in vote_flags if f.kind != "ergebnis_nicht_erkannt"]
        if conflict is not None:
            vote_flags.insert(0, conflict)
        out.flags += vote_flags
        out.flags += unreadable_flags(counts)
        present = len(self.agenda.present_members) or None
        out.flags += check_consistency(out.result, out.votes, own, present=present)

        out.resolution_text, out.resolution_evidence = extract_resolution(own)
        if out.resolution_text is None and out.result in _DECIDED and self.llm is not None:
            try:
                self._llm_resolution(item, own, out, names, text)
            except StageError as exc:
                out.flags.append(_llm_failed("Beschlusstext", exc))
        out.flags += check_resolution(out.result, out.resolution_text, out.votes)
        out.motions = [m.text for m in extract_motions(own)]

        return out

    def _debate(
        self,
        item: AgendaItem,
        span: ItemSpan,
        out: MinutesItem,
        sentences: Sequence[Sentence],
        names: Mapping[str, str],
    ) -> None:
        """The course of debate of one item (Verlauf, Ergebnis summary or Wortprotokoll)."""
        own = sentences_in(span, sentences)
        if not own:
            return
        text = " ".join(s.text for s in own)
        if self.settings.protocol_type == "wort":
            out.summary = [
                SummarySentence(
                    f"{_speaker_key(s.speaker, names)}: {s.text}",
                    [SourceRange(s.start_s, s.end_s)],
                )
                for s in own
            ]
        elif self.summarizer is not None or self.verlauf is not None:
            header = _item_header(item)
            debate = _debate_only(own, out)
            known = [m.name for m in self.agenda.members]
            shown = [speaker_display_name(label, names) for label in out.speakers]
            year = self.agenda.meeting.date.year
            try:
                if self.verlauf is not None:
                    checker = sentence_checker(
                        text, known, shown, reference_text=header, session_year=year
                    )
                    summary = self.verlauf.write(
                        header, debate, self._with_position(names), checker=checker
                    )
                else:
                    assert self.summarizer is not None
                    summary = self.summarizer.summarize(
                        header,
                        debate,
                        speaker_name=lambda label: names.get(
                            label or "", speaker_display_name(label)
                        ),
                    )
            except StageError as exc:
                out.flags.append(_llm_failed("Beratungsverlauf", exc))
                out.flags += _low_confidence_flags(own, self.low_confidence)
                return
            out.summary = summary.sentences
            out.flags += summary.flags
            if (
                not out.summary
                and len(debate) >= 3
                and all(f.kind == "beitrag_fehlt" for f in summary.flags)
            ):
                out.flags.append(
                    Flag(
                        "ki_leer",
                        f"Die KI hat zu {len(debate)} Redebeiträgen keinen Beratungsverlauf "
                        "geschrieben; bitte von Hand ergänzen.",
                    )
                )
            check_summary(
                out.summary,
                text,
                known_names=known,
                speaker_names=shown,
                reference_text=header,
                session_year=year,
            )
            # texts keep labels, so that a speaker named later is renamed in them too
            symbolic = SpeakerNames(out.speakers, [names])
            for sentence in out.summary:
                sentence.text = symbolic.symbolic(sentence.text, out.speakers)
        out.flags += _low_confidence_flags(own, self.low_confidence)

    def _with_position(self, names: Mapping[str, str]) -> Callable[[str | None], str]:
        """How the Verlauf names a speaker, as minutes do: role and surname with the faction
        from the member list ("Ratsmitglied Keller (SPD)", "Kämmerer Hartmann"), which needs
        no guess at "Herr" or "Frau"; the full name without a role; else the label."""
        members = {m.name: m for m in self.agenda.members}

        def name(label: str | None) -> str:
            shown = names.get(label or "", speaker_display_name(label))
            member = members.get(shown)
            if member is None:
                return shown
            called = f"{member.role} {shown.split()[-1]}" if member.role else shown
            return f"{called} ({member.faction})" if member.faction else called

        return name

    def _llm_vote(self, tail: Sequence[Sentence], out: MinutesItem) -> tuple[str | None, Votes]:
        assert self.llm is not None
        lines = "\n".join(s.text for s in tail)
        generation = self.llm.generate(
            [ChatMessage("system", prompt("abstimmung.system.md")), ChatMessage("user", lines)],
            max_tokens=120,
            temperature=self.temperature,
            json_schema=VOTE_SCHEMA,
        )
        data = _json_object(generation.text) or {}
        result = data.get("ergebnis") if data.get("ergebnis") in RESULTS else None
        said = number_values(lines)
        values: dict[str, int | None] = {}
        for key, field_name in (("ja", "yes"), ("nein", "no"), ("enthaltung", "abstain"),
                                ("befangen", "biased")):  # fmt: skip
            value = data.get(key)
            if isinstance(value, int) and (
                float(value) in said or (value == 0 and _zero_said(lines))
            ):
                values[field_name] = value
            else:
                values[field_name] = None
                if isinstance(value, int):
                    out.flags.append(
                        Flag(
                            "zahl_unbelegt",
                            f"Die KI nannte {value} für „{key}“, im Transkript ist die Zahl nicht "
                            "belegt; das Feld bleibt leer.",
                        )
                    )
        if result is not None:
            out.flags.append(
                Flag(
                    "ergebnis_ki",
                    f"Kein Abstimmungsergebnis im Wortlaut erkannt. Vorschlag der KI: „{result}“ "
                    "– bitte mit der Aufnahme prüfen und selbst eintragen.",
                    tail[-1].start_s if tail else None,
                )
            )
        return result, Votes(**values)

    def _tail_within(self, sentences: Sequence[Sentence], budget: int) -> list[Sentence]:
        assert self.llm is not None
        tail: list[Sentence] = []
        used = 0
        for sentence in reversed(sentences):
            used += self.llm.count_tokens(sentence.text) + 4
            if used > budget:
                break
            tail.append(sentence)
        return tail[::-1]

    def _llm_resolution(
        self,
        item: AgendaItem,
        own: Sequence[Sentence],
        out: MinutesItem,
        names: Mapping[str, str],
        text: str,
    ) -> None:
        assert self.llm is not None
        # the end of the item (where the vote is) within the context; long items are cut
        # from the front here, the summary covers all of them
        own = self._tail_within(own, self.llm.info.context_tokens - 1200)
        lines = [f"[{i + 1}] {s.text}" for i, s in enumerate(own)]
        header = _item_header(item)
        generation = self.llm.generate(
            [
                ChatMessage("system", prompt("beschluss.system.md")),
                ChatMessage("user", f"{header}\n\nZeilen:\n" + "\n".join(lines)),
            ],
            max_tokens=120,
            temperature=self.temperature,
            json_schema=RESOLUTION_SCHEMA,
        )
        data = _json_object(generation.text)
        if not data or not isinstance(data.get("text"), str) or not data["text"].strip():
            out.flags.append(Flag("beschluss_fehlt", "Kein Beschlusstext; bitte ergänzen."))
            return
        if len(data["text"].split()) > _MAX_RESOLUTION_WORDS:
            out.flags.append(
                Flag(
                    "beschluss_fehlt",
                    "Kein Beschlusstext vorgelesen; der KI-Vorschlag war unbrauchbar lang und "
                    "wurde verworfen. Bitte den Beschluss aus der Vorlage übernehmen.",
                )
            )
            return
        if not _grounded(data["text"], f"{item.title} {item.paper} {text}"):
            out.flags.append(
                Flag(
                    "beschluss_fehlt",
                    "Kein Beschlusstext vorgelesen; der KI-Vorschlag passte nicht zum Inhalt "
                    "des TOP und wurde verworfen. Bitte den Beschluss aus der Vorlage übernehmen.",
                )
            )
            return
        proposal = SummarySentence(data["text"].strip())
        check_summary(
            [proposal],
            text,
            [m.name for m in self.agenda.members],
            names.values(),
            reference_text=header,
            session_year=self.agenda.meeting.date.year,
        )
        out.resolution_text = proposal.text
        out.flags.append(
            Flag(
                "beschluss_ki",
                "Der Beschlusstext wurde nicht vorgelesen; die KI hat ihn aus Titel und Beratung "
                "formuliert. Bitte mit der Vorlage abgleichen.",
                text=proposal.text,
            )
        )
        out.flags += proposal.flags

    # ---- whole meeting -----------------------------------------------------------------

    def draft(
        self,
        transcript: Transcript,
        *,
        confirmed_names: Mapping[str, str] | None = None,
        corrected_starts: Mapping[str, float] | None = None,
        hook: ProgressHook = null_hook,
    ) -> Minutes:
        sentences = split_sentences(transcript.segments)
        segmentation: Segmentation = find_boundaries(sentences, self.agenda.items)
        if corrected_starts:
            segmentation = apply_corrections(
                segmentation, self.agenda.items, sentences, corrected_starts
            )
        names, name_flags = self.speaker_names(sentences, confirmed_names)
        dropped = dropped_items(sentences, [i.number for i in self.agenda.items])
        for number, said in dropped_at_opening(
            sentences, self.agenda.items, segmentation.spans
        ).items():
            dropped.setdefault(number, Evidence(said.text, said.start_s, said.end_s, said.speaker))
        items: list[MinutesItem] = []
        steps = 2 * len(self.agenda.items)
        # first the rules (and the model's result and resolution where they found none) for
        # every item, then the Verlauf of every item: consecutive Verlauf calls share their
        # long prompt prefix, which a local model then reads only once
        for done, (item, span) in enumerate(
            zip(self.agenda.items, segmentation.spans, strict=True)
        ):
            hook("minutes", done, steps)
            if item.number in dropped and _dropped_here(span, dropped[item.number]):
                minutes_item = MinutesItem(item.number, item.title, item.paper, item.public,
                                           flags=list(span.flags))  # fmt: skip
                mark_dropped(minutes_item, dropped[item.number])
            else:
                minutes_item = self._item(item, span, sentences, names)
            items.append(minutes_item)
        for done, (item, span, minutes_item) in enumerate(
            zip(self.agenda.items, segmentation.spans, items, strict=True)
        ):
            hook("minutes", len(items) + done, steps)
            if minutes_item.result != "abgesetzt":
                self._debate(item, span, minutes_item, sentences, names)
        hook("minutes", steps, steps)
        flags = list(name_flags)
        if any(s.speaker is None for s in sentences):
            flags.append(
                Flag(
                    "sprecher_unklar",
                    "Einigen Passagen konnte kein Sprecher zugeordnet werden; sie sind im "
                    "Wortprotokoll als „Unbekannt“ markiert.",
                )
            )
        meeting = self.agenda.meeting
        end_time = _end_time(sentences, segmentation)
        unclear = None if end_time else _unclear_end(sentences, segmentation)
        if unclear is not None:
            flags.append(unclear)  # the chair said a time: never replace it by a computed one
        elif not end_time:
            end_time, computed = end_from_closing(sentences, segmentation, meeting.start_time)
            if computed is not None:
                flags.append(computed)
        if not end_time and unclear is None:
            flags.append(
                Flag("ende_fehlt", "Das Ende der Sitzung wurde nicht genannt; bitte eintragen.")
            )
        models: list[dict[str, Any]] = [
            {"stage": m.stage, "name": m.name, "sha256": m.sha256, "device": m.device,
             "parameters": m.parameters}
            for m in transcript.models
        ]  # fmt: skip
        if self.llm is not None:
            info = self.llm.info
            models.append(
                {"stage": "minutes", "name": info.model, "sha256": info.sha256,
                 "device": info.device, "parameters": {"backend": info.backend, **info.parameters}}
            )  # fmt: skip
        return Minutes(
            meeting=MinutesMeeting(
                body=meeting.body,
                date=meeting.date.isoformat(),
                session_number=meeting.session_number,
                place=meeting.place,
                start_time=meeting.start_time,
                end_time=end_time,
            ),
            attendance=_attendance(self.agenda, self.settings.recorder),
            items=items,
            protocol_type=self.settings.protocol_type,
            audio_sha256=transcript.audio.sha256,
            speaker_names=names,
            models=models,
            flags=flags,
        )


def _speaker_key(label: str | None, names: Mapping[str, str]) -> str:
    """How a Wortprotokoll line names its speaker in the stored text: the label, which
    readers see as the name (`protokoll.domain.speakers`); "Unbekannt" without one."""
    if label is not None and label_of(label) is not None:
        return label
    return speaker_display_name(label, names)


def _debate_only(sentences: Sequence[Sentence], item: MinutesItem) -> list[Sentence]:
    """The item's sentences without the procedure that other fields already hold.

    The call of the item, the vote and the resolution read out are in the
    boundary, vote and resolution fields; the course of debate is the rest.
    """
    procedural: set[float] = set()
    if item.boundary is not None and item.boundary.evidence is not None:
        procedural.add(item.boundary.evidence.start_s)
    for evidence in (item.result_evidence, item.resolution_evidence, *item.vote_evidence):
        if evidence is not None:
            procedural.add(evidence.start_s)
    return [s for s in sentences if s.start_s not in procedural and not is_procedural(s.text)]


_FORMULA_WORDS = {"beschließt", "beschliesst", "rat", "ausschuss", "gemeinde", "stadt"}


def _grounded(proposal: str, reference: str, min_share: float = 0.6) -> bool:
    """Most content words of an AI-written resolution must come from the item itself.

    Small models copy the example from the prompt ("... die Teilfläche zu
    verkaufen") into an unrelated item; such a text is not a draft, it is wrong.
    """

    def words(text: str) -> set[str]:
        return {w for w in re.findall(r"[^\W\d_]{5,}", text.lower()) if w not in _FORMULA_WORDS}

    wanted = words(proposal)
    if not wanted:
        return False
    have = words(reference)
    found = sum(1 for w in wanted if any(w[:6] == h[:6] for h in have))
    return found / len(wanted) >= min_share


def _item_header(item: AgendaItem) -> str:
    """How an item is introduced to the LLM and to the faithfulness check."""
    return f"TOP {item.number}: {item.title}" + (f" ({item.paper})" if item.paper else "")


def _llm_failed(part: str, exc: StageError) -> Flag:
    log.warning("LLM-Schritt fehlgeschlagen (%s): %s", part, exc)
    return Flag(
        "ki_fehler",
        f"{part}: die KI-Verarbeitung ist fehlgeschlagen ({exc}). Bitte von Hand ergänzen; "
        "die übrigen Teile der Niederschrift sind davon nicht betroffen.",
    )


def _zero_said(text: str) -> bool:
    return bool(re.search(r"\b(keine?|niemand|null|nicht der fall)\b", text, re.I))


def _merge_votes(rules: Votes, llm: Votes, keep_empty: Set[str] = frozenset()) -> Votes:
    """Counts the rules found stay; the LLM only fills gaps (each checked before), except
    those in `keep_empty`."""

    def merged(field_name: str) -> int | None:
        own = getattr(rules, field_name)
        if own is not None or field_name in keep_empty:
            return own
        return getattr(llm, field_name)

    return Votes(merged("yes"), merged("no"), merged("abstain"), merged("biased"))


def _low_confidence_flags(sentences: Sequence[Sentence], threshold: float) -> list[Flag]:
    return [
        Flag(
            "niedrige_erkennung",
            "Schlecht verständliche Passage (geringe Erkennungssicherheit); bitte anhören.",
            s.start_s,
            s.end_s,
            s.text,
        )
        for s in sentences
        if s.mean_probability < threshold
    ]


def _end_time(sentences: Sequence[Sentence], segmentation: Segmentation) -> str:
    if segmentation.closing_s is None:
        return ""
    closing = next((s for s in sentences if s.start_s == segmentation.closing_s), None)
    match = _END_TIME.search(closing.text) if closing else None
    if not match:
        plain = _SPOKEN_HOUR.search(closing.text) if closing else None
        if plain and not plain.group(2) and int(plain.group(1)) <= 23:
            return f"{int(plain.group(1)):02d}:00"  # "schließe die Sitzung um 19 Uhr."
        return ""
    hour = match.group(1) or match.group(3)
    minute = match.group(2) or match.group(4)
    if int(hour) > 23 or int(minute) > 59:
        return ""
    return f"{int(hour):02d}:{minute}"


# "um 19 Uhr" in the closing words, with whatever follows "Uhr" (minutes, or a garble)
_SPOKEN_HOUR = re.compile(r"\bum\s+(\d{1,2})\s+Uhr\b([^.!?]*?\d[\d.,:]*)?")


def _closing(sentences: Sequence[Sentence], segmentation: Segmentation) -> Sentence | None:
    if segmentation.closing_s is None:
        return None
    return next((s for s in sentences if s.start_s == segmentation.closing_s), None)


def _unclear_end(sentences: Sequence[Sentence], segmentation: Segmentation) -> Flag | None:
    """The chair named the hour of the end but its minutes were not understood ("um 19 Uhr
    2.20", heard for "neunzehn Uhr zweiundvierzig"): the end stays empty with a flag at the
    passage. Computing it from the recording instead would contradict what was said."""
    closing = _closing(sentences, segmentation)
    match = _SPOKEN_HOUR.search(closing.text) if closing else None
    if closing is None or match is None or int(match.group(1)) > 23:
        return None
    heard = (f"um {match.group(1)} Uhr" + (match.group(2) or "")).strip().rstrip(".,:")
    return Flag(
        "ende_unklar",
        f"Das Ende wurde genannt, aber nicht sicher erkannt („{heard}“): die Stunde "
        f"ist {int(match.group(1))} Uhr, die Minuten sind unklar. Bitte anhören und eintragen.",
        start_s=closing.start_s,
        end_s=closing.end_s,
        text=closing.text,
    )


def end_from_closing(
    sentences: Sequence[Sentence], segmentation: Segmentation, start_time: str
) -> tuple[str, Flag | None]:
    """The end of the session when the chair closed it audibly without saying the time
    ("Ich schließe die Sitzung."): the start ("18:00") plus the time into the recording at
    which the closing words end, to the minute; with a flag asking to check it (the
    recording may have begun late). ("", None) without a closing or a start."""
    match = re.fullmatch(r"(\d{1,2}):(\d{2})", start_time.strip())
    if segmentation.closing_s is None or match is None:
        return "", None
    closing = next((s for s in sentences if s.start_s == segmentation.closing_s), None)
    if closing is None:
        return "", None
    start_min = int(match.group(1)) * 60 + int(match.group(2))
    end_min = (start_min + round(closing.end_s / 60)) % (24 * 60)
    end = f"{end_min // 60:02d}:{end_min % 60:02d}"
    flag = Flag(
        "ende_berechnet",
        f"Das Ende ({end} Uhr) ist aus der Aufnahme berechnet: Beginn {start_time.strip()} Uhr "
        f"plus {format_hms(closing.end_s)} bis zu den Schlussworten. Bitte prüfen, ob die "
        "Aufnahme mit der Sitzung begann.",
        start_s=closing.start_s,
        end_s=closing.end_s,
        text=closing.text,
    )
    return end, flag


def _attendance(agenda: Agenda, recorder: str) -> Attendance:
    chair = next((m.name for m in agenda.members if m.chair and not m.absent), "")
    return Attendance(
        chair=chair,
        present=[m.name for m in agenda.members if not m.absent and not m.administration],
        absent=[m.name for m in agenda.members if m.absent],
        administration=[m.name for m in agenda.members if m.administration and not m.absent],
        recorder=recorder,
    )


def mark_dropped(item: MinutesItem, evidence: Evidence) -> None:
    """An item taken off the agenda: "abgesetzt", by the chair's own words; it was never
    called, so it has no start, debate or vote, and its missing start is no finding. (Where
    the segmentation took the announcement that drops it for its call, that start goes.)"""
    item.result, item.result_evidence = "abgesetzt", evidence
    item.start_s = item.end_s = item.boundary = None
    item.summary, item.motions, item.speakers = [], [], []
    item.votes, item.vote_evidence = Votes(), []
    item.resolution_text = item.resolution_evidence = None
    item.flags = [f for f in item.flags if f.kind not in _NOT_FOR_DROPPED]


# what an item taken off the agenda at the start cannot have been
_NOT_FOR_DROPPED = frozenset(
    {"top_nicht_gefunden", "reihenfolge", "grenze_unsicher", "nichtoeffentlich_vorher",
     "ergebnis_nicht_erkannt", "ergebnis_widerspruechlich", "ergebnis_ki",
     "stimmen_nicht_genannt", "beschluss_fehlt",
     "beschluss_ki", "ki_leer", "beitrag_fehlt"}
)  # fmt: skip


def _dropped_here(span: ItemSpan, evidence: Evidence) -> bool:
    """Whether the item was dropped rather than called: no start, or a start found only in
    the very sentence that drops it ("Punkt 6 ... wird abgesetzt")."""
    if span.start_s is None:
        return True
    found = span.boundary.evidence if span.boundary is not None else None
    return found is not None and found.start_s == evidence.start_s
