"""Measure the official Alibaba ChatApp Python SDK and wabakit's Python client on one loopback
stub, and print a markdown table. Run by bench/compare.sh, which starts the stub and passes the
Rust and ceiling numbers in.

Each sequential run: 200 warm-up calls, then 2,000 timed calls; wall time from perf_counter,
client CPU from process_time (the stub is another process). Three rounds, the official SDK and
wabakit interleaved; every row is the median of its three.
"""

from __future__ import annotations

import argparse
import statistics
import time
from typing import Any, Callable, Dict, List, Tuple

WARM, TIMED, ROUNDS = 200, 2000, 3


def measure(call: Callable[[], Any]) -> Tuple[float, float]:
    for _ in range(WARM):
        call()
    w0, c0 = time.perf_counter(), time.process_time()
    for _ in range(TIMED):
        call()
    wall, cpu = time.perf_counter() - w0, time.process_time() - c0
    return TIMED / wall, cpu / TIMED * 1e6  # calls/s, client CPU µs per call


def official(url: str) -> Dict[str, Tuple[float, float]]:
    from alibabacloud_cams20200606 import models as m
    from alibabacloud_cams20200606.client import Client
    from alibabacloud_tea_openapi import models as api

    client = Client(api.Config(access_key_id="testAccessKeyId", access_key_secret="testAccessKeySecret",
                               endpoint=url.split("://")[1], protocol="http"))
    modify = m.ModifyChatappTemplateRequest(
        category="MARKETING", category_change_paused=True, cust_space_id="cams-8c8d****", language="en_US",
        template_code="744c4b5c79c9432497a075bdfca3****", template_type="WHATSAPP", example={"1": "Tom", "2": "50%"},
        components=[
            m.ModifyChatappTemplateRequestComponents(type="HEADER", format="TEXT", text="Summer sale *today*"),
            m.ModifyChatappTemplateRequestComponents(type="BODY", text="Hi {{1}},\nget {{2}} off with code ~SUMMER~ & more! 1+1=2 /promo"),
            m.ModifyChatappTemplateRequestComponents(type="FOOTER", text="Reply STOP to opt out"),
            m.ModifyChatappTemplateRequestComponents(type="BUTTONS", buttons=[
                m.ModifyChatappTemplateRequestComponentsButtons(type="QUICK_REPLY", text="Yes please"),
                m.ModifyChatappTemplateRequestComponentsButtons(type="QUICK_REPLY", text="No thanks"),
                m.ModifyChatappTemplateRequestComponentsButtons(type="QUICK_REPLY", text="Stop promotions", is_opt_out=True),
            ]),
        ],
    )
    send = m.SendChatappMessageRequest(channel_type="whatsapp", type="template", from_="6580000000", to="8613900000000",
                                       template_code="744c4b5c79c9432497a075bdfca3****", language="en",
                                       template_params={"1": "Tom", "2": "ORDER-1"}, cust_space_id="cams-8c8d****", task_id="task-001")
    return {"modify": measure(lambda: client.modify_chatapp_template(modify)),
            "send": measure(lambda: client.send_chatapp_message(send))}


