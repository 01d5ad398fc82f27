"""Minutes benchmark: generated council sessions through the whole pipeline, scored per TOP.

The sessions of `bench/minutes_sessions.py` (6 municipalities, 6-10 agenda items each,
every result of `protokoll.minutes.RESULTS` and the vote phrasings councils use; the
"dev" split, used while the rules were written), the three held-out sessions of
`bench/minutes_heldout.py` (the "heldout" split, written afterwards, since looked at in
failure analysis) and the three of `bench/minutes_heldout_b.py` (the "heldout-b" split,
written after that without reading the rules; `--split all` runs every split) are
synthesised turn by turn with espeak-ng and the MBROLA German voices, as the bundled
sample is, so the recogniser's real errors reach the minutes stage. Each session is
transcribed and diarized once by `protokoll run` (cached); the minutes stage then runs
in-process on that transcript with the configured LLM (the embedded model, or any
OpenAI-compatible server with `--llm-url`), and is scored against the references:

- result accuracy (an empty result with a flag is *missed*, a different one *wrong*);
- vote counts: correct, `null` where a count was said, and **wrong numbers** (a number
  that differs from what was said, or one shown where none was said), counted apart;
- boundary accuracy: the item's start within 5 s of the reference (an item dropped at
  the start, "abgesetzt", is right when it has no start);
- key-fact recall: the item's key facts found in its minutes text (Verlauf, motions and
  resolution), after `minutes_sessions.normalise`;
- Verlauf sentences failing the post-check (any flag), and items with debate but no
  Verlauf;
- time of the minutes stage per session.

With `--peer`, the glued peer of `bench/minutes_peer.py` (the same transcript text and
the same embedded LLM, asked plainly for each TOP's result and counts as JSON, in one
call per session or, with `--peer-mode item`, one per TOP) runs on the same sessions and
is scored by the same functions (results and counts only).

    python bench/minutes.py [--sessions s1 s2] [--llm-url http://host:8000/v1 --llm-model M]
    python bench/minutes.py --rules-only      # results, counts and starts without the model
    python bench/minutes.py --split heldout --rules-only --peer   # held out, with the peer
    python bench/minutes.py --split heldout-b --prepare   # synthesis and transcription only

Needs espeak-ng, mbrola and mbrola-de1..7, sox and ffmpeg (Debian contrib/non-free).
Audio and transcripts are cached under ~/.cache/protokoll/test-data/bench-minutes;
results go to out/bench-minutes/.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import minutes_peer
from bench.common import ROOT
from bench.minutes_heldout import HELDOUT
from bench.minutes_heldout_b import HELDOUT_B
from bench.minutes_sessions import SESSIONS, ItemRef, Person, Session, normalise, to_spoken
from bench.minutes_speed import CountingLLM
from bench.speaker_voices import cache_dir
from protokoll.config import Settings, load_settings
from protokoll.domain.agenda import load_agenda
from protokoll.domain.minutes import Minutes, MinutesItem
from protokoll.domain.speakers import names_in
from protokoll.domain.transcript import Transcript
from protokoll.llm.base import ChatMessage, Generation
from protokoll.minutes.draft import MinutesDrafter
from protokoll.pipeline.build import build_llm, model_store
from samples.make_sample import (
    OPUS_ARGS,
    SPEECH_RMS_DB,
    SR,
    TRIM_DB,
    lay_out,
    read_wav,
    rms,
    run,
    toml_str,
    toml_table,
    write_wav,
)

OUT = ROOT / "out" / "bench-minutes"
BOUNDARY_TOLERANCE_S = 5.0
COUNT_FIELDS = ("yes", "no", "abstain", "biased")
SPLITS: dict[str, tuple[Session, ...]] = {
    "dev": SESSIONS,  # used while the rules were written
    "heldout": HELDOUT,  # written afterwards, without reading the rules
    "heldout-b": HELDOUT_B,  # written after H1-H3 had been looked at, without the rules
    "all": SESSIONS + HELDOUT + HELDOUT_B,
}


def session_dir(session: Session) -> Path:
    """The session's cache folder; a changed script or voice gets a new one. Keys differ
    between the splits (s… and h…), so their folders never collide."""
    digest = hashlib.sha256(repr(session).encode()).hexdigest()[:10]
    return cache_dir() / "bench-minutes" / f"{session.key}-{digest}"


# ---- synthesis ---------------------------------------------------------------------


def synthesize_turn(person: Person, text: str, tmp: Path) -> np.ndarray:
    pho = run(["espeak-ng", "-v", f"mb-{person.voice}", "-s", str(person.speed),
               "-p", str(person.pitch), "--pho", "-q", text])  # fmt: skip
    raw, wav = tmp / "raw.wav", tmp / "turn.wav"
    voice = person.voice
    run(["mbrola", "-e", f"/usr/share/mbrola/{voice}/{voice}", "-", str(raw)], pho)
    run(["sox", "-D", str(raw), "-r", str(SR), "-c", "1", "-b", "16", str(wav)])
    x = read_wav(wav)
    loud = np.flatnonzero(np.abs(x) > np.abs(x).max() * 10 ** (TRIM_DB / 20))
    x = x[loud[0] : loud[-1] + 1]
    x = x * (10 ** ((SPEECH_RMS_DB + person.gain_db) / 20) / rms(x))
    return np.asarray(x * min(1.0, 0.9 / float(np.abs(x).max())))


def agenda_toml(session: Session) -> str:
    out = [f"vocabulary = {toml_str(list(session.vocabulary))}",
           *toml_table("[meeting]", dict(session.meeting))]  # fmt: skip
    for p in session.people:
        fields: dict[str, object] = {"name": p.name, "role": p.role, "faction": p.faction}
        for flag in ("chair", "administration", "absent"):
            if getattr(p, flag):
                fields[flag] = True
        out += toml_table("[[members]]", fields)
    for item in session.items:
        out += toml_table("[[items]]", {"number": item.number, "title": item.title,
                                        "paper": item.paper, "public": item.public})  # fmt: skip
    return "\n".join(out) + "\n"


def synthesize(session: Session) -> Path:
    """Audio, agenda and reference of one session (cached); returns its folder."""
    dest = session_dir(session)
    reference = dest / "reference.json"
    if reference.exists():
        return dest
    dest.mkdir(parents=True, exist_ok=True)
    people = {p.key: p for p in session.people}
    rng = np.random.default_rng(session.seed)
    clips: list[tuple[str, str, np.ndarray]] = []
    marks: dict[int, str] = {}
    with tempfile.TemporaryDirectory() as tmpdir:
        for label, text in session.script:
            if label == "#":
                marks[len(clips)] = text
                continue
            audio = synthesize_turn(people[label], to_spoken(text, session.spoken), Path(tmpdir))
            clips.append((label, text, audio))
        starts, mix = lay_out([x for _, _, x in clips], rng)
        total = len(mix)
        wav = Path(tmpdir) / "session.wav"
        write_wav(wav, mix)
        run(["ffmpeg", "-y", "-v", "error", "-i", str(wav), *OPUS_ARGS, str(dest / "audio.ogg")])
    (dest / "agenda.toml").write_text(agenda_toml(session), encoding="utf-8")
    data = {
        "duration_s": total / SR,
        "turns": [
            {"speaker": label, "start_s": s / SR, "end_s": (s + len(x)) / SR, "text": t}
            for (label, t, x), s in zip(clips, starts, strict=True)
        ],
        "boundaries": {item: starts[i] / SR for i, item in marks.items()},
    }
    reference.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return dest


def transcribe(folder: Path) -> Path:
    """`protokoll run` once per session (speech recognition and speakers); cached."""
    run_dir = folder / "run"
    transcript = run_dir / "transcript.json"
    if not transcript.exists():
        started = time.monotonic()
        subprocess.run(
            [sys.executable, "-m", "protokoll", "run", str(folder / "audio.ogg"), "--agenda",
             str(folder / "agenda.toml"), "--out", str(run_dir), "--quiet"],
            check=True,
            env={**os.environ, "PROTOKOLL_MINUTES__ENABLED": "false"},
        )  # fmt: skip
        (run_dir / "seconds.txt").write_text(f"{time.monotonic() - started:.1f}\n")
    return transcript


# ---- scoring -----------------------------------------------------------------------


@dataclass
class Score:
    results: dict[str, int] = field(default_factory=lambda: {"right": 0, "missed": 0, "wrong": 0})
    counts: dict[str, int] = field(default_factory=lambda: {"right": 0, "null": 0, "wrong": 0})
    boundaries: dict[str, int] = field(default_factory=lambda: {"right": 0, "wrong": 0})
    # "heard": the fact is in the item's transcript at all (what recognition left to find)
    facts: dict[str, int] = field(
        default_factory=lambda: {"found": 0, "heard": 0, "found_of_heard": 0, "total": 0}
    )
    sentences: dict[str, int] = field(default_factory=lambda: {"flagged": 0, "total": 0})
    debate_without_verlauf: list[str] = field(default_factory=list)
    findings: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        for name in ("results", "counts", "boundaries", "facts", "sentences"):
            mine, theirs = getattr(self, name), getattr(other, name)
            for key in mine:
                mine[key] += theirs[key]
        self.debate_without_verlauf += other.debate_without_verlauf
        self.findings += other.findings

    def summary(self) -> dict[str, Any]:
        def share(part: int, whole: int) -> float | None:
            return round(part / whole, 3) if whole else None

        r, c, b, f, s = self.results, self.counts, self.boundaries, self.facts, self.sentences
        return {
            "result_accuracy": share(r["right"], sum(r.values())),
            "results": r,
            "counts": c,
            "wrong_counts": c["wrong"],
            "boundary_accuracy": share(b["right"], sum(b.values())),
            "key_fact_recall": share(f["found"], f["total"]),
            "key_facts_in_transcript": share(f["heard"], f["total"]),
            "key_fact_recall_of_heard": share(f["found_of_heard"], f["heard"]),
            "facts": f,
            "sentences_failing_postcheck": s,
            "debate_without_verlauf": self.debate_without_verlauf,
        }


def minutes_text(item: MinutesItem, names: Mapping[str, str] | None = None) -> str:
    """The item's text as readers see it: speaker labels replaced by the names."""
    parts = [s.text for s in item.summary] + list(item.motions)
    if item.resolution_text:
        parts.append(item.resolution_text)
    return names_in(" ".join(parts), names or {})


