"""The minutes benchmark's data: six scripted German council sessions with exact references.

Each `Session` is the script of one invented municipal body meeting (a Gemeinderat in
Bavaria, a Stadtrat in Saxony, a Haupt- und Finanzausschuss and a Schulausschuss in
North Rhine-Westphalia, a Bau- und Umweltausschuss in Rhineland-Palatinate and an
Ortschaftsrat in Baden-Württemberg). `bench/minutes.py` synthesises every turn with
espeak-ng and the MBROLA German voices of its `Person`, runs speech recognition,
diarization and the minutes stage on the mix, and scores the draft minutes against the
`ItemRef`s: the result of each agenda item, the counts of its final vote, the number of
members declared befangen, and the key facts a Schriftführer must carry into the minutes.

Script conventions (as in `samples/make_sample.py`):

* `script` holds `(person_key, text)` turns; `("#", number)` marks that agenda item
  `number` starts with the next turn. Marks appear in the order the items were spoken:
  an item taken out of order ("Wir ziehen Tagesordnungspunkt 6 vor") has its mark
  early. An item dropped from the agenda at the start of the session (result
  "abgesetzt") has no mark; the opening turns announce it.
* Text is written as a transcript would show it (digits, "2,4 Millionen Euro", dates
  like "9. Dezember 2026"); `spoken` maps what espeak-ng would misread (years, paper
  numbers, ordinal dates, times, thousands with dots, euro-and-cent amounts) to words.
  `to_spoken` applies it, longest keys first.
* `people` are all listed members and guests. Speakers appear in the script; silent
  members never speak; an `absent` member is listed but not present. `administration`
  marks people who do not vote (staff, invited experts). Every session is built so that
  nobody leaves early: where all three counts of a vote were said, yes + no + abstain +
  biased equals the voting members present.

Reference conventions:

* `result` follows what the chair declared: "einstimmig" -> "einstimmig beschlossen";
  "mehrheitlich", "mit (großer) Mehrheit" -> "mehrheitlich beschlossen"; a plain
  "beschlossen"/"so beschlossen" (also "bei drei Gegenstimmen beschlossen") ->
  "beschlossen"; an amended proposal adopted after a separate amendment vote ->
  "geändert beschlossen" (even where the final vote was unanimous).
* `yes`/`no`/`abstain` are the counts SAID for the item's final vote: a number, 0 for
  "keine", "niemand", "null", "sehe ich nicht", and None where a count was not said
  ("einstimmig" alone gives None for all three). Amendment counts are in `note`.
* `facts` are 3-6 tuples of accepted variants in minutes style ("2,4 Mio. €",
  "350.000 €", "60 %", "9. Dezember 2026"); the first variant of each occurs in the
  item's script text after `normalise`, which the runner applies to both sides.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Person:
    key: str  # short label used in the script, e.g. "berger"
    name: str  # "Anna Berger"
    role: str  # "Bürgermeisterin", "Ratsmitglied", "Kämmerer", "Fachbereichsleiterin", ...
    faction: str  # "SPD", "CDU", "Bündnis 90/Die Grünen", "FDP", "Freie Wähler", "" ...
    voice: str  # MBROLA German voice "de1".."de7" (de1, de3, de5, de7 female; de2, de4, de6 male)
    speed: int  # espeak words per minute, 170-215
    pitch: int  # espeak pitch 0-99
    gain_db: float = 0.0  # 0 to -6
    chair: bool = False
    administration: bool = False
    absent: bool = False  # listed member who is absent (never speaks)


@dataclass(frozen=True)
class ItemRef:
    number: str  # "1", "2", "3a" ...
    title: str
    paper: str  # "Vorlage 2026/118" or ""
    public: bool
    result: str  # exactly one of protokoll.domain.minutes.RESULTS
    yes: int | None = None  # the FINAL vote's counts as said aloud ("keine" -> 0); None if not said
    no: int | None = None
    abstain: int | None = None
    biased: int | None = None  # members declared befangen (not voting); None if none declared
    facts: tuple[tuple[str, ...], ...] = ()  # 3-6 key facts; each a tuple of accepted variants
    note: str = ""  # what this item tests


@dataclass(frozen=True)
class Session:
    key: str  # "s1_wiesenfeld_rat"
    meeting: dict[str, str]  # body, session_number, date (ISO), place, start_time
    people: tuple[Person, ...]  # speaking people + silent members
    items: tuple[ItemRef, ...]  # in AGENDA order (as printed on the invitation)
    vocabulary: tuple[str, ...]  # names, places, terms for the recogniser (no numbers)
    spoken: dict[str, str]  # printed form -> what espeak-ng should be fed
    script: tuple[tuple[str, str], ...]  # ("#", item) marks; (person_key, text) turns
    seed: int


MARK = "#"

# ---- helpers the runner shares ---------------------------------------------------------

_UNIT_RULES = (
    (re.compile(r"\bmillion(?:en)?\b|\bmio\b\.?"), "mio."),
    (re.compile(r"\bmilliarden?\b|\bmrd\b\.?"), "mrd."),
    (re.compile(r"\s*(?:\bprozent\b|%)"), " %"),
    (re.compile(r"\s*(?:\beuro\b|\beur\b|€)"), " €"),
    (re.compile(r"\s*(?:\bquadratmetern?\b|\bqm\b|\bm2\b)"), " m²"),  # NFKC: m² -> m2
    (re.compile(r"\bhektar\b"), "ha"),
)


def normalise(text: str) -> str:
    """Case, spacing and unit words made uniform for fact matching: "2,4 Millionen Euro"
    and "2,4 Mio. €" both give "2,4 mio. €", "60 Prozent" and "60%" both "60 %"."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = text.replace("\u2013", "-").replace("\u2014", "-")
    text = re.sub(r"[„“”»«]", '"', text)
    for pattern, replacement in _UNIT_RULES:
        text = pattern.sub(replacement, text)
    return re.sub(r"\s+", " ", text).strip()


def to_spoken(text: str, spoken: dict[str, str]) -> str:
    """What espeak-ng is fed: `spoken` applied by plain replacement, longest keys first."""
    for printed in sorted(spoken, key=len, reverse=True):
        text = text.replace(printed, spoken[printed])
    return text


def opening_text(session: Session) -> str:
    """The turns before the first agenda item (where dropped items are announced)."""
    turns: list[str] = []
    for label, text in session.script:
        if label == MARK:
            break
        turns.append(text)
    return " ".join(turns)


def item_texts(session: Session) -> dict[str, str]:
    """Each marked item's script text: its turns from its mark to the next mark (the last
    item keeps the closing turns). Items without a mark ("abgesetzt") are left out."""
    texts: dict[str, list[str]] = {}
    current: str | None = None
    for label, text in session.script:
        if label == MARK:
            current = text
            texts[current] = []
        elif current is not None:
            texts[current].append(text)
    return {number: " ".join(turns) for number, turns in texts.items()}


def voters(session: Session) -> int:
    """Members present who may vote: listed, not absent, not administration."""
    return sum(not p.absent and not p.administration for p in session.people)


# fmt: off
# ---- 1: Gemeinderat Wiesenfeld (Bavaria) ----------------------------------------------

