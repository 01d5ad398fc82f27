"""The minutes benchmark's held-out split: three council sessions written after the rules.

`bench/minutes_sessions.py` holds the six development sessions (S1-S6); they were used
while the rules of `protokoll/minutes/` were written and fixed, so their figures are not
held out. The three sessions here were written afterwards, without reading the rules,
in the wording other municipalities use: a committee of a Kreistag in Lower Saxony
(H1), the Gemeindevertretung of a small municipality in Schleswig-Holstein (H2) and a
Stadtrat in Thuringia with its own chairman (H3). They follow the script and reference
conventions of `bench/minutes_sessions.py` (same dataclasses, same helpers) and cover
every result of `protokoll.domain.minutes.RESULTS` between them, with counts said in
words and as summaries, "einstimmig", "bei zwei Enthaltungen", "mit großer Mehrheit",
Befangenheit declared by the member and by the chair for two members, amendments voted
before the final vote, reports taken note of, an item dropped at the start, items
deferred (once without and once with a counted vote), a withdrawn motion, an item taken
out of order and items called by their title only.

    python bench/minutes.py --split heldout --rules-only
"""

from __future__ import annotations

from bench.minutes_sessions import MARK, ItemRef, Person, Session

# fmt: off
# ---- H1: Umweltausschuss des Kreistages Auenfeld (Lower Saxony) ------------------------

