"""Uploads under stress: 2 GB with flat memory, wrong and truncated files, concurrency,
interruptions, failures.

Checks of content and state run in-process (TestClient, in-memory queue); memory,
concurrency and a connection dropped mid-chunk need real HTTP and run against a
`protokoll serve --no-worker` subprocess.
"""

from __future__ import annotations

import hashlib
import itertools
import random
import shutil
import socket
import struct
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import httpx
import numpy as np
import psutil
import pytest
from fastapi.testclient import TestClient

from protokoll.config import load_settings
from protokoll.service.context import ServiceContext
from protokoll.service.http.app import create_app
from protokoll.service.infra import auth
from tests.support.media import MakeMedia
from tests.support.service_process import (
    REPO,
    ServiceEnv,
    create_meeting,
    service_env,
    wait_for,
    writers_race,
)

SAMPLE = REPO / "samples" / "sitzung.ogg"
PDF = (
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
)
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7V\x83\xe0"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)
TEXT = "Tagesordnung der Sitzung des Gemeinderats\n\nTOP 1: Eröffnung\n".encode() * 20


class Reply(Protocol):
    """An HTTP response, from httpx or from the TestClient."""

    @property
    def status_code(self) -> int: ...
    @property
    def text(self) -> str: ...
    def json(self) -> Any: ...


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def wav_header(data_bytes: int, *, rate: int, channels: int, bits: int) -> bytes:
    """A canonical 44-byte PCM WAV header announcing `data_bytes` of samples."""
    block = channels * bits // 8
    return (
        b"RIFF"
        + struct.pack("<I", 36 + data_bytes)
        + b"WAVEfmt "
        + struct.pack("<IHHIIHH", 16, 1, channels, rate, rate * block, block, bits)
        + b"data"
        + struct.pack("<I", data_bytes)
    )


# ---- in-process service ---------------------------------------------------------------------


@dataclass
class Local:
    ctx: ServiceContext
    client: TestClient
    app: Any

    @property
    def data_dir(self) -> Path:
        return self.ctx.layout.data_dir

    def meeting(self) -> str:
        r = self.client.post("/api/meetings", json={"body": "Gemeinderat", "date": "2026-11-19"})
        assert r.status_code == 201, r.text
        return str(r.json()["id"])

    def start(self, meeting_id: str, name: str, size: int, **extra: Any) -> dict[str, Any]:
        r = self.client.post(
            f"/api/meetings/{meeting_id}/uploads", json={"filename": name, "size": size, **extra}
        )
        assert r.status_code == 201, r.text
        data: dict[str, Any] = r.json()
        return data

    def put(self, upload_id: str, offset: int, data: bytes) -> Reply:
        return self.client.put(f"/api/uploads/{upload_id}", params={"offset": offset}, content=data)

    def send(self, meeting_id: str, name: str, data: bytes, **extra: Any) -> str:
        """Start an upload and send all of `data` in one chunk; returns the upload id."""
        upload = self.start(meeting_id, name, len(data), **extra)
        r = self.put(upload["id"], 0, data)
        assert r.status_code == 200, r.text
        return str(upload["id"])

    def complete(self, upload_id: str) -> Reply:
        return self.client.post(f"/api/uploads/{upload_id}/complete")

    def upload(self, upload_id: str) -> dict[str, Any]:
        r = self.client.get(f"/api/uploads/{upload_id}")
        assert r.status_code == 200, r.text
        data: dict[str, Any] = r.json()
        return data

    def recordings(self, meeting_id: str) -> list[dict[str, Any]]:
        r = self.client.get(f"/api/meetings/{meeting_id}")
        assert r.status_code == 200, r.text
        result: list[dict[str, Any]] = r.json()["recordings"]
        return result

    def stored_files(self) -> list[Path]:
        """Everything under meetings/*/recordings and uploads/ (part files, check links)."""
        found = list((self.data_dir / "meetings").glob("*/recordings/**/*"))
        return found + list((self.data_dir / "uploads").rglob("*"))

    def part(self, upload_id: str) -> Path:
        return self.ctx.layout.upload_part(upload_id)


