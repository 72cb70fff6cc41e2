"""Prints the decrypted value of one entry of an mcpauth sqlite store, as README.md shows.

Usage: OAUTH_STORAGE_ENCRYPTION_KEY=key[,older keys] /usr/bin/python3 read_entry.py DB KEY
"""
import os
import sqlite3
import sys

from cryptography.fernet import Fernet, MultiFernet

db_path, entry_key = sys.argv[1], sys.argv[2]
keys = MultiFernet([Fernet(k.strip()) for k in os.environ["OAUTH_STORAGE_ENCRYPTION_KEY"].split(",")])
with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as db:
    row = db.execute("SELECT value FROM entries WHERE key = ?", (entry_key,)).fetchone()
if row is None:
    sys.exit(f"no entry {entry_key!r}")
sys.stdout.buffer.write(keys.decrypt(row[0].encode("ascii")))