S1 = Session(
    key="s1_wiesenfeld_gemeinderat",
    meeting={"body": "Gemeinderat Wiesenfeld", "session_number": "9/2026",
             "date": "2026-10-14", "place": "Sitzungssaal, Rathaus Wiesenfeld",
             "start_time": "19:00"},
    people=(
        Person("amberger", "Stefan Amberger", "Erster Bürgermeister", "Freie Wähler",
               "de6", 185, 40, chair=True),
        Person("lechner", "Theresa Lechner", "Gemeinderätin", "CSU", "de5", 195, 55),
        Person("pichler", "Josef Pichler", "Gemeinderat", "SPD", "de2", 205, 50),
        Person("sailer", "Monika Sailer", "Gemeinderätin", "Bündnis 90/Die Grünen",
               "de1", 200, 62, -4.0),
        Person("gruber", "Claudia Gruber", "Kämmerin", "", "de3", 190, 45,
               administration=True),
        Person("brandl", "Florian Brandl", "Kommandant der Freiwilligen Feuerwehr", "",
               "de4", 180, 38, -2.0, administration=True),
        Person("reiter", "Johann Reiter", "Gemeinderat", "CSU", "de2", 190, 45),
        Person("obermeier", "Maria Obermeier", "Gemeinderätin", "CSU", "de5", 190, 50),
        Person("huber", "Andreas Huber", "Gemeinderat", "CSU", "de6", 190, 45),
        Person("kainz", "Sebastian Kainz", "Gemeinderat", "Freie Wähler", "de4", 190, 45),
        Person("wimmer", "Elisabeth Wimmer", "Gemeinderätin", "Freie Wähler", "de7", 190,
               50),
        Person("hofbauer", "Thomas Hofbauer", "Gemeinderat", "Freie Wähler", "de2", 190, 45),
        Person("zellner", "Karin Zellner", "Gemeinderätin", "SPD", "de3", 190, 50),
        Person("dorfner", "Michael Dorfner", "Gemeinderat", "SPD", "de6", 190, 45),
        Person("stangl", "Barbara Stangl", "Gemeinderätin", "Bündnis 90/Die Grünen", "de1",
               190, 50),
        Person("aigner", "Peter Aigner", "Gemeinderat", "FDP", "de4", 190, 45),
        Person("forstner", "Martin Forstner", "Gemeinderat", "CSU", "de2", 190, 45,
               absent=True),
    ),
    items=(
        ItemRef("1", "Bericht des Ersten Bürgermeisters", "", True,
                "zur Kenntnis genommen",
                facts=(("1.240 Haushalte",), ("65 %",), ("780.000 €",), ("April 2027",),
                       ("Oberzell",)),
                note="report, no vote; 'Ich rufe Tagesordnungspunkt 1 auf'"),
        ItemRef("2", "Neufassung der Gebührensatzung für die Kindertageseinrichtungen",
                "Vorlage 2026/091", True, "mehrheitlich beschlossen", 10, 3, 1,
                facts=(("180 €",), ("350 €",), ("1. Januar 2027",), ("50 %",),
                       ("18 %",)),
                note="called after the item taken out of order; question/answer counts "
                     "in number words (zehn, Drei, Eine)"),
        ItemRef("3", "Ersatzbeschaffung eines Löschfahrzeugs HLF 20 für die Freiwillige "
                "Feuerwehr Wiesenfeld", "Vorlage 2026/087", True, "einstimmig beschlossen",
                None, 0, 0,
                facts=(("485.000 €",), ("142.000 €",), ("1998",),
                       ("HLF 20", "Hilfeleistungslöschgruppenfahrzeug"), ("15.000 €",)),
                note="taken out of order ('Außerdem ziehen wir Tagesordnungspunkt 3 vor'); "
                     "'Gegenstimmen? Keine. Wer enthält sich? Niemand.'"),
        ItemRef("4", "Bebauungsplan „Am Kellerberg“: Aufstellungsbeschluss",
                "Vorlage 2026/093", True, "vertagt", 7, 6, 0, 1,
                facts=(("3,2 Hektar", "3,2 ha"), ("40 Bauplätze",),
                       ("Einheimischenmodell",), ("Artenschutzgutachten",), ("Sailer",)),
                note="'Punkt 4 der Tagesordnung'; member declares himself befangen and "
                     "sits in the public; counted vote on the deferral motion (7:6:0)"),
        ItemRef("5", "Antrag der SPD-Fraktion: Einrichtung eines Bürgerbusses",
                "Antrag 2026/095", True, "abgelehnt", 4, 9, 1,
                facts=(("Bürgerbus",), ("70.000 €",), ("12.000 €",), ("Rufbus",),
                       ("Pichler",)),
                note="announced by title only; 'Handzeichen ... Gegenprobe? ... "
                     "Enthaltungen?'"),
        ItemRef("6", "Sanierung der Ortsdurchfahrt Kirchstraße", "Vorlage 2026/096", True,
                "abgesetzt", note="dropped by the chair in the opening, no mark"),
        ItemRef("7", "Anfragen aus dem Gemeinderat", "", True, "ohne Beschluss",
                facts=(("212 Leuchten",), ("Ende März 2027",), ("9.000 €",),
                       ("Friedhofsweg",), ("LED",)),
                note="questions from members, answered, no decision"),
        ItemRef("8", "Grundstücksangelegenheit: Erwerb einer Teilfläche an der Flurstraße",
                "Vorlage 2026/098 N", False, "beschlossen", None, 2, 1,
                facts=(("2.400 Quadratmeter", "2.400 m²"), ("38 €",), ("91.200 €",),
                       ("Salzhalle",), ("Streuobstwiese",)),
                note="non-public; 'bei zwei Gegenstimmen und einer Enthaltung beschlossen'"),
    ),
    vocabulary=(
        "Wiesenfeld", "Oberzell", "Mühlanger", "Kellerberg", "Kirchstraße", "Flurstraße",
        "Friedhofsweg", "Amberger", "Lechner", "Pichler", "Sailer", "Gruber", "Brandl",
        "Forstner", "Glasfaserausbau", "Hilfeleistungslöschgruppenfahrzeug", "HLF",
        "Gebührensatzung", "Geschwisterermäßigung", "Einheimischenmodell",
        "Artenschutzgutachten", "Feldlerchen", "Bürgerbus", "Rufbus", "Räumstufe",
        "Salzhalle", "Streuobstwiese", "Gutachterausschuss",
    ),
    spoken={
        "19:00 Uhr": "neunzehn Uhr",
        "21:10 Uhr": "einundzwanzig Uhr zehn",
        "2026/087": "zweitausendsechsundzwanzig Strich null siebenundachtzig",
        "2026/091": "zweitausendsechsundzwanzig Strich null einundneunzig",
        "2026/093": "zweitausendsechsundzwanzig Strich null dreiundneunzig",
        "1. Januar 2027": "ersten Januar zweitausendsiebenundzwanzig",
        "1. Oktober": "ersten Oktober",
        "1998": "neunzehnhundertachtundneunzig",
        "2027": "zweitausendsiebenundzwanzig",
        "2028": "zweitausendachtundzwanzig",
        "LED": "L E D",
        "1.240": "eintausendzweihundertvierzig",
        "780.000": "siebenhundertachtzigtausend",
        "485.000": "vierhundertfünfundachtzigtausend",
        "142.000": "hundertzweiundvierzigtausend",
        "15.000": "fünfzehntausend",
        "70.000": "siebzigtausend",
        "12.000": "zwölftausend",
        "9.000": "neuntausend",
        "2.400": "zweitausendvierhundert",
        "91.200": "einundneunzigtausendzweihundert",
    },
    script=(
        ("amberger", "Grüß Gott, meine Damen und Herren. Ich eröffne die Sitzung des "
         "Gemeinderats Wiesenfeld um 19:00 Uhr und stelle die ordnungsgemäße Ladung und die "
         "Beschlussfähigkeit fest. Entschuldigt fehlt Gemeinderat Forstner."),
        ("amberger", "Zur Tagesordnung: Punkt 6, Sanierung der Ortsdurchfahrt Kirchstraße, "
         "wird abgesetzt, weil die Stellungnahme des Staatlichen Bauamts noch fehlt. "
         "Außerdem ziehen wir Tagesordnungspunkt 3 vor, damit Kommandant Brandl danach zur "
         "Übung kann. Gibt es Einwände? Das ist nicht der Fall."),
        (MARK, "1"),
        ("amberger", "Ich rufe Tagesordnungspunkt 1 auf, Bericht des Ersten Bürgermeisters. "
         "Der Glasfaserausbau ist abgeschlossen, 1.240 Haushalte sind angeschlossen. Das "
         "Kinderhaus am Mühlanger ist seit dem 1. Oktober mit zwei neuen Gruppen in Betrieb."),
        ("amberger", "Außerdem hat der Landkreis den Zuschuss für den Radweg nach Oberzell "
         "bewilligt. Er übernimmt 65 Prozent der Kosten von 780.000 Euro."),
        ("lechner", "Danke für den Bericht. Wann geht es mit dem Radweg nach Oberzell los?"),
        ("amberger", "Die Ausschreibung läuft im Winter, Baubeginn ist im April 2027. Wenn es "
         "keine weiteren Fragen gibt, nimmt der Gemeinderat den Bericht zur Kenntnis."),
        (MARK, "3"),
        ("amberger", "Wir kommen zum vorgezogenen Tagesordnungspunkt 3, Ersatzbeschaffung "
         "eines Löschfahrzeugs für die Freiwillige Feuerwehr, Vorlage 2026/087. Herr "
         "Brandl, bitte."),
        ("brandl", "Unser Löschfahrzeug ist von 1998 und hat bei der letzten Prüfung massive "
         "Mängel gehabt. Ersatzteile gibt es kaum noch. Wir brauchen ein HLF 20, ein "
         "Hilfeleistungslöschgruppenfahrzeug."),
        ("gruber", "Die Kostenschätzung liegt bei 485.000 Euro. Der Freistaat fördert das "
         "Fahrzeug mit 142.000 Euro. Die Mittel sind im Haushalt 2027 eingeplant, geliefert "
         "wird voraussichtlich im Herbst 2028."),
        ("pichler", "Die SPD-Fraktion stimmt zu. Bei der Sicherheit unserer Bürger dürfen wir "
         "nicht sparen. Kann das alte Fahrzeug noch verkauft werden?"),
        ("brandl", "Ja, wir rechnen mit einem Erlös von rund 15.000 Euro. Es gibt Interesse "
         "von einer Hilfsorganisation."),
        ("amberger", "Dann lasse ich abstimmen. Wer der Ersatzbeschaffung zustimmt, den bitte "
         "ich um das Handzeichen. Danke. Gegenstimmen? Keine. Wer enthält sich? Niemand. "
         "Damit ist die Beschaffung einstimmig beschlossen."),
        (MARK, "2"),
        ("amberger", "Dann zurück zu Punkt 2 der Tagesordnung, Neufassung der "
         "Gebührensatzung für die Kindertageseinrichtungen, Vorlage 2026/091. Frau Gruber."),
        ("gruber", "Die Personalkosten sind um 11 Prozent gestiegen. Wir schlagen vor, die "
         "Gebühr für einen Kindergartenplatz ab 1. Januar 2027 von 160 auf 180 Euro im Monat "
         "anzuheben, für die Krippe von 320 auf 350 Euro."),
        ("sailer", "Das ist für junge Familien eine spürbare Belastung. Uns Grünen ist "
         "wichtig, dass die Geschwisterermäßigung von 50 Prozent bleibt."),
        ("gruber", "Die Geschwisterermäßigung von 50 Prozent bleibt unverändert. Auch nach der "
         "Erhöhung decken die Gebühren nur etwa 18 Prozent der Kosten."),
        ("pichler", "Eine Erhöhung um 20 Euro auf einen Schlag ist uns zu viel. Die "
         "SPD-Fraktion wird nicht zustimmen."),
        ("amberger", "Wer stimmt der neuen Gebührensatzung zu? Das sind zehn. Wer ist "
         "dagegen? Drei. Enthaltungen? Eine. Damit ist die Satzung mehrheitlich beschlossen."),
        (MARK, "4"),
        ("amberger", "Punkt 4 der Tagesordnung: Bebauungsplan Am Kellerberg, "
         "Aufstellungsbeschluss, Vorlage 2026/093."),
        ("pichler", "Meinem Bruder gehört ein Grundstück im Plangebiet. Ich erkläre mich "
         "deshalb für befangen und nehme im Zuschauerraum Platz."),
        ("amberger", "Danke. Geplant sind auf 3,2 Hektar rund 40 Bauplätze für Einfamilien- "
         "und Doppelhäuser. Die Hälfte der Grundstücke soll über ein Einheimischenmodell "
         "vergeben werden."),
        ("sailer", "Am Kellerberg brüten Feldlerchen, und das Artenschutzgutachten liegt noch "
         "nicht vor. Ich beantrage, den Punkt zu vertagen, bis das Gutachten da ist."),
        ("lechner", "Wir brauchen dringend Bauland für junge Familien. Jede Verzögerung kostet "
         "ein halbes Jahr. Die CSU-Fraktion lehnt die Vertagung ab."),
        ("amberger", "Ich lasse über den Antrag von Frau Sailer auf Vertagung abstimmen. Wer "
         "ist dafür? Sieben. Wer ist dagegen? Sechs. Enthaltungen? Keine. Damit ist der "
         "Punkt vertagt."),
        (MARK, "5"),
        ("amberger", "Herr Pichler ist wieder im Saal. Nun zum Antrag der SPD-Fraktion auf "
         "Einrichtung eines Bürgerbusses. Herr Pichler, bitte."),
        ("pichler", "Viele ältere Menschen in den Ortsteilen kommen ohne Auto nicht mehr zum "
         "Arzt oder zum Einkaufen. Wir beantragen einen Bürgerbus mit ehrenamtlichen "
         "Fahrern, zweimal in der Woche."),
        ("gruber", "Ein Kleinbus kostet etwa 70.000 Euro, dazu kommen jedes Jahr rund "
         "12.000 Euro für Versicherung und Unterhalt. Im Haushalt sind dafür keine Mittel "
         "vorgesehen."),
        ("lechner", "Die Idee ist gut, aber der Landkreis baut ab 2027 den Rufbus aus. Wir "
         "sollten nicht doppelt Geld ausgeben."),
        ("amberger", "Wer dem Antrag der SPD-Fraktion zustimmt, den bitte ich um das "
         "Handzeichen. Das sind vier. Gegenprobe? Neun. Enthaltungen? Eine. Damit ist der "
         "Antrag abgelehnt."),
        (MARK, "7"),
        ("amberger", "Tagesordnungspunkt 7, Anfragen aus dem Gemeinderat. Frau Sailer, bitte."),
        ("sailer", "Wann werden die restlichen Straßenlaternen auf LED umgestellt? In "
         "Oberzell brennen noch die alten Leuchten."),
        ("gruber", "Es fehlen noch 212 Leuchten. Der Auftrag ist vergeben, die Umrüstung ist "
         "bis Ende März 2027 abgeschlossen. Wir sparen dann jedes Jahr etwa 9.000 Euro "
         "Stromkosten."),
        ("lechner", "Der Winterdienst am Friedhofsweg kam letztes Jahr oft zu spät. Kann der "
         "Bauhof dort früher räumen?"),
        ("amberger", "Wir nehmen den Friedhofsweg in die erste Räumstufe auf. Ein Beschluss ist "
         "dazu nicht zu fassen."),
        (MARK, "8"),
        ("amberger", "Damit ist der öffentliche Teil beendet. Ich bitte die Zuhörer, den Saal "
         "zu verlassen. Wir kommen zu Tagesordnungspunkt 8, Erwerb einer Teilfläche an der "
         "Flurstraße."),
        ("gruber", "Der Eigentümer bietet uns 2.400 Quadratmeter neben dem Bauhof an, zu "
         "38 Euro pro Quadratmeter. Das sind 91.200 Euro. Die Fläche brauchen wir für die "
         "neue Salzhalle."),
        ("lechner", "Der Preis ist angemessen, der Gutachterausschuss hat sogar 40 Euro "
         "angesetzt. Wir stimmen zu."),
        ("sailer", "Auf der Fläche steht eine alte Streuobstwiese. Die wollen wir erhalten, "
         "deshalb stimmen wir nicht zu."),
        ("amberger", "Wer dem Erwerb zustimmt, bitte ich um das Handzeichen. Danke. "
         "Gegenstimmen? Enthaltungen? Danke. Damit ist der Erwerb bei zwei Gegenstimmen und "
         "einer Enthaltung beschlossen."),
        ("amberger", "Ich danke Ihnen für die Beratung und schließe die Sitzung um "
         "21:10 Uhr."),
    ),
    seed=20261014,
)

# ---- 2: Stadtrat Kirchbergen (Saxony) --------------------------------------------------

