"""Intake: every common format decodes to 16 kHz mono; unusable files are refused in German.

Fast (ffmpeg only, no models). The test recordings are made with ffmpeg (see conftest).
"""

from __future__ import annotations

import hashlib
import random
import re
import tracemalloc
import wave
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from protokoll.audio import intake
from protokoll.audio.intake import SAMPLE_RATE_HZ, decode, read_wav
from protokoll.errors import (
    CorruptAudioError,
    EmptyInputError,
    InputError,
    NotAudioError,
    SilentAudioError,
)

MakeMedia = Callable[..., Path]
SINE = "sine=frequency=440:duration={seconds}:sample_rate={rate}"
VIDEO = ["-f", "lavfi", "-i", "testsrc=size=160x120:rate=10:duration=6"]


def _lavfi(graph: str) -> list[str]:
    return ["-f", "lavfi", "-i", graph]


def _truncate(path: Path, share: float = 0.4) -> Path:
    data = path.read_bytes()
    cut = path.with_name("cut-" + path.name)
    cut.write_bytes(data[: int(len(data) * share)])
    return cut


def _assert_pcm16k_mono(wav_path: Path) -> int:
    with wave.open(str(wav_path), "rb") as wav:
        assert wav.getframerate() == SAMPLE_RATE_HZ
        assert wav.getnchannels() == 1
        assert wav.getsampwidth() == 2
        return wav.getnframes()


def _dominant_hz(audio: np.ndarray) -> float:
    spectrum = np.abs(np.fft.rfft(audio * np.hanning(len(audio))))
    return float(np.fft.rfftfreq(len(audio), 1 / SAMPLE_RATE_HZ)[spectrum.argmax()])


# ---- good files -------------------------------------------------------------------------------

GOOD = [
    # id, file name, ffmpeg inputs (None: 440 Hz sine), output options, codec, channels, rate
    ("wav", "a.wav", None, ["-ac", "2", "-ar", "44100", "-c:a", "pcm_s16le"],
     "pcm_s16le", 2, 44100),
    ("mp3", "a.mp3", None, ["-ac", "2", "-ar", "44100", "-c:a", "libmp3lame", "-b:a", "128k"],
     "mp3", 2, 44100),
    ("m4a", "a.m4a", None, ["-ac", "2", "-ar", "48000", "-c:a", "aac"], "aac", 2, 48000),
    ("ogg-opus", "a.ogg", None, ["-ar", "48000", "-c:a", "libopus"], "opus", 1, 48000),
    ("ogg-vorbis", "a.oga", None, ["-ac", "2", "-ar", "44100", "-c:a", "libvorbis", "-f", "ogg"],
     "vorbis", 2, 44100),
    ("flac", "a.flac", None, ["-ar", "22050", "-c:a", "flac"], "flac", 1, 22050),
    ("wav-6ch-48k", "six.wav", None, ["-ac", "6", "-ar", "48000", "-c:a", "pcm_s24le"],
     "pcm_s24le", 6, 48000),
    ("mp4-video", "a.mp4", [*VIDEO, *_lavfi(SINE.format(seconds=6, rate=44100))],
     ["-map", "0:v", "-map", "1:a", "-c:v", "mpeg4", "-c:a", "aac", "-ac", "2"], "aac", 2, 44100),
    ("mkv-video", "a.mkv", [*VIDEO, *_lavfi(SINE.format(seconds=6, rate=48000))],
     ["-map", "0:v", "-map", "1:a", "-c:v", "mpeg4", "-c:a", "libvorbis"], "vorbis", 1, 48000),
    ("mkv-audio", "b.mkv", None, ["-ar", "48000", "-c:a", "libopus"], "opus", 1, 48000),
    ("webm", "a.webm", None, ["-ar", "48000", "-c:a", "libopus"], "opus", 1, 48000),
    ("aiff", "a.aiff", None, ["-ar", "8000", "-c:a", "pcm_s16be"], "pcm_s16be", 1, 8000),
]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "inputs", "options", "codec", "channels", "rate"),
    [pytest.param(*case[1:], id=case[0]) for case in GOOD],
)
def test_decodes_common_formats_to_16k_mono(
    media: MakeMedia,
    tmp_path: Path,
    name: str,
    inputs: list[str] | None,
    options: list[str],
    codec: str,
    channels: int,
    rate: int,
) -> None:
    src = media(name, *options, inputs=inputs)
    progress: list[tuple[str, float, float]] = []

    decoded = decode(src, tmp_path / "work", hook=lambda *a: progress.append(a))

    frames = _assert_pcm16k_mono(decoded.wav_path)
    assert decoded.wav_path == tmp_path / "work" / "audio16k.wav"
    info = decoded.info
    assert info.duration_s == pytest.approx(frames / SAMPLE_RATE_HZ, abs=1e-3)
    assert info.duration_s == pytest.approx(6.0, abs=0.1)
    assert info.sha256 == hashlib.sha256(src.read_bytes()).hexdigest()
    assert info.file_name == name
    assert info.size_bytes == src.stat().st_size
    assert info.source_codec == codec
    assert info.source_channels == channels
    assert info.source_sample_rate_hz == rate
    assert decoded.warnings == ()
    # a 440 Hz tone at -21 dBFS stays a 440 Hz tone at about that level (the 6-channel file
    # has it in the centre channel only: -7.8 dB in the mix)
    assert -30 < decoded.peak_loudness_dbfs < -18
    audio = read_wav(decoded.wav_path)
    assert _dominant_hz(audio) == pytest.approx(440, abs=2)
    assert progress and {p[0] for p in progress} == {"intake"}
    assert progress[-1][1] == pytest.approx(info.duration_s, abs=1e-3)
    assert not list((tmp_path / "work").glob("*.log"))


