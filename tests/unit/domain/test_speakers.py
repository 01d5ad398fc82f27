"""One speaker label scheme: labels inside, "Sprecher N" or the name for readers (#17)."""

from __future__ import annotations

from protokoll.domain.speakers import SpeakerNames, label_of, labels_only, names_in


def test_label_of_reads_the_shown_key_back() -> None:
    assert label_of("Sprecher 4") == "SPEAKER_03"
    assert label_of(" Sprecher  12 ") == "SPEAKER_11"
    assert label_of("SPEAKER_03") == "SPEAKER_03"
    assert label_of("Sprecher 0") is None
    assert label_of("Anna Berger") is None
    assert label_of("Unbekannt") is None


def test_labels_only_turns_older_names_into_labels_once() -> None:
    names = {"SPEAKER_02": "Kämmerer Hartmann"}
    keys = ["Sprecher 1", "SPEAKER_00", "Kämmerer Hartmann", "UNBEKANNT", "Gast", "Sprecher 5"]
    assert labels_only(keys, names) == ["SPEAKER_00", "SPEAKER_02", "SPEAKER_04"]


def test_names_in_and_symbolic_are_inverse() -> None:
    names = {"SPEAKER_00": "Bürgermeisterin Berger"}
    stored = "SPEAKER_00 eröffnete; SPEAKER_03 fragte nach."
    shown = names_in(stored, names)
    assert shown == "Bürgermeisterin Berger eröffnete; Sprecher 4 fragte nach."
    back = SpeakerNames(["SPEAKER_00", "SPEAKER_03"], [names]).symbolic(shown)
    assert back == stored
