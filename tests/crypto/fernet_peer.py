#!/usr/bin/python3
"""Python side of the Fernet interop tests (tests/crypto), run with Debian's /usr/bin/python3.

Keys come in argv, data on stdin, the result goes to stdout:
  check                  print cryptography's version
  genkey                 a new key
  encrypt KEY [TIME]     plaintext -> token (TIME: explicit timestamp)
  decrypt KEY...         token -> plaintext (MultiFernet over the keys)
  rotate KEY...          token -> MultiFernet(KEYS).rotate(token)
  timestamp KEY          token -> verified timestamp
  vectors                the spec vectors of python3-cryptography-vectors, one per line:
                           generate SECRET TOKEN NOW IV_HEX SRC_HEX
                           verify   SECRET TOKEN NOW TTL SRC_HEX
                           invalid  SECRET TOKEN NOW TTL DESCRIPTION...
                         (NOW in Unix seconds, "-" for an empty hex field)
"""
import datetime
import json
import os
import sys

DEBIAN_VECTORS = "/usr/lib/python3/dist-packages/cryptography_vectors"


def die(message):
    sys.stderr.write(message + "\n")
    sys.exit(2)


def fernet_module():
    try:
        from cryptography import fernet
    except ImportError as exc:
        die(f"{sys.executable} cannot import cryptography ({exc}): "
            "install it with `apt-get install python3-cryptography`")
    return fernet


def multi(keys):
    fernet = fernet_module()
    return fernet.MultiFernet([fernet.Fernet(k) for k in keys])


def vectors():
    try:
        import cryptography_vectors
        base = os.path.dirname(cryptography_vectors.__file__)
    except ImportError:
        base = DEBIAN_VECTORS
    directory = os.path.join(base, "fernet")
    if not os.path.isdir(directory):
        die(f"Fernet spec vectors not found in {directory}: "
            "install them with `apt-get install python3-cryptography-vectors`")

    def load(name):
        with open(os.path.join(directory, name)) as f:
            return json.load(f)

    def seconds(iso):
        return int(datetime.datetime.fromisoformat(iso).timestamp())

    def hexed(data):
        return bytes(data).hex() or "-"

    for v in load("generate.json"):
        print("generate", v["secret"], v["token"], seconds(v["now"]), hexed(v["iv"]), hexed(v["src"].encode()))
    for v in load("verify.json"):
        print("verify", v["secret"], v["token"], seconds(v["now"]), v["ttl_sec"], hexed(v["src"].encode()))
    for v in load("invalid.json"):
        print("invalid", v["secret"], v["token"], seconds(v["now"]), v["ttl_sec"], v["desc"])


def main():
    command, args = sys.argv[1], sys.argv[2:]
    data = sys.stdin.buffer.read
    out = sys.stdout.buffer.write
    if command == "check":
        fernet_module()
        import cryptography
        out(cryptography.__version__.encode())
    elif command == "genkey":
        out(fernet_module().Fernet.generate_key())
    elif command == "encrypt":
        f = fernet_module().Fernet(args[0])
        out(f.encrypt_at_time(data(), int(args[1])) if len(args) > 1 else f.encrypt(data()))
    elif command == "decrypt":
        out(multi(args).decrypt(data()))
    elif command == "rotate":
        out(multi(args).rotate(data()))
    elif command == "timestamp":
        out(str(fernet_module().Fernet(args[0]).extract_timestamp(data())).encode())
    elif command == "vectors":
        vectors()
    else:
        die(f"unknown command {command}")


if __name__ == "__main__":
    main()
