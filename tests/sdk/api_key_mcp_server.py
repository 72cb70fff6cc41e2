#!/usr/bin/env python3
"""A minimal MCP server (Streamable HTTP, JSON answers) on 127.0.0.1 that demands an API key.

Usage: api_key_mcp_server.py PORT_FILE LOG_FILE
Listens on a free port, which it writes to PORT_FILE once it accepts connections. Each request's
X-API-Key value (or "-" when absent) is appended to LOG_FILE as one line. Requests without the
header get 401; with it, initialize, notifications and tools/list are answered. Runs until killed.
"""
import json
import os
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def answer(self, status, body=None):
        data = b"" if body is None else json.dumps(body).encode()
        self.send_response(status)
        if body is not None:
            self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):  # no server-initiated stream
        self.answer(405)

    def do_DELETE(self):
        self.answer(200)

    def do_POST(self):
        message = json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0"))))
        key = self.headers.get("X-API-Key")
        with open(sys.argv[2], "a") as log:
            log.write((key or "-") + "\n")
        if key is None:
            return self.answer(401, {"error": "X-API-Key is missing"})
        if "id" not in message:
            return self.answer(202)
        if message["method"] == "initialize":
            result = {"protocolVersion": message["params"]["protocolVersion"], "capabilities": {"tools": {}},
                      "serverInfo": {"name": "api-key-server", "version": "1.0.0"}}
        elif message["method"] == "tools/list":
            result = {"tools": [{"name": "echo", "description": "Says it back", "inputSchema": {"type": "object"}}]}
        else:
            return self.answer(200, {"jsonrpc": "2.0", "id": message["id"],
                                     "error": {"code": -32601, "message": "method not found"}})
        self.answer(200, {"jsonrpc": "2.0", "id": message["id"], "result": result})


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
with open(sys.argv[1] + ".tmp", "w") as port_file:
    port_file.write(str(server.server_address[1]))
os.replace(sys.argv[1] + ".tmp", sys.argv[1])
server.serve_forever()
