"""Command line: `protokoll run`, `protokoll batch`, `protokoll models ...`,
`protokoll register export`, ….

The CLI holds no logic: it parses arguments, calls the pipeline and turns
`ProtokollError`s into one German line on stderr and a non-zero exit code.
"""

from __future__ import annotations

import argparse
import getpass
import json
import logging
import os
import sys
import tomllib
import warnings
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from protokoll import __version__
from protokoll.agenda.load import load_agenda_source
from protokoll.config import Settings, load_settings
from protokoll.domain.agenda import Agenda
from protokoll.domain.progress import null_hook
from protokoll.domain.transcript import Transcript
from protokoll.errors import ConfigError, InputError, ProtokollError
from protokoll.formatting import format_duration
from protokoll.modelstore import models_for_settings
from protokoll.pipeline.batch import (
    RECORDING_SUFFIXES,
    SUMMARY,
    Batch,
    LocalProcessor,
    Processor,
    Summary,
)
from protokoll.pipeline.build import model_store
from protokoll.pipeline.progress import TerminalProgress
from protokoll.pipeline.runner import run, write_minutes_documents
from protokoll.pipeline.steps import draft_minutes
from protokoll.pipeline.submit import ServiceClient, SubmitProcessor
from protokoll.register import TARGETS, RegisterError, RegisterExport, build_export
from protokoll.register.export import write_register_json
from protokoll.register.steckbrief_docx import write_steckbrief_docx
from protokoll.service.bootstrap import build_context
from protokoll.service.infra import audit, auth, logs, tenancy
from protokoll.service.infra.storage import MUNICIPALITY_KEY, Layout, private_files
from protokoll.service.infra.tables import DEFAULT_MUNICIPALITY, Municipality, User
from protokoll.service.serve import serve
from protokoll.service.usecases.register import existing_database, figures_from_db
from protokoll.service.worker import run_worker

log = logging.getLogger("protokoll")

EXIT_INTERNAL = 70
EXIT_INTERRUPTED = 130
TOKEN_ENV = "PROTOKOLL_API_TOKEN"

