"""Settings: defaults, config.toml, profiles, environment overrides and their errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from protokoll.config import Settings, load_settings
from protokoll.errors import ConfigError

ROOT = Path(__file__).resolve().parents[2]
REPO_CONFIG = ROOT / "config.toml"


def write(tmp_path: Path, text: str, name: str = "config.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# ---- defaults and files ------------------------------------------------------------------------


def test_defaults_load_without_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # no config.toml here
    settings = load_settings(None, environ={})
    assert settings == Settings()
    assert settings.profile == "cpu"
    assert settings.transcription.model == "whisper-base"
    assert settings.transcription.device == "auto"
    assert settings.transcription.vocabulary == []
    assert settings.diarization.pipeline == "embedded"
    assert settings.diarization.min_speakers is None
    assert settings.diarization.max_speakers is None
    assert settings.models.dir == Path("models")
    assert settings.output.dir == Path("out")


def test_config_toml_in_the_working_directory_is_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, '[transcription]\nlanguage = "en"\n')
    monkeypatch.chdir(tmp_path)
    assert load_settings(None, environ={}).transcription.language == "en"


def test_protokoll_config_names_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, "[transcription]\nbeam_size = 2\n", name="anders.toml")
    settings = load_settings(None, environ={"PROTOKOLL_CONFIG": str(path)})
    assert settings.transcription.beam_size == 2


def test_protokoll_config_naming_a_missing_file_is_an_error(tmp_path: Path) -> None:
    missing = tmp_path / "fehlt.toml"
    with pytest.raises(ConfigError, match="nicht gefunden") as info:
        load_settings(None, environ={"PROTOKOLL_CONFIG": str(missing)})
    assert str(missing) in str(info.value)


def test_explicit_missing_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="nicht gefunden"):
        load_settings(tmp_path / "fehlt.toml", environ={})


def test_repo_config_toml_loads_with_cpu_profile() -> None:
    settings = load_settings(REPO_CONFIG, environ={})
    assert settings.profile == "cpu"
    assert settings.transcription.model == "whisper-base"
    assert settings.transcription.batch_size == 4
    assert settings.transcription.beam_size == 3
    assert settings.diarization.backend == "pyannote"
    assert settings.diarization.pipeline == "embedded"
    assert settings.diarization.segmentation_model == "pyannote-segmentation-3.0"
    assert settings.diarization.embedding_model == "campplus-zh-en-common"
    assert settings.models.manifest == Path("models/manifest.toml")


def test_utf8_bom_is_tolerated(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes(b"\xef\xbb\xbf" + b'[transcription]\nlanguage = "de"\n')
    assert load_settings(path, environ={}).transcription.language == "de"


def test_invalid_toml_is_a_config_error(tmp_path: Path) -> None:
    path = write(tmp_path, '[transcription]\nmodel = "whisper-base\n')
    with pytest.raises(ConfigError, match="kein gültiges TOML") as info:
        load_settings(path, environ={})
    assert "line 2" in str(info.value)


def test_non_utf8_file_is_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes('[transcription]\nlanguage = "Französisch"\n'.encode("latin-1"))
    with pytest.raises(ConfigError, match="keine UTF-8-Textdatei"):
        load_settings(path, environ={})


def test_directory_instead_of_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="kann nicht gelesen werden"):
        load_settings(tmp_path, environ={})


# ---- unknown keys and wrong types ---------------------------------------------------------------


def test_unknown_top_level_key_is_named(tmp_path: Path) -> None:
    path = write(tmp_path, 'profil = "gpu"\n')
    with pytest.raises(ConfigError) as info:
        load_settings(path, environ={})
    message = str(info.value)
    assert "unbekannter Schlüssel „profil“" in message
    assert str(path) in message
    assert "erlaubt: profile, models" in message


def test_unknown_key_in_a_section_is_named(tmp_path: Path) -> None:
    path = write(tmp_path, '[transcription]\nmodell = "whisper-base"\n')
    with pytest.raises(ConfigError) as info:
        load_settings(path, environ={})
    message = str(info.value)
    assert "unbekannter Schlüssel „transcription.modell“" in message
    assert "model, device" in message  # the allowed keys of the section


def test_unknown_section_is_named(tmp_path: Path) -> None:
    path = write(tmp_path, "[transkription]\nbeam_size = 3\n")
    with pytest.raises(ConfigError, match="unbekannter Schlüssel „transkription“"):
        load_settings(path, environ={})


def test_wrong_type_is_a_config_error(tmp_path: Path) -> None:
    path = write(tmp_path, '[transcription]\nbeam_size = "fünf"\n')
    with pytest.raises(ConfigError) as info:
        load_settings(path, environ={})
    message = str(info.value)
    assert "„transcription.beam_size“" in message
    assert "ganze Zahl erwartet" in message
    assert "'fünf'" in message


def test_value_outside_the_allowed_choices_lists_them(tmp_path: Path) -> None:
    path = write(tmp_path, '[transcription]\ndevice = "gpu"\n')
    with pytest.raises(ConfigError) as info:
        load_settings(path, environ={})
    message = str(info.value)
    assert "„transcription.device“" in message
    assert "'auto', 'cpu' oder 'cuda'" in message


def test_value_out_of_range_is_a_config_error(tmp_path: Path) -> None:
    path = write(tmp_path, "[transcription]\nbeam_size = 0\n")
    with pytest.raises(ConfigError, match="mindestens 1"):
        load_settings(path, environ={})


def test_several_problems_are_reported_together(tmp_path: Path) -> None:
    path = write(tmp_path, '[intake]\nmax_size_gb = "viel"\n[output]\nfarbe = "blau"\n')
    with pytest.raises(ConfigError) as info:
        load_settings(path, environ={})
    assert "intake.max_size_gb" in str(info.value)
    assert "output.farbe" in str(info.value)


def test_min_speakers_above_max_speakers_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path, "[diarization]\nmin_speakers = 10\nmax_speakers = 5\n")
    with pytest.raises(ConfigError) as info:
        load_settings(path, environ={})
    assert "min_speakers (10) ist größer als max_speakers (5)" in str(info.value)


def test_equal_speaker_bounds_are_fine(tmp_path: Path) -> None:
    path = write(tmp_path, "[diarization]\nmin_speakers = 5\nmax_speakers = 5\n")
    dia = load_settings(path, environ={}).diarization
    assert (dia.min_speakers, dia.max_speakers) == (5, 5)


def test_settings_are_frozen() -> None:
    settings = Settings()
    with pytest.raises(ValueError, match="frozen"):
        settings.transcription.device = "cuda"  # type: ignore[misc]


# ---- environment variables ---------------------------------------------------------------------


def test_env_overrides_a_string_value() -> None:
    env = {"PROTOKOLL_TRANSCRIPTION__DEVICE": "cuda"}
    settings = load_settings(REPO_CONFIG, environ=env)
    assert settings.transcription.device == "cuda"
    assert settings.diarization.device == "auto"  # untouched


def test_env_value_is_parsed_as_int() -> None:
    env = {"PROTOKOLL_DIARIZATION__MAX_SPEAKERS": "12"}
    settings = load_settings(REPO_CONFIG, environ=env)
    assert settings.diarization.max_speakers == 12
    assert isinstance(settings.diarization.max_speakers, int)


def test_env_values_of_other_types() -> None:
    env = {
        "PROTOKOLL_TRANSCRIPTION__VAD": "false",
        "PROTOKOLL_DIARIZATION__CLUSTERING_THRESHOLD": "0.6",
        "PROTOKOLL_INTAKE__MAX_DURATION_H": "10",
    }
    settings = load_settings(REPO_CONFIG, environ=env)
    assert settings.transcription.vad is False
    assert settings.diarization.clustering_threshold == pytest.approx(0.6)
    assert settings.intake.max_duration_h == pytest.approx(10.0)


def test_env_list_value() -> None:
    env = {"PROTOKOLL_TRANSCRIPTION__VOCABULARY": '["Lindenweg", "Mühlbach"]'}
    settings = load_settings(REPO_CONFIG, environ=env)
    assert settings.transcription.vocabulary == ["Lindenweg", "Mühlbach"]


def test_env_text_settings_are_taken_verbatim() -> None:
    env = {
        "PROTOKOLL_OUTPUT__DIR": "2026",  # would be an integer as a TOML literal
        "PROTOKOLL_TRANSCRIPTION__LANGUAGE": "true",
        "PROTOKOLL_MODELS__DIR": "/srv/protokoll/models",
    }
    settings = load_settings(REPO_CONFIG, environ=env)
    assert settings.output.dir == Path("2026")
    assert settings.transcription.language == "true"
    assert settings.models.dir == Path("/srv/protokoll/models")


def test_env_names_are_case_insensitive_in_the_key_part() -> None:
    env = {"PROTOKOLL_Transcription__Beam_Size": "4"}
    assert load_settings(REPO_CONFIG, environ=env).transcription.beam_size == 4


def test_env_wrong_type_names_the_variable() -> None:
    env = {"PROTOKOLL_DIARIZATION__MAX_SPEAKERS": "viele"}
    with pytest.raises(ConfigError) as info:
        load_settings(REPO_CONFIG, environ=env)
    message = str(info.value)
    assert "„diarization.max_speakers“" in message
    assert "PROTOKOLL_DIARIZATION__MAX_SPEAKERS" in message


def test_env_unknown_key_in_a_section_is_an_error() -> None:
    env = {"PROTOKOLL_TRANSCRIPTION__DEVIZE": "cuda"}
    with pytest.raises(ConfigError) as info:
        load_settings(REPO_CONFIG, environ=env)
    assert "unbekannter Schlüssel „transcription.devize“" in str(info.value)
    assert "PROTOKOLL_TRANSCRIPTION__DEVIZE" in str(info.value)


def test_env_unknown_section_is_an_error() -> None:
    env = {"PROTOKOLL_TRANSKRIPTION__DEVICE": "cuda"}
    with pytest.raises(ConfigError, match="unbekannter Schlüssel „transkription“"):
        load_settings(REPO_CONFIG, environ=env)


def test_env_min_above_max_is_an_error() -> None:
    env = {
        "PROTOKOLL_DIARIZATION__MIN_SPEAKERS": "8",
        "PROTOKOLL_DIARIZATION__MAX_SPEAKERS": "4",
    }
    with pytest.raises(ConfigError, match="min_speakers"):
        load_settings(REPO_CONFIG, environ=env)


def test_other_protokoll_variables_are_not_settings() -> None:
    # e.g. the benchmarks' data directory; it must not make every command fail
    env = {"PROTOKOLL_FLEURS_DIR": "/data/fleurs", "PATH": "/usr/bin", "HOME": "/root"}
    assert load_settings(REPO_CONFIG, environ=env) == load_settings(REPO_CONFIG, environ={})


def test_env_variable_with_empty_part_is_an_error() -> None:
    with pytest.raises(ConfigError, match="PROTOKOLL_<ABSCHNITT>__<SCHLÜSSEL>"):
        load_settings(REPO_CONFIG, environ={"PROTOKOLL_TRANSCRIPTION__": "x"})


def test_env_section_and_key_together_contradict() -> None:
    env = {"PROTOKOLL_TRANSCRIPTION": "x", "PROTOKOLL_TRANSCRIPTION__DEVICE": "cuda"}
    with pytest.raises(ConfigError, match="widersprechen sich"):
        load_settings(REPO_CONFIG, environ=env)


def test_env_beats_file_and_profile(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        'profile = "gpu"\n[transcription]\nbeam_size = 2\n'
        "[profiles.gpu.transcription]\nbeam_size = 3\n",
    )
    assert load_settings(path, environ={}).transcription.beam_size == 3
    env = {"PROTOKOLL_TRANSCRIPTION__BEAM_SIZE": "4"}
    assert load_settings(path, environ=env).transcription.beam_size == 4


# ---- profiles ----------------------------------------------------------------------------------


def test_gpu_profile_via_environment() -> None:
    settings = load_settings(REPO_CONFIG, environ={"PROTOKOLL_PROFILE": "gpu"})
    assert settings.profile == "gpu"
    assert settings.transcription.model == "whisper-large-v3-turbo"
    assert settings.transcription.device == "cuda"
    assert settings.transcription.compute_type == "float16"
    assert settings.transcription.batch_size == 16
    assert settings.diarization.pipeline == "pretrained"
    assert settings.diarization.pretrained_model == "pyannote-speaker-diarization-community-1"
    assert settings.diarization.device == "cuda"
    # keys the profile does not set keep the file's values
    assert settings.transcription.language == "de"
    assert settings.diarization.clustering_threshold == pytest.approx(0.75)


def test_profile_selected_by_the_profile_key(tmp_path: Path) -> None:
    text = REPO_CONFIG.read_text(encoding="utf-8").replace('profile = "cpu"', 'profile = "gpu"', 1)
    path = write(tmp_path, text)
    settings = load_settings(path, environ={})
    assert settings.profile == "gpu"
    assert settings.transcription.model == "whisper-large-v3-turbo"
    assert settings.diarization.pipeline == "pretrained"


def test_env_profile_beats_the_profile_key(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        'profile = "gpu"\n[profiles.gpu.transcription]\ndevice = "cuda"\n'
        '[profiles.klein.transcription]\nmodel = "whisper-tiny"\n',
    )
    settings = load_settings(path, environ={"PROTOKOLL_PROFILE": "klein"})
    assert settings.profile == "klein"
    assert settings.transcription.model == "whisper-tiny"
    assert settings.transcription.device == "auto"


def test_cpu_profile_needs_no_table(tmp_path: Path) -> None:
    path = write(tmp_path, "[transcription]\nbeam_size = 2\n")
    settings = load_settings(path, environ={"PROTOKOLL_PROFILE": "cpu"})
    assert settings.profile == "cpu"
    assert settings.transcription.beam_size == 2


def test_unknown_profile_is_an_error() -> None:
    with pytest.raises(ConfigError) as info:
        load_settings(REPO_CONFIG, environ={"PROTOKOLL_PROFILE": "tpu"})
    message = str(info.value)
    assert "Profil „tpu“" in message
    assert "nicht definiert" in message
    assert "vorhanden: gpu" in message


def test_unknown_profile_without_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ConfigError, match="vorhanden: keine"):
        load_settings(None, environ={"PROTOKOLL_PROFILE": "gpu"})


def test_unknown_key_in_a_profile_names_the_profile(tmp_path: Path) -> None:
    path = write(tmp_path, '[profiles.gpu.transcription]\nmodel_name = "x"\n')
    with pytest.raises(ConfigError) as info:
        load_settings(path, environ={"PROTOKOLL_PROFILE": "gpu"})
    message = str(info.value)
    assert "transcription.model_name" in message
    assert "[profiles.gpu]" in message


def test_malformed_profiles_table_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path, 'profiles = "gpu"\n')
    with pytest.raises(ConfigError, match="profiles"):
        load_settings(path, environ={})


def test_profile_must_be_text(tmp_path: Path) -> None:
    path = write(tmp_path, "profile = 2\n")
    with pytest.raises(ConfigError, match="Profilname"):
        load_settings(path, environ={})


# ---- [review] delete_recording (issue #17) ------------------------------------------------


def test_recording_is_deleted_at_publication_by_default(tmp_path: Path) -> None:
    assert Settings().review.delete_recording == "veroeffentlichung"
    assert load_settings(REPO_CONFIG, environ={}).review.delete_recording == "veroeffentlichung"
    never = write(tmp_path, '[review]\ndelete_recording = "nie"\n')
    assert load_settings(never, environ={}).review.delete_recording == "nie"


@pytest.mark.parametrize(("old", "new"), [("true", "veroeffentlichung"), ("false", "nie")])
def test_the_old_key_is_still_read(tmp_path: Path, old: str, new: str) -> None:
    """An old config.toml keeps working: approval deletes nothing any more, so true now
    means deletion at publication."""
    path = write(tmp_path, f"[review]\ndelete_recording_on_approval = {old}\n")
    assert load_settings(path, environ={}).review.delete_recording == new
    variable = {"PROTOKOLL_REVIEW__DELETE_RECORDING_ON_APPROVAL": old}
    assert load_settings(REPO_CONFIG, environ=variable).review.delete_recording == new


def test_old_and_new_key_together_or_a_wrong_value_are_german_errors(tmp_path: Path) -> None:
    both = write(
        tmp_path, '[review]\ndelete_recording_on_approval = true\ndelete_recording = "nie"\n'
    )
    with pytest.raises(ConfigError, match="delete_recording_on_approval gibt es nicht mehr"):
        load_settings(both, environ={})
    wrong = write(tmp_path, '[review]\ndelete_recording = "freigabe"\n', "falsch.toml")
    with pytest.raises(ConfigError, match="erlaubt sind 'veroeffentlichung' oder 'nie'"):
        load_settings(wrong, environ={})
    odd = write(tmp_path, '[review]\ndelete_recording_on_approval = "bald"\n', "alt.toml")
    with pytest.raises(ConfigError, match='delete_recording = "veroeffentlichung"'):
        load_settings(odd, environ={})
