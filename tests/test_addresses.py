"""This machine's network addresses, read from its interfaces (dashboard.addresses), and what the share box
and the start-up log offer instead of a loopback address (dashboard.share)."""
from __future__ import annotations

import json

import pytest

from dashboard import addresses, share
from dashboard.addresses import choose, parse_fib_trie, parse_if_inet6, parse_ip_json, usable


def _link(name, *addrs, flags=("BROADCAST", "MULTICAST", "UP", "LOWER_UP")):
    return {"ifindex": 2, "ifname": name, "flags": list(flags),
            "addr_info": [{"family": "inet6" if ":" in a else "inet", "local": a, "prefixlen": 24, "scope": scope}
                          for a, scope in addrs]}


IP_JSON = json.dumps([
    _link("lo", ("127.0.0.1", "host"), ("::1", "host"), flags=("LOOPBACK", "UP", "LOWER_UP")),
    _link("wlp2s0", ("192.168.1.5", "global"), ("fe80::1c2d:3eff:fe4f:5a6b", "link"), ("2a01:e0a::5", "global")),
    _link("docker0", ("172.17.0.1", "global")),
    _link("eth1", ("10.0.0.9", "global"), flags=("BROADCAST", "MULTICAST")),  # down
])


@pytest.mark.parametrize("text, expected", [
    (IP_JSON, [("wlp2s0", "192.168.1.5"), ("wlp2s0", "2a01:e0a::5"), ("docker0", "172.17.0.1")]),
    ("[]", []),
    # not the tool's answer: None, so that the /proc files are read instead
    ("", None), ("Object \"addr\" is unknown", None), ('{"ifname": "eth0"}', None),
    # broken entries are skipped, not fatal
    ('[1, "x", {"ifname": "eth0"}, {"ifname": "eth0", "flags": ["UP"], "addr_info": [1, {"local": 5}, {}]}]', []),
    ('[{"flags": ["UP"], "addr_info": [{"local": "192.168.1.5"}]}]', [("", "192.168.1.5")]),  # no name, no scope
])
def test_parse_ip_json(text, expected):
    assert parse_ip_json(text) == expected


FIB_TRIE = """Main:
  +-- 0.0.0.0/0 3 0 5
     |-- 0.0.0.0
        /0 universe UNICAST
     +-- 127.0.0.0/8 2 0 2
        +-- 127.0.0.0/31 1 0 0
           |-- 127.0.0.0
              /8 host LOCAL
           |-- 127.0.0.1
              /32 host LOCAL
        |-- 127.255.255.255
           /32 link BROADCAST
     +-- 192.168.1.0/24 2 0 2
        +-- 192.168.1.0/28 2 0 2
           |-- 192.168.1.0
              /24 link UNICAST
           |-- 192.168.1.5
              /32 host LOCAL
        |-- 192.168.1.255
           /32 link BROADCAST
Local:
  +-- 0.0.0.0/0 3 0 5
           |-- 192.168.1.5
              /32 host LOCAL
"""


@pytest.mark.parametrize("text, expected", [
    (FIB_TRIE, ["127.0.0.1", "192.168.1.5"]),
    ("", []),
    ("/32 host LOCAL\n", []),  # no address before it
    ("|-- 10.1.2.3\n   /24 link UNICAST\n", []),
])
def test_parse_fib_trie(text, expected):
    assert parse_fib_trie(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("fe8000000000000000fc00fffe000001 04 40 20 80     eth0\n"
     "fd000000000000000000000000000002 04 40 00 80     eth0\n"
     "00000000000000000000000000000001 01 80 10 80       lo\n", [("eth0", "fd00::2")]),
    ("2a010e0a000000000000000000000005 03 40 00 00 wlp2s0", [("wlp2s0", "2a01:e0a::5")]),
    ("", []),
    ("zz000000000000000000000000000002 04 40 00 80 eth0\nfd00 04 40 00 80 eth0\nnot a line", []),
])
def test_parse_if_inet6(text, expected):
    assert parse_if_inet6(text) == expected


