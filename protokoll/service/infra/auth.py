"""Accounts, passwords, browser sessions and API tokens.

Passwords are hashed with Argon2id. Browser sessions and API tokens are random
256-bit values; the database holds only their SHA-256, so a copy of the
database lets nobody log in. Repeated wrong passwords lock the account for a
while. Role checks live in `access.py`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from protokoll.errors import ProtokollError
from protokoll.service.infra import audit
from protokoll.service.infra.tables import (
    DEFAULT_MUNICIPALITY,
    ROLE_LABELS,
    ROLES,
    ApiToken,
    AuthSession,
    Municipality,
    User,
    utcnow,
)

_hasher = PasswordHasher()
MIN_PASSWORD_LENGTH = 10
# verified against when the user does not exist, so timing does not reveal user names
_DUMMY_HASH = _hasher.hash("protokoll-dummy-password")


class AuthError(ProtokollError):
    """Login refused; the message is safe to show (it never says which part was wrong)."""


REFUSED = (
    "Anmeldung fehlgeschlagen: Benutzername oder Passwort ist falsch, oder das Konto ist "
    "nach mehreren falschen Passwörtern für einige Minuten gesperrt."
)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def check_password_rules(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ProtokollError(
            f"Das Passwort muss mindestens {MIN_PASSWORD_LENGTH} Zeichen lang sein."
        )


def hash_password(password: str) -> str:
    check_password_rules(password)
    return _hasher.hash(password)


def create_user(
    db: Session,
    username: str,
    password: str,
    roles: set[str] | list[str],
    display_name: str = "",
    *,
    actor: User | None = None,
    one_time: bool = False,
    municipality_id: str | None = None,
) -> User:
    """A new account; with `one_time` its password must be changed at the first login.
    Its municipality: `municipality_id`, else the creating admin's, else the default one;
    a district administrator (kreisadmin) belongs to none and holds no other role."""
    username = username.strip().lower()
    if (
        not username
        or len(username) > 64
        or not username.replace(".", "").replace("-", "").replace("_", "").isalnum()
    ):
        raise ProtokollError(
            "Der Benutzername darf nur Buchstaben, Ziffern, Punkt, Binde- und Unterstrich "
            "enthalten (höchstens 64 Zeichen)."
        )
    unknown = set(roles) - set(ROLES)
    if unknown or not roles:
        raise ProtokollError(
            f"Unbekannte oder fehlende Rolle: {', '.join(sorted(unknown)) or '–'}. Erlaubt "
            f"sind: {', '.join(f'{ROLE_LABELS[r]} ({r})' for r in ROLES)}."
        )
    if db.scalar(select(User).where(User.username == username)) is not None:
        raise ProtokollError(f"Den Benutzer „{username}“ gibt es bereits.")
    if "kreisadmin" in roles:
        if set(roles) != {"kreisadmin"}:
            raise ProtokollError(
                "Die Kreisverwaltung hält keine weitere Rolle: sie sieht keine "
                "Sitzung einer Kommune."
            )
        if actor is not None and not actor.has("kreisadmin"):
            raise ProtokollError("Eine Kreisverwaltung legt nur eine Kreisverwaltung an.")
        municipality_id = None
    else:
        municipality_id = municipality_id or (actor.municipality_id if actor else None)
        municipality_id = municipality_id or DEFAULT_MUNICIPALITY
        found = db.get(Municipality, municipality_id)
        if found is None or not found.active:
            raise ProtokollError(f"Die Kommune „{municipality_id}“ gibt es nicht.")
    user = User(
        username=username,
        display_name=display_name.strip() or username,
        password_hash=hash_password(password),
        roles=",".join(r for r in ROLES if r in set(roles)),
        active=True,
        failed_logins=0,
        must_change_password=one_time,
        municipality_id=municipality_id,
    )
    db.add(user)
    db.flush()
    audit.record(
        db, "user.created", user=actor, municipality_id=municipality_id,
        details={
            "username": user.username, "roles": sorted(user.role_set), "one_time": one_time,
        },
    )  # fmt: skip
    return user


def set_password(user: User, password: str) -> None:
    user.password_hash = hash_password(password)
    user.failed_logins = 0
    user.locked_until = None


def authenticate(
    db: Session, username: str, password: str, *, max_failures: int, lockout_s: float
) -> User:
    """The user if name and password match; AuthError otherwise, with one message for every
    case (unknown name, wrong password, locked or deactivated account), so that nobody can
    find out which user names exist by trying."""
    refused = AuthError(REFUSED)
    user = db.scalar(select(User).where(User.username == username.strip().lower()))
    if user is None:
        with contextlib.suppress(VerificationError):
            _hasher.verify(_DUMMY_HASH, password)
        _failed(db, username, None, "unbekannter Benutzer")
        raise refused
    now = utcnow()
    if user.locked_until is not None and user.locked_until > now:
        _failed(db, username, user, "Konto gesperrt")
        raise refused
    try:
        _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        locked = _count_failure(db, user, max_failures, now + dt.timedelta(seconds=lockout_s))
        _failed(db, username, user, "falsches Passwort" + (", Konto gesperrt" if locked else ""))
        raise refused from None
    if not usable(db, user):
        _failed(db, username, user, "Konto oder Kommune deaktiviert")
        raise refused
    user.failed_logins = 0
    user.locked_until = None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    audit.record(db, "login", user=user)
    return user


def usable(db: Session, user: User) -> bool:
    """An active account of an active municipality (or a district administrator)."""
    if not user.active:
        return False
    if user.municipality_id is None:
        return user.has("kreisadmin")
    found = db.get(Municipality, user.municipality_id)
    return found is not None and found.active


def _count_failure(db: Session, user: User, max_failures: int, lock_until: dt.datetime) -> bool:
    """One more wrong password, counted by the database itself (`SET n = n + 1`): parallel
    attempts each count, and none overwrites another's count. True if this one locks."""
    count = db.execute(
        update(User)
        .where(User.id == user.id)
        .values(failed_logins=User.failed_logins + 1)
        .returning(User.failed_logins)
    ).scalar_one()
    if count < max_failures:
        return False
    db.execute(
        update(User).where(User.id == user.id).values(locked_until=lock_until, failed_logins=0)
    )
    return True