S2 = Session(
    key="s2_kirchbergen_stadtrat",
    meeting={"body": "Stadtrat der Stadt Kirchbergen", "session_number": "24/2026",
             "date": "2026-12-10", "place": "Ratssaal, Rathaus Kirchbergen",
             "start_time": "18:30"},
    people=(
        Person("reinhardt", "Ulrike Reinhardt", "Bürgermeisterin", "", "de5", 190, 50,
               chair=True),
        Person("seidel", "Frank Seidel", "Stadtrat", "CDU", "de2", 200, 48),
        Person("kunze", "Ralf Kunze", "Stadtrat", "Freie Wähler", "de6", 185, 35, -3.0),
        Person("lehmann", "Sandra Lehmann", "Stadträtin", "Die Linke", "de1", 205, 60),
        Person("winkler", "Jens Winkler", "Stadtrat", "SPD", "de4", 195, 52),
        Person("schubert", "Heike Schubert", "Kämmerin", "", "de3", 185, 44,
               administration=True),
        Person("braeuer", "Anke Bräuer", "Stadträtin", "Freie Wähler", "de7", 190, 50),
        Person("lange", "Uwe Lange", "Stadtrat", "CDU", "de2", 190, 45),
        Person("hahn", "Sabine Hahn", "Stadträtin", "CDU", "de5", 190, 50),
        Person("krause", "Matthias Krause", "Stadtrat", "CDU", "de6", 190, 45),
        Person("thiele", "Gerd Thiele", "Stadtrat", "Freie Wähler", "de4", 190, 45),
        Person("pohl", "Kerstin Pohl", "Stadträtin", "Die Linke", "de1", 190, 50),
        Person("ebert", "Silke Ebert", "Stadträtin", "SPD", "de3", 190, 50),
        Person("haase", "Rico Haase", "Stadtrat", "Bündnis 90/Die Grünen", "de2", 190, 45),
        Person("zimmer", "Lars Zimmer", "Stadtrat", "CDU", "de6", 190, 45),
        Person("franke", "Doreen Franke", "Stadträtin", "Freie Wähler", "de7", 190, 50),
        Person("fiedler", "Steffen Fiedler", "Stadtrat", "CDU", "de4", 190, 45, absent=True),
    ),
    items=(
        ItemRef("1", "Genehmigung der Niederschrift der Sitzung vom 12. November 2026", "",
                True, "einstimmig beschlossen",
                facts=(("12. November 2026",), ("Seite 3",), ("24 Stellplätze",)),
                note="correction to the minutes; 'einstimmig' alone, no counts"),
        ItemRef("2", "Haushaltssatzung und Haushaltsplan 2027", "Vorlage 2026/210", True,
                "geändert beschlossen", 11, 4, 0,
                facts=(("48,6 Mio. €",), ("9,3 Mio. €",), ("2,1 Mio. €",), ("150.000 €",),
                       ("Bahnhofstraße",), ("Seidel",)),
                note="Änderungsantrag der CDU-Fraktion voted first (9:5:1), then the final "
                     "vote in number words ('elf Ja-Stimmen, vier Nein-Stimmen')"),
        ItemRef("3", "Benennung der Straßen im Wohngebiet „An der Ziegelei“",
                "Vorlage 2026/214", True, "mehrheitlich beschlossen",
                facts=(("Ziegeleiweg",), ("Am Brennofen",), ("Lehmgrubenstraße",),
                       ("Martha Geißler", "Geißler"), ("Heimatverein",)),
                note="announced by title only; 'mit großer Mehrheit', no counts"),
        ItemRef("4", "Bericht zur Städtepartnerschaft mit Wendlingsberg", "", True,
                "zur Kenntnis genommen",
                facts=(("30 Jahre",), ("17. Mai 2027",), ("40 Gäste",), ("22 Schüler",),
                       ("6.000 €",)),
                note="report, no vote"),
        ItemRef("5", "Antrag der Fraktion Die Linke: Einführung eines Sozialtickets",
                "Antrag 2026/205", True, "zurückgezogen",
                facts=(("Sozialticket",), ("19 €",), ("29 €",), ("1. März 2027",),
                       ("Lehmann",)),
                note="mover withdraws the motion"),
        ItemRef("6", "Sanierung des Freibads am Schwanenteich", "Vorlage 2026/218", True,
                "mehrheitlich beschlossen", 12, 1, 2,
                facts=(("3,4 Mio. €",), ("50 %",), ("Mai 2028",), ("280.000 €",),
                       ("Schwanenteich",)),
                note="question/answer with digits and words ('Das sind 12 Ja-Stimmen ... "
                     "Eine Gegenstimme ... Zwei')"),
        ItemRef("7", "Beitritt zum Zweckverband Breitband Kirchberger Land",
                "Vorlage 2026/220", True, "vertagt",
                facts=(("21.000 €",), ("2,50 €",), ("28. Januar 2027",),
                       ("Februarsitzung", "Februar"), ("Winkler",)),
                note="deferred without a vote ('Ich sehe keinen Widerspruch')"),
        ItemRef("8", "Vergabe der Dachsanierung der Oberschule", "Vorlage 2026/222 N", False,
                "einstimmig beschlossen", 13, 0, 0, 2,
                facts=(("612.000 €",), ("Richter",), ("fünf Angebote", "5 Angebote"),
                       ("4 %",), ("Oberschule",)),
                note="non-public; two members befangen (one declares, the chair names the "
                     "other); 'Das sind alle 13 stimmberechtigten Mitglieder ... Keine ... "
                     "Auch keine'"),
        ItemRef("9", "Verkauf des ehemaligen Feuerwehrgerätehauses", "Vorlage 2026/223 N",
                False, "abgesetzt", note="non-public item dropped in the opening, no mark"),
    ),
    vocabulary=(
        "Kirchbergen", "Wendlingsberg", "Schwanenteich", "Ziegelei", "Ziegeleiweg",
        "Brennofen", "Lehmgrubenstraße", "Bahnhofstraße", "Reinhardt", "Seidel", "Kunze",
        "Lehmann", "Winkler", "Schubert", "Bräuer", "Fiedler", "Geißler", "Richter",
        "Haushaltssatzung", "Ergebnishaushalt", "Hebesätze", "Rathausfoyer",
        "Deckensanierung", "Heimatverein", "Sozialticket", "Kreisticket", "Zweckverband",
        "Verbandsversammlung", "Verbandssatzung", "Oberschule", "Feuerwehrgerätehaus",
        "Wertgutachten",
    ),
    spoken={
        "24. Sitzung": "vierundzwanzigste Sitzung",
        "12. November 2026": "zwölften November zweitausendsechsundzwanzig",
        "2026/210": "zweitausendsechsundzwanzig Strich zweihundertzehn",
        "2026/218": "zweitausendsechsundzwanzig Strich zweihundertachtzehn",
        "2026/220": "zweitausendsechsundzwanzig Strich zweihundertzwanzig",
        "14. bis 17. Mai 2027": "vierzehnten bis siebzehnten Mai zweitausendsiebenundzwanzig",
        "1. März 2027": "ersten März zweitausendsiebenundzwanzig",
        "28. Januar 2027": "achtundzwanzigsten Januar zweitausendsiebenundzwanzig",
        "2,50 Euro": "zwei Euro fünfzig",
        "2024": "zweitausendvierundzwanzig",
        "2027": "zweitausendsiebenundzwanzig",
        "2028": "zweitausendachtundzwanzig",
        "150.000": "hundertfünfzigtausend",
        "85.000": "fünfundachtzigtausend",
        "6.000": "sechstausend",
        "280.000": "zweihundertachtzigtausend",
        "21.000": "einundzwanzigtausend",
        "612.000": "sechshundertzwölftausend",
        "21:40 Uhr": "einundzwanzig Uhr vierzig",
    },
    script=(
        ("reinhardt", "Sehr geehrte Damen und Herren, ich eröffne die 24. Sitzung des "
         "Stadtrates. Die Einladung ist fristgerecht ergangen, der Stadtrat ist "
         "beschlussfähig. Herr Fiedler hat sich entschuldigt."),
        ("reinhardt", "Tagesordnungspunkt 9, Verkauf des ehemaligen Feuerwehrgerätehauses, "
         "wird abgesetzt, weil noch ein zweites Wertgutachten eingeholt wird. Gibt es "
         "Widerspruch gegen die so geänderte Tagesordnung? Das ist nicht der Fall."),
        (MARK, "1"),
        ("reinhardt", "Wir beginnen mit Tagesordnungspunkt 1, Genehmigung der Niederschrift "
         "der Sitzung vom 12. November 2026. Gibt es Änderungswünsche?"),
        ("winkler", "Ja. Auf Seite 3 steht, wir hätten 42 Stellplätze am Bahnhof beschlossen. "
         "Beschlossen haben wir 24 Stellplätze. Ich bitte, das zu korrigieren."),
        ("reinhardt", "Danke, das wird korrigiert. Wer stimmt der Niederschrift mit dieser "
         "Korrektur zu? Danke, das ist einstimmig so beschlossen."),
        (MARK, "2"),
        ("reinhardt", "Ich rufe Tagesordnungspunkt 2 auf: Haushaltssatzung und Haushaltsplan "
         "2027, Vorlage 2026/210. Frau Schubert, bitte."),
        ("schubert", "Der Ergebnishaushalt 2027 hat ein Volumen von 48,6 Millionen Euro. Wir "
         "investieren 9,3 Millionen Euro, vor allem in die Oberschule und in Straßen. Dafür "
         "brauchen wir einen Kredit von 2,1 Millionen Euro. Die Hebesätze bleiben "
         "unverändert."),
        ("seidel", "Die Bahnhofstraße ist in einem katastrophalen Zustand. Die CDU-Fraktion "
         "stellt den Änderungsantrag, dort zusätzlich 150.000 Euro für die Deckensanierung "
         "einzustellen und dafür die Planung für das Rathausfoyer zu streichen."),
        ("lehmann", "Wir tragen diesen Haushalt nicht mit. Für die Jugendarbeit bleiben nur "
         "85.000 Euro, das ist viel zu wenig."),
        ("winkler", "Die SPD unterstützt den Änderungsantrag. Eine sichere Straße ist "
         "wichtiger als ein neues Foyer."),
        ("reinhardt", "Ich lasse zuerst über den Änderungsantrag der CDU-Fraktion von Herrn "
         "Seidel abstimmen. Wer ist dafür? Neun. Dagegen? Fünf. Enthaltungen? Eine. Der "
         "Änderungsantrag ist angenommen."),
        ("reinhardt", "Nun zur Haushaltssatzung mit dieser Änderung. Ich bitte um Ihr "
         "Handzeichen. Das sind elf Ja-Stimmen, vier Nein-Stimmen, keine Enthaltungen. "
         "Damit ist der Haushalt in geänderter Fassung beschlossen."),
        (MARK, "3"),
        ("reinhardt", "Wir kommen zur Benennung der Straßen im Wohngebiet An der Ziegelei."),
        ("kunze", "Der Heimatverein schlägt Ziegeleiweg, Am Brennofen und Lehmgrubenstraße "
         "vor. So bleibt die Geschichte des Geländes sichtbar."),
        ("lehmann", "Wir hätten gern auch eine Straße nach einer Frau benannt. Unser "
         "Vorschlag ist, die Lehmgrubenstraße nach der ersten Stadträtin von Kirchbergen, "
         "Martha Geißler, zu benennen."),
        ("seidel", "Wir bleiben bei den Vorschlägen des Heimatvereins. Für Martha Geißler "
         "finden wir im nächsten Baugebiet einen würdigen Platz."),
        ("reinhardt", "Ich lasse über die Vorlage abstimmen. Bitte das Handzeichen. Danke. "
         "Das ist mit großer Mehrheit beschlossen. Die Straßen heißen Ziegeleiweg, Am "
         "Brennofen und Lehmgrubenstraße."),
        (MARK, "4"),
        ("reinhardt", "Punkt 4 der Tagesordnung, Bericht zur Städtepartnerschaft mit "
         "Wendlingsberg. Im nächsten Jahr feiern wir 30 Jahre Partnerschaft. Vom 14. bis "
         "17. Mai 2027 besucht uns eine Delegation mit 40 Gästen."),
        ("winkler", "Der Schüleraustausch der Oberschule ist das Herzstück der Partnerschaft. "
         "Wie viele Schüler fahren im Herbst nach Wendlingsberg?"),
        ("reinhardt", "Es sind 22 Schülerinnen und Schüler. Die Stadt gibt dafür einen "
         "Zuschuss von 6.000 Euro."),
        ("kunze", "Die Freien Wähler bieten an, die Gäste im Mai bei Familien "
         "unterzubringen."),
        ("reinhardt", "Vielen Dank. Der Stadtrat nimmt den Bericht zur Kenntnis."),
        (MARK, "5"),
        ("reinhardt", "Wir kommen zu Tagesordnungspunkt 5, Antrag der Fraktion Die Linke zur "
         "Einführung eines Sozialtickets. Frau Lehmann."),
        ("lehmann", "Wir wollten, dass Menschen mit geringem Einkommen für 19 Euro im Monat "
         "den Stadtbus nutzen können. Inzwischen hat aber der Kreistag ein Sozialticket für "
         "den ganzen Landkreis beschlossen."),
        ("seidel", "Das Kreisticket gilt ab dem 1. März 2027 und kostet 29 Euro. Damit ist "
         "das Anliegen doch erledigt."),
        ("lehmann", "Das sehen wir auch so. Wir ziehen unseren Antrag deshalb zurück."),
        ("reinhardt", "Danke, Frau Lehmann. Der Antrag ist zurückgezogen, eine Abstimmung "
         "entfällt."),
        (MARK, "6"),
        ("reinhardt", "Tagesordnungspunkt 6, Sanierung des Freibads am Schwanenteich, Vorlage "
         "2026/218."),
        ("schubert", "Das Becken wird mit Edelstahl ausgekleidet, die Technik komplett "
         "erneuert. Die Kosten liegen bei 3,4 Millionen Euro, das Land fördert 50 Prozent. "
         "Das Bad bleibt 2027 geschlossen und öffnet wieder im Mai 2028."),
        ("kunze", "Ein Freibad ist für eine Stadt wie Kirchbergen kein Luxus. Die Freien "
         "Wähler stimmen zu."),
        ("seidel", "Wir stimmen auch zu. Wir erwarten aber, dass die Eintrittspreise danach "
         "moderat bleiben."),
        ("lehmann", "Der jährliche Zuschuss für den Betrieb steigt auf 280.000 Euro. Das "
         "ist uns zu viel, wir enthalten uns."),
        ("reinhardt", "Wer stimmt der Sanierung zu? Das sind 12 Ja-Stimmen. Wer ist dagegen? Eine "
         "Gegenstimme. Enthaltungen? Zwei. Damit ist die Sanierung mehrheitlich "
         "beschlossen."),
        (MARK, "7"),
        ("reinhardt", "Punkt 7, Beitritt zum Zweckverband Breitband Kirchberger Land, "
         "Vorlage 2026/220."),
        ("schubert", "Der Beitritt kostet eine Umlage von 2,50 Euro je Einwohner und Jahr, "
         "für uns rund 21.000 Euro. Die Verbandssatzung ist aber noch nicht endgültig."),
        ("winkler", "Dann sollten wir nicht über einen Entwurf abstimmen. Ich beantrage, den "
         "Punkt zu vertagen, bis die Satzung beschlossen ist."),
        ("reinhardt", "Die Verbandsversammlung tagt am 28. Januar 2027. Herr Winkler beantragt "
         "Vertagung auf die Februarsitzung. Gibt es Widerspruch? Ich sehe keinen. Der Punkt "
         "ist vertagt."),
        (MARK, "8"),
        ("reinhardt", "Wir kommen zum nichtöffentlichen Teil. Ich bitte die Gäste, den Saal "
         "zu verlassen. Tagesordnungspunkt 8, Vergabe der Dachsanierung der Oberschule."),
        ("kunze", "Meine Firma hat für diesen Auftrag ein Angebot abgegeben. Ich bin "
         "befangen und nehme an Beratung und Abstimmung nicht teil."),
        ("reinhardt", "Frau Bräuer ist als Schwester von Herrn Kunze ebenfalls befangen und "
         "nimmt an der Beratung nicht teil. Frau Schubert, bitte."),
        ("schubert", "Es gingen fünf Angebote ein. Das wirtschaftlichste Angebot hat die "
         "Firma Dachbau Richter mit 612.000 Euro abgegeben. Das liegt 4 Prozent unter der "
         "Kostenschätzung."),
        ("seidel", "Gibt es Erfahrungen mit der Firma Richter?"),
        ("schubert", "Ja, sie hat 2024 das Dach der Turnhalle saniert, ohne Beanstandungen."),
        ("reinhardt", "Wer stimmt der Vergabe an die Firma Richter zu? Das sind alle 13 "
         "stimmberechtigten Mitglieder. Gegenstimmen? Keine. Enthaltungen? Auch keine. Damit "
         "einstimmig beschlossen, bei zwei Befangenen."),
        ("reinhardt", "Ich danke Ihnen, wünsche Ihnen ein frohes Weihnachtsfest und schließe "
         "die Sitzung um 21:40 Uhr."),
    ),
    seed=20261210,
)