def score_item(
    ref: ItemRef,
    item: MinutesItem,
    start: float | None,
    heard: str,
    tag: str,
    names: Mapping[str, str] | None = None,
) -> Score:
    score = Score()
    if item.result == ref.result:
        score.results["right"] += 1
    elif item.result is None:
        score.results["missed"] += 1
        score.findings.append(f"{tag}: result missed (want {ref.result!r})")
    else:
        score.results["wrong"] += 1
        score.findings.append(f"{tag}: result {item.result!r}, want {ref.result!r}")
    for name in COUNT_FIELDS:
        want, got = getattr(ref, name), getattr(item.votes, name)
        if want is None and got is None:
            continue
        if want == got:
            score.counts["right"] += 1
        elif got is None:
            score.counts["null"] += 1
        else:
            score.counts["wrong"] += 1
            score.findings.append(f"{tag}: {name} = {got}, said {want}")
    if start is None:  # dropped at the start: right when the minutes give it no start
        right = item.start_s is None
    else:
        right = item.start_s is not None and abs(item.start_s - start) <= BOUNDARY_TOLERANCE_S
    score.boundaries["right" if right else "wrong"] += 1
    if not right:
        score.findings.append(f"{tag}: starts at {item.start_s}, reference {start}")
    text = normalise(minutes_text(item, names))
    heard_text = normalise(heard)
    for variants in ref.facts:
        score.facts["total"] += 1
        in_transcript = any(normalise(v) in heard_text for v in variants)
        score.facts["heard"] += in_transcript
        if any(normalise(v) in text for v in variants):
            score.facts["found"] += 1
            score.facts["found_of_heard"] += in_transcript
        else:
            score.findings.append(f"{tag}: fact {variants[0]!r} missing")
    score.sentences["total"] += len(item.summary)
    score.sentences["flagged"] += sum(1 for s in item.summary if s.flags)
    if ref.facts and ref.result != "abgesetzt" and not item.summary:
        score.debate_without_verlauf.append(tag)
    return score


