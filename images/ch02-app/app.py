"""A small web app to containerize (chapter 02, exercise 4): it greets, and says who runs it.

    python3 app.py        serves on port 8000 (the PORT environment variable changes it)
    GET /                 {"message": …, "version": …, "uid": <the user id the app runs as>, "host": …}
    GET /health           ok

It needs nothing but Python 3's standard library (Debian's package `python3`).
"""

from __future__ import annotations

import json
import os
import socket
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

VERSION = "1.0"
GREETING = "Hello from a containerized app!"


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 (the name http.server calls)
        if self.path == "/health":
            self.answer(200, "text/plain", b"ok\n")
        elif self.path == "/":
            body = {"message": GREETING, "version": VERSION, "uid": os.getuid(), "host": socket.gethostname()}
            self.answer(200, "application/json", json.dumps(body).encode() + b"\n")
        else:
            self.answer(404, "text/plain", b"not found\n")

    def answer(self, status: int, content_type: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, fmt: str, *args: object) -> None:
        print(f"{self.client_address[0]} {fmt % args}", flush=True)


def main() -> None:
    port = int(os.environ.get("PORT", "8000"))
    server = ThreadingHTTPServer(("0.0.0.0", port), Handler)
    print(f"app {VERSION} serving on port {port} as uid {os.getuid()}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
