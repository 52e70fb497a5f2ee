"""Throughput with wrk (a C load generator): the bench's own Python client topped out at
1,000-2,350 req/s where wrk reaches 2,700-4,600 on the floor view (issue 20), so the ratio
it printed was partly the client's.

`ensure_wrk()` installs it with apt-get when it is missing and the bench may (root, apt);
`run()` drives one URL for a fixed time and returns its rate, latency and errors.
"""

import os
import re
import shutil
import subprocess

INSTALL = ["apt-get", "install", "-y", "-q", "wrk"]
_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


class WrkMissing(Exception):
    """wrk is not installed and could not be installed here."""


def ensure_wrk() -> str:
    """The path of wrk, installing it first when the bench may (root with apt-get)."""
    found = shutil.which("wrk")
    if found:
        return found
    if shutil.which("apt-get") and os.geteuid() == 0:
        subprocess.run(INSTALL, check=False, capture_output=True, timeout=600)
        found = shutil.which("wrk")
        if found:
            return found
    raise WrkMissing("wrk is not installed (apt-get install wrk); the bench needs it for load.")


def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()
    return float(number) * _UNITS[unit]


def parse(output: str) -> dict:
    """wrk's report (with --latency) as numbers."""
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    total = int(re.search(r"(\d+) requests in", output).group(1))
    latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)$", output, re.MULTILINE))
    errors = 0
    if match := re.search(r"Non-2xx or 3xx responses: (\d+)", output):
        errors += int(match.group(1))
    if match := re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    ):
        errors += sum(map(int, match.groups()))
    return {
        "rps": rate,
        "requests": total,
        "errors": errors,
        "p50_ms": _ms(latency["50"]) if "50" in latency else None,
        "p99_ms": _ms(latency["99"]) if "99" in latency else None,
    }


def run(url: str, *, seconds: float, connections: int, threads: int = 2) -> dict:
    """Load `url` for `seconds` with `connections` open connections; wrk's figures."""
    command = [
        ensure_wrk(),
        f"-t{min(threads, connections)}",
        f"-c{connections}",
        f"-d{max(1, round(seconds))}s",
        "--latency",
        url,
    ]
    out = subprocess.run(command, capture_output=True, text=True, check=True)
    result = parse(out.stdout)
    result["seconds"] = max(1, round(seconds))
    return result