# ---- 3: Haupt- und Finanzausschuss Altenmoor (North Rhine-Westphalia) ------------------

S3 = Session(
    key="s3_altenmoor_hauptausschuss",
    meeting={"body": "Haupt- und Finanzausschuss der Stadt Altenmoor",
             "session_number": "7/2026", "date": "2026-09-22",
             "place": "Sitzungsraum 1, Rathaus Altenmoor", "start_time": "17:00"},
    people=(
        Person("terhorst", "Bernd Terhorst", "Bürgermeister", "CDU", "de4", 185, 42,
               chair=True),
        Person("rensing", "Anja Rensing", "Ratsfrau", "CDU", "de7", 195, 52),
        Person("hoelscher", "Dirk Hölscher", "Ratsherr", "SPD", "de2", 210, 48, -2.0),
        Person("boeckmann", "Lena Böckmann", "Ratsfrau", "Bündnis 90/Die Grünen", "de1", 205,
               66),
        Person("wessels", "Marco Wessels", "Ratsherr", "FDP", "de6", 195, 40),
        Person("schulze", "Petra Schulze Althoff", "Kämmerin", "", "de3", 185, 46,
               administration=True),
        Person("kemper", "Tobias Kemper", "Fachbereichsleiter Bauen", "", "de2", 180, 36,
               -5.0, administration=True),
        Person("bussmann", "Heinz Bußmann", "Ratsherr", "CDU", "de4", 190, 45),
        Person("ahlers", "Gabriele Ahlers", "Ratsfrau", "CDU", "de5", 190, 50),
        Person("tenbrink", "Ralf ten Brink", "Ratsherr", "SPD", "de6", 190, 45),
        Person("luetke", "Susanne Lütke", "Ratsfrau", "SPD", "de3", 190, 50),
        Person("overbeck", "Jan Overbeck", "Ratsherr", "CDU", "de2", 190, 45),
        Person("niehues", "Karin Niehues", "Ratsfrau", "Bündnis 90/Die Grünen", "de7", 190,
               50),
    ),
    items=(
        ItemRef("1", "Bericht zum Haushaltsvollzug zum 30. Juni 2026", "", True,
                "zur Kenntnis genommen",
                facts=(("1,3 Mio. €",), ("12 %",), ("2,8 Mio. €",), ("4,1 Mio.",),
                       ("6,5 Mio. €",), ("Ausgleichsrücklage",)),
                note="report of the treasurer, no vote"),
        ItemRef("2", "Gebührenkalkulation Abwasser 2027", "Vorlage 2026/156", True,
                "einstimmig beschlossen", 11, 0, 0,
                facts=(("3,10 €",), ("2,85",), ("40 €",), ("Kläranlage",), ("Gründächer",)),
                note="recommendation to the council; 'Elf. Dagegen? Null. Enthaltungen? "
                     "Null.'"),
        ItemRef("3", "Zuschuss an den TuS Altenmoor für einen Kunstrasenplatz",
                "Vorlage 2026/160", True, "mehrheitlich beschlossen", 8, 1, 1, 1,
                facts=(("980.000 €",), ("300.000 €",), ("400.000 €",), ("280.000 €",),
                       ("Kork",)),
                note="club chairman on the committee declares himself befangen"),
        ItemRef("4", "Antrag der Fraktion Bündnis 90/Die Grünen: Klimacheck für "
                "Beschlussvorlagen", "Antrag 2026/151", True, "abgelehnt", 4, 7, 0,
                facts=(("Klimacheck",), ("halbe Stelle",), ("40.000 €",),
                       ("45 Maßnahmen",), ("Böckmann",)),
                note="counts stated in number words ('vier Ja-Stimmen und sieben "
                     "Nein-Stimmen, keine Enthaltung')"),
        ItemRef("5", "Anfrage der SPD-Fraktion zu den Kosten des Feuerwehrgerätehauses", "",
                True, "ohne Beschluss",
                facts=(("4,2 Mio. €",), ("5,1 Mio. €",), ("21 %",), ("Oktober 2027",),
                       ("vierteljährlich",)),
                note="an Anfrage answered by the administration, no decision"),
        ItemRef("6", "Änderung der Hundesteuersatzung", "Vorlage 2026/162", True,
                "abgesetzt", note="dropped in the opening at the administration's request"),
        ItemRef("7", "Antrag auf Stundung von Gewerbesteuer", "Vorlage 2026/165 N", False,
                "beschlossen", None, 0, 1,
                facts=(("186.000 €",), ("zwölf Monate", "12 Monate"),
                       ("vier Raten", "4 Raten"), ("6 %",), ("Moorkamp",)),
                note="non-public; 'Handzeichen ... Gegenprobe? Keine. Enthaltungen? Eine. "
                     "Damit so beschlossen.'"),
        ItemRef("8", "Verkauf eines Gewerbegrundstücks im Gewerbegebiet Moorkamp",
                "Vorlage 2026/166 N", False, "abgelehnt",
                facts=(("1,8 Hektar", "1,8 ha"), ("65 €",), ("1,17 Mio. €",),
                       ("25 Arbeitsplätze",), ("Handwerksbetrieb",)),
                note="non-public; 'mit großer Mehrheit abgelehnt', no counts"),
    ),
    vocabulary=(
        "Altenmoor", "Moorkamp", "Terhorst", "Rensing", "Hölscher", "Böckmann", "Wessels",
        "Schulze Althoff", "Kemper", "TuS", "Ausgleichsrücklage", "Gewerbesteuer",
        "Schmutzwassergebühr", "Niederschlagswassergebühr", "Kläranlage", "Gründächer",
        "Kunstrasenplatz", "Sportstättenprogramm", "Korkfüllung", "Gummigranulat",
        "Mikroplastik", "Klimacheck", "Klimaschutzkonzept", "Feuerwehrgerätehaus",
        "Haustechnik", "Hundesteuersatzung", "Städte- und Gemeindebund", "Stundung",
        "Hausbank", "Logistikfirma",
    ),
    spoken={
        "TuS": "Tuss",
        "30. Juni 2026": "dreißigsten Juni zweitausendsechsundzwanzig",
        "2026/156": "zweitausendsechsundzwanzig Strich hundertsechsundfünfzig",
        "2026/160": "zweitausendsechsundzwanzig Strich hundertsechzig",
        "2,85 auf 3,10 Euro": "zwei Euro fünfundachtzig auf drei Euro zehn",
        "2027": "zweitausendsiebenundzwanzig",
        "2028": "zweitausendachtundzwanzig",
        "980.000": "neunhundertachtzigtausend",
        "300.000": "dreihunderttausend",
        "400.000": "vierhunderttausend",
        "280.000": "zweihundertachtzigtausend",
        "40.000": "vierzigtausend",
        "186.000": "hundertsechsundachtzigtausend",
        "17:00 Uhr": "siebzehn Uhr",
        "19:25 Uhr": "neunzehn Uhr fünfundzwanzig",
    },
    script=(
        ("terhorst", "Guten Abend, ich eröffne die Sitzung des Haupt- und Finanzausschusses "
         "um 17:00 Uhr. Ich stelle fest, dass form- und fristgerecht eingeladen wurde und "
         "der Ausschuss beschlussfähig ist."),
        ("terhorst", "Die Verwaltung bittet, Tagesordnungspunkt 6, Änderung der "
         "Hundesteuersatzung, abzusetzen, weil der Städte- und Gemeindebund seine "
         "Mustersatzung überarbeitet. Ich sehe keinen Widerspruch, dann ist der Punkt "
         "abgesetzt."),
        (MARK, "1"),
        ("terhorst", "Ich rufe Tagesordnungspunkt 1 auf, Bericht zum Haushaltsvollzug zum "
         "30. Juni 2026. Frau Schulze Althoff, bitte."),
        ("schulze", "Die Gewerbesteuer liegt 1,3 Millionen Euro über dem Ansatz. Dagegen "
         "sind die Energiekosten um 12 Prozent gestiegen. Zum Jahresende erwarten wir ein "
         "Defizit von 2,8 Millionen Euro statt der geplanten 4,1 Millionen."),
        ("hoelscher", "Das ist erfreulich. Müssen wir trotzdem an die Ausgleichsrücklage "
         "gehen?"),
        ("schulze", "Ja, aber die Ausgleichsrücklage bleibt mit 6,5 Millionen Euro "
         "ausreichend hoch."),
        ("terhorst", "Danke. Der Ausschuss nimmt den Bericht zur Kenntnis."),
        (MARK, "2"),
        ("terhorst", "Wir kommen zu Punkt 2, Gebührenkalkulation Abwasser für 2027, Vorlage "
         "2026/156."),
        ("schulze", "Die Schmutzwassergebühr steigt von 2,85 auf 3,10 Euro je Kubikmeter. "
         "Grund sind die Investitionen in die Kläranlage Moorkamp. Für einen "
         "Vierpersonenhaushalt sind das etwa 40 Euro mehr im Jahr."),
        ("rensing", "Die Erhöhung ist unvermeidbar, die Kläranlage muss die neuen Grenzwerte "
         "einhalten. Die CDU trägt das mit."),
        ("boeckmann", "Wir stimmen auch zu. Wir bitten aber zu prüfen, ob die "
         "Niederschlagswassergebühr für Gründächer ermäßigt werden kann."),
        ("schulze", "Das prüfen wir bis zur Kalkulation für 2028."),
        ("terhorst", "Dann stimmen wir über die Empfehlung an den Rat ab. Wer ist dafür? "
         "Elf. Dagegen? Null. Enthaltungen? Null. Damit ist die Empfehlung einstimmig "
         "beschlossen."),
        (MARK, "3"),
        ("terhorst", "Punkt 3 der Tagesordnung, Zuschuss an den TuS Altenmoor für einen "
         "Kunstrasenplatz, Vorlage 2026/160. Herr Wessels."),
        ("wessels", "Ich bin Vorsitzender des TuS. Ich erkläre mich für befangen und nehme "
         "im Zuschauerraum Platz."),
        ("kemper", "Der Platz kostet 980.000 Euro. Der Verein beantragt 300.000 Euro von "
         "der Stadt, das Land gibt 400.000 Euro aus dem Sportstättenprogramm. Den Rest von "
         "280.000 Euro trägt der Verein selbst."),
        ("hoelscher", "Der TuS hat über 600 Kinder und Jugendliche. Das Geld ist gut "
         "angelegt, die SPD stimmt zu."),
        ("boeckmann", "Wir haben Bedenken wegen Mikroplastik. Wir bitten um eine Füllung aus "
         "Kork statt Gummigranulat."),
        ("kemper", "Der Verein plant bereits eine Korkfüllung, sie ist in den Kosten "
         "enthalten."),
        ("terhorst", "Dann lasse ich abstimmen. Wer dem Zuschuss zustimmt, bitte Handzeichen. "
         "Das sind acht. Gegenstimmen? Eine. Enthaltungen? Eine. Damit mehrheitlich "
         "beschlossen."),
        (MARK, "4"),
        ("terhorst", "Herr Wessels ist zurück. Tagesordnungspunkt 4, Antrag der Grünen auf "
         "einen Klimacheck für Beschlussvorlagen. Frau Böckmann, Sie haben das Wort."),
        ("boeckmann", "Jede Vorlage soll künftig angeben, wie sie sich auf das Klima "
         "auswirkt. Andere Städte machen das längst, und der Aufwand ist gering."),
        ("kemper", "Die Verwaltung schätzt den Aufwand auf eine halbe Stelle, also etwa "
         "40.000 Euro im Jahr."),
        ("rensing", "Das ist zu viel Bürokratie. Wir haben ein Klimaschutzkonzept mit 45 "
         "Maßnahmen, das sollten wir lieber umsetzen."),
        ("wessels", "Die FDP sieht das genauso und lehnt den Antrag ab."),
        ("terhorst", "Ich lasse über den Antrag abstimmen. Ich zähle vier Ja-Stimmen und "
         "sieben Nein-Stimmen, keine Enthaltung. Damit ist der Antrag abgelehnt."),
        (MARK, "5"),
        ("terhorst", "Tagesordnungspunkt 5, Anfrage der SPD-Fraktion zu den Kosten des "
         "Feuerwehrgerätehauses. Herr Hölscher."),
        ("hoelscher", "Im Frühjahr hieß es noch 4,2 Millionen Euro. Jetzt hören wir von "
         "deutlich höheren Kosten. Wie ist der aktuelle Stand?"),
        ("kemper", "Nach der Ausschreibung liegen wir bei 5,1 Millionen Euro, also rund "
         "21 Prozent mehr. Ursache sind vor allem die Preise für Stahl und Haustechnik. "
         "Fertig wird das Gebäude im Oktober 2027."),
        ("hoelscher", "Danke. Wir erwarten, dass der Ausschuss künftig vierteljährlich über "
         "die Kosten informiert wird."),
        ("terhorst", "Das sagen wir zu. Einen Beschluss fassen wir zu der Anfrage nicht."),
        (MARK, "7"),
        ("terhorst", "Wir kommen zum nichtöffentlichen Teil. Die Zuhörer bitte ich, den Raum "
         "zu verlassen. Punkt 7, Antrag auf Stundung von Gewerbesteuer."),
        ("schulze", "Ein Betrieb im Gewerbegebiet Moorkamp beantragt, Gewerbesteuer von "
         "186.000 Euro für zwölf Monate zu stunden. Wir schlagen eine Stundung mit vier "
         "Raten vor, verzinst mit 6 Prozent im Jahr."),
        ("wessels", "Ist der Betrieb nach den zwölf Monaten wieder stabil?"),
        ("schulze", "Nach den Unterlagen der Hausbank ja, die Auftragslage hat sich erholt."),
        ("terhorst", "Wer ist dafür? Handzeichen bitte. Danke. Gegenprobe? Keine. "
         "Enthaltungen? Eine. Damit ist die Stundung so beschlossen."),
        (MARK, "8"),
        ("terhorst", "Tagesordnungspunkt 8, Verkauf eines Gewerbegrundstücks im Gewerbegebiet "
         "Moorkamp. Herr Kemper."),
        ("kemper", "Eine Logistikfirma möchte 1,8 Hektar kaufen, zu 65 Euro je "
         "Quadratmeter. Das ergibt einen Kaufpreis von 1,17 Millionen Euro. Geplant sind "
         "25 Arbeitsplätze."),
        ("rensing", "Für eine so große Fläche sind 25 Arbeitsplätze zu wenig. Und wir "
         "bekommen jede Nacht Lastwagen durch die Ortsmitte."),
        ("hoelscher", "Es gibt noch drei Anfragen von Handwerksbetrieben für diese Fläche. "
         "Die sollten Vorrang haben."),
        ("wessels", "Die FDP würde verkaufen, jeder Arbeitsplatz zählt."),
        ("terhorst", "Dann stimmen wir ab. Wer ist für den Verkauf? Danke. Der Verkauf ist "
         "mit großer Mehrheit abgelehnt."),
        ("terhorst", "Damit sind wir am Ende. Ich schließe die Sitzung um 19:25 Uhr."),
    ),
    seed=20260922,
)

