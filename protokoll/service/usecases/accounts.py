"""What a user does with accounts, independent of HTTP: log in and out, own password and
API tokens, and (admins) changes to other users. The JSON API and the web pages both call
these, so the rules and their audit entries exist once."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from protokoll.config import ServiceSettings
from protokoll.errors import InputError
from protokoll.service.infra import audit, auth
from protokoll.service.infra.tables import ROLE_LABELS, ROLES, ApiToken, AuthSession, User
from protokoll.service.usecases import access
from protokoll.service.usecases.access import Conflict, Forbidden, NotFound

# the roles within a municipality (kreisadmin is the district's, see municipalities.py)
MUNICIPALITY_ROLES = tuple(r for r in ROLES if r != "kreisadmin")
# what messages call them: the German names, never the internal keys
ALLOWED_ROLES_TEXT = ", ".join(ROLE_LABELS[r] for r in MUNICIPALITY_ROLES)


def role_labels(roles: list[str] | frozenset[str]) -> list[str]:
    """The German names of roles, in the usual order."""
    return [ROLE_LABELS[r] for r in ROLES if r in roles]


def _check_roles(roles: list[str]) -> None:
    """At least one role, each one a municipality may give (German names in the message)."""
    unknown = sorted(set(roles) - set(MUNICIPALITY_ROLES))
    if unknown:
        raise InputError(
            f"Unbekannte Rolle: {', '.join(unknown)}. Erlaubte Rollen: {ALLOWED_ROLES_TEXT}."
        )
    if not roles:
        raise InputError(
            f"Unbekannte oder fehlende Rolle: bitte mindestens eine wählen. Erlaubte Rollen: "
            f"{ALLOWED_ROLES_TEXT}."
        )


def users_of(s: Session, admin: User) -> list[User]:
    """The accounts an admin manages: those of their own municipality."""
    require_admin(admin)
    query = select(User).where(User.municipality_id == admin.municipality_id)
    return list(s.scalars(query.order_by(User.username)))


def create_user(
    s: Session,
    admin: User,
    username: str,
    password: str,
    roles: list[str],
    display_name: str = "",
) -> User:
    """An admin creates an account in their own municipality (a one-time password)."""
    require_admin(admin)
    _check_roles(roles)
    return auth.create_user(
        s, username, password, roles, display_name, actor=admin, one_time=True,
        municipality_id=admin.municipality_id,
    )  # fmt: skip


def require_admin(user: User) -> None:
    access.require(
        access.can_manage_users(user), "Benutzer verwaltet nur, wer die Rolle Verwaltung hat."
    )


def get_user(s: Session, admin: User, user_id: int) -> User:
    """An account of the admin's own municipality; any other is "not found"."""
    require_admin(admin)
    target = s.get(User, user_id)
    if target is None or target.municipality_id != admin.municipality_id:
        raise NotFound("Diesen Benutzer gibt es nicht.")
    return target


def log_in(
    s: Session, service: ServiceSettings, username: str, password: str
) -> tuple[User, str, AuthSession]:
    """A new session for name and password; AuthError otherwise (the failure is kept)."""
    try:
        user = auth.authenticate(
            s, username, password,
            max_failures=service.login_max_failures, lockout_s=service.login_lockout_s,
        )  # fmt: skip
    except auth.AuthError:
        s.commit()  # the failure count and its audit entry stay
        raise
    token, record = auth.start_session(s, user, service.session_hours)
    return user, token, record


def log_out(s: Session, user: User, token: str | None) -> None:
    if token:
        auth.end_session(s, token)
    audit.record(s, "logout", user=user)


def change_own_password(
    s: Session,
    service: ServiceSettings,
    user: User,
    old: str,
    new: str,
    *,
    keep_token: str | None,
) -> None:
    """Other browsers logged in as this user are logged out; the one with `keep_token` stays."""
    try:
        auth.authenticate(
            s, user.username, old,
            max_failures=service.login_max_failures, lockout_s=service.login_lockout_s,
        )  # fmt: skip
    except auth.AuthError:
        s.commit()  # a wrong old password counts towards the lockout
        raise Forbidden("Das bisherige Passwort ist falsch.") from None
    auth.set_password(user, new)
    user.must_change_password = False
    auth.end_all_sessions(s, user.id, keep_token=keep_token)
    revoked = auth.revoke_all_tokens(s, user.id)
    audit.record(s, "password.changed", user=user, details={"tokens_revoked": revoked})


def create_token(s: Session, user: User, name: str) -> tuple[str, ApiToken]:
    token, record = auth.create_api_token(s, user, name)
    audit.record(s, "token.created", user=user, details={"id": record.id, "name": record.name})
    return token, record


def revoke_token(s: Session, user: User, token_id: int) -> None:
    record = s.get(ApiToken, token_id)
    if record is None or record.user_id != user.id:
        raise NotFound("Dieses Token gibt es nicht.")
    record.revoked = True
    audit.record(s, "token.revoked", user=user, details={"id": record.id, "name": record.name})


def update_user(
    s: Session,
    admin: User,
    user_id: int,
    *,
    roles: list[str] | None = None,
    active: bool | None = None,
    display_name: str | None = None,
    password: str | None = None,
    keep_token: str | None = None,
) -> User:
    """An admin changes a user; unlocking also lifts a lockout after wrong passwords."""
    target = get_user(s, admin, user_id)
    changes: dict[str, object] = {}
    if roles is not None:
        _check_roles(roles)
        if target.id == admin.id and "admin" not in roles:
            raise Conflict("Die eigene Verwaltungsrolle kann man nicht entfernen.")
        gained = set(roles) - target.role_set
        if target.id == admin.id and gained:
            # separation of duties: whoever manages accounts does not read minutes by
            # granting themselves the right; another admin or the command line can
            raise Forbidden(
                "Eigene Rechte für Schriftführung oder Prüfung vergibt man sich nicht selbst: "
                "bitte eine zweite Verwaltung oder „protokoll users“ auf dem Server."
            )
        target.roles = ",".join(r for r in ROLES if r in roles)
        changes["roles"] = roles
    if active is not None:
        if target.id == admin.id and not active:
            raise Conflict("Das eigene Konto kann man nicht sperren.")
        target.active = active
        if active:
            target.locked_until, target.failed_logins = None, 0
        else:
            auth.end_all_sessions(s, target.id)
        changes["active"] = active
    if display_name is not None:
        target.display_name = display_name.strip() or target.username
        changes["display_name"] = display_name
    if password is not None:
        auth.set_password(target, password)
        # a password someone else knows: the user replaces it at the next login
        target.must_change_password = target.id != admin.id
        auth.end_all_sessions(s, target.id, keep_token=keep_token)
        changes["password"] = "neu gesetzt"
        changes["tokens_revoked"] = auth.revoke_all_tokens(s, target.id)
    audit.record(s, "user.changed", user=admin, details={"username": target.username, **changes})
    return target
