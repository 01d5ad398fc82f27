"""Generate the synthetic council-session sample with exact ground truth.

Every turn of a short German "Ratssitzung" is synthesised with espeak-ng and the
MBROLA German voices, trimmed to its first/last audible sample, mixed with fixed
pauses and a faint room-noise floor, and encoded as Opus. The exact turn times
are written as JSON, RTTM and plain-text references next to an agenda.toml.

Usage: python samples/make_sample.py   (needs espeak-ng, mbrola-de1/2/4/5/6, sox, ffmpeg)
"""

from __future__ import annotations

import json
import subprocess
import tempfile
import wave
from pathlib import Path

import numpy as np

OUT = Path(__file__).resolve().parent
NAME = "sitzung"
SR = 16_000
SEED = 20261119
TRIM_DB = -40.0  # trim threshold relative to the clip's peak
SPEECH_RMS_DB = -22.0  # target loudness of each turn (dBFS)
NOISE_RMS_DB = -55.0  # room-noise floor (dBFS)

# fmt: off
# label: name, role, faction, mbrola voice, espeak speed (wpm), espeak pitch, gain (dB)
SPEAKERS: dict[str, tuple[str, str, str, str, int, int, float]] = {
    "berger": ("Anna Berger", "Bürgermeisterin", "", "de5", 190, 48, 0.0),
    "keller": ("Thomas Keller", "Ratsmitglied", "SPD", "de2", 205, 55, 0.0),
    "wolff": ("Jürgen Wolff", "Ratsmitglied", "CDU", "de6", 180, 35, 0.0),
    "roth": ("Sabine Roth", "Ratsmitglied", "Bündnis 90/Die Grünen", "de1", 200, 62, -6.0),
    "hartmann": ("Michael Hartmann", "Kämmerer", "", "de4", 190, 45, 0.0),
}
# non-speaking council members (name, faction) and the agenda.toml member flags
SILENT_MEMBERS = [("Claudia Neumann", "CDU"), ("Stefan Yilmaz", "SPD"),
                  ("Monika Fischer", "Bündnis 90/Die Grünen"), ("Peter Brandt", "FDP")]
MEMBER_FLAGS = {"Anna Berger": "chair", "Michael Hartmann": "administration",
                "Peter Brandt": "absent"}
MEETING = {"body": "Rat der Gemeinde Lindenau", "session_number": "12/2026",
           "date": "2026-11-19", "place": "Ratssaal, Rathaus Lindenau", "start_time": "18:00"}
ITEMS = [  # number, title, paper, public
    ("1", "Genehmigung der Niederschrift der Sitzung vom 15. Oktober 2026", "", True),
    ("2", "Sanierung der Grundschule am Lindenweg", "Vorlage 2026/045", True),
    ("3", "Antrag der SPD-Fraktion: Tempo 30 in der Hauptstraße", "Antrag 2026/051", True),
    ("4", "Grundstücksangelegenheit: Verkauf einer Teilfläche am Mühlbach",
     "Vorlage 2026/052 N", False),
]
VOCABULARY = [
    "Lindenau", "Lindenweg", "Mühlbach", "Hauptstraße", "Berger", "Keller", "Wolff", "Roth",
    "Hartmann", "Brandt", "Niederschrift", "Beschlussfähigkeit", "Beschlussvorschlag",
    "Vertagung", "Verkehrsgutachten", "Effizienzgebäude", "Photovoltaikanlage",
    "Schulbauförderprogramm", "Uferstreifen", "Handwerksbetrieb",
]
VOTES = [  # item, subject, yes, no, abstentions (None: not counted), result
    ("1", "Genehmigung der Niederschrift", None, 0, 0, "einstimmig genehmigt"),
    ("2", "Beschlussvorschlag Vorlage 2026/045", 14, 3, 2, "mehrheitlich beschlossen"),
    ("3", "Antrag auf Vertagung", None, 0, 0, "einstimmig angenommen, vertagt"),
    ("4", "Verkauf der Teilfläche", None, 0, 0, "einstimmig beschlossen"),
]
OPUS_ARGS = ["-c:a", "libopus", "-b:a", "32k", "-ac", "1", "-fflags", "+bitexact",
             "-flags:a", "+bitexact", "-map_metadata", "-1"]