def _failed(db: Session, username: str, user: User | None, reason: str) -> None:
    audit.record(
        db, "login.failed", user=user, actor=username.strip().lower()[:64] or "?",
        details={"reason": reason},
    )  # fmt: skip


def start_session(db: Session, user: User, hours: float) -> tuple[str, AuthSession]:
    """A new browser session; returns the cookie value (shown once) and the record."""
    token = secrets.token_urlsafe(32)
    record = AuthSession(
        token_hash=token_digest(token),
        csrf_token=secrets.token_urlsafe(24),
        user_id=user.id,
        expires_at=utcnow() + dt.timedelta(hours=hours),
    )
    db.add(record)
    db.execute(delete(AuthSession).where(AuthSession.expires_at < utcnow()))
    db.flush()
    return token, record


def session_for(db: Session, token: str) -> tuple[User, AuthSession] | None:
    record = db.scalar(select(AuthSession).where(AuthSession.token_hash == token_digest(token)))
    if record is None or record.expires_at < utcnow():
        return None
    user = db.get(User, record.user_id)
    if user is None or not usable(db, user):
        return None
    return user, record


def end_session(db: Session, token: str) -> None:
    db.execute(delete(AuthSession).where(AuthSession.token_hash == token_digest(token)))


def end_all_sessions(db: Session, user_id: int, *, keep_token: str | None = None) -> None:
    query = delete(AuthSession).where(AuthSession.user_id == user_id)
    if keep_token:
        query = query.where(AuthSession.token_hash != token_digest(keep_token))
    db.execute(query)


def revoke_all_tokens(db: Session, user_id: int) -> int:
    """Every API token of a user stops working (after a password change: a token copied
    by whoever knew the old password must not outlive it). Returns how many."""
    result = db.execute(
        update(ApiToken)
        .where(ApiToken.user_id == user_id, ApiToken.revoked.is_(False))
        .values(revoked=True)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def create_api_token(db: Session, user: User, name: str) -> tuple[str, ApiToken]:
    token = "pk_" + secrets.token_urlsafe(32)
    record = ApiToken(user_id=user.id, name=name.strip() or "API", token_hash=token_digest(token))
    db.add(record)
    db.flush()
    return token, record


def user_for_api_token(db: Session, token: str) -> User | None:
    record = db.scalar(select(ApiToken).where(ApiToken.token_hash == token_digest(token)))
    if record is None or record.revoked:
        return None
    user = db.get(User, record.user_id)
    if user is None or not usable(db, user):
        return None
    record.last_used_at = utcnow()
    return user