def test_speechlike_signal_is_accepted(media: MakeMedia, tmp_path: Path) -> None:
    src = media("rede.mp3", "-c:a", "libmp3lame", signal="speech", seconds=8)
    decoded = decode(src, tmp_path / "work")
    assert decoded.duration_s == pytest.approx(8.0, abs=0.1)
    assert decoded.peak_loudness_dbfs > -30


def test_all_channels_reach_the_mono_mix(media: MakeMedia, tmp_path: Path) -> None:
    """Six microphones, one tone each: none may be lost (ffmpeg's 5.1 downmix drops LFE)."""
    freqs = [300, 500, 700, 900, 1100, 1300]
    inputs = [a for f in freqs for a in _lavfi(f"sine=frequency={f}:duration=4:sample_rate=48000")]
    graph = "".join(f"[{i}:a]" for i in range(6)) + "join=inputs=6:channel_layout=5.1[out]"
    src = media("poly.wav", "-filter_complex", graph, "-map", "[out]", "-c:a", "pcm_s16le",
                inputs=inputs)  # fmt: skip

    decoded = decode(src, tmp_path / "work")

    assert decoded.info.source_channels == 6
    audio = read_wav(decoded.wav_path)
    spectrum = np.abs(np.fft.rfft(audio))
    bins = np.fft.rfftfreq(len(audio), 1 / SAMPLE_RATE_HZ)
    levels = [spectrum[np.abs(bins - f).argmin()] for f in freqs]
    assert min(levels) > 0.5 * max(levels), levels


def test_quiet_recording_is_not_silence(media: MakeMedia, tmp_path: Path) -> None:
    """Speech peaking at -48 dBFS (a far-away microphone) is quiet, not silent."""
    src = media("leise.flac", "-af", "volume=-30dB", "-c:a", "flac", signal="speech")
    decoded = decode(src, tmp_path / "work")
    assert -50 < decoded.peak_loudness_dbfs < -46


def test_wav_written_to_a_pipe_is_accepted(tmp_path: Path) -> None:
    """Streaming writers leave 0xFFFFFFFF as data size: unknown, not truncated."""
    import subprocess

    cmd = ["ffmpeg", "-nostdin", "-v", "error", *_lavfi(SINE.format(seconds=3, rate=16000)),
           "-c:a", "pcm_s16le", "-f", "wav", "pipe:1"]  # fmt: skip
    src = tmp_path / "pipe.wav"
    src.write_bytes(subprocess.run(cmd, check=True, capture_output=True).stdout)
    assert src.read_bytes()[4:8] == b"\xff\xff\xff\xff"
    assert decode(src, tmp_path / "work").duration_s == pytest.approx(3.0, abs=0.05)


