"""The service's fetch policy: https only, public addresses only (checked where the
connection is made, redirects included), allow-listed hosts, one uniform answer."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from protokoll.agenda.fetch_policy import AddressRefused, FetchPolicy, checked_addresses, is_public
from protokoll.agenda.oparl_client import OParlClient, load_meeting
from protokoll.errors import AgendaError
from tests.support.oparl_server import OParlServer, Response, running

SCHEMA = "https://schema.oparl.org/1.1/"


@pytest.fixture(scope="module")
def server() -> Iterator[OParlServer]:
    httpd = OParlServer()
    httpd.serve({"id": httpd.url("meeting/13"), "type": SCHEMA + "Meeting", "name": "Rat"})
    httpd.serve({"id": httpd.url("body/0"), "type": SCHEMA + "Body", "name": "Stadt"})
    httpd.raw("broken", Response(500, b"Internal Server Error", "text/plain"))
    httpd.raw("html", Response(body=b"<html>Wartung</html>", content_type="text/html"))
    httpd.raw("array", Response(body=b"[1, 2, 3]"))
    with running(httpd):
        yield httpd


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("127.0.0.1", False), ("10.1.2.3", False), ("172.16.0.1", False),
        ("192.168.178.1", False), ("169.254.169.254", False), ("100.64.0.1", False),
        ("0.0.0.0", False), ("224.0.0.1", False), ("::1", False), ("fe80::1", False),
        ("fd00::1", False), ("::ffff:127.0.0.1", False), ("::ffff:10.0.0.1", False),
        ("93.184.216.34", True), ("2606:2800:220:1:248:1893:25c8:1946", True),
    ],
)  # fmt: skip
def test_public_addresses(address: str, public: bool) -> None:
    assert is_public(address) is public


def test_a_name_resolving_to_loopback_is_refused() -> None:
    policy = FetchPolicy.for_service()
    with pytest.raises(AddressRefused, match="interne Adresse"):
        checked_addresses("localhost", 443, policy)
    # an allow-listed host of the municipality's network may be fetched
    allowed = FetchPolicy.for_service(["LOCALHOST."])
    assert checked_addresses("localhost", 443, allowed)


def test_a_name_with_one_internal_address_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    def getaddrinfo(host: str, port: int, **kwargs: object) -> list[tuple[object, ...]]:
        return [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", port)),
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.5", port)),
        ]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    with pytest.raises(AddressRefused, match=r"10\.0\.0\.5"):
        checked_addresses("ris.beispiel.de", 443, FetchPolicy.for_service())


@pytest.fixture
def no_proxy(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name in ("http_proxy", "https_proxy", "all_proxy", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    yield


def test_every_connection_is_checked_also_after_a_redirect(
    server: OParlServer,
    no_proxy: None,
) -> None:
    """The first host is allow-listed; its redirect to another internal name is refused at
    the connection, not trusted because the first address was."""
    port = server.server_address[1]
    target = f"http://localhost:{port}/meeting/13"
    server.raw("to-localhost", Response(302, headers=(("Location", target),)))
    policy = FetchPolicy(public_only=True, allowed_hosts=frozenset({"127.0.0.1"}))
    client = OParlClient(policy=policy)
    assert client.get(server.url("meeting/13"))["type"].endswith("Meeting")  # allow-listed
    with pytest.raises(AddressRefused, match="localhost"):
        client.get(server.url("to-localhost"))


def test_the_service_policy_answers_every_failure_alike(
    server: OParlServer,
    no_proxy: None,
) -> None:
    """Open port, closed port, HTTP error, non-OParl JSON: one answer, nothing revealed."""
    policy = FetchPolicy(public_only=False, uniform_errors=True)  # loopback allowed, to probe
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    closed_port = closed.getsockname()[1]
    closed.close()
    urls = [
        server.url("meeting/13/missing"),  # 404
        server.url("broken"),  # 500
        server.url("html"),  # not JSON
        server.url("array"),  # JSON, not an object
        server.url("body/0"),  # an OParl object, but no Meeting
        f"http://127.0.0.1:{closed_port}/meeting/1",  # nothing listens
    ]
    messages = []
    for url in urls:
        with pytest.raises(AgendaError) as caught:
            load_meeting(url, policy=policy)
        messages.append(str(caught.value).replace(url, "URL"))
    assert len(set(messages)) == 1, messages
    assert "konnte keine OParl-Sitzung geladen werden" in messages[0]


def test_https_only_also_on_redirects(server: OParlServer, no_proxy: None) -> None:
    policy = FetchPolicy(https_only=True)
    with pytest.raises(AddressRefused, match="https"):
        OParlClient(policy=policy).get(server.url("meeting/13"))