# printed form -> what espeak-ng is fed (it misreads these)
SPOKEN = {
    "15. Oktober 2026": "fünfzehnten Oktober zweitausendsechsundzwanzig",
    "2026/045": "zweitausendsechsundzwanzig Strich null fünfundvierzig",
    "2026/051": "zweitausendsechsundzwanzig Strich null einundfünfzig",
    "2026/052 N": "zweitausendsechsundzwanzig Strich null zweiundfünfzig N",
    "1972": "neunzehnhundertzweiundsiebzig",
    "19:42 Uhr": "neunzehn Uhr zweiundvierzig",
}
# ("#", n) marks the start of agenda item n at the next turn
SCRIPT: list[tuple[str, str]] = [
    ("berger", "Guten Abend, meine Damen und Herren. Ich eröffne die Sitzung des Rates der "
     "Gemeinde Lindenau."),
    ("berger", "Ich stelle die ordnungsgemäße Einladung und die Beschlussfähigkeit fest. "
     "Entschuldigt fehlt heute Herr Brandt."),
    ("#", "1"),
    ("berger", "Ich rufe Tagesordnungspunkt 1 auf: Genehmigung der Niederschrift der Sitzung vom "
     "15. Oktober 2026. Gibt es Einwände?"),
    ("keller", "Von der SPD-Fraktion gibt es keine Einwände. Die Niederschrift ist vollständig."),
    ("berger", "Dann stelle ich fest: keine Gegenstimmen, keine Enthaltungen. Die Niederschrift "
     "ist einstimmig genehmigt."),
    ("#", "2"),
    ("berger", "Wir kommen zu Punkt 2, Sanierung der Grundschule am Lindenweg, Vorlage 2026/045. "
     "Herr Hartmann, bitte."),
    ("hartmann", "Die Schule stammt aus dem Jahr 1972, Dach, Fenster und Heizung müssen erneuert "
     "werden. Die Gesamtkosten belaufen sich auf 1,8 Millionen Euro. Das Land übernimmt davon "
     "60 Prozent aus dem Schulbauförderprogramm."),
    ("keller", "Die SPD-Fraktion unterstützt die Sanierung ausdrücklich. Mit 60 Prozent "
     "Förderung ist der Zeitpunkt jetzt günstig."),
    ("wolff", "1,8 Millionen Euro sind für unsere Gemeinde eine erhebliche Summe. Wie sieht der "
     "Zeitplan aus? Kann der Unterricht weiterlaufen?"),
    ("hartmann", "Baubeginn ist in den Sommerferien 2027, fertig sind wir 2028. Der Unterricht "
     "läuft in Containern auf dem Schulhof weiter."),
    ("roth", "Welcher Energiestandard wird erreicht? Und ist eine Photovoltaikanlage auf dem Dach "
     "vorgesehen?"),
    ("hartmann", "Geplant ist der Standard Effizienzgebäude 55. Die Photovoltaikanlage ist in der "
     "Planung enthalten."),
    ("roth", "Dann stimmen wir Grünen der Vorlage zu. Wir bitten aber um regelmäßige Berichte zum "
     "Baufortschritt."),
    ("berger", "Der Beschlussvorschlag lautet: Der Rat beschließt die Sanierung der Grundschule am "
     "Lindenweg mit Gesamtkosten von 1,8 Millionen Euro."),
    ("berger", "Wer stimmt dem Beschlussvorschlag zu? Das sind 14 Ja-Stimmen. Gegenstimmen? 3. "
     "Enthaltungen? 2. Damit ist der Beschluss mehrheitlich gefasst."),
    ("#", "3"),
    ("berger", "Tagesordnungspunkt 3: Antrag der SPD-Fraktion, Tempo 30 in der Hauptstraße, Antrag "
     "2026/051. Herr Keller, bitte."),
    ("keller", "Jeden Morgen queren viele Kinder die Hauptstraße auf dem Weg zur Grundschule. Wir "
     "beantragen deshalb Tempo 30."),
    ("wolff", "Die Hauptstraße ist wichtig für Busse und Feuerwehr. Wir beantragen Vertagung, bis "
     "das Verkehrsgutachten des Kreises vorliegt."),
    ("berger", "Wer ist für die Vertagung? Gegenstimmen? Enthaltungen? Keine. Der Antrag auf "
     "Vertagung ist einstimmig angenommen. Der Tagesordnungspunkt wird vertagt."),
    ("#", "4"),
    ("berger", "Wir kommen zum nicht öffentlichen Teil der Sitzung. Die Öffentlichkeit ist "
     "ausgeschlossen. Ich rufe Tagesordnungspunkt 4 auf: Verkauf einer Teilfläche am Mühlbach."),
    ("hartmann", "Mit der Vorlage 2026/052 N schlagen wir vor, 1.200 Quadratmeter an einen "
     "örtlichen Handwerksbetrieb zu verkaufen, zu 85 Euro pro Quadratmeter."),
    ("roth", "Bleibt der Uferstreifen am Mühlbach im Eigentum der Gemeinde? Er muss frei "
     "zugänglich bleiben."),
    ("hartmann", "Ja, ein Streifen von 10 Metern entlang des Baches bleibt bei der Gemeinde."),
    ("wolff", "Die CDU-Fraktion stimmt dem Verkauf zu. Das sichert Arbeitsplätze vor Ort."),
    ("berger", "Wer stimmt dem Verkauf zu? Gegenstimmen? Enthaltungen? Das ist nicht der Fall. Der "
     "Verkauf ist einstimmig beschlossen."),
    ("berger", "Ich danke Ihnen für die konstruktive Beratung und schließe die Sitzung "
     "um 19:42 Uhr."),
]
# fmt: on


