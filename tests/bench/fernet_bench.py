#!/usr/bin/python3
"""Python's cryptography Fernet on a 1 KiB plaintext: the baseline for fernet_bench.cpp.

Prints "version V", "encrypt OPS" and "decrypt OPS" (operations per second).
Usage: /usr/bin/python3 fernet_bench.py [seconds per measurement, default 2]
"""
import sys
import time

import cryptography
from cryptography.fernet import Fernet

BATCH = 100  # operations between two clock reads


def ops_per_second(seconds, operation):
    for _ in range(BATCH):  # warm-up
        operation()
    ops = 0
    start = time.perf_counter()
    while True:
        for _ in range(BATCH):
            operation()
        ops += BATCH
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            return ops / elapsed


def main():
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 2.0
    f = Fernet(Fernet.generate_key())
    plaintext = b"x" * 1024
    token = f.encrypt(plaintext)
    assert f.decrypt(token) == plaintext
    print("version", cryptography.__version__)
    print("encrypt %.0f" % ops_per_second(seconds, lambda: f.encrypt(plaintext)))
    print("decrypt %.0f" % ops_per_second(seconds, lambda: f.decrypt(token)))


if __name__ == "__main__":
    main()
