from __future__ import annotations

import dataclasses
import re
import xml.etree.ElementTree as ET
from datetime import datetime
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.document import Document as DocxDocument
from docx.enum.text import WD_COLOR_INDEX
from docx.oxml.ns import qn

from protokoll import __version__
from protokoll.documents.wortprotokoll_docx import NOTICE_TEXT, write_wortprotokoll_docx
from protokoll.domain.transcript import Segment, Transcript, speaker_display_name

MEETING = {
    "body": "Gemeinderat Musterstadt",
    "date": "12.03.2024",
    "place": "Rathaus, Großer Sitzungssaal",
}


def _write(transcript: Transcript, tmp_path: Path, **kwargs: Any) -> DocxDocument:
    path = tmp_path / "wortprotokoll.docx"
    write_wortprotokoll_docx(transcript, path, created=datetime(2024, 3, 13, 9, 30), **kwargs)
    return docx.Document(str(path))


def _texts(doc: DocxDocument) -> list[str]:
    return [p.text for p in doc.paragraphs]


def _table_rows(doc: DocxDocument, table_index: int) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in doc.tables[table_index].rows]


@pytest.fixture
def doc(transcript: Transcript, speaker_names: dict[str, str], tmp_path: Path) -> DocxDocument:
    return _write(transcript, tmp_path, meeting=MEETING, speaker_names=speaker_names)


def test_heading_and_notice(doc: DocxDocument) -> None:
    texts = _texts(doc)
    assert texts[0] == "Wortprotokoll – Entwurf"
    assert doc.paragraphs[0].style is not None
    assert doc.paragraphs[0].style.name == "Title"
    assert NOTICE_TEXT == (
        "KI-gestützter Entwurf: automatisch erstellt mit protokoll, "
        "vor Verwendung von einer verantwortlichen Person zu prüfen."
    )
    notice = doc.paragraphs[1]
    assert notice.text == NOTICE_TEXT
    assert all(run.bold for run in notice.runs)
    ppr = notice._p.pPr
    assert ppr is not None
    shading = ppr.find(qn("w:shd"))
    assert shading is not None and shading.get(qn("w:fill")) == "FFF2CC"


def test_facts_table(doc: DocxDocument) -> None:
    facts = dict((row[0], row[1]) for row in _table_rows(doc, 0))
    assert facts["Gremium"] == "Gemeinderat Musterstadt"
    assert facts["Datum"] == "12.03.2024"
    assert facts["Ort"] == "Rathaus, Großer Sitzungssaal"
    assert facts["Aufnahme"] == "Gemeinderat 2024-03-12.mp3"
    assert facts["Dauer"] == "01:02:05"
    assert facts["SHA-256"] == "ab" * 32
    assert facts["Sprache"] == "Deutsch (de)"
    assert facts["Sprecher"] == "2"
    assert facts["Erstellt am"] == "13.03.2024, 09:30 Uhr"
    assert "faster-whisper-large-v3" in facts["Modelle"]
    assert "asr" not in facts["Modelle"]  # the stage in German (walk-through of #17)
    assert facts["Modelle"].startswith("Spracherkennung: ")
    # readers never see a diarization label (issue #17): "Sprecher 1 = Name"
    assert facts["Zuordnung"].startswith("Sprecher 1 = ")
    everything = _texts(doc) + [
        c for t in doc.tables for r in t.rows for c in (x.text for x in r.cells)
    ]
    assert not any("SPEAKER_" in text for text in everything)


def test_speaker_blocks_names_and_timestamps(doc: DocxDocument) -> None:
    texts = _texts(doc)
    speaker_lines = [t for t in texts if re.search(r" \[\d\d:\d\d:\d\d\]$", t)]
    assert speaker_lines == [
        "Bürgermeisterin Schäfer [00:01:23]",
        "Stadtrat Öztürk [00:01:30]",
        "Unbekannt [00:01:35]",
        "Bürgermeisterin Schäfer [01:02:00]",
    ]
    first = texts.index("Bürgermeisterin Schäfer [00:01:23]")
    heading = doc.paragraphs[first]
    assert heading.runs[0].text == "Bürgermeisterin Schäfer"
    assert heading.runs[0].bold
    # the two consecutive segments of SPEAKER_00 share one block
    assert texts[first + 1] == (
        "Ich eröffne die Sitzung. Der Tagesordnungspunkt 1 ist die Haushaltssatzung."
    )
    assert texts[first + 3] == (
        "Wir beantragen die Kindertagesstätte Am Mühlbach, Herr Vorsitzender."
    )
    assert texts[first + 5] == "(Zwischenruf) <unverständlich> & so"