def test_mp3_with_tags_and_cover_art_is_accepted(media: MakeMedia, tmp_path: Path) -> None:
    cover = media("cover.png", "-frames:v", "1", inputs=VIDEO)
    plain = media("plain.mp3", "-c:a", "libmp3lame")
    tagged = media(
        "tagged.mp3", "-map", "0", "-map", "1", "-c", "copy", "-id3v2_version", "3",
        "-write_id3v1", "1", "-metadata", "title=Ratssitzung Ä", "-metadata", "artist=Gemeinde",
        inputs=["-i", str(plain), "-i", str(cover)],
    )  # fmt: skip
    decoded = decode(tagged, tmp_path / "work")
    assert decoded.info.source_codec == "mp3"
    assert decoded.duration_s == pytest.approx(6.0, abs=0.1)
    assert decoded.warnings == ()


def test_isolated_decoding_errors_are_tolerated_and_reported(
    media: MakeMedia, tmp_path: Path
) -> None:
    """ffmpeg prints 'Invalid data found' for junk after the last frame: not a reason to refuse."""
    src = media("junk.mp3", "-c:a", "libmp3lame")
    src.write_bytes(src.read_bytes() + random.Random(7).randbytes(3000))
    decoded = decode(src, tmp_path / "work")
    assert decoded.duration_s == pytest.approx(6.0, abs=0.1)
    assert any("beschädigte Stelle" in w for w in decoded.warnings)


def test_slightly_short_tail_is_tolerated(media: MakeMedia, tmp_path: Path) -> None:
    """A final mp3 frame cut by a few bytes loses milliseconds, not the recording."""
    src = media("tail.mp3", "-c:a", "libmp3lame")
    src.write_bytes(src.read_bytes()[:-300])
    assert decode(src, tmp_path / "work").duration_s == pytest.approx(6.0, abs=0.1)


def test_ogg_without_end_marker_is_accepted_with_warning(media: MakeMedia, tmp_path: Path) -> None:
    """Cut exactly at a page boundary (recorder stopped): usable, but the user is told."""
    src = media("a.ogg", "-c:a", "libopus")
    data = src.read_bytes()
    src.write_bytes(data[: data.rfind(b"OggS")])
    decoded = decode(src, tmp_path / "work")
    assert 4.0 < decoded.duration_s < 6.0
    assert any("nicht ordnungsgemäß abgeschlossen" in w for w in decoded.warnings)


def test_decoding_memory_stays_bounded(media: MakeMedia, tmp_path: Path) -> None:
    """Ten minutes of audio (19 MB as 16 kHz PCM) are decoded in 10 s blocks."""
    src = media("lang.flac", "-c:a", "flac", "-ac", "1", seconds=600, rate=16000)
    blocks: list[float] = []
    tracemalloc.start()
    try:
        decoded = decode(src, tmp_path / "work", hook=lambda _s, done, _t: blocks.append(done))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert decoded.duration_s == pytest.approx(600, abs=0.1)
    assert len(blocks) >= 60
    assert peak < 4 * 1024**2, f"peak {peak / 1024**2:.1f} MiB"


# ---- read_wav -----------------------------------------------------------------------------------


def test_read_wav_roundtrip(tmp_path: Path) -> None:
    samples = (np.sin(np.arange(SAMPLE_RATE_HZ * 65) * 0.05) * 20000).astype(np.int16)
    path = tmp_path / "x.wav"
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(SAMPLE_RATE_HZ)
        wav.writeframes(samples.tobytes())
    audio = read_wav(path)
    assert audio.dtype == np.float32
    assert len(audio) == len(samples)  # more than one 60 s read block
    np.testing.assert_array_equal(audio, samples.astype(np.float32) / 32768)