def heard_text(transcript: Transcript, reference: dict[str, Any], number: str) -> str:
    """What the recogniser wrote for an item, by the reference's span of that item."""
    starts = sorted(reference["boundaries"].values())
    start = reference["boundaries"].get(number)
    if start is None:
        return ""
    end = next((s for s in starts if s > start), math.inf)
    return " ".join(s.text for s in transcript.segments if start - 1 <= s.start_s < end)


def score_session(
    session: Session, minutes: Minutes, transcript: Transcript, reference: dict[str, Any]
) -> Score:
    by_number = {i.number: i for i in minutes.items}
    total = Score()
    for ref in session.items:
        item = by_number[ref.number]
        start = reference["boundaries"].get(ref.number)
        heard = heard_text(transcript, reference, ref.number)
        tag = f"{session.key} TOP {ref.number}"
        total.add(score_item(ref, item, start, heard, tag, minutes.speaker_names))
    return total


# ---- running -----------------------------------------------------------------------


def settings_for(args: argparse.Namespace, rules_only: bool | None = None) -> Settings:
    """The configured settings, with the model switched off or to a server (settings are
    frozen, so through the environment overrides `load_settings` reads)."""
    environ = dict(os.environ)
    if args.rules_only if rules_only is None else rules_only:
        environ["PROTOKOLL_LLM__BACKEND"] = "none"
    elif args.llm_url:
        environ |= {"PROTOKOLL_LLM__BACKEND": "openai", "PROTOKOLL_LLM__BASE_URL": args.llm_url,
                    "PROTOKOLL_LLM__API_MODEL": args.llm_model}  # fmt: skip
    return load_settings(None, environ)


