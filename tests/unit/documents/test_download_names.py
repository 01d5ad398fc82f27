"""Downloaded documents get German names; the stored names stay (issue #17)."""

from __future__ import annotations

from protokoll.documents.artifacts import ARTIFACTS, DOWNLOAD_NAMES, download_name


def test_every_document_has_a_german_download_name() -> None:
    assert set(DOWNLOAD_NAMES) == {a.name for a in ARTIFACTS}
    for stored, german in DOWNLOAD_NAMES.items():
        assert german.rpartition(".")[2] == stored.rpartition(".")[2]
        for english in ("minutes", "transcript", "diarization", "oeffentlich"):
            assert english not in german.casefold()


def test_download_name_of_a_version() -> None:
    assert download_name("transcript.json") == "Transkript.json"
    assert download_name("niederschrift.docx", 3) == "Niederschrift_Fassung-3.docx"
    assert download_name("transcript.vtt", 1) == "Untertitel_Fassung-1.vtt"
