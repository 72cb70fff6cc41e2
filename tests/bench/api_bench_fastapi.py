"""The FastAPI side of tests/bench/run_api_bench.sh: a minimal app doing the work that
`mcpauth serve` does for GET /api/mcp/auth/status and GET /admin/mcp/{server}/jwt, on the stack
the seed (Atlas UI 3) runs on: FastAPI + uvicorn, tokens encrypted with Fernet (cryptography).

Environment (set by run_api_bench.sh):
  API_BENCH_CONFIG            the same mcp.json that mcpauth serves (servers, groups, admin group)
  API_BENCH_SEED              JSON {"server": "<jwt>"}: server-level JWTs stored at start-up, as
                              POST /admin/mcp/{server}/jwt stores them in mcpauth (each uvicorn
                              worker is its own process, so each seeds its own store)
  JWT_STORAGE_ENCRYPTION_KEY  the Fernet key

Run: python3 -m uvicorn api_bench_fastapi:app --app-dir tests/bench [--workers N]
 or: python3 tests/bench/api_bench_fastapi.py --port PORT --workers N   (see main() below)
"""
import base64
import json
import os
import time

from cryptography.fernet import Fernet
from fastapi import FastAPI, HTTPException, Request

CONFIG = json.load(open(os.environ["API_BENCH_CONFIG"], encoding="utf-8"))
SETTINGS = CONFIG.pop("mcpauth", {})
SERVERS = CONFIG  # name -> server object, in file order (mcpauth sorts by name: same here)
ADMIN_GROUP = SETTINGS.get("admin_group", "admin")
USER_GROUPS = SETTINGS.get("user_groups", {})
FERNET = Fernet(os.environ["JWT_STORAGE_ENCRYPTION_KEY"].split(",")[0])

# The token store: (server, key) -> Fernet token of a JSON record, keys as mcpauth's manual_jwt
# plugin names them ("token/server", "token/user:<user>"). In memory: a dict lookup is cheaper
# than mcpauth's sqlite query, which favours this side.
STORE = {}


def store_jwt(server, user, jwt):
    key = "token/user:" + user if user else "token/server"
    record = {"token": jwt, "stored_at": int(time.time()), "metadata": {}}
    STORE[(server, key)] = FERNET.encrypt(json.dumps(record).encode())


def load_record(server, user):
    token = STORE.get((server, "token/user:" + user if user else "token/server"))
    return json.loads(FERNET.decrypt(token)) if token else None


def jwt_claims(jwt):
    """The JWT's claims: base64url-decode the middle segment, parse the JSON."""
    middle = jwt.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(middle + "=" * (-len(middle) % 4)))


for name, seeded_jwt in json.loads(os.environ.get("API_BENCH_SEED", "{}")).items():
    store_jwt(name, "", seeded_jwt)


def user_of(request):
    user = request.headers.get("x-user-email")
    if not user:
        raise HTTPException(401, "Not authenticated: missing user identity")
    return user


def in_any(user, groups):
    return not groups or any(group in USER_GROUPS.get(user, ()) for group in groups)


def plugin_status(name, user):
    """What mcpauth's manual_jwt status(user) reports: the user's own token, else the server's."""
    source, record = "user", load_record(name, user) if user else None
    if record is None:
        source, record = "server", load_record(name, "")
    claims = jwt_claims(record["token"]) if record else {}
    now = int(time.time())
    exp = claims.get("exp")
    expired = exp is not None and exp <= now
    return {"plugin": "manual_jwt", "auth_type": SERVERS[name].get("auth_type", "none"),
            "authenticated": record is not None and not expired, "source": source if record else None,
            "exp": exp, "expires_in": max(exp - now, 0) if exp is not None else None,
            "is_expired": expired, "issuer": claims.get("iss"), "subject": claims.get("sub"),
            "stored_at": record["stored_at"] if record else None}


def status_entry(name, user):
    """One server of GET /api/mcp/auth/status, in the shape mcpauth (and Atlas) answers."""
    auth_type = SERVERS[name].get("auth_type", "none")
    if auth_type == "none":
        status = {"auth_type": "none", "auth_required": False, "authenticated": True}
    else:
        status = plugin_status(name, user)
    authenticated = status["authenticated"]
    return {"server_name": name, "description": SERVERS[name].get("description", ""), "available": True,
            "auth_type": auth_type, "auth_required": status.get("auth_required", auth_type != "none"),
            "authenticated": authenticated, "token_type": auth_type if authenticated else None,
            "is_expired": status.get("is_expired"), "expires_at": status.get("exp"),
            "time_until_expiry": status.get("expires_in"), "has_refresh_token": False, "scopes": None,
            "oauth_start_url": None, "token_source": status.get("source")}


app = FastAPI()


# async handlers: run on the event loop, no thread-pool hop (the faster choice for FastAPI).
@app.get("/healthz")
async def healthz():
    return {"status": "ok"}


@app.get("/api/mcp/auth/status")
async def auth_status(request: Request):
    user = user_of(request)
    servers = [status_entry(name, user) for name in sorted(SERVERS)
               if SERVERS[name].get("enabled", True) and in_any(user, SERVERS[name].get("groups", []))]
    return {"servers": servers, "user": user}


@app.get("/admin/mcp/{server}/jwt")
async def admin_jwt_get(server: str, request: Request):
    user = user_of(request)
    if ADMIN_GROUP not in USER_GROUPS.get(user, ()):
        raise HTTPException(403, f"Admin access required. User must be in '{ADMIN_GROUP}' group.")
    if server not in SERVERS:
        raise HTTPException(404, f"MCP server '{server}' not found in configuration")
    status = plugin_status(server, "")
    return {"server_name": server, "has_jwt": status["source"] == "server", **status}


def main():
    """uvicorn's own multi-worker supervisor (what --workers N runs), with one fix. uvicorn 0.17
    binds the listening socket with proto 0, so asyncio never sets TCP_NODELAY on the accepted
    ones and every answer on a keep-alive connection after the first waits ~40 ms for the
    client's delayed ACK (Kludex/uvicorn#3149): --workers 2 is then slower than 1 worker. Here
    the socket says IPPROTO_TCP, as the single-process path's socket (from getaddrinfo) does."""
    import argparse
    import socket

    import uvicorn
    from uvicorn.supervisors import Multiprocess

    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    config = uvicorn.Config("api_bench_fastapi:app", host="127.0.0.1", port=args.port, workers=args.workers,
                            log_level="warning", access_log=False)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", args.port))
    sock.set_inheritable(True)
    Multiprocess(config, target=uvicorn.Server(config).run, sockets=[sock]).run()


if __name__ == "__main__":
    main()