@pytest.fixture
def local(tmp_path: Path) -> Iterator[Local]:
    settings = load_settings(
        REPO / "config.toml",
        {
            "PROTOKOLL_SERVICE__DATA_DIR": str(tmp_path / "data"),
            "PROTOKOLL_SERVICE__QUEUE": "memory",
            "PROTOKOLL_SERVICE__UPLOAD_CHUNK_MB": "1",
        },
    )
    app = create_app(settings)
    ctx: ServiceContext = app.state.ctx
    with ctx.db.session() as s:
        user = auth.create_user(s, "anna", "sehr-geheimes-passwort-1", ["schriftfuehrer"])
        token, _record = auth.create_api_token(s, user, "test")
    with TestClient(app, headers={"Authorization": f"Bearer {token}"}) as client:
        yield Local(ctx, client, app)


def assert_refused_and_gone(local: Local, meeting_id: str, upload_id: str, r: Reply) -> str:
    """The completion was refused (422, German), the upload failed, nothing was kept."""
    assert r.status_code == 422, r.text
    detail = str(r.json()["detail"])
    upload = local.upload(upload_id)
    assert upload["state"] == "failed"
    assert upload["error"] == detail
    assert upload["recording_id"] is None
    assert local.recordings(meeting_id) == []
    assert not local.part(upload_id).exists()
    assert local.stored_files() == []
    # a failed upload takes no more data and cannot be completed after all
    assert local.put(upload_id, 0, b"x").status_code == 409
    assert local.complete(upload_id).status_code == 409
    return detail


# ---- (b) a renamed file that is no recording ------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("aufnahme.mp3", PDF, "ist ein PDF-Dokument, keine Aufnahme"),
        ("aufnahme.wav", PNG, "ist ein PNG-Bild, keine Aufnahme"),
        ("sitzung.ogg", TEXT, "ist eine Textdatei, keine Aufnahme"),
    ],
)
def test_renamed_non_audio_file_is_refused_and_nothing_is_stored(
    local: Local, name: str, content: bytes, kind: str
) -> None:
    meeting_id = local.meeting()
    upload_id = local.send(meeting_id, name, content)
    detail = assert_refused_and_gone(local, meeting_id, upload_id, local.complete(upload_id))
    assert detail.startswith(f"Die hochgeladene Datei {kind}."), detail
    assert "Bitte eine Aufnahme als WAV, MP3" in detail


# ---- (c) truncated recordings ---------------------------------------------------------------


