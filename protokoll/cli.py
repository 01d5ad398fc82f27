"""Command line: `protokoll run`, `protokoll models ...`.

The CLI holds no logic: it parses arguments, calls the pipeline and turns
`ProtokollError`s into one German line on stderr and a non-zero exit code.
"""

from __future__ import annotations

import argparse
import logging
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path

from protokoll import __version__
from protokoll.config import Settings
from protokoll.errors import ProtokollError

log = logging.getLogger("protokoll")

EXIT_INTERNAL = 70


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="protokoll",
        description="Entwürfe für Niederschriften aus Aufnahmen von Ratssitzungen – lokal, "
        "ohne Cloud.",
    )
    parser.add_argument("--version", action="version", version=f"protokoll {__version__}")
    parser.add_argument("--config", type=Path, help="Konfigurationsdatei (Standard: ./config.toml)")
    parser.add_argument("--profile", help="Profil aus der Konfiguration, z. B. gpu")
    parser.add_argument("-v", "--verbose", action="store_true", help="ausführliche Meldungen")
    parser.add_argument("--debug", action="store_true", help="bei Fehlern den Traceback zeigen")
    sub = parser.add_subparsers(dest="command", required=True, metavar="BEFEHL")

    run = sub.add_parser("run", help="Aufnahme transkribieren und Dokumente erzeugen")
    run.add_argument("recording", type=Path, metavar="AUFNAHME", help="Audio- oder Videodatei")
    run.add_argument("--agenda", type=Path, metavar="DATEI", help="Tagesordnung (.toml/.json)")
    run.add_argument(
        "--out", type=Path, default=None, metavar="ORDNER", help="Ausgabeordner (Standard: out/)"
    )
    run.add_argument("--min-speakers", type=int, metavar="N", help="mindestens N Sprecher")
    run.add_argument("--max-speakers", type=int, metavar="N", help="höchstens N Sprecher")
    run.add_argument("--device", choices=["auto", "cpu", "cuda"], help="Rechengerät")
    run.add_argument("--quiet", action="store_true", help="keine Fortschrittsanzeige")

    models = sub.add_parser("models", help="Modelle installieren und prüfen")
    msub = models.add_subparsers(dest="models_command", required=True, metavar="AKTION")
    install = msub.add_parser(
        "install", help="Modelle des Profils aus den Paketquellen installieren"
    )
    install.add_argument("ids", nargs="*", metavar="MODELL", help="nur diese Modelle")
    msub.add_parser("verify", help="Prüfsummen der installierten Modelle prüfen")
    msub.add_parser("list", help="Modelle im Manifest anzeigen")
    pin = msub.add_parser("pin", help="Prüfsummen eines von Hand kopierten Modells festhalten")
    pin.add_argument("id", metavar="MODELL")
    return parser


def _settings(args: argparse.Namespace) -> Settings:
    import os

    from protokoll.config import load_settings

    environ = dict(os.environ)
    if args.profile:
        environ["PROTOKOLL_PROFILE"] = args.profile
    if getattr(args, "device", None):
        environ["PROTOKOLL_TRANSCRIPTION__DEVICE"] = args.device
        environ["PROTOKOLL_DIARIZATION__DEVICE"] = args.device
    if getattr(args, "min_speakers", None):
        environ["PROTOKOLL_DIARIZATION__MIN_SPEAKERS"] = str(args.min_speakers)
    if getattr(args, "max_speakers", None):
        environ["PROTOKOLL_DIARIZATION__MAX_SPEAKERS"] = str(args.max_speakers)
    return load_settings(args.config, environ)


def _cmd_run(args: argparse.Namespace) -> int:
    from protokoll.agenda import load_agenda
    from protokoll.pipeline import run
    from protokoll.progress import TerminalProgress, format_duration, null_hook

    settings = _settings(args)
    agenda = load_agenda(args.agenda) if args.agenda else None
    out_dir = args.out or settings.output.dir
    hook = null_hook if args.quiet else TerminalProgress()
    result = run(args.recording, out_dir, settings, agenda=agenda, hook=hook)
    t = result.transcript
    print(
        f"Fertig: {len(t.segments)} Abschnitte, {len(t.speakers)} Sprecher, "
        f"Dauer {format_duration(t.audio.duration_s)}."
    )
    for warning in t.warnings:
        print(f"Hinweis: {warning}")
    for path in result.outputs.values():
        print(f"  {path}")
    return 0


def _cmd_models(args: argparse.Namespace) -> int:
    from protokoll.modelstore import models_for_settings
    from protokoll.stages import model_store

    settings = _settings(args)
    store = model_store(settings)
    if args.models_command == "list":
        for entry in store.entries.values():
            state = "installiert" if store.is_installed(entry.id) else "fehlt"
            print(f"{entry.id:<44} {entry.role:<22} {entry.license:<11} {state}")
        return 0
    if args.models_command == "pin":
        hashes = store.pin(args.id)
        for path, digest in hashes.items():
            print(f"{digest}  {args.id}/{path}")
        return 0
    ids = getattr(args, "ids", None) or models_for_settings(settings)
    if args.models_command == "install":
        for model_id in ids:
            installed = store.install(model_id)
            print(f"{model_id}: {'installiert und geprüft' if installed else 'bereits vorhanden'}")
        return 0
    failures = 0
    for model_id in ids:
        try:
            resolved = store.resolve(model_id)
            print(f"{model_id}: in Ordnung ({resolved.sha256[:16]}…)")
        except ProtokollError as exc:
            failures += 1
            print(f"{model_id}: {exc}", file=sys.stderr)
    return 5 if failures else 0


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    if not args.debug:
        warnings.filterwarnings("ignore")
    try:
        if args.command == "run":
            return _cmd_run(args)
        return _cmd_models(args)
    except ProtokollError as exc:
        print(f"Fehler: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("Abgebrochen.", file=sys.stderr)
        return 130
    except Exception:
        if args.debug:
            raise
        log.debug("internal error", exc_info=True)
        print(
            "Interner Fehler: Die Verarbeitung ist unerwartet abgebrochen. Bitte mit --debug "
            "erneut ausführen und die Ausgabe an den Betrieb weitergeben.",
            file=sys.stderr,
        )
        return EXIT_INTERNAL
