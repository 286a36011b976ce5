"""This machine's addresses on its networks: what a phone in the room could open instead of 127.0.0.1.

Read from the network interfaces with the standard library alone, and offline (no packet is sent and
no name server is asked): `ip -j addr` when the `ip` tool is there, else Linux's /proc/net files,
else the addresses the host name has locally; plus the address the default route would leave from
(connecting a UDP socket only picks a route), when there is one. The parsers are pure functions.
"""
from __future__ import annotations

import ipaddress
import json
import re
import shutil
import socket
import subprocess
import time
from functools import lru_cache
from pathlib import Path

# Interfaces that other machines of the room cannot reach: containers' and virtual machines' bridges.
VIRTUAL_INTERFACES = re.compile(r"^(docker|br-|veth|virbr|vnet|lxc|lxd|cni|flannel|podman|vmnet|vboxnet)")
FIB_TRIE, IF_INET6 = Path("/proc/net/fib_trie"), Path("/proc/net/if_inet6")
REFRESH_SECONDS = 30  # a laptop that joins the room's Wi-Fi after starting shows its new address this soon


def usable(address: str) -> bool:
    """An address that another machine of a local network may reach: not loopback, link-local,
    multicast, unspecified or reserved (and a valid address at all)."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    return not (ip.is_loopback or ip.is_link_local or ip.is_multicast or ip.is_unspecified or ip.is_reserved)


def parse_ip_json(text: str) -> list[tuple[str, str]] | None:
    """(interface, address) pairs from `ip -j addr`, for interfaces that are up; None when the text
    is not that tool's answer."""
    try:
        links = json.loads(text)
    except ValueError:
        return None
    if not isinstance(links, list):
        return None
    found = []
    for link in links:
        if not isinstance(link, dict) or not isinstance(link.get("addr_info"), list):
            continue
        flags = link.get("flags") if isinstance(link.get("flags"), list) else []
        if "UP" not in flags or "LOOPBACK" in flags:
            continue
        name = link.get("ifname") if isinstance(link.get("ifname"), str) else ""
        for info in link["addr_info"]:
            if isinstance(info, dict) and isinstance(info.get("local"), str) and info.get("scope", "global") == "global":
                found.append((name, info["local"]))
    return found


def parse_fib_trie(text: str) -> list[str]:
    """The IPv4 addresses of this machine from /proc/net/fib_trie: each `|-- a.b.c.d` line followed
    by a `/32 host LOCAL` line."""
    found, last = [], None
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("|-- "):
            last = line[4:].strip()
        elif last and line.startswith("/32 host LOCAL") and last not in found:
            found.append(last)
    return found


def parse_if_inet6(text: str) -> list[tuple[str, str]]:
    """(interface, address) pairs of global scope from /proc/net/if_inet6 (one address a line:
    32 hex digits, interface index, prefix length, scope, flags, interface name)."""
    found = []
    for line in text.splitlines():
        fields = line.split()
        if len(fields) != 6 or fields[3] != "00" or not re.fullmatch(r"[0-9a-fA-F]{32}", fields[0]):
            continue
        found.append((fields[5], str(ipaddress.IPv6Address(int(fields[0], 16)))))
    return found


def choose(pairs: list[tuple[str, str]], first: str | None = None) -> tuple[str, ...]:
    """The addresses worth offering, once each: `first` (the default route's) ahead, then IPv4 before
    IPv6 (what phones on a room's Wi-Fi use), leaving out virtual interfaces and unreachable addresses."""
    kept = [a for name, a in pairs if not VIRTUAL_INTERFACES.match(name) and usable(a)]
    if first and usable(first):
        kept.insert(0, first)
    ordered = sorted(dict.fromkeys(kept), key=lambda a: ":" in a)  # a stable sort keeps `first` first among its kind
    return tuple(ordered)


def network_addresses() -> tuple[str, ...]:
    """This machine's addresses on its networks, best first; () when it has none (offline, no network)."""
    return _discover(int(time.monotonic() // REFRESH_SECONDS))


@lru_cache(maxsize=1)
def _discover(_period: int) -> tuple[str, ...]:
    pairs = _from_ip_tool()
    if pairs is None:
        pairs = [("", a) for a in parse_fib_trie(_read(FIB_TRIE))] + parse_if_inet6(_read(IF_INET6))
    pairs += [("", a) for a in _from_host_name()]
    return choose(pairs, route_address())


def route_address() -> str | None:
    """The IPv4 address the default route leaves from; None with no route. Connecting a UDP socket
    only picks the route: nothing is sent."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("192.0.2.1", 9))  # a documentation address (TEST-NET-1): never contacted
            return probe.getsockname()[0]
    except OSError:
        return None


def _from_ip_tool() -> list[tuple[str, str]] | None:
    tool = shutil.which("ip")
    if tool is None:
        return None
    try:
        done = subprocess.run([tool, "-j", "addr"], capture_output=True, text=True, timeout=2, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return parse_ip_json(done.stdout) if done.returncode == 0 else None


def _from_host_name() -> list[str]:
    try:
        return [info[4][0] for info in socket.getaddrinfo(socket.gethostname(), None)]
    except (OSError, UnicodeError):
        return []


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="ascii", errors="replace")
    except OSError:
        return ""