H1 = Session(
    key="h1_auenfeld_umweltausschuss",
    meeting={"body": "Ausschuss für Umwelt, Klima und Mobilität des Kreistages Auenfeld",
             "session_number": "12/2026", "date": "2026-11-18",
             "place": "Kreishaus Auenfeld, großer Sitzungssaal", "start_time": "16:00"},
    people=(
        Person("tammen", "Hinrich Tammen", "Ausschussvorsitzender", "CDU", "de2", 185, 42,
               chair=True),
        Person("ohlsen", "Wiebke Ohlsen", "Kreistagsabgeordnete", "Bündnis 90/Die Grünen",
               "de1", 200, 58),
        Person("brueggemann", "Dirk Brüggemann", "Kreistagsabgeordneter", "SPD", "de6",
               195, 38, -3.0),
        Person("kuhlmann", "Imke Kuhlmann", "Kreistagsabgeordnete", "FDP", "de7", 205, 55),
        Person("harms", "Jürgen Harms", "Kreistagsabgeordneter", "CDU", "de4", 180, 45),
        Person("meinders", "Dr. Kerstin Meinders", "Erste Kreisrätin", "", "de3", 190, 47,
               administration=True),
        Person("schoon", "Arne Schoon", "Fachdienstleiter Straßenbau und Verkehr", "",
               "de2", 175, 30, -2.0, administration=True),
        Person("rolfs", "Gerd Rolfs", "Kreistagsabgeordneter", "CDU", "de4", 190, 45),
        Person("wuebbena", "Anke Wübbena", "Kreistagsabgeordnete", "CDU", "de5", 190, 50),
        Person("lueken", "Bernd Lüken", "Kreistagsabgeordneter", "CDU", "de6", 190, 45),
        Person("addicks", "Sönke Addicks", "Kreistagsabgeordneter", "CDU", "de2", 190, 45),
        Person("janssen", "Heike Janssen", "Kreistagsabgeordnete", "SPD", "de3", 190, 50),
        Person("eilers", "Tobias Eilers", "Kreistagsabgeordneter", "SPD", "de4", 190, 45),
        Person("poppen", "Manfred Poppen", "Kreistagsabgeordneter", "SPD", "de6", 190, 45),
        Person("stuehrenberg", "Lena Stührenberg", "Kreistagsabgeordnete",
               "Bündnis 90/Die Grünen", "de1", 190, 50),
        Person("hinrichs", "Claus Hinrichs", "Kreistagsabgeordneter", "Freie Wähler", "de2",
               190, 45),
        Person("daehlmann", "Frauke Dählmann", "Kreistagsabgeordnete", "Die Linke", "de7",
               190, 50),
        Person("gerdes", "Marlies Gerdes", "Kreistagsabgeordnete", "CDU", "de5", 190, 50,
               absent=True),
    ),
    items=(
        ItemRef("1", "Genehmigung der Niederschrift über die Sitzung vom 16. September 2026",
                "", True, "beschlossen", None, 0, 2,
                facts=(("16. September 2026",), ("Seite 4",),
                       ("2,3 Mio. €", "2,3 Millionen Euro"), ("Schülerverkehr",)),
                note="correction asked; 'Gegenstimmen sehe ich keine. Enthaltungen? Zwei.' "
                     "and 'bei zwei Enthaltungen genehmigt'"),
        ItemRef("2", "Sachstandsbericht zum Nahverkehrsplan", "", True,
                "zur Kenntnis genommen",
                facts=(("23 %", "23 Prozent"), ("1.900 Fahrgäste",), ("410.000 €",),
                       ("Sielhafen",), ("Dezember 2027",)),
                note="report by the administration; 'Der Ausschuss nimmt den Bericht zur "
                     "Kenntnis'"),
        ItemRef("3", "Fortschreibung des Radverkehrskonzepts des Landkreises",
                "Drucksache 143/2026", True, "geändert beschlossen", 13, 0, 2,
                facts=(("38 Kilometer", "38 km"), ("500.000 €",), ("Lindhorst",),
                       ("Ohlsen",), ("2032",)),
                note="amendment moved, changed in debate and adopted 9:6 (no abstentions "
                     "asked); final vote 'Dreizehn. Gegenstimmen? Keine. Enthaltungen? "
                     "Zwei.'"),
        ItemRef("4", "Ausbau der Kreisstraße 12 in der Ortsdurchfahrt Bredendorf",
                "Drucksache 151/2026", True, "mehrheitlich beschlossen", biased=1,
                facts=(("1,2 Kilometern", "1,2 km"), ("2,8 Mio. €",), ("Moordeich",),
                       ("Gehweg",), ("Oktober 2027",)),
                note="called by title only; member declares himself befangen as Anlieger; "
                     "'Gegenprobe. Enthaltungen. ... mit großer Mehrheit so beschlossen'"),
        ItemRef("5", "Antrag der FDP-Fraktion: Carsharing in den kreisangehörigen Gemeinden",
                "Antrag 148/2026", True, "abgelehnt", 4, 9, 2,
                facts=(("Carsharing",), ("zehn Bahnhöfen", "10 Bahnhöfen"), ("Oldenburg",),
                       ("90.000 €",), ("Kuhlmann",)),
                note="counts as a summary after the call for hands: 'vier Ja-Stimmen, neun "
                     "Nein-Stimmen und zwei Enthaltungen'"),
        ItemRef("6", "Standortentscheidung für den Wertstoffhof Nord", "Drucksache 152/2026",
                True, "abgesetzt",
                note="dropped in the opening: 'hat darum gebeten, Punkt 6 ... abzusetzen'"),
        ItemRef("7", "Mitteilungen der Verwaltung und Anfragen", "", True, "ohne Beschluss",
                facts=(("Sielhafen",), ("neun junge Linden", "neun Linden", "9 Linden"),
                       ("vier Ladesäulen", "4 Ladesäulen"), ("Photovoltaik",)),
                note="questions answered; 'Beschlüsse sind hier nicht zu fassen'; the "
                     "session closes in this item"),
    ),
    vocabulary=(
        "Auenfeld", "Sielhafen", "Lindhorst", "Bredendorf", "Moordeich", "Oldenburg",
        "Tammen", "Ohlsen", "Brüggemann", "Kuhlmann", "Harms", "Meinders", "Schoon",
        "Gerdes", "Nahverkehrsplan", "Anrufsammeltaxi", "Radverkehrskonzept",
        "Ortsdurchfahrt", "Carsharing", "Wertstoffhof", "Ladesäulen", "Photovoltaik",
    ),
    spoken={
        "12. Sitzung": "zwölfte Sitzung",
        "16. September 2026": "sechzehnten September zweitausendsechsundzwanzig",
        "143/2026": "hundertdreiundvierzig Strich zweitausendsechsundzwanzig",
        "151/2026": "hunderteinundfünfzig Strich zweitausendsechsundzwanzig",
        "17:45 Uhr": "siebzehn Uhr fünfundvierzig",
        "2027": "zweitausendsiebenundzwanzig",
        "2032": "zweitausendzweiunddreißig",
        "1.900": "neunzehnhundert",
        "410.000": "vierhundertzehntausend",
        "400.000": "vierhunderttausend",
        "500.000": "fünfhunderttausend",
        "600.000": "sechshunderttausend",
        "90.000": "neunzigtausend",
    },
    script=(
        ("tammen", "Guten Tag, meine Damen und Herren. Ich eröffne die 12. Sitzung des "
         "Ausschusses für Umwelt, Klima und Mobilität. Die Einladung ist form- und "
         "fristgerecht ergangen, der Ausschuss ist beschlussfähig. Frau Gerdes hat sich "
         "entschuldigt."),
        ("tammen", "Zur Tagesordnung: Die Verwaltung hat darum gebeten, Punkt 6, den "
         "Standort des Wertstoffhofs Nord, abzusetzen, weil das Bodengutachten noch fehlt. "
         "Gibt es Wortmeldungen dazu? Nein. Dann ist die Tagesordnung so festgestellt."),
        (MARK, "1"),
        ("tammen", "Wir beginnen mit Punkt 1, der Niederschrift über die Sitzung vom "
         "16. September 2026. Gibt es Änderungswünsche?"),
        ("kuhlmann", "Ja. Auf Seite 4 fehlt mein Hinweis zum Schülerverkehr. Bitte ergänzen "
         "Sie, dass ich nach den 2,3 Millionen Euro für den Schülerverkehr gefragt habe."),
        ("meinders", "Das nehmen wir so auf."),
        ("tammen", "Dann stimmen wir über die Niederschrift mit dieser Ergänzung ab. Wer ist "
         "dafür? Gegenstimmen sehe ich keine. Enthaltungen? Zwei. Damit ist die Niederschrift "
         "bei zwei Enthaltungen genehmigt."),
        (MARK, "2"),
        ("tammen", "Punkt 2, der Sachstandsbericht zum Nahverkehrsplan. Frau Doktor "
         "Meinders, bitte."),
        ("meinders", "Seit dem Fahrplanwechsel im August fahren die Regionalbusse zwischen "
         "Auenfeld und Sielhafen im Stundentakt. Die Fahrgastzahlen sind auf dieser Linie um "
         "23 Prozent gestiegen."),
        ("meinders", "Das Anrufsammeltaxi nutzen inzwischen rund 1.900 Fahrgäste im Monat. "
         "Der Landkreis trägt dafür ein Defizit von 410.000 Euro im Jahr."),
        ("ohlsen", "Das ist eine gute Entwicklung. Wann kommen die Dörfer südlich der Aue an "
         "den Stundentakt?"),
        ("meinders", "Das ist für den Fahrplanwechsel im Dezember 2027 vorgesehen, wenn der "
         "neue Verkehrsvertrag beginnt."),
        ("tammen", "Vielen Dank. Der Ausschuss nimmt den Bericht zur Kenntnis."),
        (MARK, "3"),
        ("tammen", "Wir kommen zu Punkt 3, Fortschreibung des Radverkehrskonzepts, "
         "Drucksache 143/2026. Herr Schoon stellt die Vorlage vor."),
        ("schoon", "Das Konzept sieht 38 Kilometer neue Radwege an Kreisstraßen bis 2032 vor. "
         "Die Verwaltung schlägt dafür jedes Jahr 400.000 Euro im Kreishaushalt vor."),
        ("ohlsen", "Mit diesem Betrag brauchen wir dreißig Jahre. Wir Grünen beantragen, den "
         "Ansatz auf 600.000 Euro im Jahr zu erhöhen und die Strecke nach Lindhorst "
         "vorzuziehen."),
        ("harms", "600.000 Euro sind im Haushalt nicht gedeckt. Die CDU kann sich "
         "500.000 Euro vorstellen, mehr nicht."),
        ("ohlsen", "Dann ändere ich unseren Antrag auf 500.000 Euro, Lindhorst bleibt "
         "vorne."),
        ("tammen", "Dann stimmen wir zuerst über den Änderungsantrag von Frau Ohlsen ab, "
         "500.000 Euro im Jahr und Lindhorst zuerst. Wer ist dafür? Neun. Wer ist dagegen? "
         "Sechs. Damit ist die Änderung angenommen."),
        ("tammen", "Nun zur Vorlage mit der eben beschlossenen Änderung. Wer stimmt zu? "
         "Dreizehn. Gegenstimmen? Keine. Enthaltungen? Zwei. Damit ist das "
         "Radverkehrskonzept in geänderter Fassung beschlossen."),
        (MARK, "4"),
        ("tammen", "Ausbau der Kreisstraße 12 in der Ortsdurchfahrt Bredendorf, Drucksache "
         "151/2026."),
        ("harms", "Ich wohne an der Kreisstraße in Bredendorf und bin Anlieger. Ich bin "
         "deshalb befangen und nehme an Beratung und Abstimmung nicht teil."),
        ("schoon", "Die Fahrbahn ist auf 1,2 Kilometern stark beschädigt. Wir wollen sie "
         "erneuern und auf der Westseite einen Gehweg anlegen. Die Kosten liegen bei "
         "2,8 Millionen Euro."),
        ("brueggemann", "Die SPD begrüßt den Gehweg, die Kinder laufen dort heute auf der "
         "Fahrbahn zur Bushaltestelle. Wie lange ist die Straße gesperrt?"),
        ("schoon", "Wir bauen in zwei Abschnitten von April bis Oktober 2027. Die Umleitung "
         "führt über Moordeich."),
        ("tammen", "Dann lasse ich abstimmen. Wer dem Ausbau zustimmt, den bitte ich um das "
         "Handzeichen. Gegenprobe. Enthaltungen. Das ist mit großer Mehrheit so "
         "beschlossen."),
        (MARK, "5"),
        ("tammen", "Herr Harms ist wieder bei uns. Punkt 5, Antrag der FDP-Fraktion zum "
         "Carsharing in den Gemeinden. Frau Kuhlmann."),
        ("kuhlmann", "Wir beantragen, dass der Landkreis ein Carsharing mit Elektroautos an "
         "zehn Bahnhöfen und Rathäusern anschiebt. Ein Anbieter aus Oldenburg würde das für "
         "90.000 Euro Anschubfinanzierung übernehmen."),
        ("brueggemann", "Die Idee ist sympathisch, aber Carsharing ist Sache der Gemeinden. "
         "Der Kreis sollte zuerst die Busse verbessern."),
        ("meinders", "Dazu kommt, dass der Haushalt 2027 für neue freiwillige Leistungen "
         "keinen Spielraum lässt."),
        ("tammen", "Wer dem Antrag zustimmen möchte, hebe bitte die Hand. Das sind vier "
         "Ja-Stimmen, neun Nein-Stimmen und zwei Enthaltungen. Der Antrag ist abgelehnt."),
        (MARK, "7"),
        ("tammen", "Dann Tagesordnungspunkt 7, Mitteilungen der Verwaltung und Anfragen. Frau "
         "Ohlsen, bitte."),
        ("ohlsen", "An der Kreisstraße bei Sielhafen sind im Oktober drei Bäume gefällt "
         "worden. Warum, und wird nachgepflanzt?"),
        ("schoon", "Die Bäume waren nach dem Sturm nicht mehr standsicher. Wir pflanzen im "
         "März neun junge Linden als Ersatz."),
        ("brueggemann", "Wie weit sind die Ladesäulen am Kreishaus?"),
        ("meinders", "Die vier Ladesäulen gehen im Januar in Betrieb. Der Strom kommt aus der "
         "Photovoltaik auf dem Dach des Kreishauses."),
        ("tammen", "Weitere Anfragen gibt es nicht, Beschlüsse sind hier nicht zu fassen. Ich "
         "danke Ihnen und schließe die Sitzung um 17:45 Uhr."),
    ),
    seed=20261118,
)

