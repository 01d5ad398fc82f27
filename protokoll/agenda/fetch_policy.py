"""Which addresses the server may fetch an agenda from, checked where the connection is made.

A web service that fetches any address a user types is an SSRF oracle: its answers
would tell closed ports, HTTP statuses and JSON apart on the server's own network. The
service's policy (`FetchPolicy.for_service`) therefore:

* fetches https only, also after redirects;
* connects only to public addresses: the host name is resolved, and every address it
  resolves to must be global. No loopback, private, link-local (cloud metadata
  169.254.169.254), shared, reserved or multicast addresses. The check runs for each
  connection, redirects included, on the addresses actually connected to, so a name
  that resolves differently between check and connect (DNS rebinding) gains nothing;
* lets an administrator allow-list hosts of the municipality's own network
  (`[service] agenda_allowed_hosts`);
* answers every failure with one message that does not say what was found.

The command line keeps the permissive default: whoever runs it already has the network.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import urllib.request
from dataclasses import dataclass, field
from typing import Any

from protokoll.errors import AgendaError


class AddressRefused(AgendaError):
    """The policy refuses this address (scheme, or where its host name points)."""


@dataclass(frozen=True)
class FetchPolicy:
    https_only: bool = False
    public_only: bool = False
    allowed_hosts: frozenset[str] = field(default_factory=frozenset)
    uniform_errors: bool = False

    @classmethod
    def for_service(cls, allowed_hosts: list[str] | tuple[str, ...] = ()) -> FetchPolicy:
        hosts = frozenset(h.strip().lower().rstrip(".") for h in allowed_hosts if h.strip())
        return cls(https_only=True, public_only=True, allowed_hosts=hosts, uniform_errors=True)

    def check_scheme(self, url: str, scheme: str) -> None:
        if self.https_only and scheme.lower() != "https":
            raise AddressRefused(f"Die Adresse „{url}“ muss mit https:// beginnen.")

    def allows_host(self, host: str) -> bool:
        return host.lower().rstrip(".") in self.allowed_hosts


def is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return bool(ip.is_global) and not ip.is_multicast


def checked_addresses(host: str, port: int, policy: FetchPolicy) -> list[Any]:
    """getaddrinfo results for `host`; AddressRefused if any is not public (and the host
    is not allow-listed), so a name with one public and one internal address is refused."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise OSError(f"Rechnername „{host}“ unbekannt ({exc})") from None
    if policy.public_only and not policy.allows_host(host):
        for info in infos:
            if not is_public(str(info[4][0])):
                raise AddressRefused(
                    f"„{host}“ zeigt auf eine interne Adresse ({info[4][0]}); abgerufen werden "
                    "nur öffentlich erreichbare Server (oder die in agenda_allowed_hosts)."
                )
    return infos


def _connect_checked(policy: FetchPolicy) -> Any:
    def connect(address: tuple[str, int], timeout: Any = None, source: Any = None) -> socket.socket:
        host, port = address
        last: OSError | None = None
        for family, kind, proto, _name, sockaddr in checked_addresses(host, port, policy):
            sock = socket.socket(family, kind, proto)
            try:
                if isinstance(timeout, int | float):  # else http.client's "no timeout set"
                    sock.settimeout(timeout)
                if source:
                    sock.bind(source)
                sock.connect(sockaddr)  # the address that was checked, not a new lookup
                return sock
            except OSError as exc:
                sock.close()
                last = exc
        raise last or OSError(f"keine Adresse für „{host}“")

    return connect


def opener(policy: FetchPolicy, redirect_handler: urllib.request.BaseHandler) -> Any:
    """A urllib opener whose every connection (redirects too) follows `policy`."""
    connect = _connect_checked(policy)

    class CheckedHTTP(http.client.HTTPConnection):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._create_connection = connect

    class CheckedHTTPS(http.client.HTTPSConnection):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._create_connection = connect

    class HTTPHandler(urllib.request.HTTPHandler):
        def http_open(self, req: urllib.request.Request) -> Any:
            policy.check_scheme(req.full_url, "http")
            return self.do_open(CheckedHTTP, req)

    class HTTPSHandler(urllib.request.HTTPSHandler):
        def https_open(self, req: urllib.request.Request) -> Any:
            return self.do_open(CheckedHTTPS, req, context=ssl.create_default_context())

    return urllib.request.build_opener(HTTPHandler(), HTTPSHandler(), redirect_handler)