def wabakit_client(url: str) -> Tuple[Dict[str, Tuple[float, float]], float]:
    import wabakit

    client = wabakit.Client.from_dict({"provider": "alibaba", "access_key_id": "testAccessKeyId",
                                       "access_key_secret": "testAccessKeySecret", "cust_space_id": "cams-8c8d****",
                                       "from": "6580000000", "endpoint": url, "rate_limit": False})
    template = {
        "name": "summer_sale", "language": "en_US", "category": "MARKETING", "category_change_paused": True,
        "components": [
            {"type": "HEADER", "format": "TEXT", "text": "Summer sale *today*"},
            {"type": "BODY", "text": "Hi {{1}},\nget {{2}} off with code ~SUMMER~ & more! 1+1=2 /promo", "example": {"body_text": [["Tom", "50%"]]}},
            {"type": "FOOTER", "text": "Reply STOP to opt out"},
            {"type": "BUTTONS", "buttons": [{"type": "QUICK_REPLY", "text": "Yes please"}, {"type": "QUICK_REPLY", "text": "No thanks"},
                                           {"type": "QUICK_REPLY", "text": "Stop promotions", "is_opt_out": True}]},
        ],
    }
    message = {"to": "8613900000000", "template": "summer_sale", "language": "en", "body": ["Tom", "ORDER-1"], "client_ref": "task-001"}
    seq = {"modify": measure(lambda: client.update_template("744c4b5c79c9432497a075bdfca3****", template)),
           "send": measure(lambda: client.send(message))}
    many: List[Dict[str, Any]] = [{**message, "client_ref": f"task-{i}"} for i in range(20_000)]
    t0 = time.perf_counter()
    results = client.send_all(many, concurrency=64)
    rate = len(many) / (time.perf_counter() - t0)
    assert all(r.ok for r in results)
    return seq, rate


def medians(runs: List[Dict[str, Tuple[float, float]]]) -> Dict[str, Tuple[float, float]]:
    """Per operation, the median calls/s and the median CPU per call of several runs."""
    return {op: (statistics.median(r[op][0] for r in runs), statistics.median(r[op][1] for r in runs))
            for op in runs[0]}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", required=True)
    ap.add_argument("--rust-send-many", type=float, required=True)
    ap.add_argument("--bare", type=float, required=True, help="bare reqwest replaying one signed request, calls/s")
    ap.add_argument("--wrk", type=float, default=0.0, help="wrk, calls/s (0: not measured)")
    a = ap.parse_args()
    # Rounds of both clients, interleaved; each row reports its medians (a shared VM's neighbours
    # move single runs by several percent, and the two clients should see the same moments).
    sdk_runs, our_runs, many_runs = [], [], []
    for _ in range(ROUNDS):
        sdk_runs.append(official(a.url))
        seq, many = wabakit_client(a.url)
        our_runs.append(seq)
        many_runs.append(many)
    sdk, ours = medians(sdk_runs), medians(our_runs)
    py_many = statistics.median(many_runs)

    def vs(rate: float, ceiling: float) -> str:
        return f"{rate / ceiling:.1%}" if ceiling else "-"

    print("| client | operation | calls/s | client CPU µs/call | vs official SDK | vs bare reqwest | vs wrk |")
    print("|---|---|---|---|---|---|---|")
    for op in ("modify", "send"):
        s_rate, s_cpu = sdk[op]
        w_rate, w_cpu = ours[op]
        name = "ModifyChatappTemplate" if op == "modify" else "SendChatappMessage"
        print(f"| official SDK 5.3.1 (sequential) | {name} | {s_rate:.0f} | {s_cpu:.0f} | 1.00× | {vs(s_rate, a.bare)} | {vs(s_rate, a.wrk)} |")
        print(f"| wabakit Python Client (sequential) | {name} | {w_rate:.0f} | {w_cpu:.0f} | "
              f"{w_rate / s_rate:.2f}× speed, {w_cpu / s_cpu:.2f}× CPU | {vs(w_rate, a.bare)} | {vs(w_rate, a.wrk)} |")
    s_send = sdk["send"][0]
    for label, rate in (("wabakit Python send_many (64)", py_many), ("wabakit Rust send_many (64)", a.rust_send_many)):
        print(f"| {label} | SendChatappMessage | {rate:.0f} | | {rate / s_send:.1f}× | {vs(rate, a.bare)} | {vs(rate, a.wrk)} |")
    print(f"| bare reqwest (64), one signed request replayed | SendChatappMessage | {a.bare:.0f} | | | 100% | {vs(a.bare, a.wrk)} |")
    if a.wrk:
        print(f"| wrk (1 thread, 64 connections), empty body | POST | {a.wrk:.0f} | | | | 100% |")


if __name__ == "__main__":
    main()