def run(cmd: list[str], stdin: bytes | None = None) -> bytes:
    return subprocess.run(cmd, input=stdin, capture_output=True, check=True).stdout


def read_wav(path: Path) -> np.ndarray:
    with wave.open(str(path)) as w:
        assert w.getframerate() == SR and w.getnchannels() == 1 and w.getsampwidth() == 2
        return np.frombuffer(w.readframes(w.getnframes()), dtype="<i2") / 32768.0


def write_wav(path: Path, x: np.ndarray) -> None:
    pcm = np.round(np.clip(x, -1.0, 32767 / 32768) * 32768).astype("<i2")
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(SR)
        w.writeframes(pcm.tobytes())


def rms(x: np.ndarray) -> float:
    return float(np.sqrt(np.mean(x**2)))


def synthesize(label: str, text: str, tmp: Path) -> np.ndarray:
    """Synthesise one turn, resample to SR, trim silence and normalise loudness."""
    voice, speed, pitch, gain_db = SPEAKERS[label][3:]
    for printed, spoken in SPOKEN.items():
        text = text.replace(printed, spoken)
    pho = run(
        ["espeak-ng", "-v", f"mb-{voice}", "-s", str(speed), "-p", str(pitch), "--pho", "-q", text]
    )
    raw, wav = tmp / "raw.wav", tmp / "turn.wav"
    run(["mbrola", "-e", f"/usr/share/mbrola/{voice}/{voice}", "-", str(raw)], pho)
    run(["sox", "-D", str(raw), "-r", str(SR), "-c", "1", "-b", "16", str(wav)])
    x = read_wav(wav)
    loud = np.flatnonzero(np.abs(x) > np.abs(x).max() * 10 ** (TRIM_DB / 20))
    x = x[loud[0] : loud[-1] + 1]
    x = x * (10 ** ((SPEECH_RMS_DB + gain_db) / 20) / rms(x))
    return x * min(1.0, 0.9 / float(np.abs(x).max()))  # keep peaks below -1 dBFS


def room_noise(n: int, rng: np.random.Generator) -> np.ndarray:
    """Pink-ish noise (1/f power above 50 Hz) at NOISE_RMS_DB."""
    spec = np.fft.rfft(rng.standard_normal(n))
    spec /= np.sqrt(np.maximum(np.fft.rfftfreq(n, 1 / SR), 50.0))
    noise = np.fft.irfft(spec, n)
    return noise * (10 ** (NOISE_RMS_DB / 20) / rms(noise))


