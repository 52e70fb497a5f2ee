"""The scaffold of the local HTTP servers that stand in for outside services in tests
(tests/crossref_server.py, tests/pubmed_server.py, tests/retraction_server.py): a real
ThreadingHTTPServer on 127.0.0.1 at a free port, served from a thread while the `with` block
runs, recording each request it gets. A subclass names its `handler`; the handler answers
with `send`, which ignores a client that gave up (a deadline) rather than print a traceback."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class QuietHandler(BaseHTTPRequestHandler):
    server: "LocalServer"

    def send(self, status: int, body: bytes, content_type: str, headers=None) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (deadline)
            pass

    def log_message(self, format, *args):  # keep test output quiet
        pass


class LocalServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    handler: type[BaseHTTPRequestHandler] = QuietHandler

    def __init__(self):
        super().__init__(("127.0.0.1", 0), self.handler)
        self.lock = threading.Lock()
        self.requests: list[dict] = []
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)

    def record(self, request: dict) -> None:
        with self.lock:
            self.requests.append(request)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.shutdown()
        self.server_close()
        self.thread.join(timeout=5)
