"""Slow clients against gunicorn with no proxy in front (issue 19): how long a normal request
waits while N clients trickle their headers, one byte a second, for each worker class.

A sync worker reads one request at a time, so as many slow clients as workers stop the site
until gunicorn's --timeout kills the worker; threads only raise the number it takes. The proxy
in front (README, Deploy) reads whole requests before it passes them on, which is what makes
the site safe from them: these figures are what the app alone holds.

DEBUG=1 python -m bench.slow_clients [--slow 2] [--seconds 20]  ->  one JSON line per setup
"""

import argparse
import json
import socket
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from bench.load import free_port, prepare, site_env, start_gunicorn_with

GTHREAD = ["--worker-class", "gthread", "--threads", "4"]
SETUPS = {
    "sync, 2 workers, --timeout 30": ["--workers", "2", "--timeout", "30"],
    "sync, 2 workers, --timeout 10": ["--workers", "2", "--timeout", "10"],
    "gthread, 2 workers x 4 threads": ["--workers", "2", *GTHREAD],
}


def trickle(port: int, stop: threading.Event) -> None:
    """Send a request's headers one byte a second, never finishing them."""
    try:
        sock = socket.create_connection(("127.0.0.1", port), timeout=60)
        sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        while not stop.is_set():
            sock.sendall(b"X")
            time.sleep(1)
    except OSError:
        return


def normal_request(port: int, timeout: float) -> float | None:
    started = time.monotonic()
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=timeout):
            return round(time.monotonic() - started, 2)
    except OSError:
        return None


def measure(env: dict, options: list[str], slow: int, seconds: float) -> dict:
    port = free_port()
    server = start_gunicorn_with(env, port, options)
    stop = threading.Event()
    try:
        baseline = normal_request(port, 5)
        for _ in range(slow):
            threading.Thread(target=trickle, args=(port, stop), daemon=True).start()
        time.sleep(1)
        waits = []
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            waits.append(normal_request(port, seconds))
        answered = [w for w in waits if w is not None]
        return {
            "baseline_s": baseline,
            "slow_clients": slow,
            "requests": len(waits),
            "unanswered": len(waits) - len(answered),
            "slowest_answer_s": max(answered) if answered else None,
        }
    finally:
        stop.set()
        server.terminate()
        server.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--slow", type=int, default=2, help="slow clients")
    parser.add_argument("--seconds", type=float, default=20, help="how long to measure")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        env = site_env(Path(workdir))
        prepare(env)
        for name, options in SETUPS.items():
            print(json.dumps({"setup": name, **measure(env, options, args.slow, args.seconds)}))


if __name__ == "__main__":
    main()