def test_read_wav_refuses_other_rates(media: MakeMedia) -> None:
    with pytest.raises(InputError, match="16-kHz-Mono"):
        read_wav(media("x.wav", "-ar", "44100"))


# ---- unusable files ---------------------------------------------------------------------------


def _refused(src: Path, work: Path, error: type[InputError], **kwargs: float) -> str:
    with pytest.raises(error) as info:
        decode(src, work, **kwargs)  # type: ignore[arg-type]
    assert not (work / "audio16k.wav").exists(), "half-written decode left behind"
    assert not list(work.glob("*.log")) if work.exists() else True
    message = str(info.value)
    assert f"„{src.name}“" in message or str(src) in message
    return message


def test_empty_file(tmp_path: Path) -> None:
    src = tmp_path / "leer.mp3"
    src.touch()
    assert "leer (0 Byte)" in _refused(src, tmp_path / "work", EmptyInputError)


@pytest.mark.parametrize(
    ("name", "content", "what"),
    [
        ("tagesordnung.mp3", "TOP 1 Eröffnung der Sitzung\nTOP 2 Haushalt\n".encode(),
         "Textdatei"),
        ("protokoll.mp3", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n",
         "PDF-Dokument"),
        ("einladung.m4a", b"PK\x03\x04\x14\x00\x06\x00" + bytes(200),
         "ZIP-Archiv oder Office-Dokument"),
    ],
)  # fmt: skip
def test_documents_are_not_audio(tmp_path: Path, name: str, content: bytes, what: str) -> None:
    src = tmp_path / name
    src.write_bytes(content)
    message = _refused(src, tmp_path / "work", NotAudioError)
    assert f"keine Aufnahme, sondern ein{'e' if what == 'Textdatei' else ''} {what}" in message
    assert "WAV, MP3, M4A" in message  # and what to upload instead


def test_image_renamed_to_wav(media: MakeMedia, tmp_path: Path) -> None:
    png = media("bild.png", "-frames:v", "1", inputs=VIDEO)
    src = png.rename(tmp_path / "bild.wav")
    assert "PNG-Bild" in _refused(src, tmp_path / "work", NotAudioError)


def test_video_without_audio_track(media: MakeMedia, tmp_path: Path) -> None:
    src = media("stumm.mp4", "-c:v", "mpeg4", inputs=VIDEO)
    message = _refused(src, tmp_path / "work", NotAudioError)
    assert "keine Tonspur" in message and "Videodatei" in message


def test_random_bytes(tmp_path: Path) -> None:
    src = tmp_path / "aufnahme.wav"
    src.write_bytes(random.Random(1).randbytes(50_000))
    message = _refused(src, tmp_path / "work", NotAudioError)
    assert "keine lesbare Audio- oder Videodatei" in message


TRUNCATED = [
    # what ffmpeg does with the first 40 % of each file (ffmpeg 5.1):
    # mp3 (Xing/Info header): decodes 2.4 s without any error; the header declares 6 s
    ("mp3", "a.mp3", ["-c:a", "libmp3lame"]),
    # wav: ffprobe ignores the too-large data size and estimates 2.4 s from the file size
    ("wav", "a.wav", ["-ac", "2", "-c:a", "pcm_s16le"]),
    # ogg: no length in any header, ffprobe reports the last granule (2 s); silent decode
    ("ogg-opus", "a.ogg", ["-c:a", "libopus"]),
    ("ogg-vorbis", "a.oga", ["-c:a", "libvorbis", "-f", "ogg"]),
    # flac: STREAMINFO declares 6 s; 'invalid residual' at the cut, 1.9 s decoded
    ("flac", "a.flac", ["-c:a", "flac"]),
    # m4a (moov atom at the end): ffprobe fails with 'moov atom not found'
    ("m4a", "a.m4a", ["-c:a", "aac"]),
    # m4a with faststart: moov declares 6 s, 'partial file', 2.2 s decoded
    ("m4a-faststart", "b.m4a", ["-c:a", "aac", "-movflags", "+faststart"]),
    # mkv: segment duration 6 s, 'File ended prematurely', 2.5 s decoded
    ("mkv", "a.mkv", ["-c:a", "libopus"]),
    ("mp4-video", "a.mp4", ["-map", "0:v", "-map", "1:a", "-c:v", "mpeg4", "-c:a", "aac"]),
]