def lay_out(clips: list[np.ndarray], rng: np.random.Generator) -> tuple[list[int], np.ndarray]:
    """The turns one after another: 1 s lead-in, seeded pauses of 0.5-1.5 s, 1 s tail, over
    the room-noise floor. Returns each turn's first sample and the mix."""
    pauses = [int(rng.uniform(0.5, 1.5) * SR) for _ in clips[1:]]
    starts = [SR]
    for x, pause in zip(clips[:-1], pauses, strict=True):
        starts.append(starts[-1] + len(x) + pause)
    mix = room_noise(starts[-1] + len(clips[-1]) + SR, rng)
    for x, start in zip(clips, starts, strict=True):
        mix[start : start + len(x)] += x
    return starts, mix


def toml_str(v: object) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, list):
        return "[" + ", ".join(toml_str(e) for e in v) + "]"
    return json.dumps(v, ensure_ascii=False)


def toml_table(header: str, fields: dict[str, object]) -> list[str]:
    return ["", header, *(f"{k} = {toml_str(v)}" for k, v in fields.items())]


def agenda_toml() -> str:
    out = [f"vocabulary = {toml_str(VOCABULARY)}", *toml_table("[meeting]", dict(MEETING))]
    members = [(n, r, f) for n, r, f, *_ in SPEAKERS.values()]
    members += [(n, "Ratsmitglied", f) for n, f in SILENT_MEMBERS]
    for name, role, faction in members:
        fields: dict[str, object] = {"name": name, "role": role, "faction": faction}
        if name in MEMBER_FLAGS:
            fields[MEMBER_FLAGS[name]] = True
        out += toml_table("[[members]]", fields)
    for number, title, paper, public in ITEMS:
        fields = {"number": number, "title": title, "paper": paper, "public": public}
        out += toml_table("[[items]]", fields)
    return "\n".join(out) + "\n"


def main() -> None:
    rng = np.random.default_rng(SEED)
    clips: list[tuple[str, str, np.ndarray]] = []
    marks: dict[int, str] = {}
    with tempfile.TemporaryDirectory() as tmpdir:
        for label, text in SCRIPT:
            if label == "#":
                marks[len(clips)] = text
            else:
                clips.append((label, text, synthesize(label, text, Path(tmpdir))))
        starts, mix = lay_out([x for _, _, x in clips], rng)
        total = len(mix)
        wav = Path(tmpdir) / f"{NAME}.wav"
        write_wav(wav, mix)
        run(["ffmpeg", "-y", "-v", "error", "-i", str(wav), *OPUS_ARGS, str(OUT / f"{NAME}.ogg")])
    turns = [
        {"speaker": label, "start_s": start / SR, "end_s": (start + len(x)) / SR, "text": text}
        for (label, text, x), start in zip(clips, starts, strict=True)
    ]
    boundaries = [{"item": item, "start_s": starts[i] / SR} for i, item in marks.items()]
    reference = {
        "audio": f"{NAME}.ogg",
        "sample_rate": SR,
        "meeting": MEETING,
        "duration_s": total / SR,
        "speakers": {
            k: {"name": v[0], "role": v[1], "faction": v[2], "voice": v[3]}
            for k, v in SPEAKERS.items()
        },
        "turns": turns,
        "agenda_boundaries": boundaries,
        "votes": [
            {"item": i, "subject": s, "yes": y, "no": n, "abstentions": a, "result": r}
            for i, s, y, n, a, r in VOTES
        ],
    }
    (OUT / f"{NAME}.reference.json").write_text(
        json.dumps(reference, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    rttm = [
        f"SPEAKER {NAME} 1 {start / SR:.3f} {len(x) / SR:.3f} <NA> <NA> {label} <NA> <NA>\n"
        for (label, _, x), start in zip(clips, starts, strict=True)
    ]
    (OUT / f"{NAME}.rttm").write_text("".join(rttm), encoding="utf-8")
    (OUT / f"{NAME}.txt").write_text("".join(c[1] + "\n" for c in clips), encoding="utf-8")
    (OUT / "agenda.toml").write_text(agenda_toml(), encoding="utf-8")
    for label in SPEAKERS:
        print(f"{label:9s} {sum(c[0] == label for c in clips):2d} turns")
    print(f"{len(turns)} turns, {total / SR:.1f} s")


if __name__ == "__main__":
    main()