# ---- 4: Bau- und Umweltausschuss Felsheim (Rhineland-Palatinate) -----------------------

S4 = Session(
    key="s4_felsheim_bauausschuss",
    meeting={"body": "Bau- und Umweltausschuss der Stadt Felsheim",
             "session_number": "5/2027", "date": "2027-03-04",
             "place": "Großer Sitzungssaal, Rathaus Felsheim", "start_time": "18:00"},
    people=(
        Person("kessler", "Martina Kessler", "Ausschussvorsitzende", "SPD", "de1", 190, 55,
               chair=True),
        Person("bauer", "Wolfgang Bauer", "Ausschussmitglied", "CDU", "de6", 180, 38),
        Person("schaefer", "Nadine Schäfer", "Ausschussmitglied", "Bündnis 90/Die Grünen",
               "de5", 210, 60, -3.0),
        Person("dietz", "Heiko Dietz", "Ausschussmitglied", "Freie Wähler", "de2", 195, 44),
        Person("kraemer", "Oliver Krämer", "Ausschussmitglied", "FDP", "de4", 205, 52),
        Person("hartung", "Sven Hartung", "Bauamtsleiter", "", "de2", 185, 32, -2.0,
               administration=True),
        Person("brenner", "Julia Brenner", "Stadtplanerin, Planungsbüro", "", "de3", 195,
               50, administration=True),
        Person("hofmann", "Klaus Hofmann", "Ausschussmitglied", "CDU", "de4", 190, 45),
        Person("weber", "Andrea Weber", "Ausschussmitglied", "CDU", "de7", 190, 50),
        Person("schmitt", "Peter Schmitt", "Ausschussmitglied", "SPD", "de6", 190, 45),
        Person("becker", "Sandra Becker", "Ausschussmitglied", "SPD", "de3", 190, 50),
        Person("jung", "Markus Jung", "Ausschussmitglied", "Freie Wähler", "de2", 190, 45),
        Person("keller", "Ines Keller", "Ausschussmitglied", "Bündnis 90/Die Grünen", "de5",
               190, 50),
        Person("lenz", "Rudolf Lenz", "Ausschussmitglied", "CDU", "de4", 190, 45,
               absent=True),
    ),
    items=(
        ItemRef("1", "Bauantrag: Neubau eines Mehrfamilienhauses, Gartenstraße 14", "", True,
                "einstimmig beschlossen",
                facts=(("acht Wohnungen", "8 Wohnungen"), ("zwölf Stellplätze",
                       "12 Stellplätze"), ("Tiefgarage",), ("Linde",), ("Gartenstraße 14",)),
                note="'Das ist einstimmig so beschlossen', no counts"),
        ItemRef("2", "Bauantrag: Errichtung einer digitalen Werbetafel, Mainzer Straße", "",
                True, "abgelehnt", 3, 8, None,
                facts=(("9 Quadratmeter", "9 m²"), ("Mainzer Straße",), ("Schulstraße",),
                       ("Bushaltestelle",)),
                note="vote on granting the Einvernehmen fails; abstentions not asked"),
        ItemRef("3", "Bebauungsplan „Am Sonnenhang“: Abwägung und Satzungsbeschluss",
                "Vorlage 2027/024", True, "mehrheitlich beschlossen", None, 2, 0, 2,
                facts=(("28 Bauplätze",), ("14 Stellungnahmen",), ("Streuobstwiese",),
                       ("50 %",), ("2,3 Mio. €",)),
                note="two members befangen, named by the chair; 'Handzeichen ... "
                     "Gegenprobe? Das sind zwei. Enthaltungen? Keine.'"),
        ItemRef("4", "Vergabe der Straßenbauarbeiten in der Lindenallee", "Vorlage 2027/027",
                True, "beschlossen", None, 1, None,
                facts=(("742.000 €",), ("Weiland",), ("12. April",), ("drei Abschnitte",),
                       ("sechs Angebote",)),
                note="'bei einer Gegenstimme beschlossen'"),
        ItemRef("5", "Antrag der CDU-Fraktion: Änderung der Baumschutzsatzung",
                "Antrag 2027/019", True, "zurückgezogen",
                facts=(("60 Zentimeter",), ("100 Zentimeter",), ("Juni",), ("Obstbäume",),
                       ("Bauer",)),
                note="mover withdraws, the administration's own draft follows"),
        ItemRef("6", "Stellungnahme der Stadt zum Windpark „Felsheimer Höhe“",
                "Vorlage 2027/031", True, "geändert beschlossen", 9, 2, 0,
                facts=(("fünf Windenergieanlagen", "5 Windenergieanlagen"), ("261 Meter",),
                       ("1.150 Meter",), ("20 %",), ("180.000 €",), ("Schäfer",)),
                note="taken first, out of order ('Wir ziehen Tagesordnungspunkt 6 vor'); "
                     "amendment 6:4:1, final vote 9:2:0"),
        ItemRef("7", "Neugestaltung des Spielplatzes im Weiherpark", "Vorlage 2027/029",
                True, "vertagt",
                facts=(("120.000 €",), ("Kletterlandschaft",), ("Wasserspielanlage",),
                       ("Elternbeirat",), ("Dietz",)),
                note="announced by title only; deferral voted 'Das ist die große Mehrheit', "
                     "no counts"),
        ItemRef("8", "Mitteilungen des Bauamts", "", True, "zur Kenntnis genommen",
                facts=(("410.000 €",), ("35.000 €",), ("3. Mai",), ("Marktstraße",),
                       ("20. April",)),
                note="information, no vote"),
    ),
    vocabulary=(
        "Felsheim", "Oberfelsheim", "Felsheimer Höhe", "Felsbach", "Weiherpark",
        "Lindenallee", "Gartenstraße", "Mainzer Straße", "Schulstraße", "Marktstraße",
        "Kessler", "Bauer", "Schäfer", "Dietz", "Krämer", "Hartung", "Brenner", "Hofmann",
        "Lenz", "Weiland", "Windenergieanlagen", "Betreibergesellschaft", "Schwertransporte",
        "Kreisstraße", "Einvernehmen", "Tiefgarage", "Werbetafel", "Satzungsbeschluss",
        "Abwägung", "Dachneigung", "Photovoltaikpflicht", "Erschließungskosten",
        "Baumschutzsatzung", "Stammumfang", "Kletterlandschaft", "Wasserspielanlage",
        "Elternbeirat", "Anliegerversammlung",
    ),
    spoken={
        "2027/031": "zweitausendsiebenundzwanzig Strich null einunddreißig",
        "2027/024": "zweitausendsiebenundzwanzig Strich null vierundzwanzig",
        "1.150": "eintausendeinhundertfünfzig",
        "30.000": "dreißigtausend",
        "180.000": "hundertachtzigtausend",
        "742.000": "siebenhundertzweiundvierzigtausend",
        "12. April": "zwölften April",
        "120.000": "hundertzwanzigtausend",
        "410.000": "vierhundertzehntausend",
        "35.000": "fünfunddreißigtausend",
        "3. Mai": "dritten Mai",
        "20. April": "zwanzigsten April",
        "20:05 Uhr": "zwanzig Uhr fünf",
    },
    script=(
        ("kessler", "Guten Abend, ich eröffne die Sitzung des Bau- und Umweltausschusses. "
         "Die Einladung ist ordnungsgemäß erfolgt, wir sind beschlussfähig. Herr Lenz fehlt "
         "entschuldigt."),
        ("kessler", "Zur Tagesordnung: Wir ziehen Tagesordnungspunkt 6, den Windpark "
         "Felsheimer Höhe, vor, weil Frau Brenner vom Planungsbüro noch einen weiteren Termin "
         "hat. Gibt es dagegen Einwände? Das ist nicht der Fall."),
        (MARK, "6"),
        ("kessler", "Dann beginnen wir mit Tagesordnungspunkt 6, Stellungnahme der Stadt zum "
         "Windpark Felsheimer Höhe, Vorlage 2027/031. Frau Brenner, Sie haben das Wort."),
        ("brenner", "Der Betreiber plant fünf Windenergieanlagen mit je 7,2 Megawatt und "
         "einer Gesamthöhe von 261 Metern. Der Abstand zur nächsten Wohnbebauung in "
         "Oberfelsheim beträgt 1.150 Meter."),
        ("brenner", "Die Anlagen erzeugen Strom für rund 30.000 Haushalte. Die Stadt erhält "
         "nach dem Erneuerbare-Energien-Gesetz 0,2 Cent je Kilowattstunde, geschätzt "
         "180.000 Euro im Jahr."),
        ("schaefer", "Wir Grüne begrüßen das Projekt. Wir stellen aber einen Änderungsantrag: "
         "Die Stellungnahme soll fordern, dass sich Bürgerinnen und Bürger mit mindestens "
         "20 Prozent an der Betreibergesellschaft beteiligen können."),
        ("bauer", "Die CDU trägt die Stellungnahme mit. Den Änderungsantrag halten wir für "
         "unnötig, der Betreiber hat eine Beteiligung schon angekündigt."),
        ("dietz", "Für Oberfelsheim ist die Bauzeit das Problem. Die Schwertransporte dürfen "
         "nicht durch den Ortskern fahren."),
        ("hartung", "Die Zufahrt ist über die Kreisstraße von Süden geplant, nicht durch den "
         "Ortskern."),
        ("kessler", "Ich lasse zuerst über den Änderungsantrag von Frau Schäfer abstimmen. "
         "Wer ist dafür? Sechs. Wer ist dagegen? Vier. Enthaltungen? Eine. Der "
         "Änderungsantrag ist angenommen."),
        ("kessler", "Wer stimmt der so geänderten Stellungnahme zu? Das sind neun. Wer ist "
         "dagegen? Zwei. Enthaltungen? Keine. Damit ist die Stellungnahme in geänderter "
         "Fassung beschlossen."),
        (MARK, "1"),
        ("kessler", "Wir kommen zurück zu Tagesordnungspunkt 1, Bauantrag für ein "
         "Mehrfamilienhaus in der Gartenstraße 14, Herr Hartung, bitte."),
        ("hartung", "Geplant sind acht Wohnungen auf drei Geschossen und zwölf Stellplätze in "
         "einer Tiefgarage. Das Vorhaben fügt sich nach Paragraf 34 in die Umgebung ein. Wir "
         "empfehlen, das Einvernehmen zu erteilen."),
        ("kraemer", "Was wird aus der Linde an der Grundstücksgrenze? Sie ist über 80 Jahre "
         "alt."),
        ("hartung", "Die Linde bleibt erhalten, deshalb wurde die Zufahrt zur Tiefgarage auf "
         "die Ostseite verlegt."),
        ("kessler", "Dann lasse ich abstimmen. Wer ist dafür? Danke. Das ist einstimmig so "
         "beschlossen."),
        (MARK, "2"),
        ("kessler", "Punkt 2, Bauantrag für eine digitale Werbetafel an der Mainzer Straße."),
        ("hartung", "Die Tafel wäre 9 Quadratmeter groß und steht direkt an der Einmündung "
         "der Schulstraße. Wir sehen eine Gefahr durch Ablenkung und empfehlen, das "
         "Einvernehmen zu versagen."),
        ("kraemer", "Das ist ein Gewerbegebiet, da gehört Werbung dazu. Ich bin für die "
         "Erteilung."),
        ("schaefer", "Gegenüber ist die Bushaltestelle der Grundschule. Dort brauchen wir "
         "keine blinkende Werbung."),
        ("kessler", "Wer ist für die Erteilung des Einvernehmens? Das sind 3 Stimmen. "
         "Gegenstimmen? Acht. Damit ist der Antrag abgelehnt, das Einvernehmen wird "
         "versagt."),
        (MARK, "3"),
        ("kessler", "Tagesordnungspunkt 3, Bebauungsplan Am Sonnenhang, Abwägung und "
         "Satzungsbeschluss, Vorlage 2027/024. Herr Bauer und Herr Hofmann besitzen "
         "Grundstücke im Plangebiet. Sie sind befangen und nehmen an Beratung und "
         "Abstimmung nicht teil."),
        ("hartung", "Im Verfahren gingen 14 Stellungnahmen ein. Wir haben die Dachneigung "
         "freigegeben und die Zahl der Bauplätze von 32 auf 28 verringert, damit die "
         "Streuobstwiese im Norden erhalten bleibt."),
        ("schaefer", "Das ist ein guter Kompromiss. Wichtig ist uns die Pflicht zur "
         "Photovoltaik auf den Dächern."),
        ("hartung", "Die Photovoltaikpflicht steht in Paragraf 7 der textlichen "
         "Festsetzungen, mindestens 50 Prozent der Dachfläche."),
        ("dietz", "Wir stimmen nicht zu. Bei Erschließungskosten von 2,3 Millionen Euro sind "
         "28 Bauplätze zu wenig."),
        ("kessler", "Wer ist für den Satzungsbeschluss? Ich bitte um das Handzeichen. Danke. "
         "Gegenprobe? Das sind zwei. Enthaltungen? Keine. Damit mehrheitlich beschlossen."),
        (MARK, "4"),
        ("kessler", "Herr Bauer und Herr Hofmann sind wieder am Tisch. Wir kommen zu Punkt 4, "
         "Vergabe der Straßenbauarbeiten in der Lindenallee."),
        ("hartung", "Wir haben sechs Angebote erhalten. Günstigster Bieter ist die Firma "
         "Straßenbau Weiland mit 742.000 Euro. Die Arbeiten beginnen am 12. April und dauern "
         "bis Ende August."),
        ("bauer", "Die Anwohner haben Angst, dass sie monatelang nicht an ihre Häuser kommen. "
         "Wird in Abschnitten gebaut?"),
        ("hartung", "Ja, in drei Abschnitten. Jeder Anlieger kommt jederzeit zumindest zu Fuß "
         "an sein Grundstück."),
        ("kessler", "Dann stimmen wir ab. Bitte das Handzeichen. Danke. Das ist bei einer "
         "Gegenstimme beschlossen."),
        (MARK, "5"),
        ("kessler", "Punkt 5 der Tagesordnung, Antrag der CDU-Fraktion auf Änderung der "
         "Baumschutzsatzung. Herr Bauer."),
        ("bauer", "Heute braucht man für jeden Baum ab 60 Zentimetern Stammumfang eine "
         "Genehmigung. Wir wollten die Grenze auf 100 Zentimeter anheben."),
        ("hartung", "Die Verwaltung überarbeitet die Satzung ohnehin. Im Juni legen wir einen "
         "Entwurf vor, der auch Obstbäume ausnimmt."),
        ("bauer", "Dann ist unser Anliegen dort gut aufgehoben. Wir ziehen den Antrag zurück "
         "und bringen uns im Juni ein."),
        ("kessler", "Vielen Dank, Herr Bauer. Der Antrag ist zurückgezogen."),
        (MARK, "7"),
        ("kessler", "Wir kommen zur Neugestaltung des Spielplatzes im Weiherpark."),
        ("hartung", "Im Haushalt stehen 120.000 Euro. Der Entwurf sieht eine "
         "Kletterlandschaft, eine Wasserspielanlage und neue Bänke vor."),
        ("dietz", "Der Elternbeirat der Kita Weiherpark wurde noch nicht gefragt. Ich "
         "beantrage, den Punkt zu vertagen, bis die Eltern ihre Wünsche eingebracht haben."),
        ("schaefer", "Das unterstützen wir. Auch die Kinder selbst sollten beteiligt werden."),
        ("kessler", "Dann lasse ich über den Antrag von Herrn Dietz auf Vertagung abstimmen. "
         "Wer ist dafür? Das ist die große Mehrheit. Der Punkt ist vertagt."),
        (MARK, "8"),
        ("kessler", "Tagesordnungspunkt 8, Mitteilungen des Bauamts. Herr Hartung."),
        ("hartung", "Die Brücke über den Felsbach ist seit Montag wieder frei. Die Sanierung "
         "hat 410.000 Euro gekostet, 35.000 Euro weniger als geplant."),
        ("hartung", "Außerdem beginnt am 3. Mai der Glasfaserausbau in der Altstadt. Dafür "
         "wird die Marktstraße vier Wochen lang halbseitig gesperrt."),
        ("kraemer", "Werden die Geschäfte in der Marktstraße rechtzeitig informiert?"),
        ("hartung", "Ja, am 20. April gibt es eine Anliegerversammlung im Rathaus."),
        ("kessler", "Danke. Der Ausschuss nimmt die Mitteilungen zur Kenntnis."),
        ("kessler", "Damit ist die Tagesordnung erledigt. Ich schließe die Sitzung um "
         "20:05 Uhr."),
    ),
    seed=20270304,
)