@pytest.mark.parametrize("address, expected", [
    ("192.168.1.5", True), ("10.0.0.9", True), ("172.16.4.2", True), ("2a01:e0a::5", True), ("fd00::2", True),
    ("127.0.0.1", False), ("127.0.1.1", False), ("::1", False), ("169.254.3.4", False), ("fe80::1", False),
    ("fe80::1%eth0", False), ("0.0.0.0", False), ("::", False), ("224.0.0.1", False), ("240.0.0.1", False),
    ("localhost", False), ("", False), ("999.1.1.1", False),
])
def test_usable_addresses(address, expected):
    assert usable(address) is expected


@pytest.mark.parametrize("pairs, first, expected", [
    ([("wlp2s0", "192.168.1.5"), ("wlp2s0", "2a01:e0a::5"), ("docker0", "172.17.0.1")], None,
     ("192.168.1.5", "2a01:e0a::5")),
    # the default route's address first, IPv4 before IPv6, each once
    ([("wlp2s0", "2a01:e0a::5"), ("eth0", "10.0.0.9"), ("wlp2s0", "192.168.1.5")], "192.168.1.5",
     ("192.168.1.5", "10.0.0.9", "2a01:e0a::5")),
    ([("", "127.0.1.1"), ("veth12ab", "10.1.0.1"), ("virbr0", "192.168.122.1"), ("br-0a1b", "172.18.0.1")], None, ()),
    ([], "127.0.0.1", ()),  # offline: nothing to offer
    ([], None, ()),
])
def test_choose_the_addresses_worth_offering(pairs, first, expected):
    assert choose(pairs, first) == expected


def test_network_addresses_are_read_offline_and_usable():
    found = addresses.network_addresses()
    assert isinstance(found, tuple) and all(usable(a) for a in found)
    assert addresses.network_addresses() is found  # read again at most every REFRESH_SECONDS


@pytest.mark.parametrize("url, expected", [
    ("http://127.0.0.1:8050/", True), ("http://127.0.1.1/", True), ("http://localhost:8050/?x=1", True),
    ("http://[::1]:8050/", True), ("http://atlas.localhost/", True),
    ("http://192.168.1.5:8050/", False), ("https://atlas.example.org/", False), ("http://[fd00::2]:8050/", False),
    ("", False), ("not a url", False),
])
def test_is_loopback(url, expected):
    assert share.is_loopback(url) is expected


@pytest.mark.parametrize("base, found, expected", [
    ("http://127.0.0.1:8050/", ("192.168.1.5", "fd00::2"), ("http://192.168.1.5:8050/", "http://[fd00::2]:8050/")),
    ("https://localhost/atlas/?lang=fr", ("10.0.0.9",), ("https://10.0.0.9/atlas/",)),
    ("http://127.0.0.1:8050/", (), ()),
    ("http://192.168.1.5:8050/", ("10.0.0.9",), ()),  # not loopback: nothing to offer
])
def test_offered_bases(base, found, expected):
    assert share.offered_bases(base, found) == expected


@pytest.mark.parametrize("host, public, found, expected", [
    ("127.0.0.1", "", ("192.168.1.5",), [
        "Phones cannot reach 127.0.0.1: for a QR code that phones can open, start with HOST=0.0.0.0 and "
        "ATLAS_PUBLIC_URL set to one of these addresses:", "  http://192.168.1.5:8050/"]),
    ("localhost", "", ("192.168.1.5", "fd00::2"), [
        "Phones cannot reach localhost: for a QR code that phones can open, start with HOST=0.0.0.0 and "
        "ATLAS_PUBLIC_URL set to one of these addresses:", "  http://192.168.1.5:8050/", "  http://[fd00::2]:8050/"]),
    ("0.0.0.0", "", ("192.168.1.5",), [
        "Phones reach this machine at these addresses: open the Atlas at one of them, or set ATLAS_PUBLIC_URL "
        "to it, for a QR code that phones can open:", "  http://192.168.1.5:8050/"]),
    ("::1", "", (), [
        "Phones cannot reach this machine: it has no address on a network. Join the room's network, then start "
        "again with HOST=0.0.0.0 and ATLAS_PUBLIC_URL set to the address phones reach it at."]),
    ("127.0.0.1", "http://192.168.1.5:8050", ("192.168.1.5",), []),  # the public address is set
    ("192.168.1.5", "", ("192.168.1.5",), []),  # listening on a network address: the QR code holds it
])
def test_startup_advice(host, public, found, expected):
    assert share.startup_advice(host, 8050, public, found) == expected
