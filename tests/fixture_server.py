"""A real HTTP server on 127.0.0.1 that serves recorded responses, for end-to-end fetches.

A route is a path, with its query when it has one; the query's parameters may come in any
order (``/api/models?author=x&limit=6`` is ``/api/models?limit=6&author=x``). A route can
answer a sequence of responses (a 429, then the page), and a recorded response can be
served with the headers recorded beside it (``<name>.headers``: a status line, then
``name: value`` lines).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit


@dataclass
class Route:
    body: bytes
    status: int = 200
    headers: dict[str, str] = field(default_factory=lambda: {"Content-Type": "application/json"})
    delay: float = 0.0  # seconds to wait before answering (a stalled server)


def route_key(path: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    """A path and its query parameters, in an order that does not matter."""
    parts = urlsplit(path)
    return parts.path, tuple(sorted(parse_qsl(parts.query, keep_blank_values=True)))


def recorded(json_path: Path, rewrite: Mapping[str, str] | None = None) -> Route:
    """A recorded body with the status and headers of its ``.headers`` file.

    ``rewrite`` replaces text in header values (a ``link`` to the real host becomes one to
    this server), so a recorded cursor is followed here and never to the internet.
    """
    body = json_path.read_bytes()
    lines = json_path.with_suffix(".headers").read_text(encoding="utf-8").splitlines()
    status = int(lines[0].split()[1])
    headers: dict[str, str] = {}
    for line in lines[1:]:
        name, colon, value = line.partition(":")
        if colon:
            value = value.strip()
            for old, new in (rewrite or {}).items():
                value = value.replace(old, new)
            headers[name.strip()] = value
    return Route(body, status, headers)


class FixtureServer:
    def __init__(self) -> None:
        self.routes: dict[tuple, list[Route]] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        self._httpd: ThreadingHTTPServer | None = None
        self._lock = threading.Lock()

    @property
    def base_url(self) -> str:
        assert self._httpd is not None
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def url(self, path: str) -> str:
        return self.base_url + path

    def serve(self, path: str, body: bytes, status: int = 200, **headers: str) -> str:
        return self.serve_routes(path, Route(body, status, {"Content-Type": "application/json", **headers}))

    def serve_routes(self, path: str, *routes: Route) -> str:
        """Answer ``path`` with each route in turn; the last one repeats."""
        self.routes[route_key(path)] = list(routes)
        return self.url(path)

    def next_route(self, path: str) -> Route | None:
        with self._lock:
            routes = self.routes.get(route_key(path))
            if not routes:
                return None
            return routes.pop(0) if len(routes) > 1 else routes[0]


@contextmanager
def fixture_server() -> Iterator[FixtureServer]:
    server = FixtureServer()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            server.requests.append((self.path, dict(self.headers)))
            route = server.next_route(self.path)
            if route is None:
                route = Route(b'{"error": "not found"}', 404)
            if route.delay:
                time.sleep(route.delay)
            self.send_response(route.status)
            for name, value in route.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(route.body)))
            self.end_headers()
            self.wfile.write(route.body)

        def log_message(self, *args) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server._httpd = httpd
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        httpd.shutdown()
        httpd.server_close()