# ---- 5: Schulausschuss Brunnstedt (North Rhine-Westphalia) -----------------------------

S5 = Session(
    key="s5_brunnstedt_schulausschuss",
    meeting={"body": "Schulausschuss der Stadt Brunnstedt", "session_number": "3/2027",
             "date": "2027-02-09", "place": "Sitzungssaal, Rathaus Brunnstedt",
             "start_time": "17:30"},
    people=(
        Person("hoffmann", "Birgit Hoffmann", "Ausschussvorsitzende", "SPD", "de7", 190, 48,
               chair=True),
        Person("moeller", "Karsten Möller", "Ratsherr", "CDU", "de4", 200, 46),
        Person("demir", "Elif Demir", "Sachkundige Bürgerin", "Bündnis 90/Die Grünen",
               "de3", 210, 58),
        Person("brinkmann", "Andreas Brinkmann", "Ratsherr", "FDP", "de6", 190, 38, -4.0),
        Person("wiegand", "Sabine Wiegand", "Schulleiterin der Gesamtschule am Stadtwald",
               "", "de1", 185, 55, administration=True),
        Person("reuter", "Thomas Reuter", "Fachbereichsleiter Schule und Sport", "", "de2",
               195, 42, administration=True),
        Person("schroeder", "Jürgen Schröder", "Ratsherr", "CDU", "de2", 190, 45),
        Person("kuhlmann", "Renate Kuhlmann", "Ratsfrau", "CDU", "de5", 190, 50),
        Person("stein", "Michael Stein", "Sachkundiger Bürger", "CDU", "de6", 190, 45),
        Person("yilmaz", "Derya Yilmaz", "Ratsfrau", "SPD", "de1", 190, 50),
        Person("pohlmann", "Frank Pohlmann", "Ratsherr", "SPD", "de4", 190, 45),
        Person("arndt", "Martina Arndt", "Sachkundige Bürgerin", "SPD", "de3", 190, 50),
        Person("vogt", "Christian Vogt", "Ratsherr", "Bündnis 90/Die Grünen", "de2", 190,
               45),
        Person("lorenz", "Heike Lorenz", "Ratsfrau", "Freie Wähler", "de5", 190, 50),
        Person("berg", "Thorsten Berg", "Ratsherr", "CDU", "de6", 190, 45, absent=True),
    ),
    items=(
        ItemRef("1", "Bericht zu den Anmeldezahlen für das Schuljahr 2027/28", "", True,
                "zur Kenntnis genommen",
                facts=(("386 Anmeldungen",), ("24 mehr",), ("41 Kinder",), ("Realschule",),
                       ("elf Kinder", "11 Kinder")),
                note="report, no vote"),
        ItemRef("2", "Erweiterung der Gesamtschule am Stadtwald auf fünf Züge",
                "Vorlage 2027/015", True, "einstimmig beschlossen", 12, 0, 0,
                facts=(("fünfte Eingangsklasse",), ("zwei zusätzliche Klassenräume",),
                       ("Pavillon",), ("260.000 €",)),
                note="'Das sind alle zwölf. Gegenstimmen und Enthaltungen sehe ich nicht.'"),
        ItemRef("3", "Ausbau des Offenen Ganztags an der Grundschule Kirchplatz",
                "Vorlage 2027/018", True, "geändert beschlossen", 12, 0, 0,
                facts=(("fünf statt vier Gruppen", "fünf Gruppen"), ("1,6 Mio. €",),
                       ("70 %",), ("240.000 €",), ("38 Kinder",), ("Möller",)),
                note="Änderungsantrag (10:0:2) then the amended proposal: 'zwölf "
                     "Ja-Stimmen ... Null ... Ebenfalls null', declared 'einstimmig'"),
        ItemRef("4", "Beschaffung von Tablets für die weiterführenden Schulen",
                "Vorlage 2027/020", True, "beschlossen", None, None, 2,
                facts=(("450 Tablets",), ("310.000 €",), ("90 %",), ("Digitalpakt",),
                       ("1. Mai",)),
                note="'bei zwei Enthaltungen beschlossen'; Gegenstimmen asked but no answer "
                     "said, so None"),
        ItemRef("5", "Antrag der FDP-Fraktion: Elternhaltestellen an allen Grundschulen",
                "Antrag 2027/009", True, "abgelehnt", 2, 9, 1,
                facts=(("Elternhaltestellen",), ("250 Meter",), ("8.000 €",),
                       ("sechs Grundschulen",), ("Brinkmann",)),
                note="'Zwei Stimmen ... Neun ... Wer enthält sich? Eine.'"),
        ItemRef("6", "Anfrage der Fraktion Bündnis 90/Die Grünen zur Mensa der Realschule",
                "", True, "ohne Beschluss",
                facts=(("180 Essen",), ("260 Schüler",), ("zweite Essensausgabe",),
                       ("20 Minuten",), ("März",)),
                note="Anfrage, answered; 'Zur Anfrage ist kein Beschluss zu fassen'"),
        ItemRef("7", "Verlängerung der Schulsozialarbeit", "Vorlage 2027/022", True,
                "abgesetzt", note="dropped in the opening, no mark"),
        ItemRef("8", "Vergabe der Mittagsverpflegung an den Grundschulen",
                "Vorlage 2027/023 N", False, "mehrheitlich beschlossen", 8, 2, 1, 1,
                facts=(("3,85 €",), ("60 %",), ("Ahlers",), ("drei Jahre",),
                       ("vier Firmen",)),
                note="non-public; member befangen (spouse works for a bidder)"),
    ),
    vocabulary=(
        "Brunnstedt", "Stadtwald", "Kirchplatz", "Hoffmann", "Möller", "Demir", "Brinkmann",
        "Wiegand", "Reuter", "Ahlers", "Anmeldezahlen", "Gesamtschule", "Realschule",
        "Eingangsklasse", "Pavillon", "Ganztag", "Ganztagsbetreuung", "Rechtsanspruch",
        "Hausmeisterhaus", "Tablets", "Digitalpakt", "Elternhaltestellen", "Mensa",
        "Essensausgabe", "Pausenzeiten", "Schulsozialarbeit", "Förderbescheid",
        "Mittagsverpflegung", "Frischküche",
    ),
    spoken={
        "17:30 Uhr": "siebzehn Uhr dreißig",
        "2027/28": "zweitausendsiebenundzwanzig achtundzwanzig",
        "2027/015": "zweitausendsiebenundzwanzig Strich null fünfzehn",
        "2027/018": "zweitausendsiebenundzwanzig Strich null achtzehn",
        "2027": "zweitausendsiebenundzwanzig",
        "260.000": "zweihundertsechzigtausend",
        "240.000": "zweihundertvierzigtausend",
        "310.000": "dreihundertzehntausend",
        "1. Mai": "ersten Mai",
        "8.000": "achttausend",
        "3,85 Euro": "drei Euro fünfundachtzig",
        "19:10 Uhr": "neunzehn Uhr zehn",
    },
    script=(
        ("hoffmann", "Guten Tag, meine Damen und Herren. Ich eröffne die Sitzung des "
         "Schulausschusses um 17:30 Uhr und begrüße besonders die Schulleitungen. Die "
         "Einladung ist fristgerecht zugegangen, der Ausschuss ist beschlussfähig."),
        ("hoffmann", "Tagesordnungspunkt 7, Verlängerung der Schulsozialarbeit, wird heute "
         "abgesetzt, weil der Förderbescheid des Landes noch nicht vorliegt. Herr Berg ist "
         "entschuldigt. Ist der Ausschuss mit der Tagesordnung einverstanden? Danke."),
        (MARK, "1"),
        ("hoffmann", "Ich rufe Tagesordnungspunkt 1 auf, Bericht zu den Anmeldezahlen für das "
         "Schuljahr 2027/28. Herr Reuter, bitte."),
        ("reuter", "An den Grundschulen haben wir 386 Anmeldungen, das sind 24 mehr als im "
         "Vorjahr. An der Gesamtschule am Stadtwald mussten wir 41 Kinder ablehnen."),
        ("moeller", "41 Ablehnungen sind zu viele. Wohin gehen diese Kinder jetzt?"),
        ("reuter", "Die meisten haben einen Platz an der Realschule Brunnstedt bekommen, "
         "elf Kinder gehen an Schulen in den Nachbarstädten."),
        ("hoffmann", "Danke für den Bericht. Der Ausschuss nimmt ihn zur Kenntnis."),
        (MARK, "2"),
        ("hoffmann", "Wir kommen zu Punkt 2, Erweiterung der Gesamtschule am Stadtwald auf "
         "fünf Züge, Vorlage 2027/015. Frau Wiegand."),
        ("wiegand", "Wir könnten ab dem Sommer eine fünfte Eingangsklasse bilden. Dafür "
         "brauchen wir zwei zusätzliche Klassenräume, die wir im Pavillon auf dem Schulhof "
         "einrichten können."),
        ("reuter", "Der Umbau des Pavillons kostet 260.000 Euro. Die zusätzlichen "
         "Lehrerstellen trägt das Land."),
        ("demir", "Das ist eine gute Lösung für die abgelehnten Kinder. Wir stimmen zu."),
        ("brinkmann", "Auch die FDP ist dafür. Mittelfristig brauchen wir aber einen Neubau."),
        ("hoffmann", "Wer stimmt der Erweiterung zu? Das sind alle zwölf. Gegenstimmen und "
         "Enthaltungen sehe ich nicht. Damit einstimmig beschlossen."),
        (MARK, "3"),
        ("hoffmann", "Tagesordnungspunkt 3, Ausbau des Offenen Ganztags an der Grundschule "
         "Kirchplatz, Vorlage 2027/018."),
        ("reuter", "Wegen des Rechtsanspruchs auf Ganztagsbetreuung planen wir ab August 2027 "
         "vier zusätzliche Gruppen mit je 25 Plätzen. Die Kosten liegen bei 1,6 Millionen "
         "Euro, davon fördert das Land 70 Prozent."),
        ("moeller", "Vier Gruppen reichen nicht, schon heute stehen 38 Kinder auf der "
         "Warteliste. Die CDU-Fraktion stellt den Änderungsantrag, fünf statt vier Gruppen "
         "einzurichten."),
        ("reuter", "Eine fünfte Gruppe kostet zusätzlich 240.000 Euro. Platz wäre im "
         "Erdgeschoss des alten Hausmeisterhauses."),
        ("demir", "Wir unterstützen den Änderungsantrag. Wichtig ist uns außerdem ein "
         "Mittagessen für höchstens 4 Euro."),
        ("hoffmann", "Zuerst stimmen wir über den Änderungsantrag von Herrn Möller ab, fünf "
         "statt vier Gruppen. Wer ist dafür? Zehn. Dagegen? Keiner. Enthaltungen? Zwei. Der "
         "Änderungsantrag ist angenommen."),
        ("hoffmann", "Nun der Beschlussvorschlag mit dieser Änderung. Das sind zwölf "
         "Ja-Stimmen. Nein-Stimmen? Null. Enthaltungen? Ebenfalls null. Damit ist die "
         "geänderte Vorlage einstimmig beschlossen."),
        (MARK, "4"),
        ("hoffmann", "Punkt 4 der Tagesordnung, Beschaffung von Tablets für die "
         "weiterführenden Schulen."),
        ("reuter", "Wir wollen 450 Tablets für die Jahrgänge 7 und 8 anschaffen. Mit Hüllen "
         "und Verwaltungssoftware kostet das 310.000 Euro, zu 90 Prozent aus dem "
         "Digitalpakt finanziert."),
        ("brinkmann", "Wer kümmert sich um die Wartung? Die Lehrkräfte können das nicht "
         "nebenbei machen."),
        ("reuter", "Wir stellen zum 1. Mai einen zweiten IT-Techniker für die Schulen ein."),
        ("demir", "Wir hätten uns eine Lösung mit gebrauchten Geräten gewünscht und "
         "enthalten uns."),
        ("hoffmann", "Wer stimmt zu? Danke. Gegenstimmen? Enthaltungen? Dann ist die "
         "Beschaffung bei zwei Enthaltungen beschlossen."),
        (MARK, "5"),
        ("hoffmann", "Wir kommen zu Tagesordnungspunkt 5, Antrag der FDP-Fraktion auf "
         "Elternhaltestellen an allen Grundschulen. Herr Brinkmann."),
        ("brinkmann", "Morgens herrscht vor den Grundschulen Chaos. Wir beantragen an allen "
         "sechs Grundschulen Elternhaltestellen in 250 Metern Entfernung. Das letzte Stück "
         "gehen die Kinder dann zu Fuß."),
        ("reuter", "Eine Haltestelle mit Markierung und Schildern kostet etwa 8.000 Euro. An "
         "drei Schulen fehlt dafür aber der Platz an der Straße."),
        ("moeller", "Wir sollten das an jeder Schule einzeln prüfen und nicht pauschal "
         "beschließen."),
        ("hoffmann", "Dann lasse ich über den Antrag abstimmen. Wer ist dafür? Zwei Stimmen. "
         "Wer ist dagegen? Neun. Wer enthält sich? Eine. Damit ist der Antrag abgelehnt."),
        (MARK, "6"),
        ("hoffmann", "Punkt 6, Anfrage der Grünen zur Mensa der Realschule. Frau Demir."),
        ("demir", "Eltern berichten, dass das Essen in der Mensa der Realschule oft nicht "
         "reicht und die Schlange bis zu 20 Minuten lang ist. Was tut die Stadt?"),
        ("reuter", "Die Mensa ist für 180 Essen ausgelegt, inzwischen essen dort täglich 260 "
         "Schülerinnen und Schüler. Ab März richten wir eine zweite Essensausgabe ein."),
        ("moeller", "Reicht das auf Dauer? Vielleicht braucht es versetzte Pausenzeiten."),
        ("hoffmann", "Die Anregung nehmen wir mit. Zur Anfrage ist kein Beschluss zu fassen, "
         "wir kommen im Mai darauf zurück."),
        (MARK, "8"),
        ("hoffmann", "Wir kommen zum nichtöffentlichen Teil der Sitzung. Ich bitte die "
         "Zuhörer, den Raum zu verlassen. Tagesordnungspunkt 8, Vergabe der "
         "Mittagsverpflegung an den Grundschulen."),
        ("moeller", "Meine Frau arbeitet bei einem der Bieter. Ich erkläre mich deshalb für "
         "befangen und verlasse den Sitzungstisch."),
        ("reuter", "Vier Firmen haben angeboten. Nach Preis und Qualität liegt die "
         "Frischküche Ahlers vorn, mit 3,85 Euro pro Essen und 60 Prozent Bio-Anteil. Der "
         "Vertrag läuft drei Jahre."),
        ("brinkmann", "Der Preis ist gut. Wie sieht es mit vegetarischem Essen aus?"),
        ("reuter", "Jeden Tag gibt es ein vegetarisches Gericht, zweimal pro Woche ist das "
         "ganze Menü vegetarisch."),
        ("demir", "Wir wünschen uns mehr regionale Produkte. Das Angebot ist ein Anfang, wir "
         "stimmen zu."),
        ("hoffmann", "Wer stimmt der Vergabe an die Frischküche Ahlers zu? Acht. Wer ist "
         "dagegen? Zwei. Enthaltungen? Eine. Mehrheitlich beschlossen, ein Mitglied war "
         "befangen."),
        ("hoffmann", "Damit sind wir am Ende der Tagesordnung. Ich schließe die Sitzung um "
         "19:10 Uhr."),
    ),
    seed=20270209,
)