# ---- H2: Gemeindevertretung Süderlund (Schleswig-Holstein) ----------------------------

H2 = Session(
    key="h2_suederlund_gemeindevertretung",
    meeting={"body": "Gemeindevertretung der Gemeinde Süderlund", "session_number": "2/2027",
             "date": "2027-03-11", "place": "Dörpshus Süderlund", "start_time": "19:30"},
    people=(
        Person("petersen", "Hauke Petersen", "Bürgermeister", "Wählergemeinschaft Süderlund",
               "de6", 180, 36, chair=True),
        Person("carstensen", "Telse Carstensen", "Gemeindevertreterin", "CDU", "de5", 200,
               56),
        Person("jessen", "Nils Jessen", "Gemeindevertreter", "Wählergemeinschaft Süderlund",
               "de4", 195, 48),
        Person("thomsen", "Birte Thomsen", "Gemeindevertreterin", "SPD", "de3", 205, 52,
               -2.0),
        Person("hansen", "Ove Hansen", "Gemeindevertreter", "CDU", "de2", 190, 40),
        Person("asmussen", "Kirsten Asmussen", "Sachbearbeiterin des Amtes Geestland", "",
               "de7", 190, 50, administration=True),
        Person("lorenzen", "Gesa Lorenzen", "Einwohnerin", "", "de1", 185, 60, -4.0,
               administration=True),
        Person("paulsen", "Jens Paulsen", "Gemeindevertreter", "CDU", "de2", 190, 45),
        Person("ketelsen", "Maren Ketelsen", "Gemeindevertreterin",
               "Wählergemeinschaft Süderlund", "de5", 190, 50),
        Person("nissen", "Sönke Nissen", "Gemeindevertreter", "Wählergemeinschaft Süderlund",
               "de6", 190, 45),
        Person("clausen", "Frauke Clausen", "Gemeindevertreterin", "SPD", "de3", 190, 50),
        Person("jacobsen", "Momme Jacobsen", "Gemeindevertreter", "CDU", "de4", 190, 45),
        Person("feddersen", "Broder Feddersen", "Gemeindevertreter",
               "Wählergemeinschaft Süderlund", "de2", 190, 45, absent=True),
    ),
    items=(
        ItemRef("1", "Einwohnerfragestunde", "", True, "ohne Beschluss",
                facts=(("Mühlenweg",), ("Wasser- und Bodenverband",), ("Kirchberg",),
                       ("600 €",)),
                note="questions from a resident, answered by the Amt and the mayor"),
        ItemRef("2", "Bericht des Bürgermeisters", "", True, "zur Kenntnis genommen",
                facts=(("214 Haushalte",), ("Tragkraftspritzenfahrzeug",), ("18.500 €",),
                       ("Dorfteich",), ("Rundweg",)),
                note="report; 'hat die Gemeindevertretung den Bericht damit zur Kenntnis "
                     "genommen'"),
        ItemRef("3", "Erste Nachtragssatzung zur Satzung über die Erhebung der Hundesteuer",
                "Vorlage GV 2027/004", True, "einstimmig beschlossen", None, 0, 0,
                facts=(("60 €",), ("45 €",), ("90 €",), ("1. Juli 2027",), ("2011",)),
                note="'Gegenstimmen? Sehe ich keine. Enthaltungen? Auch nicht.' then "
                     "'einstimmig beschlossen'"),
        ItemRef("4", "Antrag der CDU-Fraktion: Tempo 30 in der Dorfstraße",
                "Antrag GV 2027/006", True, "zurückgezogen",
                facts=(("Tempo 30",), ("Dorfstraße",), ("Verkehrszählung",), ("Schulbus",)),
                note="called by title only, after the item taken out of order; the mover "
                     "withdraws ('Dann ziehen wir unseren Antrag zurück')"),
        ItemRef("5", "Bebauungsplan Nr. 14 „Achtern Diek“: Satzungsbeschluss",
                "Vorlage GV 2027/007", True, "vertagt",
                facts=(("Achtern Diek",), ("Knick",), ("5 Metern", "5 m"),
                       ("Untere Naturschutzbehörde",)),
                note="deferral moved and agreed without a counted vote ('Gibt es "
                     "Widerspruch gegen die Vertagung? Das ist nicht der Fall.')"),
        ItemRef("6", "Zuschuss an den TSV Süderlund für eine LED-Flutlichtanlage",
                "Vorlage GV 2027/008", True, "mehrheitlich beschlossen", 6, 2, 1, 1,
                facts=(("48.000 €",), ("12.000 €",), ("Sportplatz",), ("LED",),
                       ("Kindergarten",)),
                note="taken out of order (before 4), called by title; the club's chairman "
                     "declares himself befangen; 'Sechs. Wer ist dagegen? Zwei. Und eine "
                     "Enthaltung. Damit mehrheitlich so beschlossen.'"),
        ItemRef("7", "Grundstücksangelegenheit: Verkauf eines Bauplatzes im Baugebiet "
                "Osterfeld", "Vorlage GV 2027/009 N", False, "beschlossen", None, 1, 0,
                facts=(("780 Quadratmetern", "780 m²"), ("95 €",), ("Osterfeld",),
                       ("Vergaberichtlinie",)),
                note="non-public; 'Gegenstimmen? Eine. Enthaltungen? Keine.' and 'bei einer "
                     "Gegenstimme angenommen'"),
    ),
    vocabulary=(
        "Süderlund", "Geestland", "Mühlenweg", "Kirchberg", "Achtern Diek", "Osterfeld",
        "Dorfstraße", "Petersen", "Carstensen", "Jessen", "Thomsen", "Asmussen", "Lorenzen",
        "Feddersen", "Tragkraftspritzenfahrzeug", "Hundesteuer", "Knick",
        "Naturschutzbehörde", "Flutlicht", "Vergaberichtlinie",
    ),
    spoken={
        "1. Juli 2027": "ersten Juli zweitausendsiebenundzwanzig",
        "2011": "zweitausendelf",
        "18.500": "achtzehntausendfünfhundert",
        "48.000": "achtundvierzigtausend",
        "12.000": "zwölftausend",
        "21:05 Uhr": "einundzwanzig Uhr fünf",
        "LED": "L E D",
    },
    script=(
        ("petersen", "Moin, liebe Gemeindevertreterinnen und Gemeindevertreter, liebe Gäste. "
         "Ich eröffne die Sitzung und stelle fest, dass ordnungsgemäß eingeladen wurde und "
         "wir beschlussfähig sind. Broder Feddersen fehlt entschuldigt."),
        ("petersen", "Ich schlage vor, dass wir Punkt 6, den Zuschuss für das Flutlicht beim "
         "TSV, vor Punkt 4 behandeln, weil der Vereinsvorstand heute früher los muss. "
         "Einverstanden? Dann machen wir das so."),
        (MARK, "1"),
        ("petersen", "Wir beginnen mit der Einwohnerfragestunde. Gibt es Fragen aus dem "
         "Publikum? Frau Lorenzen, bitte."),
        ("lorenzen", "Ich wohne am Mühlenweg. Seit dem Herbst steht dort nach jedem Schauer "
         "das Regenwasser auf der Straße. Wann wird der Graben wieder freigemacht?"),
        ("asmussen", "Der Graben gehört dem Wasser- und Bodenverband. Wir haben dort schon "
         "nachgefragt, die Räumung ist für die zweite Märzhälfte zugesagt."),
        ("lorenzen", "Und die Buswartehalle am Kirchberg hat seit Wochen eine kaputte "
         "Scheibe."),
        ("petersen", "Die Scheibe ist bestellt, sie kostet rund 600 Euro und wird nächste "
         "Woche eingesetzt. Weitere Fragen sehe ich nicht, dann schließe ich die "
         "Einwohnerfragestunde."),
        (MARK, "2"),
        ("petersen", "Punkt 2, Bericht des Bürgermeisters. Der Breitbandausbau im "
         "Außenbereich ist fertig, jetzt sind alle 214 Haushalte am Glasfasernetz. Die "
         "Feuerwehr hat im Januar ihr neues Tragkraftspritzenfahrzeug bekommen."),
        ("petersen", "Der Kreis hat uns für den Dorfteich einen Zuschuss von 18.500 Euro "
         "bewilligt. Die Arbeiten beginnen im Mai."),
        ("thomsen", "Schön, dass es mit dem Teich klappt. Wird der Rundweg dabei auch "
         "erneuert?"),
        ("petersen", "Ja, der Rundweg gehört zu der Maßnahme. Wenn sonst nichts ist, hat die "
         "Gemeindevertretung den Bericht damit zur Kenntnis genommen."),
        (MARK, "3"),
        ("petersen", "Punkt 3, Erste Nachtragssatzung zur Hundesteuersatzung. Frau Asmussen "
         "vom Amt Geestland."),
        ("asmussen", "Die Hundesteuer ist seit 2011 nicht angepasst worden. Vorgeschlagen "
         "sind 60 Euro für den ersten Hund statt bisher 45 Euro und für jeden weiteren Hund "
         "90 Euro. Die Satzung soll zum 1. Juli 2027 gelten."),
        ("hansen", "Das ist maßvoll. Die umliegenden Gemeinden liegen alle darüber."),
        ("petersen", "Dann bitte ich um das Handzeichen, wer zustimmt. Gegenstimmen? Sehe ich "
         "keine. Enthaltungen? Auch nicht. Dann ist die Nachtragssatzung einstimmig "
         "beschlossen."),
        (MARK, "6"),
        ("petersen", "Wie besprochen ziehen wir jetzt den Zuschuss an den TSV Süderlund für "
         "die neue Flutlichtanlage vor."),
        ("jessen", "Bevor es losgeht: Ich bin Vorsitzender des TSV und damit befangen. Ich "
         "setze mich zu den Zuhörern."),
        ("petersen", "Danke, Nils. Der TSV will das alte Flutlicht am Sportplatz durch LED "
         "ersetzen. Die Anlage kostet 48.000 Euro, der Verein bittet um einen Zuschuss von "
         "12.000 Euro."),
        ("carstensen", "Wir finden das richtig. Die LED-Lampen sparen dem Verein mehr als die "
         "Hälfte der Stromkosten."),
        ("thomsen", "Wir von der SPD sehen das kritisch. Der Kindergarten braucht das Geld "
         "dringender, und 12.000 Euro sind für unsere Gemeinde viel."),
        ("petersen", "Dann stimmen wir ab. Wer für den Zuschuss ist, hebt bitte die Hand. "
         "Sechs. Wer ist dagegen? Zwei. Und eine Enthaltung. Damit mehrheitlich so "
         "beschlossen."),
        (MARK, "4"),
        ("petersen", "Nils ist wieder dabei. Der Antrag der CDU auf Tempo 30 in der "
         "Dorfstraße. Frau Carstensen."),
        ("carstensen", "In der Dorfstraße wird zu schnell gefahren, gerade morgens, wenn die "
         "Kinder zum Schulbus gehen. Wir wollten deshalb Tempo 30 erreichen."),
        ("asmussen", "Die Dorfstraße ist eine Kreisstraße. Über Tempo 30 entscheidet die "
         "Verkehrsbehörde des Kreises, nicht die Gemeinde. Wir können dort nur einen Antrag "
         "stellen."),
        ("carstensen", "Dann ziehen wir unseren Antrag zurück und bitten das Amt, beim Kreis "
         "eine Verkehrszählung zu beantragen."),
        ("petersen", "Gut, der Antrag ist zurückgezogen, und das Amt kümmert sich um die "
         "Verkehrszählung."),
        (MARK, "5"),
        ("petersen", "Wir kommen zu Punkt 5, Bebauungsplan Nummer 14, Achtern Diek, "
         "Satzungsbeschluss."),
        ("asmussen", "In der öffentlichen Auslegung sind zwei Stellungnahmen eingegangen. Die "
         "Untere Naturschutzbehörde verlangt am Knick einen Schutzstreifen von 5 Metern. "
         "Die Abwägung dazu ist noch nicht fertig."),
        ("hansen", "Dann können wir heute keinen Satzungsbeschluss fassen. Ich beantrage, den "
         "Punkt auf die Sitzung im Mai zu vertagen."),
        ("petersen", "Gibt es Widerspruch gegen die Vertagung? Das ist nicht der Fall. Dann "
         "ist der Punkt vertagt, und die Planerin legt uns im Mai die Abwägung vor."),
        (MARK, "7"),
        ("petersen", "Wir kommen zum nichtöffentlichen Teil. Ich bitte die Zuhörer, den Raum "
         "zu verlassen. Punkt 7, Verkauf eines Bauplatzes im Baugebiet Osterfeld."),
        ("asmussen", "Für den Bauplatz mit 780 Quadratmetern gibt es zwei Bewerbungen. Nach "
         "der Vergaberichtlinie hat die junge Familie aus dem Ort Vorrang. Der Kaufpreis "
         "beträgt 95 Euro pro Quadratmeter."),
        ("thomsen", "Die Familie wohnt schon in Süderlund, das passt genau zu unserer "
         "Richtlinie."),
        ("petersen", "Wer stimmt dem Verkauf zu? Danke. Gegenstimmen? Eine. Enthaltungen? "
         "Keine. Damit ist der Verkauf bei einer Gegenstimme angenommen."),
        ("petersen", "Ich bedanke mich bei allen und schließe die Sitzung um 21:05 Uhr."),
    ),
    seed=20270311,
)

