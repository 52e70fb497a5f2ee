"""The bench's load tool and tables: wrk's report read right, growth printed per page."""

from bench import wrk
from bench.__main__ import sized
from bench.report import exponent, growth_table

WRK_OUTPUT = """Running 3s test @ http://127.0.0.1:8000/claims/bench-large-1/
  2 threads and 4 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     1.91ms  350.12us   9.01ms   90.00%
    Req/Sec     1.05k    50.00     1.10k    80.00%
  Latency Distribution
     50%    1.85ms
     75%    2.00ms
     90%    2.20ms
     99%    3.10ms
  6300 requests in 3.00s, 800.00MB read
  Non-2xx or 3xx responses: 2
Requests/sec:   2100.50
Transfer/sec:    266.67MB
"""


def test_it_reads_wrks_rate_latency_and_errors():
    assert wrk.parse(WRK_OUTPUT) == {
        "rps": 2100.5,
        "requests": 6300,
        "errors": 2,
        "p50_ms": 1.85,
        "p99_ms": 3.1,
    }


def test_it_counts_socket_errors_as_errors():
    output = WRK_OUTPUT.replace(
        "  Non-2xx or 3xx responses: 2\n",
        "  Socket errors: connect 1, read 2, write 0, timeout 3\n",
    )
    assert wrk.parse(output)["errors"] == 6


def test_it_gives_a_scale_run_its_own_database():
    url = "postgres://postgres@127.0.0.1:5432/bench"
    assert sized(url, {"claims": 10_000}) == url
    assert sized(url, {"claims": 100_000}) == "postgres://postgres@127.0.0.1:5432/bench_100000"


def run(pages: dict, search_p95: float, seed_s=None) -> dict:
    return {
        "pages": {
            "pages": {
                name: {"median_ms": ms, "p95_ms": ms, "queries": 1} for name, ms in pages.items()
            }
        },
        "search": {"median_ms": search_p95, "p95_ms": search_p95},
        "seed_s": seed_s,
    }


def test_it_prints_each_pages_growth_and_whether_it_meets_the_target():
    small = run({"list": 10.0, "sitemap": 4.0}, 20.0)
    large = run({"list": 12.0, "sitemap": 40.0}, 30.0, seed_s=786.2)
    table = growth_table(
        {"claims": 1_000}, {"claims": 100_000, "studies": 1, "links": 4}, small, large
    )
    rows = {line.split("|")[1].strip(): line for line in table.splitlines() if line.startswith("|")}
    assert "1.20×" in rows["list"] and "ok" in rows["list"]
    # 40 ms: past 25 ms and past 1.5 × 4 ms
    assert "10.00×" in rows["sitemap"] and "MISSED" in rows["sitemap"]
    assert "ok" in rows["search p95"]
    assert "seeding 786 s" in table


def test_it_fits_the_growth_exponent():
    assert exponent(1_000, 100_000, 10.0, 10.0) == "0.00"
    assert exponent(1_000, 100_000, 1.0, 100.0) == "1.00"