def test_unmapped_speaker_shows_german_number(transcript: Transcript, tmp_path: Path) -> None:
    doc = _write(transcript, tmp_path, speaker_names={"SPEAKER_01": "Stadtrat Öztürk"})
    texts = _texts(doc)
    assert "Sprecher 1 [00:01:23]" in texts
    assert "Stadtrat Öztürk [00:01:30]" in texts
    assert not any(t.startswith("Gremium") for t in texts)


def test_low_confidence_words_highlighted(doc: DocxDocument) -> None:
    paragraph = next(p for p in doc.paragraphs if p.text.startswith("Wir beantragen"))
    highlighted = [r.text for r in paragraph.runs if r.font.highlight_color is not None]
    assert highlighted == ["Kindertagesstätte", "Mühlbach"]
    for run in paragraph.runs:
        if run.text in highlighted:
            assert run.font.highlight_color == WD_COLOR_INDEX.YELLOW
    # confident words are not highlighted (and merged into few runs)
    plain = [r.text for r in paragraph.runs if r.font.highlight_color is None]
    assert plain == ["Wir beantragen die ", " Am ", ", Herr Vorsitzender."]
    # segments without words are written as plain text
    plain_paragraph = next(p for p in doc.paragraphs if p.text.startswith("Ich eröffne"))
    assert all(r.font.highlight_color is None for r in plain_paragraph.runs)


def test_threshold_is_configurable(transcript: Transcript, tmp_path: Path) -> None:
    doc = _write(transcript, tmp_path, low_confidence_threshold=0.9)
    paragraph = next(p for p in doc.paragraphs if p.text.startswith("Wir beantragen"))
    highlighted = [r.text for r in paragraph.runs if r.font.highlight_color is not None]
    assert highlighted == ["Kindertagesstätte", "Am", "Mühlbach"]
    doc = _write(transcript, tmp_path, low_confidence_threshold=0.0)
    assert not any(r.font.highlight_color is not None for p in doc.paragraphs for r in p.runs)


def test_core_properties_mark_ai_draft(doc: DocxDocument) -> None:
    props = doc.core_properties
    assert props.title == "Wortprotokoll"
    assert props.subject == "KI-gestützter Entwurf"
    assert props.keywords == "KI-generiert; Entwurf; protokoll"
    assert props.comments == f"Automatisch erstellt mit protokoll {__version__}; nicht geprüft"
    assert props.author == "protokoll"
    assert props.language == "de-DE"


def test_custom_property_ai_generated(doc: DocxDocument) -> None:
    parts = {str(p.partname): p for p in doc.part.package.iter_parts()}
    custom = parts["/docProps/custom.xml"]
    assert custom.content_type == (
        "application/vnd.openxmlformats-officedocument.custom-properties+xml"
    )
    ns = {
        "cp": "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties",
        "vt": "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes",
    }
    root = ET.fromstring(custom.blob)
    props = {p.get("name"): p for p in root.findall("cp:property", ns)}
    flag = props["ai_generated"].find("vt:bool", ns)
    assert flag is not None and flag.text == "true"
    pids = [int(p.get("pid", "0")) for p in props.values()]
    assert min(pids) >= 2 and len(set(pids)) == len(pids)
    app = parts["/docProps/app.xml"].blob.decode("utf-8")
    assert "<Application>protokoll" in app and "Microsoft" not in app


def test_language_font_and_footer(doc: DocxDocument) -> None:
    lang = doc.styles.element.find(
        f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}"
    )
    assert lang is not None and lang.get(qn("w:val")) == "de-DE"
    normal = doc.styles["Normal"]
    assert normal.font.name == "Calibri"
    assert normal.font.size is not None and normal.font.size.pt == 11
    footer_xml = doc.sections[0].footer.paragraphs[0]._p.xml
    assert "PAGE" in footer_xml and "NUMPAGES" in footer_xml
    assert doc.sections[0].footer.paragraphs[0].text.startswith("Seite ")
    assert doc.sections[0].header.paragraphs[0].text == "KI-gestützter Entwurf – nicht geprüft"


