"""Prints, as one JSON object, everything an mcpauth store holds, for tests that check a store
after a crash (crash_recovery.test.mjs): every entry decrypted, and what a crash may leave behind.

Usage: OAUTH_STORAGE_ENCRYPTION_KEY=key /usr/bin/python3 store_snapshot.py sqlite|fernet_file PATH
  sqlite PATH:      the database file (opened read-only)
  fernet_file PATH: the store directory

Output: {"integrity": "ok" (sqlite's PRAGMA integrity_check; null for fernet_file),
         "entries": {key: decrypted value as text, or {"error": why} when it does not decrypt},
         "locks": [sqlite: lock rows {"key", "expires_at"}; fernet_file: []],
         "temp_files": [fernet_file: names of writes in progress left behind]}
"""
import json
import os
import re
import sqlite3
import sys

from cryptography.fernet import Fernet, InvalidToken


def decrypted(fernet, token):
    try:
        return fernet.decrypt(token).decode("utf-8")
    except (InvalidToken, UnicodeDecodeError) as error:
        return {"error": type(error).__name__}


def sqlite_snapshot(fernet, path):
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        integrity = "; ".join(row[0] for row in db.execute("PRAGMA integrity_check"))
        rows = db.execute("SELECT key, value FROM entries")
        entries = {key: decrypted(fernet, value.encode("ascii")) for key, value in rows}
        rows = db.execute("SELECT key, expires_at FROM locks")
        locks = [{"key": key, "expires_at": expires_at} for key, expires_at in rows]
    return {"integrity": integrity, "entries": entries, "locks": locks, "temp_files": []}


def fernet_file_snapshot(fernet, path):
    entries = {}
    temp_files = []
    for directory, subdirectories, files in os.walk(path):
        subdirectories[:] = [name for name in subdirectories if not name.startswith(".")]
        for name in files:
            if name.startswith(".tmp-"):
                temp_files.append(name)
            if name.startswith(".") or not name.endswith(".fernet"):
                continue
            encoded = os.path.relpath(os.path.join(directory, name), path)[: -len(".fernet")].replace(os.sep, "")
            key = re.sub(rb"%([0-9A-F]{2})", lambda m: bytes([int(m.group(1), 16)]), encoded.encode()).decode("utf-8")
            with open(os.path.join(directory, name), "rb") as file:
                entries[key] = decrypted(fernet, file.read().strip())
    return {"integrity": None, "entries": entries, "locks": [], "temp_files": temp_files}


def main():
    kind, path = sys.argv[1], sys.argv[2]
    fernet = Fernet(os.environ["OAUTH_STORAGE_ENCRYPTION_KEY"])
    snapshot = sqlite_snapshot(fernet, path) if kind == "sqlite" else fernet_file_snapshot(fernet, path)
    json.dump(snapshot, sys.stdout)


main()
