"""Fixtures for the writer tests: a small, realistic German council transcript, and the
minutes (Niederschrift) of a council session."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from protokoll.domain.minutes import (
    Attendance,
    Flag,
    Minutes,
    MinutesItem,
    MinutesMeeting,
    SourceRange,
    SummarySentence,
    Votes,
)
from protokoll.domain.transcript import (
    AudioInfo,
    DroppedPassage,
    ModelUse,
    Segment,
    SpeakerTurn,
    Transcript,
    Word,
)


def _words(
    start_s: float, tokens: Sequence[tuple[str, float]], speaker: str | None
) -> tuple[Word, ...]:
    """Whisper-style words (leading space) of 0.4 s each, starting at ``start_s``."""
    out = []
    t = start_s
    for text, probability in tokens:
        out.append(
            Word(
                start_s=round(t, 3),
                end_s=round(t + 0.4, 3),
                text=text,
                probability=probability,
                speaker=speaker,
            )
        )
        t += 0.4
    return tuple(out)


def build_transcript() -> Transcript:
    audio = AudioInfo(
        file_name="Gemeinderat 2024-03-12.mp3",
        sha256="ab" * 32,
        duration_s=3725.5,
        source_format="mp3",
        source_codec="mp3",
        source_sample_rate_hz=44100,
        source_channels=2,
        size_bytes=59_604_480,
    )
    greeting = [(" Ich", 0.98), (" eröffne", 0.95), (" die", 0.99), (" Sitzung.", 0.97)]
    motion = [
        (" Wir", 0.99),
        (" beantragen", 0.93),
        (" die", 0.99),
        (" Kindertagesstätte", 0.31),
        (" Am", 0.88),
        (" Mühlbach", 0.42),
        (",", 0.9),
        (" Herr", 0.97),
        (" Vorsitzender.", 0.96),
    ]
    segments = [
        Segment(
            start_s=83.25,
            end_s=84.85,
            text=" Ich eröffne die Sitzung.",
            words=_words(83.25, greeting, "SPEAKER_00"),
            speaker="SPEAKER_00",
        ),
        Segment(
            start_s=85.0,
            end_s=88.5,
            text=" Der Tagesordnungspunkt 1 ist die Haushaltssatzung.",
            speaker="SPEAKER_00",
        ),
        Segment(
            start_s=90.1,
            end_s=93.7,
            text=" Wir beantragen die Kindertagesstätte Am Mühlbach, Herr Vorsitzender.",
            words=_words(90.1, motion, "SPEAKER_01"),
            speaker="SPEAKER_01",
        ),
        Segment(
            start_s=95.0, end_s=96.2, text=" (Zwischenruf) <unverständlich> & so", speaker=None
        ),
        Segment(
            start_s=3720.0,
            end_s=3725.5,
            text=" Damit schließe ich die Sitzung.",
            speaker="SPEAKER_00",
        ),
    ]
    turns = [
        SpeakerTurn(start_s=83.25, end_s=88.5, speaker="SPEAKER_00"),
        SpeakerTurn(start_s=90.1, end_s=93.7, speaker="SPEAKER_01"),
        SpeakerTurn(start_s=3720.0, end_s=3725.5, speaker="SPEAKER_00"),
    ]
    return Transcript(
        audio=audio,
        language="de",
        segments=segments,
        turns=turns,
        dropped=[
            DroppedPassage(
                start_s=1800.0,
                end_s=1830.0,
                text="Untertitel im Auftrag des ZDF, 2021",
                reason="bekannte Halluzination",
            )
        ],
        models=[
            ModelUse(
                stage="asr",
                name="faster-whisper-large-v3",
                sha256="cd" * 32,
                device="cpu",
                parameters={"beam_size": 5, "language": "de"},
            )
        ],
        warnings=["Sprechererkennung unsicher zwischen 00:30:00 und 00:31:00."],
    )


@pytest.fixture
def transcript() -> Transcript:
    return build_transcript()


@pytest.fixture
def speaker_names() -> dict[str, str]:
    return {"SPEAKER_00": "Bürgermeisterin Schäfer", "SPEAKER_01": "Stadtrat Öztürk"}


# --- minutes (Niederschrift) -------------------------------------------------------------

# Everything of the non-public TOP 4 that must never reach the public version.
NON_PUBLIC_SECRETS = (
    "Verkauf des Grundstücks Gemarkung Musterstadt, Flur 3, Flurstück 112",
    "2026/0161",
    "Flurstück 112",
    "Weidner",
    "240.000",
    "zweihundertvierzig",
    "Sicherungshypothek",
)


def build_minutes() -> Minutes:
    """A council session with four TOPs: approval of the previous minutes (einstimmig, no
    counts said), the school renovation (14/3/2/–, flags), a deferred motion, and a
    non-public land sale."""
    approval = MinutesItem(
        number="1",
        title="Genehmigung der Niederschrift über die 11. Sitzung vom 15.10.2026",
        start_s=62.0,
        end_s=240.0,
        summary=[
            SummarySentence(
                "Die Bürgermeisterin stellte fest, dass keine Änderungswünsche zur Niederschrift "
                "eingegangen seien.",
                [SourceRange(70.2, 81.9)],
            )
        ],
        resolution_text="Der Rat genehmigt die Niederschrift über die 11. Sitzung vom 15.10.2026.",
        result="einstimmig beschlossen",
    )
    school = MinutesItem(
        number="2",
        title="Sanierung der Grundschule Am Lindenweg – Baubeschluss",
        paper="2026/0142",
        start_s=240.0,
        end_s=2805.5,
        summary=[
            SummarySentence(
                "Kämmerer Roth erläuterte, die Kosten der Sanierung seien gegenüber der "
                "Kostenschätzung auf 4,2 Mio. Euro gestiegen; das Land fördere davon "
                "1,8 Mio. Euro.",
                [SourceRange(723.0, 760.0)],
            ),
            SummarySentence(
                "SPEAKER_03 erklärte, die SPD-Fraktion unterstütze die Sanierung, die Turnhalle "
                "müsse aber im nächsten Haushalt folgen.",
                [SourceRange(1101.4, 1142.0), SourceRange(1190.0, 1201.5)],
                flags=[
                    Flag(
                        "name_unbelegt",
                        "Der Name „Öztürk“ kommt im Transkript dieses TOP nicht vor; bitte prüfen.",
                        1101.4,
                        1142.0,
                    )
                ],
            ),
            SummarySentence(
                "Ratsmitglied Keller beantragte, die Bauleistungen in zwei Losen auszuschreiben, "
                "weil dies örtlichen Betrieben die Teilnahme erleichtere.",
                [SourceRange(1500.0, 1534.2)],
                flags=[
                    Flag(
                        "zahl_unbelegt",
                        "„zwei Losen“ ist im Transkript nicht belegt; bitte anhören.",
                        text="in zwei Losen",
                    )
                ],
            ),
            SummarySentence("SPEAKER_05 fragte nach dem Zeitplan der Bauarbeiten."),
        ],
        motions=["Antrag der CDU-Fraktion: Ausschreibung der Bauleistungen in zwei Losen."],
        resolution_text=(
            "Der Rat beschließt die Sanierung der Grundschule Am Lindenweg auf Grundlage der "
            "Entwurfsplanung vom 02.10.2026 mit Gesamtkosten von 4,2 Mio. Euro.\n"
            "Die Verwaltung wird beauftragt, die Bauleistungen auszuschreiben."
        ),
        result="mehrheitlich beschlossen",
        votes=Votes(yes=14, no=3, abstain=2, biased=None),
        speakers=["SPEAKER_00", "SPEAKER_03", "SPEAKER_07"],
        flags=[
            Flag(
                "grenze_unsicher",
                "TOP 2 wurde nur am vorgelesenen Titel erkannt, nicht an einer Ankündigung mit "
                "Nummer. Bitte Beginn prüfen.",
                240.0,
            ),
            Flag(
                "beschluss_ki",
                "Der Beschlusstext wurde nicht vorgelesen; die KI hat ihn aus Titel und "
                "Beratung formuliert. Bitte mit der Vorlage abgleichen.",
            ),
        ],
    )
    deferred = MinutesItem(
        number="3",
        title="Antrag der SPD-Fraktion auf Einrichtung eines Jugendbeirats",
        paper="2026/0150",
        start_s=2805.5,
        end_s=3300.0,
        summary=[
            SummarySentence(
                "Die Antragstellerin bat um Vertagung, da die Stellungnahme des "
                "Kreisjugendamts noch ausstehe.",
                [SourceRange(2830.0, 2851.0)],
            )
        ],
        result="vertagt",
    )
    land_sale = MinutesItem(
        number="4",
        title="Verkauf des Grundstücks Gemarkung Musterstadt, Flur 3, Flurstück 112",
        paper="2026/0161",
        public=False,
        start_s=3400.0,
        end_s=4100.0,
        summary=[
            SummarySentence(
                "Der Kämmerer berichtete, die Weidner Bau GmbH biete 240.000 Euro und verlange "
                "eine Sicherungshypothek.",
                [SourceRange(3420.0, 3466.0)],
                flags=[Flag("ohne_quelle", "Betrag Weidner bitte prüfen.", text="240.000 Euro")],
            )
        ],
        motions=["Verkauf an die Weidner Bau GmbH zum Kaufpreis von 240.000 Euro."],
        resolution_text=(
            "Der Rat stimmt dem Verkauf des Flurstücks 112 an die Weidner Bau GmbH zum "
            "Kaufpreis von 240.000 Euro zu."
        ),
        result="beschlossen",
        votes=Votes(yes=15, no=2, abstain=1, biased=1),
        flags=[
            Flag(
                "niedrige_erkennung",
                "Schlecht verständliche Passage zu Flurstück 112; bitte anhören.",
                3500.0,
                3504.0,
                "Weidner zahlt zweihundertvierzig",
            )
        ],
    )
    return Minutes(
        meeting=MinutesMeeting(
            body="Rat der Gemeinde Musterstadt",
            date="2026-11-19",
            session_number="12",
            place="Rathaus Musterstadt, Ratssaal",
            start_time="18:00",
            end_time="19:14",
        ),
        attendance=Attendance(
            chair="Bürgermeisterin Anna Schäfer",
            present=[
                "Jonas Keller (CDU)",
                "Emine Öztürk (SPD)",
                "Heinrich Bäumer (CDU)",
                "Lena Wißmann (Grüne)",
                "Dr. Karl-Heinz Pöppelmann (FDP)",
                "Maria Grothues (SPD)",
            ],
            absent=["Peter Hartmann (FDP)"],
            administration=["Kämmerer Thomas Roth", "Fachbereichsleiterin Julia Neumann"],
            guests=["Markus Brandt (Ingenieurbüro Brandt & Partner)"],
            recorder="Sabine Vogel",
        ),
        items=[approval, school, deferred, land_sale],
        protocol_type="verlauf",
        audio_sha256="ef" * 32,
        speaker_names={"SPEAKER_00": "Bürgermeisterin Schäfer"},
        models=[
            {"stage": "asr", "name": "faster-whisper-large-v3"},
            {"stage": "minutes", "name": "qwen2.5-7b-instruct-q4km"},
        ],
        flags=[
            Flag(
                "sprecher_vorgeschlagen",
                "Sprecher 4 wurde als „Emine Öztürk“ erkannt (Aufruf durch den Vorsitz). "
                "Bitte bestätigen oder korrigieren.",
            ),
            Flag(
                "niedrige_erkennung",
                "Schlecht verständliche Passage; bitte anhören.",
                3600.0,
                3606.0,
                "Sicherungshypothek im Grundbuch",
            ),
        ],
    )


@pytest.fixture
def minutes() -> Minutes:
    return build_minutes()


@pytest.fixture
def non_public_secrets() -> tuple[str, ...]:
    return NON_PUBLIC_SECRETS
