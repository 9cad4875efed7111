"""A stand-in for Nominatim's /search on 127.0.0.1: tests script its answers and read its log."""
from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class Request:
    at: float  # time.monotonic() when the request arrived
    query: str
    params: dict[str, str]
    user_agent: str


def place(lat: float, lon: float, name: str = "somewhere", osm_id: int = 1) -> dict[str, Any]:
    """One result the way Nominatim's JSON gives it (coordinates as strings)."""
    return {"place_id": osm_id, "osm_type": "way", "osm_id": osm_id, "lat": str(lat), "lon": str(lon),
            "display_name": name, "class": "building", "type": "yes", "importance": 0.5,
            "boundingbox": [str(lat - 0.001), str(lat + 0.001), str(lon - 0.001), str(lon + 0.001)]}


class NominatimStub:
    """Answers by query: a list of places (found / [] not found), an int status (429, 500),
    or ("slow", seconds, places). Unknown queries find nothing."""

    def __init__(self) -> None:
        self.answers: dict[str, Any] = {}
        self.requests: list[Request] = []
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                params = {k: v[-1] for k, v in parse_qs(parts.query).items()}
                query = params.get("q", "")
                stub.requests.append(Request(time.monotonic(), query, params,
                                             self.headers.get("User-Agent", "")))
                answer = stub.answers.get(query, [])
                if parts.path != "/search":
                    return self._send(404, {"error": "not found"})
                if isinstance(answer, tuple) and answer[0] == "slow":
                    time.sleep(answer[1])
                    answer = answer[2]
                if isinstance(answer, int):
                    return self._send(answer, {"error": f"status {answer}"})
                self._send(200, answer)

            def _send(self, status: int, body: Any) -> None:
                data = json.dumps(body).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout test)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def queries(self) -> list[str]:
        return [r.query for r in self.requests]

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)