class LoggingLLM(CountingLLM):
    """Counts, and prints one line per call (`--verbose`)."""

    def generate(self, messages: list[ChatMessage], **kwargs: Any) -> Generation:
        generation = super().generate(messages, **kwargs)
        schema = ",".join((kwargs.get("json_schema") or {}).get("properties", {}))
        print(
            f"    llm {schema}: {generation.prompt_tokens} in "
            f"({generation.prompt_seconds or 0:.1f} s), {generation.completion_tokens} out, "
            f"{generation.seconds:.1f} s",
            flush=True,
        )
        return generation


def draft(
    session: Session, folder: Path, settings: Settings, verbose: bool = False
) -> tuple[Minutes, dict[str, Any]]:
    llm = build_llm(settings, model_store(settings))
    wrapper = LoggingLLM if verbose else CountingLLM
    counting = wrapper(llm) if llm is not None else None
    agenda = load_agenda(folder / "agenda.toml")
    transcript = Transcript.from_dict(json.loads(transcribe(folder).read_text(encoding="utf-8")))
    drafter = MinutesDrafter(agenda, settings.minutes, counting, settings.llm.max_output_tokens)
    started = time.monotonic()
    minutes = drafter.draft(transcript)
    seconds = time.monotonic() - started
    timing = {
        "audio_s": round(transcript.audio.duration_s, 1),
        "minutes_stage_s": round(seconds, 1),
        "minutes_rtf": round(seconds / transcript.audio.duration_s, 4),
        "llm_calls": counting.calls if counting else 0,
        "completion_tokens": counting.completion_tokens if counting else 0,
        "prompt_tokens": counting.prompt_tokens if counting else 0,
        "llm_prompt_s": round(counting.prompt_seconds, 1) if counting else 0.0,
        "llm_s": round(counting.seconds, 1) if counting else 0.0,
    }
    return minutes, timing


def votes_only(summary: dict[str, Any]) -> dict[str, Any]:
    """The part of a score the peer can be compared on: it gives no starts and no text."""
    keys = ("result_accuracy", "results", "counts", "wrong_counts")
    return {key: summary[key] for key in keys}


def is_vote_finding(finding: str) -> bool:
    what = finding.split(": ", 1)[-1]
    return what.startswith(("result", *(f"{name} =" for name in COUNT_FIELDS)))