# ---- 6: Ortschaftsrat Eichenau (Baden-Württemberg) -------------------------------------

S6 = Session(
    key="s6_eichenau_ortschaftsrat",
    meeting={"body": "Ortschaftsrat Eichenau", "session_number": "4/2026",
             "date": "2026-06-18", "place": "Sitzungsraum, Ortsverwaltung Eichenau",
             "start_time": "19:30"},
    people=(
        Person("schwab", "Rainer Schwab", "Ortsvorsteher", "CDU", "de2", 185, 40,
               chair=True),
        Person("maier", "Ingrid Maier", "Ortschaftsrätin", "Freie Wähler", "de5", 195, 52),
        Person("koch", "Daniel Koch", "Ortschaftsrat", "SPD", "de6", 205, 48, -3.0),
        Person("wolf", "Carina Wolf", "Ortschaftsrätin", "Bündnis 90/Die Grünen", "de1", 210,
               64),
        Person("rapp", "Helmut Rapp", "Ortschaftsrat", "CDU", "de4", 175, 34, -2.0),
        Person("kurz", "Verena Kurz", "Sachgebietsleiterin Tiefbau und Grünflächen", "",
               "de3", 190, 47, administration=True),
        Person("haug", "Gerhard Haug", "Ortschaftsrat", "CDU", "de2", 190, 45),
        Person("single", "Monika Single", "Ortschaftsrätin", "CDU", "de7", 190, 50),
        Person("eberle", "Tobias Eberle", "Ortschaftsrat", "Freie Wähler", "de6", 190, 45),
        Person("frank", "Sonja Frank", "Ortschaftsrätin", "SPD", "de3", 190, 50),
        Person("ruoff", "Klaus Ruoff", "Ortschaftsrat", "Freie Wähler", "de4", 190, 45),
        Person("buehler", "Petra Bühler", "Ortschaftsrätin", "CDU", "de5", 190, 50,
               absent=True),
    ),
    items=(
        ItemRef("1", "Bekanntgaben des Ortsvorstehers", "", True, "zur Kenntnis genommen",
                facts=(("1,25 Mio. €",), ("13. September",), ("2030",),
                       ("Kernzeitbetreuung",), ("Grundschule Eichenau",)),
                note="announcements of the chair, no vote"),
        ItemRef("2", "Neugestaltung des Dorfplatzes an der Kirche", "Vorlage 2026/077", True,
                "beschlossen", 7, 2, 1,
                facts=(("640.000 €",), ("60 %",), ("18 Parkplätze",), ("Brunnen",),
                       ("Schulhof",)),
                note="recommendation; questions without answers, then 'sieben Ja-Stimmen, "
                     "zwei Nein-Stimmen und eine Enthaltung ... beschlossen'"),
        ItemRef("3", "Anlage eines Urnengemeinschaftsgrabs auf dem Friedhof Eichenau",
                "Vorlage 2026/079", True, "einstimmig beschlossen", None, 0, 0,
                facts=(("48 Urnen",), ("38.000 €",), ("Blutbuche",), ("Stele",),
                       ("1.900 €",)),
                note="'Gegenstimmen? Keine. Enthaltungen? Auch keine.'"),
        ItemRef("4", "Zuschüsse an die örtlichen Vereine 2026", "Vorlage 2026/080", True,
                "einstimmig beschlossen", biased=2,
                facts=(("24.000 €",), ("9.000 €",), ("6.500 €",), ("3.000 €",),
                       ("5.500 €",), ("Jugendarbeit",)),
                note="the chair is befangen and hands over to his deputy, one more member "
                     "befangen; 'Das ist einstimmig', no counts"),
        ItemRef("5", "Antrag der SPD-Fraktion: Bushaltestelle im Neubaugebiet Hirschgrund",
                "Antrag 2026/071", True, "vertagt",
                facts=(("300 Menschen",), ("900 Meter",), ("45.000 €",), ("Linie 12",),
                       ("Oktobersitzung", "Oktober")),
                note="announced by title only; deferred by consent, no vote"),
        ItemRef("6", "Benennung der Straßen im zweiten Bauabschnitt Hirschgrund",
                "Vorlage 2026/082", True, "mehrheitlich beschlossen", 6, 3, 1,
                facts=(("Am Eichenhain",), ("Rehpfad",), ("Wiesengrund",), ("Wolf",),
                       ("Gerber",)),
                note="'Das sind 6 Stimmen. Dagegen? Drei. Enthaltungen? Eine.'"),
        ItemRef("7", "Verschiedenes und Anfragen", "", True, "ohne Beschluss",
                facts=(("Feldweg",), ("Starkregen",), ("Schotter",), ("70.000 €",),
                       ("Eichbuckel",)),
                note="questions, no decision"),
        ItemRef("8", "Verpachtung der Gaststätte in der Festhalle", "Vorlage 2026/084 N",
                False, "abgelehnt", 3, 6, 1,
                facts=(("900 €",), ("1. Januar 2027",), ("drei Tage",), ("Festhalle",)),
                note="non-public; 'mit 3 zu 6 Stimmen bei einer Enthaltung abgelehnt'"),
    ),
    vocabulary=(
        "Eichenau", "Hirschgrund", "Eichenhain", "Rehpfad", "Wiesengrund", "Eichbuckel",
        "Lindenhof", "Festhalle", "Schwab", "Maier", "Koch", "Wolf", "Rapp", "Kurz",
        "Bühler", "Gerber", "Ortsvorsteher", "Ortschaftsrat", "Ortsdurchfahrt", "Kirchweih",
        "Kernzeitbetreuung", "Landessanierungsprogramm", "Urnengemeinschaftsgrab",
        "Blutbuche", "Stele", "Musikverein", "Kassier", "Verkehrsverbund", "Ortschronik",
        "Flurnamen", "Aussiedlerhof", "Obst- und Gartenbauverein", "Monatspacht",
    ),
    spoken={
        "19:30 Uhr": "neunzehn Uhr dreißig",
        "12. und 13. September": "zwölften und dreizehnten September",
        "2026/077": "zweitausendsechsundzwanzig Strich null siebenundsiebzig",
        "1. Januar 2027": "ersten Januar zweitausendsiebenundzwanzig",
        "2026": "zweitausendsechsundzwanzig",
        "2030": "zweitausenddreißig",
        "640.000": "sechshundertvierzigtausend",
        "38.000": "achtunddreißigtausend",
        "1.900": "eintausendneunhundert",
        "24.000": "vierundzwanzigtausend",
        "9.000": "neuntausend",
        "6.500": "sechstausendfünfhundert",
        "3.000": "dreitausend",
        "5.500": "fünftausendfünfhundert",
        "45.000": "fünfundvierzigtausend",
        "70.000": "siebzigtausend",
        "21:35 Uhr": "einundzwanzig Uhr fünfunddreißig",
    },
    script=(
        ("schwab", "Guten Abend zusammen. Ich eröffne um 19:30 Uhr die öffentliche Sitzung "
         "des Ortschaftsrats Eichenau. Die Einladung ist fristgerecht erfolgt, wir sind "
         "beschlussfähig. Frau Bühler ist heute beruflich verhindert."),
        (MARK, "1"),
        ("schwab", "Tagesordnungspunkt 1, Bekanntgaben. Die Sanierung der Ortsdurchfahrt ist "
         "abgeschlossen, die Kosten lagen mit 1,25 Millionen Euro im Rahmen. Die Kirchweih "
         "findet am 12. und 13. September statt."),
        ("schwab", "Außerdem hat der Gemeinderat unserem Wunsch entsprochen: Die Grundschule "
         "Eichenau bleibt bis mindestens 2030 eigenständig."),
        ("rapp", "Das ist eine sehr gute Nachricht für Eichenau. Gilt das auch für die "
         "Kernzeitbetreuung?"),
        ("schwab", "Ja, die Kernzeitbetreuung bleibt im bisherigen Umfang erhalten. Der "
         "Ortschaftsrat nimmt die Bekanntgaben zur Kenntnis."),
        (MARK, "2"),
        ("schwab", "Wir kommen zu Punkt 2, Neugestaltung des Dorfplatzes an der Kirche, "
         "Vorlage 2026/077. Wir geben dazu eine Empfehlung an den Gemeinderat ab. Frau "
         "Kurz, bitte."),
        ("kurz", "Der Entwurf sieht eine Pflasterfläche mit sechs neuen Linden vor, einen "
         "Brunnen und 18 Parkplätze am Rand. Die Kosten betragen 640.000 Euro, das "
         "Landessanierungsprogramm übernimmt 60 Prozent."),
        ("maier", "Heute parken dort 30 Autos. Wenn nur 18 Parkplätze bleiben, wissen die "
         "Kirchgänger am Sonntag nicht, wohin."),
        ("wolf", "Endlich wird der Platz ein Treffpunkt und nicht nur ein Parkplatz. Wir "
         "Grünen stimmen zu."),
        ("kurz", "Am Sonntag kann der Schulhof gegenüber als Parkplatz dienen, dort gibt es "
         "25 Stellplätze."),
        ("schwab", "Dann lasse ich abstimmen. Wer ist für die Empfehlung? Wer ist dagegen? "
         "Wer enthält sich? Ich stelle fest: sieben Ja-Stimmen, zwei Nein-Stimmen und eine "
         "Enthaltung. Damit ist die Empfehlung beschlossen."),
        (MARK, "3"),
        ("schwab", "Punkt 3 der Tagesordnung, Anlage eines Urnengemeinschaftsgrabs auf dem "
         "Friedhof Eichenau."),
        ("kurz", "Immer mehr Angehörige wünschen sich eine pflegefreie Bestattung. Wir "
         "schlagen ein Gemeinschaftsfeld unter der alten Blutbuche vor, mit Platz für 48 "
         "Urnen. Die Kosten liegen bei 38.000 Euro."),
        ("rapp", "Die Namen der Verstorbenen sollten auf einer gemeinsamen Stele stehen. Das "
         "ist vielen Familien wichtig."),
        ("kurz", "Das ist so vorgesehen. Die Grabgebühr würde 1.900 Euro für 20 Jahre "
         "betragen, die Pflege eingeschlossen."),
        ("schwab", "Gibt es weitere Wortmeldungen? Dann stimmen wir ab. Wer ist dafür? "
         "Gegenstimmen? Keine. Enthaltungen? Auch keine. Damit einstimmig beschlossen."),
        (MARK, "4"),
        ("schwab", "Tagesordnungspunkt 4, Zuschüsse an die Eichenauer Vereine. Ich bin "
         "Vorsitzender des Musikvereins und damit befangen. Frau Maier übernimmt als meine "
         "Stellvertreterin die Sitzungsleitung."),
        ("koch", "Ich bin Kassier des Sportvereins und erkläre mich ebenfalls für befangen. "
         "Ich setze mich in den Zuschauerraum."),
        ("maier", "Für 2026 stehen 24.000 Euro zur Verfügung. Der Sportverein erhält "
         "9.000 Euro, der Musikverein 6.500 Euro und die Jugendfeuerwehr 3.000 Euro. Die "
         "übrigen 5.500 Euro gehen an die kleineren Vereine."),
        ("wolf", "Wir würden die Jugendarbeit gern stärker gewichten. Für dieses Jahr passt "
         "die Verteilung aber."),
        ("maier", "Dann stimmen wir ab. Wer ist für die Verteilung? Danke. Das ist "
         "einstimmig. Herr Schwab übernimmt wieder die Sitzungsleitung."),
        (MARK, "5"),
        ("schwab", "Wir kommen zum Antrag der SPD-Fraktion auf eine Bushaltestelle im "
         "Neubaugebiet Hirschgrund. Herr Koch, bitte."),
        ("koch", "Im Hirschgrund wohnen inzwischen über 300 Menschen. Bis zur nächsten "
         "Haltestelle sind es fast 900 Meter, für ältere Menschen und Schulkinder ist das zu "
         "weit."),
        ("kurz", "Eine barrierefreie Haltestelle kostet etwa 45.000 Euro. Ob die Linie 12 "
         "dort halten kann, entscheidet der Verkehrsverbund aber erst mit dem neuen Fahrplan "
         "im Herbst."),
        ("rapp", "Dann sollten wir den Fahrplan abwarten. Sonst bauen wir eine Haltestelle, "
         "an der kein Bus hält."),
        ("koch", "Das ist ein Argument. Ich bin mit einer Vertagung auf die Oktobersitzung "
         "einverstanden."),
        ("schwab", "Dann ist der Punkt im allseitigen Einvernehmen vertagt."),
        (MARK, "6"),
        ("schwab", "Tagesordnungspunkt 6, Straßennamen im zweiten Bauabschnitt Hirschgrund."),
        ("wolf", "Wir schlagen vor, an die alten Flurnamen anzuknüpfen: Am Eichenhain, "
         "Rehpfad und Wiesengrund."),
        ("maier", "Die Freien Wähler möchten eine Straße nach dem früheren Dorfschullehrer "
         "Anton Gerber benennen. Er hat unsere Ortschronik geschrieben."),
        ("rapp", "Personennamen führen oft zu Streit. Ich bin für die Flurnamen."),
        ("schwab", "Ich lasse über den Vorschlag von Frau Wolf abstimmen. Wer ist dafür? Das "
         "sind 6 Stimmen. Dagegen? Drei. Enthaltungen? Eine. Damit mehrheitlich "
         "beschlossen."),
        (MARK, "7"),
        ("schwab", "Punkt 7, Verschiedenes und Anfragen aus dem Ortschaftsrat."),
        ("rapp", "Der Feldweg zum Aussiedlerhof Lindenhof ist seit dem Starkregen im Mai "
         "stark ausgespült. Wann wird er repariert?"),
        ("kurz", "Der Bauhof füllt die Löcher in der übernächsten Woche mit Schotter auf. "
         "Eine Asphaltdecke würde rund 70.000 Euro kosten, dafür gibt es dieses Jahr kein "
         "Geld."),
        ("wolf", "Die Bank am Aussichtspunkt Eichbuckel ist kaputt. Könnte der Obst- und "
         "Gartenbauverein eine neue spenden?"),
        ("schwab", "Ich frage beim Verein nach. Ein Beschluss ist zu diesen Punkten nicht "
         "erforderlich."),
        (MARK, "8"),
        ("schwab", "Ich schließe den öffentlichen Teil und bitte die Zuhörer, den Saal zu "
         "verlassen. Tagesordnungspunkt 8, Verpachtung der Gaststätte in der Festhalle."),
        ("kurz", "Es gibt einen Bewerber, der die Gaststätte ab 1. Januar 2027 für 900 Euro "
         "Monatspacht übernehmen will. Er möchte aber nur an drei Tagen in der Woche "
         "öffnen."),
        ("maier", "Drei Tage sind zu wenig. Die Vereine brauchen die Gaststätte auch bei "
         "ihren Veranstaltungen am Wochenende."),
        ("koch", "Lieber ein Pächter an drei Tagen als eine leere Gaststätte."),
        ("schwab", "Wer ist für die Verpachtung? Dagegen? Enthaltungen? Danke. Die "
         "Verpachtung ist mit 3 zu 6 Stimmen bei einer Enthaltung abgelehnt. Die Verwaltung "
         "schreibt die Gaststätte neu aus."),
        ("schwab", "Vielen Dank für die Mitarbeit. Ich schließe die Sitzung um 21:35 Uhr."),
    ),
    seed=20260618,
)
# fmt: on

SESSIONS: tuple[Session, ...] = (S1, S2, S3, S4, S5, S6)
