"""Python `Client.send_many` streaming: 1,000,000 messages from a generator first, with the
peak RSS of the process (the interpreter included) against its ceiling (exit 1 over it), then
messages per second next to the list-based `send_all` in the same run (same client, the
in-memory provider, three rounds alternating, medians).

`python bench/python_send_many.py [MESSAGES_PER_ROUND] [STREAMED]` (defaults 100,000 and
1,000,000), with the wabakit package installed (scripts/test's .venv).
"""

from __future__ import annotations

import resource
import statistics
import sys
import time
from typing import Any, Dict, Iterator

import wabakit

TEMPLATE: Dict[str, Any] = {
    "name": "order_update", "language": "en_US", "category": "UTILITY",
    "components": [{"type": "BODY", "text": "Hi {{1}}, your order ships {{2}}.", "example": {"body_text": [["Ana", "today"]]}}],
}
RSS_CEILING_MB = 150


def messages(n: int, tag: str) -> Iterator[Dict[str, Any]]:
    for i in range(n):
        yield {"to": "+86 136 0000 9759", "template": "order_update", "language": "en_US",
               "body": ["Ana", "today"], "client_ref": f"{tag}-{i}"}


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    big = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
    client = wabakit.Client.from_dict({"provider": "memory"})
    client.create_template(TEMPLATE)
    # First, in a process that has held nothing large yet: the peak RSS is this run's.
    before = peak_rss_mb()
    t = time.perf_counter()
    done = sum(1 for r in client.send_many(messages(big, "big"), concurrency=64) if r.ok)
    big_rate = big / (time.perf_counter() - t)
    assert done == big
    peak = peak_rss_mb()
    lists, streams = [], []
    for round in range(3):
        t = time.perf_counter()
        assert all(r.ok for r in client.send_all(messages(n, f"l{round}"), concurrency=64))
        lists.append(n / (time.perf_counter() - t))
        t = time.perf_counter()
        ok = sum(r.ok for r in client.send_many(messages(n, f"s{round}"), concurrency=64))
        streams.append(n / (time.perf_counter() - t))
        assert ok == n
    lm, sm = statistics.median(lists), statistics.median(streams)
    print(f"{n:,} messages per round to the memory provider, concurrency 64, medians of 3 rounds\n")
    print("| Python call | messages/s | of send_all |")
    print("|---|---|---|")
    print(f"| send_all (a list in, a list out) | {lm:,.0f} | 100% |")
    print(f"| send_many (a generator in, results as they complete) | {sm:,.0f} | {100 * sm / lm:.0f}% |")
    print(f"\n{big:,} messages from a generator through send_many: {big_rate:,.0f}/s; peak RSS "
          f"{peak:.0f} MB (before it: {before:.0f} MB; ceiling {RSS_CEILING_MB} MB)")
    if peak > RSS_CEILING_MB:
        sys.exit(f"peak RSS {peak:.0f} MB is over the ceiling of {RSS_CEILING_MB} MB")


if __name__ == "__main__":
    main()