# ---- H3: Stadtrat Saalbrück (Thuringia) ------------------------------------------------

H3 = Session(
    key="h3_saalbrueck_stadtrat",
    meeting={"body": "Stadtrat der Stadt Saalbrück", "session_number": "31/2026",
             "date": "2026-11-26", "place": "Ratssaal im Rathaus Saalbrück",
             "start_time": "18:00"},
    people=(
        Person("vogt", "Andreas Vogt", "Vorsitzender des Stadtrates", "CDU", "de2", 190, 44,
               chair=True),
        Person("schoenfeld", "Katrin Schönfeld", "Bürgermeisterin", "", "de3", 195, 50),
        Person("roth", "Michael Roth", "Stadtrat", "SPD", "de6", 205, 40),
        Person("wendt", "Susanne Wendt", "Stadträtin", "Die Linke", "de5", 190, 58, -3.0),
        Person("keil", "Torsten Keil", "Stadtrat", "Bürger für Saalbrück", "de4", 185, 36),
        Person("herold", "Peter Herold", "Kämmerer", "", "de6", 180, 30,
               administration=True),
        Person("seifert", "Anja Seifert", "Leiterin des Bauamtes", "", "de7", 200, 54,
               administration=True),
        Person("gerlach", "Ronny Gerlach", "Stadtrat", "CDU", "de2", 190, 45),
        Person("moeller", "Sabine Möller", "Stadträtin", "CDU", "de5", 190, 50),
        Person("schade", "Heiko Schade", "Stadtrat", "CDU", "de4", 190, 45),
        Person("hoffmann", "Petra Hoffmann", "Stadträtin", "CDU", "de3", 190, 50),
        Person("kirchner", "Ines Kirchner", "Stadträtin", "SPD", "de1", 190, 50),
        Person("reichardt", "Dirk Reichardt", "Stadtrat", "Die Linke", "de6", 190, 45),
        Person("bachmann", "Uwe Bachmann", "Stadtrat", "Die Linke", "de2", 190, 45),
        Person("trautmann", "Marion Trautmann", "Stadträtin", "Bürger für Saalbrück", "de7",
               190, 50),
        Person("eisenschmidt", "Jörg Eisenschmidt", "Stadtrat", "FDP", "de4", 190, 45),
        Person("hess", "Claudia Heß", "Stadträtin", "Bündnis 90/Die Grünen", "de1", 190, 50),
        Person("liebetrau", "Frank Liebetrau", "Stadtrat", "CDU", "de6", 190, 45,
               absent=True),
    ),
    items=(
        ItemRef("1", "Genehmigung der Niederschrift der Sitzung vom 24. September 2026", "",
                True, "einstimmig beschlossen",
                facts=(("24. September 2026",), ("Wendt",), ("Berichtigung",)),
                note="a correction that itself names 'Punkt 5' of the old minutes; "
                     "'einstimmig' alone after the call for hands"),
        ItemRef("2", "Haushaltssatzung und Haushaltsplan 2027", "Beschlussvorlage 87/2026",
                True, "geändert beschlossen", 11, 3, 1,
                facts=(("31,4 Mio. €",), ("6,2 Mio. €",), ("410 %",), ("80.000 €",),
                       ("Stadtpark",), ("Keil",)),
                note="amendment of the Bürger für Saalbrück adopted 8:6:1; final vote as "
                     "'Ja-Stimmen: elf. Nein-Stimmen: drei. Enthaltungen: eine.'"),
        ItemRef("3", "Sanierung der Turnhalle der Staatlichen Regelschule Saalbrück",
                "Beschlussvorlage 90/2026", True, "mehrheitlich beschlossen", None, None, 2,
                facts=(("1,35 Mio. €",), ("60 %",), ("1987",), ("Saaleufer",),
                       ("September 2027",)),
                note="called by title only; 'Gegenprobe. Enthaltungen? Zwei.' and 'mit "
                     "großer Mehrheit bei zwei Enthaltungen beschlossen'"),
        ItemRef("4", "Antrag der Fraktion Bürger für Saalbrück: Trinkwasserbrunnen in der "
                "Innenstadt", "Antrag 84/2026", True, "abgelehnt", 5, 9, 1,
                facts=(("drei Trinkwasserbrunnen", "3 Trinkwasserbrunnen"), ("15.000 €",),
                       ("3.000 €",), ("Bahnhof",), ("2028",)),
                note="counts as a summary without questions: 'Fünf Stimmen dafür, neun "
                     "dagegen, eine Enthaltung'"),
        ItemRef("5", "Vergabe der Rohbauarbeiten für den Neubau der Kindertagesstätte "
                "„Sonnenblume“", "Beschlussvorlage 91/2026", True, "beschlossen", None, 1, 0,
                2,
                facts=(("sieben Angebote", "7 Angebote"), ("Möbius",), ("Rudolstadt",),
                       ("1,12 Mio. €",), ("August 2028",)),
                note="the chair announces two members as befangen; 'Gegenstimmen? Eine. "
                     "Enthaltungen? Sehe ich nicht.' and 'bei einer Gegenstimme beschlossen'"),
        ItemRef("6", "Information der Bürgermeisterin zur kommunalen Wärmeplanung", "", True,
                "zur Kenntnis genommen",
                facts=(("Thermoplan",), ("Erfurt",), ("40 %",), ("12. Februar 2027",),
                       ("Hainberg",), ("Wärmenetz",)),
                note="called by title only; report; 'Der Stadtrat nimmt sie zur Kenntnis'"),
        ItemRef("7", "Antrag der SPD-Fraktion: Einrichtung eines Jugendparlaments",
                "Antrag 88/2026", True, "vertagt", 9, 6, 0,
                facts=(("Jugendparlament",), ("15 Mitgliedern",), ("5.000 €",),
                       ("Jugendclub",), ("Roth",)),
                note="counted deferral motion (Geschäftsordnungsantrag) 9:6:0"),
        ItemRef("8", "Grundstücksangelegenheit: Verkauf des früheren Bauhofgeländes an der "
                "Gartenstraße", "Beschlussvorlage 92/2026 N", False, "einstimmig beschlossen",
                None, 0, 0,
                facts=(("3.400 Quadratmetern", "3.400 m²"), ("272.000 €",),
                       ("24 barrierearme Wohnungen",), ("Gartenstraße",),
                       ("Wohnungsgenossenschaft",)),
                note="non-public; 'Gegenstimmen und Enthaltungen gibt es keine. Einstimmig "
                     "so beschlossen.'"),
    ),
    vocabulary=(
        "Saalbrück", "Saaleufer", "Rudolstadt", "Erfurt", "Hainberg", "Gartenstraße",
        "Vogt", "Schönfeld", "Wendt", "Keil", "Herold", "Seifert", "Gerlach", "Schade",
        "Liebetrau", "Möbius", "Thermoplan", "Regelschule", "Trinkwasserbrunnen",
        "Jugendparlament", "Wärmeplanung", "Hebesätze",
    ),
    spoken={
        "24. September 2026": "vierundzwanzigsten September zweitausendsechsundzwanzig",
        "12. Februar 2027": "zwölften Februar zweitausendsiebenundzwanzig",
        "2027": "zweitausendsiebenundzwanzig",
        "2028": "zweitausendachtundzwanzig",
        "1987": "neunzehnhundertsiebenundachtzig",
        "80.000": "achtzigtausend",
        "15.000": "fünfzehntausend",
        "3.000": "dreitausend",
        "5.000": "fünftausend",
        "3.400": "dreitausendvierhundert",
        "272.000": "zweihundertzweiundsiebzigtausend",
        "20:40 Uhr": "zwanzig Uhr vierzig",
    },
    script=(
        ("vogt", "Meine Damen und Herren, ich eröffne die heutige Sitzung des Stadtrates. "
         "Ich stelle fest, dass form- und fristgerecht geladen wurde und der Stadtrat "
         "beschlussfähig ist. Herr Liebetrau ist entschuldigt."),
        ("vogt", "Anträge zur Tagesordnung liegen nicht vor. Wir verfahren wie eingeladen."),
        (MARK, "1"),
        ("vogt", "Tagesordnungspunkt 1, Genehmigung der Niederschrift vom "
         "24. September 2026. Frau Wendt hat sich gemeldet."),
        ("wendt", "Unter Punkt 5 der Niederschrift steht, die Linke habe der Vergabe "
         "zugestimmt. Wir haben uns aber enthalten. Ich bitte um Berichtigung."),
        ("vogt", "Das wird berichtigt. Wer der Niederschrift mit dieser Berichtigung "
         "zustimmt, den bitte ich um das Handzeichen. Danke, das ist einstimmig."),
        (MARK, "2"),
        ("vogt", "Tagesordnungspunkt 2, Haushaltssatzung und Haushaltsplan 2027. Herr "
         "Herold, bitte."),
        ("herold", "Der Ergebnishaushalt umfasst 31,4 Millionen Euro. Für Investitionen sind "
         "6,2 Millionen Euro vorgesehen, davon 2,5 Millionen für die neue Kita Sonnenblume. "
         "Einen Kredit brauchen wir nicht."),
        ("herold", "Die Hebesätze bleiben unverändert, die Grundsteuer B liegt weiter bei "
         "410 Prozent. Die Rücklage sinkt auf 1,9 Millionen Euro."),
        ("keil", "Wir beantragen, 80.000 Euro für die Spielplätze im Stadtpark zusätzlich "
         "einzustellen, gedeckt durch eine Kürzung bei der Öffentlichkeitsarbeit."),
        ("roth", "Die SPD unterstützt das. Die Spielplätze sind seit Jahren ein Ärgernis."),
        ("vogt", "Ich lasse zuerst über den Änderungsantrag von Herrn Keil abstimmen. Wer "
         "ist dafür? Acht. Dagegen? Sechs. Enthaltungen? Eine. Der Änderungsantrag ist "
         "angenommen."),
        ("vogt", "Jetzt zur Haushaltssatzung mit der beschlossenen Änderung. Ich bitte um "
         "Ihr Handzeichen. Ja-Stimmen: elf. Nein-Stimmen: drei. Enthaltungen: eine. Damit "
         "ist der Haushalt in der geänderten Fassung beschlossen."),
        (MARK, "3"),
        ("vogt", "Wir kommen zur Sanierung der Turnhalle der Regelschule. Frau Seifert."),
        ("seifert", "Das Dach der Turnhalle ist undicht, und die Heizung stammt aus dem Jahr "
         "1987. Die Sanierung kostet nach der Kostenberechnung 1,35 Millionen Euro. Das Land "
         "fördert 60 Prozent über das Schulbauprogramm."),
        ("wendt", "Die Sanierung ist überfällig. Wo findet der Schulsport während der "
         "Bauzeit statt?"),
        ("seifert", "Die Schule kann von März bis September 2027 die Halle des Sportvereins "
         "am Saaleufer nutzen."),
        ("vogt", "Wer der Sanierung zustimmt, hebe bitte die Hand. Gegenprobe. Enthaltungen? "
         "Zwei. Dann ist das mit großer Mehrheit bei zwei Enthaltungen beschlossen."),
        (MARK, "4"),
        ("vogt", "Tagesordnungspunkt 4, Antrag der Fraktion Bürger für Saalbrück zu "
         "Trinkwasserbrunnen. Herr Keil."),
        ("keil", "In heißen Sommern fehlt in der Innenstadt kostenloses Trinkwasser. Wir "
         "beantragen drei Trinkwasserbrunnen, am Markt, am Bahnhof und im Stadtpark."),
        ("herold", "Ein Brunnen kostet in der Anschaffung rund 15.000 Euro. Dazu kommen im "
         "Jahr etwa 3.000 Euro für Wartung und Hygieneprüfungen."),
        ("schoenfeld", "Ich halte das für wünschenswert, aber nach dem Haushaltsbeschluss "
         "fehlt uns das Geld. Wir sollten 2028 noch einmal darüber sprechen."),
        ("vogt", "Dann stimmen wir ab. Fünf Stimmen dafür, neun dagegen, eine Enthaltung. "
         "Der Antrag ist abgelehnt."),
        (MARK, "5"),
        ("vogt", "Tagesordnungspunkt 5, Vergabe der Rohbauarbeiten für die Kita Sonnenblume. "
         "Die Stadträte Gerlach und Schade haben mir mitgeteilt, dass sie befangen sind. "
         "Ich bitte beide, im Zuschauerraum Platz zu nehmen."),
        ("seifert", "Auf die Ausschreibung sind sieben Angebote eingegangen. Das "
         "wirtschaftlichste hat das Baugeschäft Möbius aus Rudolstadt mit 1,12 Millionen "
         "Euro abgegeben."),
        ("roth", "Liegt das im Kostenrahmen?"),
        ("seifert", "Ja, die Kostenberechnung lag bei 1,2 Millionen Euro. Der Rohbau beginnt "
         "im Mai, die Eröffnung ist für August 2028 geplant."),
        ("vogt", "Wer der Vergabe an die Firma Möbius zustimmt, den bitte ich um das "
         "Handzeichen. Gegenstimmen? Eine. Enthaltungen? Sehe ich nicht. Damit ist die "
         "Vergabe bei einer Gegenstimme beschlossen."),
        (MARK, "6"),
        ("vogt", "Die Herren Gerlach und Schade sind zurück. Dann hören wir die Information "
         "der Bürgermeisterin zur Wärmeplanung."),
        ("schoenfeld", "Die Stadt muss bis Mitte 2028 einen Wärmeplan vorlegen. Das Büro "
         "Thermoplan aus Erfurt hat die Bestandsanalyse abgeschlossen. Rund 40 Prozent der "
         "Gebäude werden noch mit Öl beheizt."),
        ("schoenfeld", "Für die Altstadt prüfen wir mit den Stadtwerken ein Wärmenetz. Die "
         "Bürgerversammlung dazu ist am 12. Februar 2027 in der Stadthalle."),
        ("wendt", "Werden die Mieter in den Plattenbauten am Hainberg einbezogen?"),
        ("schoenfeld", "Ja, die Wohnungsgenossenschaft sitzt mit am Tisch."),
        ("vogt", "Danke für die Information. Der Stadtrat nimmt sie zur Kenntnis."),
        (MARK, "7"),
        ("vogt", "Tagesordnungspunkt 7, Antrag der SPD-Fraktion zur Einrichtung eines "
         "Jugendparlaments. Herr Roth."),
        ("roth", "Jugendliche sollen in unserer Stadt mitreden. Wir schlagen ein "
         "Jugendparlament mit 15 Mitgliedern zwischen 14 und 21 Jahren vor, mit einem "
         "eigenen Budget von 5.000 Euro im Jahr."),
        ("keil", "Im Grundsatz sind wir dafür. Aber die Schulen und der Jugendclub sind "
         "nicht gefragt worden. Ich beantrage, den Punkt zu vertagen, bis sie angehört "
         "sind."),
        ("vogt", "Das ist ein Geschäftsordnungsantrag. Wer für die Vertagung ist, bitte die "
         "Hand heben. Neun. Gegen die Vertagung? Sechs. Enthaltungen? Keine. Damit ist der "
         "Antrag vertagt."),
        (MARK, "8"),
        ("vogt", "Wir kommen zum nichtöffentlichen Teil. Ich bitte die Gäste, den Saal zu "
         "verlassen. Tagesordnungspunkt 8, Verkauf des früheren Bauhofgeländes an der "
         "Gartenstraße."),
        ("herold", "Die Wohnungsgenossenschaft Saalbrück will das Grundstück mit "
         "3.400 Quadratmetern für 272.000 Euro kaufen und dort 24 barrierearme Wohnungen "
         "bauen. Das entspricht dem Gutachterwert."),
        ("roth", "Barrierearme Wohnungen fehlen in der Stadt. Wir stimmen gern zu."),
        ("vogt", "Dann bitte ich um das Handzeichen. Gegenstimmen und Enthaltungen gibt es "
         "keine. Einstimmig so beschlossen."),
        ("vogt", "Ich danke Ihnen und schließe die Sitzung um 20:40 Uhr."),
    ),
    seed=20261126,
)
# fmt: on

HELDOUT: tuple[Session, ...] = (H1, H2, H3)
