"""A small load generator: N requests over C keep-alive connections (threads + http.client).

python -m bench.throughput HOST PORT PATH REQUESTS CONCURRENCY  ->  prints JSON {"rps", ...}
"""

import http.client
import json
import sys
import threading
import time


def run(host: str, port: int, path: str, requests: int, concurrency: int) -> dict:
    lock = threading.Lock()
    remaining = [requests]
    errors = [0]
    sizes = set()

    def worker():
        conn = http.client.HTTPConnection(host, port, timeout=30)
        while True:
            with lock:
                if remaining[0] <= 0:
                    break
                remaining[0] -= 1
            try:
                conn.request("GET", path, headers={"Host": "127.0.0.1"})
                response = conn.getresponse()
                body = response.read()
                if response.status != 200:
                    errors[0] += 1
                sizes.add(len(body))
            except (OSError, http.client.HTTPException):
                errors[0] += 1
                conn.close()
                conn = http.client.HTTPConnection(host, port, timeout=30)
        conn.close()

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    return {
        "rps": requests / elapsed,
        "seconds": elapsed,
        "errors": errors[0],
        "bytes": max(sizes) if sizes else 0,
    }


if __name__ == "__main__":
    host, port, path, requests, concurrency = sys.argv[1:6]
    print(json.dumps(run(host, int(port), path, int(requests), int(concurrency))))