def test_wav_with_less_data_than_its_header_declares_is_refused(
    local: Local, make_media: MakeMedia, tmp_path: Path
) -> None:
    full = make_media(tmp_path / "voll.wav", "-ac", "1", signal="speech", seconds=20.0)
    data = full.read_bytes()
    cut = data[: 44 + (len(data) - 44) // 4]  # header says 20 s, 5 s arrive
    meeting_id = local.meeting()
    upload_id = local.send(meeting_id, "sitzung.wav", cut)
    detail = assert_refused_and_gone(local, meeting_id, upload_id, local.complete(upload_id))
    assert "„sitzung.wav“ ist beschädigt oder unvollständig" in detail, detail
    assert "vollständige Datei" in detail


def test_ogg_cut_in_the_middle_is_refused(local: Local) -> None:
    data = SAMPLE.read_bytes()
    cut = data[: len(data) // 2 + 1234]
    assert cut[-4:] != b"OggS"  # not by chance at a page boundary
    meeting_id = local.meeting()
    upload_id = local.send(meeting_id, "sitzung.ogg", cut)
    detail = assert_refused_and_gone(local, meeting_id, upload_id, local.complete(upload_id))
    assert "„sitzung.ogg“ ist beschädigt oder unvollständig" in detail, detail


def test_the_complete_sample_is_accepted(local: Local) -> None:
    """The counterpart of the refusals above: the same path accepts a good file."""
    data = SAMPLE.read_bytes()
    meeting_id = local.meeting()
    upload_id = local.send(meeting_id, "sitzung.ogg", data, sha256=sha256(data))
    r = local.complete(upload_id)
    assert r.status_code == 201, r.text
    recording = r.json()
    assert recording["sha256"] == sha256(data)
    assert recording["format"] == "ogg"
    assert recording["codec"] == "opus"
    assert recording["duration_s"] == pytest.approx(220.18, abs=0.1)
    stored = local.data_dir / "meetings" / meeting_id / "recordings" / f"{upload_id}.ogg"
    assert stored.read_bytes() == data
    assert local.upload(upload_id)["state"] == "done"
    assert not local.part(upload_id).exists()
    assert not list((local.data_dir / "uploads").iterdir())  # no check links left behind
    # completing twice returns the same recording instead of a second one
    again = local.complete(upload_id)
    assert again.status_code == 201, again.text
    assert again.json()["id"] == recording["id"]
    assert len(local.recordings(meeting_id)) == 1


# ---- (e) resuming an interrupted upload -----------------------------------------------------


def test_interrupted_upload_resumes_from_its_offset(local: Local) -> None:
    data = SAMPLE.read_bytes()
    chunk = 200_000
    meeting_id = local.meeting()
    upload = local.start(meeting_id, "sitzung.ogg", len(data), sha256=sha256(data))
    upload_id = upload["id"]
    for offset in (0, chunk):  # two chunks, then the client goes away
        r = local.put(upload_id, offset, data[offset : offset + chunk])
        assert r.status_code == 200, r.text
    assert r.json()["offset"] == 2 * chunk

    # completing now is refused, and the upload stays open for the rest
    r = local.complete(upload_id)
    assert r.status_code == 422, r.text
    assert "unvollständig" in r.json()["detail"]
    assert local.upload(upload_id)["state"] == "open"
    assert local.part(upload_id).stat().st_size == 2 * chunk

    # a new session of the same user asks where the upload stands and continues there
    token_client = TestClient(local.app, headers=dict(local.client.headers))
    with token_client as client:
        r = client.get(f"/api/uploads/{upload_id}")
        assert r.status_code == 200, r.text
        offset = r.json()["offset"]
        assert offset == 2 * chunk
        assert r.json()["state"] == "open"

        # a chunk at the wrong place is refused with the right offset to go on from
        r = client.put(f"/api/uploads/{upload_id}", params={"offset": 0}, content=data[:chunk])
        assert r.status_code == 409, r.text
        assert r.json()["offset"] == offset
        assert "bitte dort fortsetzen" in r.json()["detail"]

        while offset < len(data):
            r = client.put(
                f"/api/uploads/{upload_id}",
                params={"offset": offset},
                content=data[offset : offset + chunk],
            )
            assert r.status_code == 200, r.text
            offset = r.json()["offset"]
        r = client.post(f"/api/uploads/{upload_id}/complete")
        assert r.status_code == 201, r.text
    assert r.json()["sha256"] == sha256(data)
    stored = local.data_dir / "meetings" / meeting_id / "recordings" / f"{upload_id}.ogg"
    assert stored.read_bytes() == data


# ---- (f) failures leave nothing half-stored -------------------------------------------------


def test_checksum_mismatch_keeps_nothing(local: Local) -> None:
    data = SAMPLE.read_bytes()
    damaged = bytearray(data)
    damaged[len(data) // 3] ^= 0x01  # one bit flipped on the way
    meeting_id = local.meeting()
    upload_id = local.send(meeting_id, "sitzung.ogg", bytes(damaged), sha256=sha256(data))
    detail = assert_refused_and_gone(local, meeting_id, upload_id, local.complete(upload_id))
    assert detail.startswith("Die Prüfsumme stimmt nicht"), detail


def test_chunk_beyond_the_declared_size_is_cut_off_again(local: Local) -> None:
    data = SAMPLE.read_bytes()
    meeting_id = local.meeting()
    upload = local.start(meeting_id, "sitzung.ogg", len(data))
    upload_id = upload["id"]
    half = len(data) // 2
    assert local.put(upload_id, 0, data[:half]).status_code == 200
    r = local.put(upload_id, half, data[half:] + b"zu viel")
    assert r.status_code == 422, r.text
    assert "mehr Daten gesendet als angekündigt" in r.json()["detail"]
    assert local.part(upload_id).stat().st_size == half  # the refused chunk left no trace
    assert local.upload(upload_id)["offset"] == half
    # the upload itself goes on
    assert local.put(upload_id, half, data[half:]).status_code == 200
    r = local.complete(upload_id)
    assert r.status_code == 201, r.text
    assert r.json()["sha256"] == sha256(data)


def test_oversized_chunk_is_refused(local: Local) -> None:
    # service.upload_chunk_mb = 1 here: a chunk may be at most twice that
    size = 3 * 1024**2
    meeting_id = local.meeting()
    upload_id = local.start(meeting_id, "gross.wav", size)["id"]
    r = local.put(upload_id, 0, bytes(size))
    assert r.status_code == 422, r.text
    assert local.part(upload_id).stat().st_size == 0


def test_upload_larger_than_allowed_is_refused_before_any_byte(local: Local) -> None:
    meeting_id = local.meeting()
    r = local.client.post(
        f"/api/meetings/{meeting_id}/uploads",
        json={"filename": "riesig.wav", "size": 21 * 1024**3},
    )
    assert r.status_code == 422, r.text
    assert "größer als die erlaubten" in r.json()["detail"]
    assert local.stored_files() == []


def test_aborted_upload_removes_its_part_file(local: Local) -> None:
    data = SAMPLE.read_bytes()
    meeting_id = local.meeting()
    upload_id = local.start(meeting_id, "sitzung.ogg", len(data))["id"]
    assert local.put(upload_id, 0, data[:100_000]).status_code == 200
    assert local.part(upload_id).stat().st_size == 100_000
    r = local.client.delete(f"/api/uploads/{upload_id}")
    assert r.status_code == 200, r.text
    assert not local.part(upload_id).exists()
    assert local.upload(upload_id)["state"] == "failed"
    assert local.put(upload_id, 100_000, data[100_000:200_000]).status_code == 409
    assert local.complete(upload_id).status_code == 409
    assert local.stored_files() == []
    assert local.recordings(meeting_id) == []


# ---- a real server: concurrency and a dropped connection ---------------------------------------


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ServiceEnv, httpx.Client]]:
    with service_env(tmp_path_factory.mktemp("uploads-server")) as env:
        env.add_user("anna")
        env.add_user("bernd")
        env.start_server()
        with env.client() as client:
            yield env, client


@pytest.fixture(scope="module")
def sources(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """Four different real recordings made from the sample."""
    if shutil.which("ffmpeg") is None:
        pytest.skip("ffmpeg ist nicht installiert")
    folder = tmp_path_factory.mktemp("sources")
    made = {"sitzung.ogg": SAMPLE.read_bytes()}
    for name, args in {
        "sitzung.wav": ["-ac", "1", "-ar", "16000"],
        "sitzung.flac": ["-ac", "1", "-ar", "16000"],
        "anfang.mp3": ["-t", "60", "-ac", "1", "-b:a", "64k"],
    }.items():
        path = folder / name
        subprocess.run(
            ["ffmpeg", "-nostdin", "-v", "error", "-y", "-i", str(SAMPLE), *args, str(path)],
            check=True, capture_output=True,
        )  # fmt: skip
        made[name] = path.read_bytes()
    assert len({sha256(d) for d in made.values()}) == len(made)
    return made


def test_concurrent_uploads_do_not_mix(
    server: tuple[ServiceEnv, httpx.Client], sources: dict[str, bytes]
) -> None:
    env, client = server
    meeting_id = create_meeting(client)
    chunk = 64 * 1024
    order: list[str] = []
    results: dict[str, dict[str, Any]] = {}
    upload_ids: dict[str, str] = {}
    errors: list[BaseException] = []
    barrier = threading.Barrier(len(sources))
    lock = threading.Lock()

    def send(name: str, data: bytes) -> None:
        try:
            with httpx.Client(
                base_url=env.base_url, headers=dict(client.headers), timeout=20
            ) as own:
                r = own.post(
                    f"/api/meetings/{meeting_id}/uploads",
                    json={"filename": name, "size": len(data), "sha256": sha256(data)},
                )
                assert r.status_code == 201, r.text
                upload_id = r.json()["id"]
                upload_ids[name] = upload_id
                barrier.wait(timeout=60)
                for offset in range(0, len(data), chunk):
                    with lock:
                        order.append(name)
                    r = own.put(
                        f"/api/uploads/{upload_id}",
                        params={"offset": offset},
                        content=data[offset : offset + chunk],
                    )
                    assert r.status_code == 200, r.text
                r = own.post(f"/api/uploads/{upload_id}/complete")
                assert r.status_code == 201, r.text
                results[name] = r.json()
        except BaseException as exc:
            errors.append(exc)
            barrier.abort()

    threads = [threading.Thread(target=send, args=item) for item in sources.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not any(t.is_alive() for t in threads)
    assert not errors, f"{errors!r}\n{env.logs()}"

    switches = sum(1 for a, b in itertools.pairwise(order) if a != b)
    assert switches >= 2 * len(sources), "the chunks should really interleave"
    recordings_dir = env.data_dir / "meetings" / meeting_id / "recordings"
    assert len(list(recordings_dir.iterdir())) == len(sources)
    for name, data in sources.items():
        recording = results[name]
        assert recording["name"] == name
        assert recording["size_bytes"] == len(data)
        assert recording["sha256"] == sha256(data)
        stored = next(recordings_dir.glob(f"{upload_ids[name]}.*"))
        assert stored.read_bytes() == data, name
        r = client.get(f"/api/meetings/{meeting_id}/recordings/{recording['id']}")
        assert r.status_code == 200, r.text
        assert r.content == data, name
    assert not list((env.data_dir / "uploads").iterdir())


def test_connection_dropped_mid_chunk_leaves_the_upload_resumable(
    server: tuple[ServiceEnv, httpx.Client],
) -> None:
    env, client = server
    data = SAMPLE.read_bytes()
    chunk = 256 * 1024
    meeting_id = create_meeting(client)
    r = client.post(
        f"/api/meetings/{meeting_id}/uploads",
        json={"filename": "sitzung.ogg", "size": len(data), "sha256": sha256(data)},
    )
    assert r.status_code == 201, r.text
    upload_id = r.json()["id"]
    assert client.put(
        f"/api/uploads/{upload_id}", params={"offset": 0}, content=data[:chunk]
    ).status_code == 200  # fmt: skip

    # the second chunk: headers announce 256 KiB, a third of it arrives, the line drops
    token = client.headers["Authorization"]
    head = (
        f"PUT /api/uploads/{upload_id}?offset={chunk} HTTP/1.1\r\n"
        f"Host: 127.0.0.1:{env.port}\r\nAuthorization: {token}\r\n"
        f"Content-Type: application/octet-stream\r\nContent-Length: {chunk}\r\n\r\n"
    ).encode()
    with socket.create_connection(("127.0.0.1", env.port), timeout=10) as sock:
        sock.sendall(head + data[chunk : chunk + chunk // 3])
        time.sleep(0.5)  # the server has started writing the chunk
    # the broken chunk is cut off again; the upload stands where the last good chunk ended
    wait_for(
        lambda: client.get(f"/api/uploads/{upload_id}").json()["offset"] == chunk,
        timeout=30, what="the broken chunk to be discarded",
    )  # fmt: skip
    upload = client.get(f"/api/uploads/{upload_id}").json()
    assert upload["state"] == "open"
    offset = upload["offset"]
    while offset < len(data):
        r = client.put(
            f"/api/uploads/{upload_id}",
            params={"offset": offset},
            content=data[offset : offset + chunk],
        )
        assert r.status_code == 200, r.text
        offset = r.json()["offset"]
    r = client.post(f"/api/uploads/{upload_id}/complete")
    assert r.status_code == 201, r.text
    assert r.json()["sha256"] == sha256(data)
    stored = env.data_dir / "meetings" / meeting_id / "recordings" / f"{upload_id}.ogg"
    assert stored.read_bytes() == data


def test_chunk_retried_while_the_first_attempt_still_streams_does_not_corrupt(
    server: tuple[ServiceEnv, httpx.Client], sources: dict[str, bytes]
) -> None:
    """A client whose chunk request seems to hang sends the chunk again; the first attempt
    is still alive and delivers its body afterwards. Without a checksum, only the server's
    offset bookkeeping keeps the recording intact."""
    env, client = server
    data = sources["sitzung.wav"]  # PCM: nothing in the format would notice a swapped block
    chunk = 256 * 1024
    meeting_id = create_meeting(client)
    r = client.post(
        f"/api/meetings/{meeting_id}/uploads", json={"filename": "sitzung.wav", "size": len(data)}
    )
    assert r.status_code == 201, r.text
    upload_id = r.json()["id"]
    assert client.put(
        f"/api/uploads/{upload_id}", params={"offset": 0}, content=data[:chunk]
    ).status_code == 200  # fmt: skip

    head = (
        f"PUT /api/uploads/{upload_id}?offset={chunk} HTTP/1.1\r\n"
        f"Host: 127.0.0.1:{env.port}\r\nAuthorization: {client.headers['Authorization']}\r\n"
        f"Content-Type: application/octet-stream\r\nContent-Length: {chunk}\r\n\r\n"
    ).encode()
    with socket.create_connection(("127.0.0.1", env.port), timeout=30) as first:
        first.sendall(head)  # the first attempt: headers, then the line stalls
        time.sleep(0.5)
        retry = client.put(
            f"/api/uploads/{upload_id}", params={"offset": chunk}, content=data[chunk : 2 * chunk]
        )
        assert retry.status_code in (200, 409), retry.text
        first.sendall(data[chunk : 2 * chunk])  # the first attempt's body arrives after all
        first.recv(4096)

    # a well-behaved client: it goes on from wherever the server says the upload stands
    offset = client.get(f"/api/uploads/{upload_id}").json()["offset"]
    while offset < len(data):
        r = client.put(
            f"/api/uploads/{upload_id}",
            params={"offset": offset},
            content=data[offset : offset + chunk],
        )
        assert r.status_code in (200, 409), r.text
        offset = r.json()["offset"]
    r = client.post(f"/api/uploads/{upload_id}/complete")
    assert r.status_code == 201, r.text
    stored = env.data_dir / "meetings" / meeting_id / "recordings" / f"{upload_id}.wav"
    assert r.json()["sha256"] == sha256(data), "the stored recording differs from the file sent"
    assert stored.read_bytes() == data


def test_agenda_upload_while_another_user_works_does_not_stall_the_server(
    server: tuple[ServiceEnv, httpx.Client],
) -> None:
    env, _client = server
    outcome = writers_race(env)
    assert outcome == {"anna": "ok", "bernd": "ok"}, f"{outcome}\n{env.logs()}"
    assert httpx.get(f"{env.base_url}/healthz", timeout=10).status_code == 200


# ---- (a) 2 GB with flat memory ----------------------------------------------------------------

BIG_RATE, BIG_CHANNELS, BIG_BITS = 48_000, 2, 24
BIG_SECONDS = 2 * 3600
BIG_DATA = BIG_SECONDS * BIG_RATE * BIG_CHANNELS * BIG_BITS // 8  # 2,073,600,000 bytes
RSS_GROWTH_LIMIT = 150 * 1024**2


class RssSampler(threading.Thread):
    """The server's resident memory every 0.2 s, in a background thread."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.process = psutil.Process(pid)
        self.peak = 0
        self.samples = 0
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            self.peak = max(self.peak, self.process.memory_info().rss)
            self.samples += 1
            self.stopped.wait(0.2)

    def stop(self) -> None:
        self.stopped.set()
        self.join(timeout=5)


def noise_chunks(total: int, chunk: int, seed: int = 2026) -> Iterator[bytes]:
    """`total` bytes of noise-like PCM, made chunk by chunk (never all in memory)."""
    rng = np.random.default_rng(seed)
    pool = rng.bytes(16 * 1024**2)  # fresh noise per chunk would cost more CPU than the upload
    shuffle = random.Random(seed)
    sent = 0
    while sent < total:
        size = min(chunk, total - sent)
        start = shuffle.randrange(0, len(pool) - size + 1) if size < len(pool) else 0
        block = bytearray(pool[start : start + size])
        block[:8] = struct.pack("<Q", sent)  # every chunk differs from all others
        sent += size
        yield bytes(block)


@pytest.mark.slow
def test_two_gigabyte_upload_streams_with_flat_memory(tmp_path: Path) -> None:
    free = shutil.disk_usage(tmp_path).free
    if free < 6 * 1024**3:
        pytest.skip(f"only {free / 1024**3:.1f} GB free beside {tmp_path}; 6 GB needed")
    header = wav_header(BIG_DATA, rate=BIG_RATE, channels=BIG_CHANNELS, bits=BIG_BITS)
    total = len(header) + BIG_DATA
    try:
        with service_env(tmp_path / "svc") as env:
            env.add_user()
            server = env.start_server()
            with env.client() as client:
                meeting_id = create_meeting(client)
                # warm up every code path of an upload with a small file first
                small = SAMPLE.read_bytes()
                r = client.post(
                    f"/api/meetings/{meeting_id}/uploads",
                    json={"filename": "klein.ogg", "size": len(small)},
                )
                warm_id = r.json()["id"]
                client.put(f"/api/uploads/{warm_id}", params={"offset": 0}, content=small)
                assert client.post(f"/api/uploads/{warm_id}/complete").status_code == 201
                time.sleep(1.0)
                process = psutil.Process(server.pid)
                baseline = max(process.memory_info().rss for _ in range(5))

                r = client.post(
                    f"/api/meetings/{meeting_id}/uploads",
                    json={"filename": "sitzung-2h.wav", "size": total},
                )
                assert r.status_code == 201, r.text
                upload = r.json()
                upload_id, chunk = upload["id"], int(upload["chunk_bytes"])

                sampler = RssSampler(server.pid)
                sampler.start()
                digest = hashlib.sha256()
                began = time.monotonic()
                try:
                    offset = 0
                    body = [header]
                    for block in noise_chunks(BIG_DATA, chunk):
                        body.append(block)
                        piece = b"".join(body)
                        body = []
                        if len(piece) > chunk:  # the header makes the first piece longer
                            body = [piece[chunk:]]
                            piece = piece[:chunk]
                        digest.update(piece)
                        r = client.put(
                            f"/api/uploads/{upload_id}", params={"offset": offset}, content=piece
                        )
                        assert r.status_code == 200, r.text
                        offset = r.json()["offset"]
                    for piece in body:
                        digest.update(piece)
                        r = client.put(
                            f"/api/uploads/{upload_id}", params={"offset": offset}, content=piece
                        )
                        assert r.status_code == 200, r.text
                        offset = r.json()["offset"]
                    sent_at = time.monotonic()
                    assert offset == total
                    r = client.post(f"/api/uploads/{upload_id}/complete", timeout=600)
                    completed_at = time.monotonic()
                finally:
                    sampler.stop()
                assert r.status_code == 201, f"{r.text}\n{env.logs()}"
                recording = r.json()

            seconds = sent_at - began
            growth = sampler.peak - baseline
            print(
                f"\n2 GB upload: {total / 1e6:.0f} MB in {seconds:.1f} s "
                f"= {total / 1e6 / seconds:.0f} MB/s (client makes and hashes the data too); "
                f"completion (SHA-256, checks) {completed_at - sent_at:.1f} s; server RSS "
                f"baseline {baseline / 1024**2:.0f} MiB, peak {sampler.peak / 1024**2:.0f} MiB "
                f"(+{growth / 1024**2:.0f} MiB, {sampler.samples} samples)"
            )
            assert sampler.samples >= 10
            assert recording["size_bytes"] == total
            assert recording["sha256"] == digest.hexdigest()
            assert recording["format"] == "wav"
            assert recording["duration_s"] == pytest.approx(BIG_SECONDS, abs=1)
            stored = env.data_dir / "meetings" / meeting_id / "recordings" / f"{upload_id}.wav"
            assert stored.stat().st_size == total
            assert growth < RSS_GROWTH_LIMIT, f"server memory grew by {growth / 1024**2:.0f} MiB"
    finally:
        shutil.rmtree(tmp_path / "svc", ignore_errors=True)
