"""Rooms: where a presenter's current view waits for the phones that follow it.

A room has a short code (what a follow link carries), a secret (what only the presenter's browser
holds: the store keeps its hash), the presenter's view as a URL query, a version that grows with each
change, and whether the presentation is live. A room unused for ROOM_TTL seconds is gone.

Two stores keep the same contract: SQLite in WAL mode in ATLAS_ROOM_DIR (by default a directory of
the system's temporary folder, per user), which every worker process of one machine shares with no
setup, and Redis when ATLAS_REDIS_URL is set, for servers on several machines.
"""
from __future__ import annotations

import getpass
import hashlib
import hmac
import os
import re
import secrets
import sqlite3
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

REDIS_URL_ENV = "ATLAS_REDIS_URL"
ROOM_DIR_ENV = "ATLAS_ROOM_DIR"
ROOM_TTL = 12 * 3600  # seconds a room lives after its last change
# No 0/O, 1/I/L: a code read off a projector is typed without doubt. 31**7 is about 2.7e10 codes.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 7
CODE = re.compile(f"[{ALPHABET}]{{{CODE_LENGTH}}}")
MAX_QUERY = 4_000  # characters of a published view: a view query is at most a few hundred


class RoomError(Exception):
    """A change the store refused: `reason` is "unknown" (no such room, or expired) or "forbidden"."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Room:
    """What followers read: the view, its version and whether the presentation is live."""

    code: str
    query: str
    version: int
    live: bool


def normal_code(raw) -> str | None:
    """A room code as a link gives it (any case, spaces around), or None if it cannot be one."""
    if not isinstance(raw, str) or len(raw) > 32:
        return None
    code = raw.strip().upper()
    return code if CODE.fullmatch(code) else None


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "replace")).hexdigest()


def _check_query(query) -> str:
    if not isinstance(query, str) or len(query) > MAX_QUERY:
        raise ValueError(f"a room's view is a URL query of at most {MAX_QUERY} characters")
    return query


class SqliteRooms:
    """Rooms in one SQLite file (WAL mode: readers never wait for the writer), safe for several
    processes and threads; each thread keeps its own connection."""

    def __init__(self, directory: Path, ttl: float = ROOM_TTL) -> None:
        directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.path = directory / "rooms.sqlite3"
        self.ttl = ttl
        self._local = threading.local()
        with self._db() as db:
            db.execute("CREATE TABLE IF NOT EXISTS rooms (code TEXT PRIMARY KEY, secret TEXT NOT NULL, "
                       "query TEXT NOT NULL, version INTEGER NOT NULL, live INTEGER NOT NULL, touched REAL NOT NULL)")

    def _db(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(self.path, timeout=10, isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            self._local.db = db
        return db

    def create(self, query: str = "") -> tuple[str, str]:
        """A new room (not live until its first view arrives): its code and secret."""
        query, secret, now = _check_query(query), new_secret(), time.time()
        db = self._db()
        db.execute("DELETE FROM rooms WHERE touched < ?", (now - self.ttl,))
        while True:
            code = new_code()
            try:
                db.execute("INSERT INTO rooms VALUES (?, ?, ?, 0, 0, ?)", (code, digest(secret), query, now))
                return code, secret
            except sqlite3.IntegrityError:  # a code in use: draw another
                continue

    def get(self, code: str) -> Room | None:
        row = self._db().execute("SELECT query, version, live FROM rooms WHERE code = ? AND touched >= ?",
                                 (code, time.time() - self.ttl)).fetchone()
        return Room(code, row[0], row[1], bool(row[2])) if row else None

    def get_many(self, codes: list[str]) -> dict[str, Room | None]:
        """Several rooms in one read (what the follow streams of a process watch)."""
        found: dict[str, Room | None] = dict.fromkeys(codes)
        for start in range(0, len(codes), 500):  # SQLite takes at most 999 parameters by default
            chunk = codes[start:start + 500]
            rows = self._db().execute(
                f"SELECT code, query, version, live FROM rooms WHERE touched >= ? AND code IN "
                f"({', '.join('?' * len(chunk))})", (time.time() - self.ttl, *chunk)).fetchall()
            found.update((row[0], Room(row[0], row[1], row[2], bool(row[3]))) for row in rows)
        return found

    def holds(self, code: str, secret: str) -> bool:
        """Whether the secret is this live-or-not, unexpired room's."""
        row = self._db().execute("SELECT secret FROM rooms WHERE code = ? AND touched >= ?",
                                 (code, time.time() - self.ttl)).fetchone()
        return bool(row) and hmac.compare_digest(row[0], digest(secret))

    def publish(self, code: str, secret: str, query: str | None, live: bool) -> Room:
        """The presenter's new view (None keeps the last one) and whether the presentation is live."""
        query = None if query is None else _check_query(query)
        db = self._db()
        db.execute("BEGIN IMMEDIATE")
        try:
            row = db.execute("SELECT secret, query, version, live FROM rooms WHERE code = ? AND touched >= ?",
                             (code, time.time() - self.ttl)).fetchone()
            if row is None:
                raise RoomError("unknown")
            if not hmac.compare_digest(row[0], digest(secret)):
                raise RoomError("forbidden")
            query = row[1] if query is None else query
            version = row[2] + (query != row[1] or live != bool(row[3]))
            db.execute("UPDATE rooms SET query = ?, version = ?, live = ?, touched = ? WHERE code = ?",
                       (query, version, int(live), time.time(), code))
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        return Room(code, query, version, live)