def test_warnings_and_dropped_passages(doc: DocxDocument) -> None:
    texts = _texts(doc)
    assert "Hinweise" in texts
    i = texts.index("Hinweise")
    assert texts[i + 1] == "Sprechererkennung unsicher zwischen 00:30:00 und 00:31:00."
    assert "Entfernte Passagen (zur Prüfung)" in texts
    assert _table_rows(doc, -1) == [
        ["Zeit", "Text", "Grund"],
        ["00:30:00–00:30:30", "Untertitel im Auftrag des ZDF, 2021", "bekannte Halluzination"],
    ]


def test_sections_absent_when_empty(tmp_path: Path, transcript: Transcript) -> None:
    transcript.warnings = []
    transcript.dropped = []
    transcript.segments = [Segment(0.0, 1.0, "Nur ein Satz.", speaker="SPEAKER_00")]
    doc = _write(transcript, tmp_path, title="Wortprotokoll Bauausschuss")
    texts = _texts(doc)
    assert texts[0] == "Wortprotokoll Bauausschuss – Entwurf"
    assert doc.core_properties.title == "Wortprotokoll Bauausschuss"
    assert "Hinweise" not in texts
    assert "Entfernte Passagen (zur Prüfung)" not in texts
    assert len(doc.tables) == 1
    assert "Sprecher 1 [00:00:00]" in texts
    assert "Nur ein Satz." in texts


def test_long_block_split_at_pauses(tmp_path: Path, transcript: Transcript) -> None:
    transcript.segments = [
        Segment(10.0, 12.0, "Erster Gedanke.", speaker="A"),
        Segment(12.2, 14.0, "Noch dazu.", speaker="A"),
        Segment(30.0, 32.0, "Nach einer Pause.", speaker="A"),
    ]
    texts = _texts(_write(transcript, tmp_path))
    i = texts.index("A [00:00:10]")
    assert texts[i + 1] == "Erster Gedanke. Noch dazu."
    assert texts[i + 2] == "[00:00:30] Nach einer Pause."


def test_doubtful_speaker_attribution_is_marked_for_review(
    transcript: Transcript, tmp_path: Path
) -> None:
    doubtful_speaker = transcript.segments[0].speaker
    segments = [
        dataclasses.replace(seg, speaker_confidence=0.2 if seg.speaker == doubtful_speaker else 0.9)
        for seg in transcript.segments
    ]
    doc = _write(dataclasses.replace(transcript, segments=segments), tmp_path)
    marked = [t for t in _texts(doc) if t.endswith("Sprecherzuordnung unsicher, bitte prüfen")]
    name = speaker_display_name(doubtful_speaker)
    assert marked and all(t.startswith(name + " [") for t in marked)
    others = {speaker_display_name(s.speaker) for s in transcript.segments} - {name}
    assert others and not any(t.startswith(o + " [") for o in others for t in marked)


def test_words_keep_the_recognisers_spacing(tmp_path: Path, transcript: Transcript) -> None:
    """Walk-through of #17: the Word file read "SPD -Fraktion" and "14 -Jährstimmen" where
    the page reads "SPD-Fraktion": Whisper's "-Fraktion" has no leading space, so none is
    added. Bare tokens of other engines are still spaced."""
    from protokoll.domain.transcript import Word

    def only(words: list[str]) -> Transcript:
        timed = tuple(Word(i * 0.5, i * 0.5 + 0.4, w, 0.9) for i, w in enumerate(words))
        first = dataclasses.replace(transcript.segments[0], text="".join(words), words=timed)
        return dataclasses.replace(transcript, segments=[first])

    whisper = _texts(_write(only([" Die", " SPD", "-Fraktion", " stimmt", " zu."]), tmp_path))
    assert any("Die SPD-Fraktion stimmt zu." in t for t in whisper)
    bare = _texts(_write(only(["Die", "SPD", "stimmt", "zu", "."]), tmp_path))
    assert any("Die SPD stimmt zu." in t for t in bare)