@pytest.mark.parametrize(
    ("name", "options"), [pytest.param(*case[1:], id=case[0]) for case in TRUNCATED]
)
def test_truncated_files_are_refused(
    media: MakeMedia, tmp_path: Path, name: str, options: list[str]
) -> None:
    inputs = [*VIDEO, *_lavfi(SINE.format(seconds=6, rate=44100))] if "mp4" in name else None
    full = media(name, *options, inputs=inputs)
    decode(full, tmp_path / "ok")  # the complete file is fine
    src = _truncate(full, 0.4)
    with pytest.raises((CorruptAudioError, EmptyInputError)) as info:
        decode(src, tmp_path / "work")
    assert not (tmp_path / "work" / "audio16k.wav").exists()
    assert "beschädigt oder unvollständig" in str(info.value)


@pytest.mark.parametrize("name", ["a.mp3", "a.flac"])
def test_damaged_middle_is_refused(media: MakeMedia, tmp_path: Path, name: str) -> None:
    src = media(name)
    data = bytearray(src.read_bytes())
    start, length = len(data) // 2, len(data) // 5
    data[start : start + length] = random.Random(3).randbytes(length)
    src.write_bytes(bytes(data))
    assert "beschädigt" in _refused(src, tmp_path / "work", CorruptAudioError)


def test_digital_silence(media: MakeMedia, tmp_path: Path) -> None:
    src = media("stille.wav", "-c:a", "pcm_s16le", signal="silence")
    message = _refused(src, tmp_path / "work", SilentAudioError)
    assert "nur Stille (kein Signal, digitale Stille)" in message and "Mikrofon" in message


def test_noise_floor_at_minus_70_dbfs(media: MakeMedia, tmp_path: Path) -> None:
    # pink noise at amplitude 0.05 is about -41 dBFS RMS
    src = media("rauschen.flac", "-c:a", "flac", "-af", "volume=-29dB", signal="noise")
    message = _refused(src, tmp_path / "work", SilentAudioError)
    assert re.search(r"\(lautester Abschnitt -(69|7[0-2]) dBFS\)", message), message


def test_dc_offset_is_still_silence(media: MakeMedia, tmp_path: Path) -> None:
    src = media("offset.wav", "-c:a", "pcm_s16le", signal="aevalsrc=0.2:s={rate}:d={seconds}")
    _refused(src, tmp_path / "work", SilentAudioError)


def test_too_short(media: MakeMedia, tmp_path: Path) -> None:
    src = media("kurz.wav", seconds=0.2)
    assert "0,2 Sekunden" in _refused(src, tmp_path / "work", EmptyInputError)


def test_too_long_by_declared_duration(media: MakeMedia, tmp_path: Path) -> None:
    src = media("lang.flac", "-c:a", "flac")
    message = _refused(src, tmp_path / "work", InputError, max_duration_s=2)
    assert "6,0 Sekunden lang" in message and "höchstens 2,0 Sekunden" in message


def test_too_long_found_while_decoding(media: MakeMedia, tmp_path: Path) -> None:
    """Without a Xing header the mp3 length is only estimated; decoding stops at the limit."""
    src = media("lang.mp3", "-c:a", "libmp3lame", "-write_xing", "0", seconds=20)
    assert intake.probe(src)["duration"] is None
    message = _refused(src, tmp_path / "work", InputError, max_duration_s=2)
    assert "länger als die erlaubten 2,0 Sekunden" in message


def test_too_large(media: MakeMedia, tmp_path: Path) -> None:
    src = media("gross.wav")
    message = _refused(src, tmp_path / "work", InputError, max_size_bytes=100_000)
    assert "größer als die erlaubten" in message


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="nicht gefunden"):
        decode(tmp_path / "fehlt.mp3", tmp_path / "work")
    with pytest.raises(InputError, match="ist ein Ordner"):
        decode(tmp_path, tmp_path / "work")