# Make a room, with its lifetime, in one step on the Redis server (0: the code is taken).
_CREATE = """
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'secret', ARGV[1], 'query', ARGV[2], 'version', 0, 'live', 0)
redis.call('EXPIRE', KEYS[1], ARGV[3])
return 1
"""

# Check the secret and change the room in one step on the Redis server.
_PUBLISH = """
local secret = redis.call('HGET', KEYS[1], 'secret')
if not secret then return -1 end
if secret ~= ARGV[1] then return -2 end
local query = ARGV[2]
local old = redis.call('HGET', KEYS[1], 'query')
if ARGV[4] == '1' then query = old end
local version = tonumber(redis.call('HGET', KEYS[1], 'version'))
if query ~= old or ARGV[3] ~= redis.call('HGET', KEYS[1], 'live') then version = version + 1 end
redis.call('HSET', KEYS[1], 'query', query, 'version', version, 'live', ARGV[3])
redis.call('EXPIRE', KEYS[1], ARGV[5])
return version
"""


class RedisRooms:
    """Rooms as Redis hashes that expire on their own after ROOM_TTL without a change."""

    PREFIX = "atlas:room:"

    def __init__(self, url: str, ttl: float = ROOM_TTL) -> None:
        import redis  # only needed when the app is configured for Redis

        self.client = redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=5)
        self.ttl = int(ttl)
        self._create = self.client.register_script(_CREATE)
        self._publish = self.client.register_script(_PUBLISH)

    def create(self, query: str = "") -> tuple[str, str]:
        query, secret = _check_query(query), new_secret()
        while True:
            code = new_code()
            if self._create(keys=[self.PREFIX + code], args=[digest(secret), query, self.ttl]):
                return code, secret

    def get(self, code: str) -> Room | None:
        query, version, live = self.client.hmget(self.PREFIX + code, "query", "version", "live")
        if version is None:
            return None
        return Room(code, (query or b"").decode("utf-8"), int(version), live == b"1")

    def get_many(self, codes: list[str]) -> dict[str, Room | None]:
        pipeline = self.client.pipeline(transaction=False)
        for code in codes:
            pipeline.hmget(self.PREFIX + code, "query", "version", "live")
        return {code: None if version is None else Room(code, (query or b"").decode("utf-8"), int(version), live == b"1")
                for code, (query, version, live) in zip(codes, pipeline.execute())}

    def holds(self, code: str, secret: str) -> bool:
        stored = self.client.hget(self.PREFIX + code, "secret")
        return stored is not None and hmac.compare_digest(stored.decode("ascii"), digest(secret))

    def publish(self, code: str, secret: str, query: str | None, live: bool) -> Room:
        keep = query is None
        query = "" if keep else _check_query(query)
        version = self._publish(keys=[self.PREFIX + code],
                                args=[digest(secret), query, "1" if live else "0", "1" if keep else "0", self.ttl])
        if version == -1:
            raise RoomError("unknown")
        if version == -2:
            raise RoomError("forbidden")
        room = self.get(code)
        return Room(code, room.query if room else query, int(version), live)


def default_dir() -> Path:
    """ATLAS_ROOM_DIR, else a directory of the temporary folder for this user (refused if another user
    made it first: whoever owns it could read and change the rooms)."""
    configured = (os.environ.get(ROOM_DIR_ENV) or "").strip()
    if configured:
        return Path(configured)
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = str(os.getuid()) if hasattr(os, "getuid") else "user"
    folder = Path(tempfile.gettempdir()) / f"atlas-rooms-{user}"
    if hasattr(os, "getuid") and folder.exists() and folder.stat().st_uid != os.getuid():
        raise RuntimeError(f"{folder} belongs to another user: set {ROOM_DIR_ENV} to a folder of your own")
    return folder


def from_environment():
    """Redis when ATLAS_REDIS_URL is set, else SQLite in ATLAS_ROOM_DIR (or the temporary folder)."""
    url = (os.environ.get(REDIS_URL_ENV) or "").strip()
    return RedisRooms(url) if url else SqliteRooms(default_dir())