BATCH_EPILOG = """\
Zu jeder Aufnahme gehören, falls vorhanden:
  Tagesordnung     NAME.agenda.toml|.json|.docx (oder NAME.tagesordnung.*) neben der
                   Aufnahme NAME.ogg, sonst agenda.* oder tagesordnung.* im selben Ordner
                   (gilt dann für alle Aufnahmen dieses Ordners)
  Mitgliederliste  NAME.members.toml|.json (oder NAME.mitglieder.*), sonst members.* oder
                   mitglieder.* im selben Ordner
Ohne Tagesordnung entsteht nur das Transkript. Die Ausgaben stehen in AUSGABE/UNTERORDNER/NAME/.
Eine fertige Aufnahme wird beim nächsten Lauf übersprungen (batch-status.json in ihrem
Ausgabeordner), eine geänderte oder fehlgeschlagene erneut verarbeitet. Die Zusammenfassung
steht zusätzlich in AUSGABE/batch-zusammenfassung.json. Rückgabewert 1, wenn eine Aufnahme
fehlgeschlagen ist (erst nachdem alle anderen verarbeitet sind).
Dateien, die noch geschrieben werden (.part, .tmp, ~, versteckte Dateien), werden übergangen."""


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
    run.add_argument(
        "--agenda", metavar="QUELLE",
        help="Tagesordnung (.toml/.json/.docx oder OParl-URL einer Sitzung)",
    )  # fmt: skip
    run.add_argument(
        "--out", type=Path, default=None, metavar="ORDNER", help="Ausgabeordner (Standard: out/)"
    )
    run.add_argument(
        "--members", type=Path, metavar="DATEI",
        help="Mitgliederliste (.toml/.json), ersetzt die der Tagesordnung (z. B. bei DOCX/OParl)",
    )  # fmt: skip
    _add_processing_options(run)

    batch = sub.add_parser(
        "batch",
        help="alle Aufnahmen eines Ordners verarbeiten (fortsetzbar, auch laufend überwacht)",
        description="Alle Aufnahmen eines Ordners (mit Unterordnern) nacheinander verarbeiten, "
        "hier oder in der Warteschlange des Dienstes (--submit).",
        epilog=BATCH_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    batch.add_argument("folder", type=Path, metavar="ORDNER", help="Ordner mit den Aufnahmen")
    batch.add_argument(
        "--out", type=Path, default=None, metavar="AUSGABE",
        help="Ausgabeordner (Standard: out/); je Aufnahme ein Unterordner",
    )  # fmt: skip
    batch.add_argument(
        "--watch", action="store_true",
        help="Ordner überwachen und neue Aufnahmen verarbeiten, sobald sie vollständig "
        "geschrieben sind (Ende mit Strg+C)",
    )  # fmt: skip
    batch.add_argument(
        "--settle", type=float, default=10.0, metavar="SEKUNDEN",
        help="mit --watch: so lange muss eine Datei unverändert sein, bevor sie als "
        "vollständig gilt (Standard: 10)",
    )  # fmt: skip
    batch.add_argument(
        "--submit", action="store_true",
        help="Aufnahmen an die Warteschlange des Dienstes senden statt hier zu verarbeiten",
    )  # fmt: skip
    batch.add_argument(
        "--server", metavar="URL",
        help="mit --submit: Adresse des Dienstes (Standard: Host und Port aus config.toml)",
    )  # fmt: skip
    batch.add_argument(
        "--token-file", type=Path, metavar="DATEI",
        help=f"mit --submit: Datei mit dem API-Token (sonst die Umgebungsvariable {TOKEN_ENV})",
    )  # fmt: skip
    batch.add_argument(
        "--gremium", default="Sitzung", metavar="NAME",
        help="mit --submit: Gremium für Sitzungen ohne Tagesordnung (Standard: Sitzung)",
    )  # fmt: skip
    _add_processing_options(batch)

    minutes = sub.add_parser(
        "minutes",
        help="nur die Niederschrift neu erzeugen, aus einem vorhandenen transcript.json",
    )
    minutes.add_argument("transcript", type=Path, metavar="TRANSKRIPT", help="transcript.json")
    minutes.add_argument(
        "--agenda", required=True, metavar="QUELLE",
        help="Tagesordnung (.toml/.json/.docx oder OParl-URL einer Sitzung)",
    )  # fmt: skip
    minutes.add_argument(
        "--members", type=Path, metavar="DATEI",
        help="Mitgliederliste (.toml/.json), ersetzt die der Tagesordnung",
    )  # fmt: skip
    minutes.add_argument("--out", type=Path, metavar="ORDNER", help="Ausgabeordner")
    minutes.add_argument(
        "--names", type=Path, metavar="DATEI",
        help="bestätigte Sprechernamen (.toml/.json: SPEAKER_00 = \"Name\")",
    )  # fmt: skip
    minutes.add_argument(
        "--starts", type=Path, metavar="DATEI",
        help="korrigierte TOP-Anfänge (.toml/.json: \"3\" = 127.5 oder \"00:02:07\")",
    )  # fmt: skip
    minutes.add_argument(
        "--protocol", choices=["verlauf", "ergebnis", "wort"], help="Art der Niederschrift"
    )
    minutes.add_argument("--quiet", action="store_true", help="keine Fortschrittsanzeige")

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

    serve = sub.add_parser("serve", help="Webdienst starten (mit einem lokalen Worker)")
    serve.add_argument(
        "--no-worker", action="store_true",
        help="keinen Worker starten (Worker laufen auf anderen Rechnern: protokoll worker)",
    )  # fmt: skip
    serve.add_argument("--host", help="Adresse (Standard aus config.toml: 127.0.0.1)")
    serve.add_argument("--port", type=int, help="Port (Standard: 8080)")
    sub.add_parser("worker", help="Worker starten: verarbeitet Aufträge aus der Warteschlange")

    users = sub.add_parser("users", help="Benutzerkonten verwalten")
    usub = users.add_subparsers(dest="users_command", required=True, metavar="AKTION")
    add = usub.add_parser("add", help="Benutzer anlegen (fragt nach dem Passwort)")
    add.add_argument("username", metavar="NAME")
    add.add_argument(
        "--role", action="append", required=True,
        choices=["schriftfuehrer", "pruefer", "admin", "kreisadmin"],
        help="Rolle (mehrfach möglich); kreisadmin: verwaltet die Kommunen, allein",
    )  # fmt: skip
    add.add_argument("--display-name", default="", help="angezeigter Name")
    add.add_argument(
        "--kommune", default=DEFAULT_MUNICIPALITY, metavar="KÜRZEL",
        help=f"Kommune des Kontos (Standard: {DEFAULT_MUNICIPALITY})",
    )  # fmt: skip
    add.add_argument(
        "--password-stdin", action="store_true", help="Passwort von der Standardeingabe lesen"
    )
    usub.add_parser("list", help="Benutzer anzeigen")
    passwd = usub.add_parser("password", help="Passwort neu setzen")
    passwd.add_argument("username", metavar="NAME")
    passwd.add_argument("--password-stdin", action="store_true")

    kommunen = sub.add_parser("kommunen", help="Kommunen einer Installation für mehrere")
    ksub = kommunen.add_subparsers(dest="kommunen_command", required=True, metavar="AKTION")
    ksub.add_parser("list", help="Kommunen anzeigen")
    kadd = ksub.add_parser("add", help="Kommune anlegen")
    kadd.add_argument("kuerzel", metavar="KÜRZEL", help="z. B. olfen (benennt den Datenordner)")
    kadd.add_argument("name", metavar="NAME", help="z. B. „Stadt Olfen“")

    audit_cmd = sub.add_parser("audit", help="Prüfprotokoll (Hash-Kette) prüfen")
    asub = audit_cmd.add_subparsers(dest="audit_command", required=True, metavar="AKTION")
    asub.add_parser("verify", help="Kette prüfen; nennt den ersten veränderten Eintrag")

    register = sub.add_parser(
        "register", help="KI-Registereintrag (Algoritmeregister, ATRS, KI-Steckbrief) erzeugen"
    )
    rsub = register.add_subparsers(dest="register_command", required=True, metavar="AKTION")
    export = rsub.add_parser(
        "export", help="Registereintrag aus Konfiguration und Prüfprotokoll schreiben"
    )
    export.add_argument(
        "--target", choices=[*TARGETS, "alle"], default="de", metavar="ZIEL",
        help="de: ki-register.de.json und ki-steckbrief.docx (Standard); nl: "
        "algoritmeregister.nl.json (Algoritmeregister v1.0); uk: atrs.uk.json (ATRS v4.0); "
        "alle: alle drei",
    )  # fmt: skip
    export.add_argument(
        "--out", type=Path, default=None, metavar="ORDNER", help="Ausgabeordner (Standard: out/)"
    )
    export.add_argument(
        "--kommune", default=DEFAULT_MUNICIPALITY, metavar="KÜRZEL",
        help="der Eintrag dieser Kommune: ihre Einstellungen, nur ihre Zahlen",
    )  # fmt: skip
    export.add_argument(
        "--config", type=Path, default=argparse.SUPPRESS, metavar="DATEI",
        help="Konfigurationsdatei (Standard: ./config.toml)",
    )  # fmt: skip
    return parser


def _add_processing_options(parser: argparse.ArgumentParser) -> None:
    """The options of every command that runs the pipeline on recordings."""
    parser.add_argument("--min-speakers", type=int, metavar="N", help="mindestens N Sprecher")
    parser.add_argument("--max-speakers", type=int, metavar="N", help="höchstens N Sprecher")
    parser.add_argument("--device", choices=["auto", "cpu", "cuda"], help="Rechengerät")
    parser.add_argument("--quiet", action="store_true", help="keine Fortschrittsanzeige")


def _settings(args: argparse.Namespace) -> Settings:

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

    settings = _settings(args)
    agenda = load_agenda_source(args.agenda, members_from=args.members) if args.agenda else None
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


def _load_agenda_file(agenda: Path, members: Path | None) -> Agenda:
    return load_agenda_source(agenda, members_from=members)


def _api_token(args: argparse.Namespace) -> str:
    if args.token_file:
        try:
            token = args.token_file.read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ConfigError(
                f"Die Token-Datei „{args.token_file}“ ist nicht lesbar: {exc.strerror}."
            ) from None
    else:
        token = os.environ.get(TOKEN_ENV, "").strip()
    if not token:
        raise ConfigError(
            f"Für --submit wird ein API-Token des Dienstes gebraucht: in der Umgebungsvariable "
            f"{TOKEN_ENV} oder in einer Datei (--token-file). Ein Token legt man im Dienst "
            "unter „Mein Konto“ an."
        )
    return token


def _batch_processor(args: argparse.Namespace, settings: Settings) -> Processor:
    if not args.submit:
        return LocalProcessor(settings, _load_agenda_file)
    server = args.server or f"http://{settings.service.host}:{settings.service.port}"
    client = ServiceClient(server, _api_token(args))
    return SubmitProcessor(client, _load_agenda_file, body=args.gremium)


def _report_batch(summary: Summary, folder: Path) -> None:
    if not summary.outcomes:
        print(
            f"Keine Aufnahmen in „{folder}“ gefunden (erkannte Endungen: "
            f"{', '.join(RECORDING_SUFFIXES)})."
        )
        return
    print(summary.table())
    print(summary.totals())
    print(f"Zusammenfassung: {summary.out_root / SUMMARY}")


def _cmd_batch(args: argparse.Namespace) -> int:

    settings = _settings(args)
    if not args.folder.is_dir():
        raise InputError(f"Den Ordner „{args.folder}“ gibt es nicht.")
    if args.settle < 0:
        raise ConfigError("--settle muss 0 oder mehr Sekunden sein.")
    batch = Batch(
        args.folder,
        args.out or settings.output.dir,
        _batch_processor(args, settings),
        progress=None if args.quiet else TerminalProgress,
        reraise_internal=args.debug,
    )
    if args.watch:
        if not args.quiet:
            print(f"Überwache „{args.folder}“ … (Ende mit Strg+C)", file=sys.stderr)
        summary = batch.watch(settle_s=args.settle, poll_s=min(2.0, max(0.2, args.settle / 2)))
    else:
        summary = batch.run_all()
    _report_batch(summary, args.folder)
    if summary.interrupted and not args.watch:
        print("Abgebrochen.", file=sys.stderr)
        return EXIT_INTERRUPTED
    return summary.exit_code


def _read_mapping(path: Path, what: str) -> dict[str, object]:

    try:
        text = path.read_text(encoding="utf-8")
        data = json.loads(text) if path.suffix.lower() == ".json" else tomllib.loads(text)
    except FileNotFoundError:
        raise InputError(f"{what} „{path}“ wurde nicht gefunden.") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise InputError(f"{what} „{path.name}“ ist nicht lesbar: {exc}") from None
    if not isinstance(data, dict):
        raise InputError(f"{what} „{path.name}“ muss Schlüssel-Wert-Paare enthalten.")
    return data


def _seconds(value: object, key: str) -> float:

    if isinstance(value, int | float):
        return float(value)
    parts = str(value).split(":")
    try:
        numbers = [float(p) for p in parts]
    except ValueError:
        raise InputError(
            f"TOP {key}: „{value}“ ist keine Zeitangabe (Sekunden oder hh:mm:ss)."
        ) from None
    total = 0.0
    for n in numbers:
        total = total * 60 + n
    return total


def _cmd_minutes(args: argparse.Namespace) -> int:

    settings = _settings(args)
    if args.protocol:
        settings = settings.model_copy(
            update={"minutes": settings.minutes.model_copy(update={"protocol_type": args.protocol})}
        )
    try:
        transcript = Transcript.from_dict(json.loads(args.transcript.read_text(encoding="utf-8")))
    except FileNotFoundError:
        raise InputError(f"Transkript „{args.transcript}“ wurde nicht gefunden.") from None
    except (ValueError, KeyError, TypeError) as exc:
        raise InputError(
            f"„{args.transcript.name}“ ist kein gültiges transcript.json von protokoll ({exc})."
        ) from None
    agenda = load_agenda_source(args.agenda, members_from=args.members)
    names = (
        {str(k): str(v) for k, v in _read_mapping(args.names, "Namensdatei").items()}
        if args.names
        else None
    )
    starts = (
        {str(k): _seconds(v, str(k)) for k, v in _read_mapping(args.starts, "Grenzdatei").items()}
        if args.starts
        else None
    )
    hook = null_hook if args.quiet else TerminalProgress()
    minutes = draft_minutes(
        transcript, agenda, settings, confirmed_names=names, corrected_starts=starts, hook=hook
    )
    out_dir = args.out or args.transcript.parent
    outputs = write_minutes_documents(minutes, out_dir, settings)
    flags = sum(len(i.flags) for i in minutes.items) + len(minutes.flags)
    print(f"Niederschrift-Entwurf: {len(minutes.items)} TOP, {flags} Prüfhinweise.")
    for path in outputs.values():
        print(f"  {path}")
    return 0


def _cmd_models(args: argparse.Namespace) -> int:

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


def _service_settings(args: argparse.Namespace) -> Settings:
    """The settings of a service command; its files are the service's alone from here on."""
    private_files()
    environ = dict(os.environ)
    if args.profile:
        environ["PROTOKOLL_PROFILE"] = args.profile
    if getattr(args, "host", None):
        environ["PROTOKOLL_SERVICE__HOST"] = args.host
    if getattr(args, "port", None):
        environ["PROTOKOLL_SERVICE__PORT"] = str(args.port)
    return load_settings(args.config, environ)


def _cmd_serve(args: argparse.Namespace) -> int:

    settings = _service_settings(args)
    logs.configure(settings.service.log_format, logging.INFO if args.verbose else logging.WARNING)
    serve(settings, config=args.config, profile=args.profile, with_worker=not args.no_worker)
    return 0


def _cmd_worker(args: argparse.Namespace) -> int:

    settings = _service_settings(args)
    logs.configure(settings.service.log_format, logging.WARNING)
    logging.getLogger("protokoll").setLevel(logging.INFO)
    run_worker(settings)
    return 0


def _read_password(from_stdin: bool) -> str:

    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Passwort: ")
    if getpass.getpass("Passwort wiederholen: ") != first:
        raise ProtokollError("Die Passwörter stimmen nicht überein.")
    return first


def _cmd_users(args: argparse.Namespace) -> int:

    ctx = build_context(_service_settings(args))
    with ctx.db.session() as s:
        if args.users_command == "list":
            for user in s.scalars(select(User).order_by(User.username)):
                state = "" if user.active else "  (gesperrt)"
                roles, where = ",".join(sorted(user.role_set)), user.municipality_id or "–"
                print(f"{user.username:<24} {roles:<32} {where:<20}{state}")
            return 0
        password = _read_password(args.password_stdin)
        if args.users_command == "add":
            auth.create_user(
                s, args.username, password, args.role, args.display_name,
                municipality_id=args.kommune,
            )  # fmt: skip
            print(f"Benutzer „{args.username}“ angelegt.")
            return 0
        found = s.scalar(select(User).where(User.username == args.username.lower()))
        if found is None:
            raise ProtokollError(f"Den Benutzer „{args.username}“ gibt es nicht.")
        auth.set_password(found, password)
        auth.end_all_sessions(s, found.id)
        print(f"Passwort für „{found.username}“ gesetzt.")
    return 0


def _cmd_kommunen(args: argparse.Namespace) -> int:

    ctx = build_context(_service_settings(args))
    with ctx.db.session() as s:
        if args.kommunen_command == "add":
            key = args.kuerzel.strip().lower()
            if not MUNICIPALITY_KEY.fullmatch(key):
                raise ProtokollError(
                    "Das Kürzel: 3 bis 40 Kleinbuchstaben, Ziffern oder Bindestriche."
                )
            if s.get(Municipality, key) is not None:
                raise ProtokollError(f"Die Kommune „{key}“ gibt es bereits.")
            s.add(Municipality(id=key, name=args.name.strip()[:200] or key, settings={}))
            s.flush()
            ctx.layout.tenant(key).ensure()
            audit.record(
                s, "municipality.created", actor="kommandozeile",
                details={"municipality": key, "name": args.name},
            )  # fmt: skip
            print(f"Kommune „{key}“ angelegt; Konten: protokoll users add … --kommune {key}")
            return 0
        for found in s.scalars(select(Municipality).order_by(Municipality.id)):
            state = "" if found.active else "  (abgeschaltet)"
            print(f"{found.id:<24} {found.name}{state}")
    return 0


def _cmd_audit(args: argparse.Namespace) -> int:

    ctx = build_context(_service_settings(args))
    with ctx.db.session() as s:
        result = audit.seal(s)  # a chain that holds leaves its head as a new anchor
    print(result.message(), file=sys.stdout if result.ok else sys.stderr)
    return 0 if result.ok else 6


def _cmd_register(args: argparse.Namespace) -> int:

    settings = _service_settings(args)
    targets = list(TARGETS) if args.target == "alle" else [args.target]
    db = existing_database(settings)
    exports, problems = [], []
    try:
        with db.session() as s:
            if s.get(Municipality, args.kommune) is None:
                raise RegisterError(f"Die Kommune „{args.kommune}“ gibt es nicht.")
            root = Layout(settings.service.data_dir).tenant(args.kommune).root
            settings = tenancy.settings_of(s, settings, args.kommune, root)
            figures = figures_from_db(s, municipality_id=args.kommune)
            for target in targets:
                try:
                    exports.append(
                        build_export(target, settings, figures, generated_at=datetime.now(UTC))
                    )
                except RegisterError as exc:
                    problems.append(exc)
            chain = audit.seal(s)
    finally:
        db.engine.dispose()
    out_dir = args.out or settings.output.dir
    for export in exports:
        _report_register_export(export)
        paths = [write_register_json(export.data, out_dir / export.file_name)]
        if export.target == "de":
            paths.append(write_steckbrief_docx(export.data, out_dir / "ki-steckbrief.docx"))
        for path in paths:
            print(f"  {path}")
    for problem in problems:
        print(f"Fehler: {problem}", file=sys.stderr)
    if exports:
        print(
            f"Verarbeitet: {figures.sessions_processed} Sitzung(en), "
            f"{figures.minutes_published} Niederschrift(en) veröffentlicht."
        )
    if chain.ok and chain.entries:
        print(f"Prüfprotokoll: Kopf Nr. {chain.head_seq} {chain.head_hash}")
    return RegisterError.exit_code if problems else 0


def _report_register_export(export: RegisterExport) -> None:
    """The German lines for one written export: what is missing, the notes, the files."""
    if export.missing:
        placeholder = (
            "stehen sie als „nicht angegeben“ oder leer"
            if export.target == "de"
            else "sind sie weggelassen"
        )
        print(
            f"Warnung ({export.standard}): In der Konfiguration fehlen Angaben: "
            f"{', '.join(export.missing)}. Im Eintrag {placeholder}; bitte eintragen und den "
            "Export wiederholen.",
            file=sys.stderr,
        )
    for hint in export.hints:
        if export.target != "de" or not hint.startswith("In der Konfiguration fehlen"):
            print(f"Hinweis ({export.standard}): {hint}", file=sys.stderr)
    print(f"KI-Registereintrag {export.standard} erstellt:")


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
        if args.command == "batch":
            return _cmd_batch(args)
        if args.command == "minutes":
            return _cmd_minutes(args)
        if args.command == "serve":
            return _cmd_serve(args)
        if args.command == "worker":
            return _cmd_worker(args)
        if args.command == "users":
            return _cmd_users(args)
        if args.command == "kommunen":
            return _cmd_kommunen(args)
        if args.command == "audit":
            return _cmd_audit(args)
        if args.command == "register":
            return _cmd_register(args)
        return _cmd_models(args)
    except ProtokollError as exc:
        print(f"Fehler: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("Abgebrochen.", file=sys.stderr)
        return EXIT_INTERRUPTED
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
