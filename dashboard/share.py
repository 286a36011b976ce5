"""Links and QR codes for sharing a view; the QR code is made here, offline, with no web service.

The link's address comes from ATLAS_PUBLIC_URL, or from the address the page was requested at when
that host is trusted: localhost, the address the server listens on (any address of this machine when
it listens on all of them) and the names in ATLAS_TRUSTED_HOSTS. A forged Host header never reaches a
link or a QR code: an untrusted host gives way to the server's own address.
"""
from __future__ import annotations

import ipaddress
import os
import re
import socket
from functools import lru_cache
from urllib.parse import urlsplit, urlunsplit

import segno
from segno.encoder import DataOverflowError

from .addresses import network_addresses, route_address
from .state import ViewState, to_query

PUBLIC_URL_ENV = "ATLAS_PUBLIC_URL"
TRUSTED_HOSTS_ENV = "ATLAS_TRUSTED_HOSTS"
LOCAL_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
ALL_INTERFACES = frozenset({"", "0.0.0.0", "::"})
DEFAULT_PORT = "8050"
HOST_AND_PORT = re.compile(r"(?:[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?")


def public_base(request_root: str) -> str:
    """The public address of the Atlas: ATLAS_PUBLIC_URL when set (a projector laptop's own address
    means nothing to a phone), else the address the page was requested at if its host is trusted,
    else the server's own address."""
    base = (os.environ.get(PUBLIC_URL_ENV) or "").strip()
    if not base:
        requested = urlsplit(request_root.strip())
        plain = HOST_AND_PORT.fullmatch(requested.netloc)  # no user name, no stray characters
        trusted = plain is not None and host_is_trusted(requested.hostname)
        base = request_root.strip() if trusted else fallback_base(requested.scheme or "http")
    if "://" not in base:
        base = "http://" + base  # "192.168.1.5:8050" is what people type; a phone needs the scheme to open it
    parts = urlsplit(base)  # a query or fragment in the setting would swallow the view's own query
    return urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip("/") + "/", "", ""))


def trusted_hosts() -> tuple[str, ...]:
    """ATLAS_TRUSTED_HOSTS: host names or addresses, comma- or space-separated; `.example.org`
    trusts every subdomain of example.org too."""
    raw = os.environ.get(TRUSTED_HOSTS_ENV) or ""
    return tuple(h.strip().lower().strip("[]") for h in raw.replace(",", " ").split() if h.strip())


def host_is_trusted(host: str | None) -> bool:
    if not host:
        return False
    host = host.lower().rstrip(".")
    if host in LOCAL_NAMES:
        return True
    for name in trusted_hosts():
        if host == name or (name.startswith(".") and (host.endswith(name) or host == name[1:])):
            return True
    listen = listen_host()
    if listen in ALL_INTERFACES:
        return host in machine_addresses() or host in network_addresses()
    return host == listen


def listen_host() -> str:
    return (os.environ.get("HOST") or "127.0.0.1").strip().lower().strip("[]")


def fallback_base(scheme: str) -> str:
    """The server's own address, for a request whose Host is not trusted."""
    listen = listen_host()
    host = primary_address() if listen in ALL_INTERFACES else listen
    if ":" in host:
        host = f"[{host}]"
    return f"{scheme}://{host}:{(os.environ.get('PORT') or DEFAULT_PORT).strip()}/"


@lru_cache(maxsize=1)
def machine_addresses() -> frozenset[str]:
    """This machine's names and addresses, as far as it knows them without asking the network."""
    names = {socket.gethostname().lower(), primary_address()}
    try:
        names |= {info[4][0].lower() for info in socket.getaddrinfo(socket.gethostname(), None)}
    except OSError:
        pass
    return frozenset(names | LOCAL_NAMES)


@lru_cache(maxsize=1)
def primary_address() -> str:
    """The address other machines of the local network reach this one at: the default route's."""
    address = route_address()
    try:
        ipaddress.ip_address(address or "")
        return address
    except ValueError:
        return "localhost"


def is_loopback(url: str) -> bool:
    """The link's host is this machine to itself alone (localhost, 127.x.x.x, ::1): no phone opens it."""
    host = (urlsplit(url).hostname or "").rstrip(".")
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def listens_everywhere() -> bool:
    """The server listens on every interface (HOST=0.0.0.0), so that other machines can reach it."""
    return listen_host() in ALL_INTERFACES


def offered_bases(base: str, found: tuple[str, ...] | None = None) -> tuple[str, ...]:
    """For a loopback address: the same address at each of this machine's network addresses (`found`,
    else read from the network interfaces), to offer for ATLAS_PUBLIC_URL; () for any other address."""
    if not is_loopback(base):
        return ()
    parts = urlsplit(base)
    port = f":{parts.port}" if parts.port else ""
    return tuple(urlunsplit((parts.scheme, f"[{a}]{port}" if ":" in a else f"{a}{port}", parts.path or "/", "", ""))
                 for a in (network_addresses() if found is None else found))


def startup_advice(host: str, port: int | str, public_url: str, found: tuple[str, ...]) -> list[str]:
    """What the start-up log says about phones, given where the server listens and this machine's
    network addresses (`found`): nothing when ATLAS_PUBLIC_URL is set or the server listens on one
    network address (which the QR code then holds); else the addresses phones can be given."""
    if public_url.strip():
        return []
    host = host.strip().lower().strip("[]")
    everywhere = host in ALL_INTERFACES
    if not everywhere and not is_loopback(f"http://{f'[{host}]' if ':' in host else host}/"):
        return []
    offered = offered_bases(f"http://127.0.0.1:{port}/", found)
    if not offered:
        return ["Phones cannot reach this machine: it has no address on a network. Join the room's network, "
                f"then start again with HOST=0.0.0.0 and {PUBLIC_URL_ENV} set to the address phones reach it at."]
    if everywhere:
        return [f"Phones reach this machine at these addresses: open the Atlas at one of them, or set {PUBLIC_URL_ENV} "
                "to it, for a QR code that phones can open:", *(f"  {url}" for url in offered)]
    return [f"Phones cannot reach {host}: for a QR code that phones can open, start with HOST=0.0.0.0 and "
            f"{PUBLIC_URL_ENV} set to one of these addresses:", *(f"  {url}" for url in offered)]


def view_url(state: ViewState, base: str) -> str:
    """The URL an audience opens: the view, without presenter mode or the tour."""
    query = to_query(state, view_only=True)
    return base + (f"?{query}" if query else "")


@lru_cache(maxsize=512)
def qr_data_uri(url: str) -> str:
    """A PNG QR code of the URL as a data: URI (error correction M survives a projector's glare), or
    "" when the URL is too long for any QR code (the share box then says so and keeps the link)."""
    try:
        return segno.make(url, error="m").png_data_uri(scale=8, border=4)
    except DataOverflowError:
        return ""