def run_peer(
    session: Session,
    folder: Path,
    llm: Any,
    settings: Settings,
    transcript: Transcript,
    reference: dict[str, Any],
    mode: str,
    max_tokens: int | None,
) -> tuple[Score, dict[str, Any]]:
    """The glued peer on one session, scored by the same functions as the minutes."""
    agenda = load_agenda(folder / "agenda.toml")
    started = time.monotonic()
    if mode == "session":
        ask, default_tokens = minutes_peer.ask, minutes_peer.MAX_TOKENS
    else:
        ask, default_tokens = minutes_peer.ask_per_item, minutes_peer.ITEM_MAX_TOKENS
    context = settings.llm.context_tokens
    answer = ask(llm, agenda, transcript, context, max_tokens or default_tokens)
    seconds = time.monotonic() - started
    suffix = "" if mode == "session" else f"-{mode}"
    (OUT / f"{session.key}.peer{suffix}.json").write_text(
        json.dumps(
            {"answer": answer.raw, "minutes": answer.minutes.to_dict()},
            ensure_ascii=False,
            indent=1,
        ),
        encoding="utf-8",
    )
    score = score_session(session, answer.minutes, transcript, reference)
    generations = answer.generations
    timing = {
        "peer_mode": mode,
        "peer_s": round(seconds, 1),
        "llm_calls": len(generations),
        "prompt_tokens": sum(g.prompt_tokens for g in generations),
        "completion_tokens": sum(g.completion_tokens for g in generations),
        "cut_off": sum(g.finish_reason == "length" for g in generations),
    }
    return score, timing


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sessions", nargs="*", help="session keys (prefixes); default: all")
    parser.add_argument("--llm-url", default="", help="an OpenAI-compatible server instead")
    parser.add_argument("--llm-model", default="", help="the model name that server expects")
    parser.add_argument("--prepare", action="store_true", help="only synthesise and transcribe")
    parser.add_argument("--verbose", action="store_true", help="one line per model call")
    parser.add_argument("--rules-only", action="store_true", help="no model: rules in seconds")
    parser.add_argument(
        "--split",
        choices=sorted(SPLITS),
        default="dev",
        help="dev: S1-S6 (default); heldout: H1-H3; heldout-b: H4-H6; all: every split",
    )
    parser.add_argument(
        "--peer",
        action="store_true",
        help="also the glued peer (same transcript, same LLM, plain prompt)",
    )
    parser.add_argument(
        "--peer-mode",
        choices=("session", "item"),
        default="session",
        help="session: one call for the whole session; item: one call per TOP",
    )
    parser.add_argument("--peer-max-tokens", type=int, help="default: 600 (session), 80 (item)")
    args = parser.parse_args()
    chosen = [s for s in SPLITS[args.split]
              if not args.sessions or any(s.key.startswith(k) for k in args.sessions)]  # fmt: skip
    settings = settings_for(args)
    peer_settings = settings_for(args, rules_only=False)
    peer_llm = None
    if args.peer and not args.prepare:
        peer_llm = build_llm(peer_settings, model_store(peer_settings))
        if peer_llm is None:
            parser.error("--peer needs a model ([llm] backend is none)")
    OUT.mkdir(parents=True, exist_ok=True)
    print(f"# machine: {platform.machine()}, {os.cpu_count()} CPUs, python "
          f"{platform.python_version()}, llm {settings.llm.backend} "
          f"{settings.llm.api_model or settings.llm.model}")  # fmt: skip
    total, peer_total = Score(), Score()
    report: dict[str, Any] = {"split": args.split, "sessions": {}}
    for session in chosen:
        folder = synthesize(session)
        transcribe(folder)
        if args.prepare:
            continue
        reference = json.loads((folder / "reference.json").read_text(encoding="utf-8"))
        minutes, timing = draft(session, folder, settings, args.verbose)
        suffix = ".rules" if args.rules_only else ""
        (OUT / f"{session.key}{suffix}.minutes.json").write_text(
            json.dumps(minutes.to_dict(), ensure_ascii=False, indent=1), encoding="utf-8"
        )
        transcript = Transcript.from_dict(
            json.loads((folder / "run" / "transcript.json").read_text(encoding="utf-8"))
        )
        score = score_session(session, minutes, transcript, reference)
        total.add(score)
        report["sessions"][session.key] = {**timing, **score.summary(),
                                           "findings": score.findings}  # fmt: skip
        print(f"## {session.key}", json.dumps({**timing, **score.summary()}, ensure_ascii=False))
        for finding in score.findings:
            print("   ", finding)
        if peer_llm is not None:
            peer, peer_timing = run_peer(
                session,
                folder,
                peer_llm,
                peer_settings,
                transcript,
                reference,
                args.peer_mode,
                args.peer_max_tokens,
            )
            peer_total.add(peer)
            findings = [f for f in peer.findings if is_vote_finding(f)]
            report["sessions"][session.key]["peer"] = {
                **peer_timing,
                **votes_only(peer.summary()),
                "findings": findings,
            }
            print(
                f"## {session.key} peer",
                json.dumps({**peer_timing, **votes_only(peer.summary())}, ensure_ascii=False),
            )
            for finding in findings:
                print("   ", finding)
    if args.prepare:
        return
    report["total"] = total.summary()
    print("## total", json.dumps(total.summary(), ensure_ascii=False))
    if peer_llm is not None:
        report["peer_total"] = votes_only(peer_total.summary())
        print("## peer total", json.dumps(report["peer_total"], ensure_ascii=False))
    name = "results"
    if args.rules_only or args.llm_url:
        name = "results-rules" if args.rules_only else "results-openai"
    if args.split != "dev":  # dev keeps the names it always had
        name += f"-{args.split}"
    if peer_llm is not None and args.peer_mode != "session":
        name += f"-peer-{args.peer_mode}"
    if args.sessions:
        name += "-" + "-".join(args.sessions)
    (OUT / f"{name}.json").write_text(
        json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8"
    )


if __name__ == "__main__":
    main()
