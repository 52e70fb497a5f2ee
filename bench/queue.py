"""The job queue's throughput: trivial tasks through a real broker, one worker.

    python -m bench.queue [--broker redis://127.0.0.1:6379/14] [--tasks 1000]
                          [--concurrency 1] [--prefetch 1] [--no-acks-late]

Starts `celery -A bench.queue worker` (prefork, CONCURRENCY processes) as a subprocess, sends
TASKS tasks that each only count themselves (INCR in Redis, the same server as the counter
whatever the broker), and waits until the count reaches TASKS. Prints one JSON line: tasks sent
per second (the producer: what a web request pays), done per second (send start to last done,
sending and working at once) and drained per second (TASKS already queued, the worker's
consumer added: the worker's own throughput). The defaults are the site's settings: acks_late,
prefetch 1. Needs no database: the measure is the broker and the worker, not a Job row.
"""

import argparse
import json
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import redis
from celery import Celery

ROOT = Path(__file__).resolve().parent.parent
BROKER = os.environ.get("BENCH_QUEUE_BROKER", "redis://127.0.0.1:6379/14")
COUNTER_URL = os.environ.get("BENCH_QUEUE_COUNTER", "redis://127.0.0.1:6379/14")
QUEUE = "bench-queue"

app = Celery("bench_queue", broker=BROKER)
app.conf.update(
    task_default_queue=QUEUE,
    task_acks_late=os.environ.get("BENCH_QUEUE_ACKS_LATE", "1") == "1",
    worker_prefetch_multiplier=int(os.environ.get("BENCH_QUEUE_PREFETCH", "1")),
    task_ignore_result=True,
    broker_connection_retry_on_startup=True,
    worker_hijack_root_logger=False,
)
_counter = redis.Redis.from_url(COUNTER_URL)


@app.task(name="bench.queue.count")
def count(key: str) -> None:
    _counter.incr(key)


def start_worker(concurrency: int, env: dict) -> subprocess.Popen:
    command = [
        sys.executable, "-m", "celery", "-A", "bench.queue", "worker", "-Q", QUEUE,
        "-P", "prefork", "-c", str(concurrency), "-l", "warning",
        "--without-gossip", "--without-mingle", "--without-heartbeat",
    ]  # fmt: skip
    return subprocess.Popen(command, cwd=ROOT, env=env)


def wait_for(key: str, target: int, timeout: float) -> bool:
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        if int(_counter.get(key) or 0) >= target:
            return True
        time.sleep(0.005)
    return False


def run(tasks: int, concurrency: int) -> dict:
    env = {**os.environ, "BENCH_QUEUE_BROKER": BROKER}
    with app.connection_for_write() as connection:
        app.control.purge(connection=connection)
    worker = start_worker(concurrency, env)
    try:
        warm = f"bench-queue-warm-{uuid.uuid4()}"
        for _ in range(concurrency * 2):  # every process up and consuming before the clock
            count.delay(warm)
        if not wait_for(warm, concurrency * 2, timeout=60):
            raise SystemExit("bench.queue: the worker did not start within 60 s")
        key = f"bench-queue-{uuid.uuid4()}"
        started = time.perf_counter()
        with app.producer_or_acquire() as producer:
            for _ in range(tasks):
                count.apply_async((key,), producer=producer)
        sent = time.perf_counter() - started
        if not wait_for(key, tasks, timeout=600):
            raise SystemExit(f"bench.queue: {tasks} tasks not done within 600 s")
        done = time.perf_counter() - started
        # The worker alone: TASKS waiting in the queue, then drained.
        drained_key = f"bench-queue-drain-{uuid.uuid4()}"
        app.control.cancel_consumer(QUEUE, reply=True, timeout=5, limit=1)
        with app.producer_or_acquire() as producer:
            for _ in range(tasks):
                count.apply_async((drained_key,), producer=producer)
        drain_started = time.perf_counter()
        app.control.add_consumer(QUEUE, reply=True, timeout=5, limit=1)
        if not wait_for(drained_key, tasks, timeout=600):
            raise SystemExit(f"bench.queue: {tasks} queued tasks not drained within 600 s")
        drained = time.perf_counter() - drain_started
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    return {
        "broker": BROKER.split("://")[0],
        "tasks": tasks,
        "concurrency": concurrency,
        "prefetch": app.conf.worker_prefetch_multiplier,
        "acks_late": app.conf.task_acks_late,
        "sent_per_s": round(tasks / sent),
        "done_per_s": round(tasks / done),
        "drained_per_s": round(tasks / drained),
        "seconds": round(done, 2),
    }


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.queue", description=__doc__)
    parser.add_argument("--broker", default=None, help="broker URL (default %(default)s)")
    parser.add_argument("--tasks", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=1)
    parser.add_argument("--prefetch", type=int, default=1)
    parser.add_argument("--no-acks-late", action="store_true")
    args = parser.parse_args(argv)
    overrides = {
        "BENCH_QUEUE_PREFETCH": str(args.prefetch),
        "BENCH_QUEUE_ACKS_LATE": "0" if args.no_acks_late else "1",
    }
    if args.broker:
        overrides["BENCH_QUEUE_BROKER"] = args.broker
    if any(os.environ.get(name) != value for name, value in overrides.items()):
        # The settings are read at import, in this process and the worker's: run again with them.
        env = {**os.environ, **overrides}
        command = [sys.executable, "-m", "bench.queue", *(argv or sys.argv[1:])]
        raise SystemExit(subprocess.call(command, cwd=ROOT, env=env))
    print(json.dumps(run(args.tasks, args.concurrency)))


if __name__ == "__main__":
    main()
