#!/usr/bin/env python3
"""Write the seed corpora (fuzz/corpus/<target>/) from the test data: the vendor pages'
examples (tests/data/vendor), the examples folder and the README's blocks. Each file is one
input as the target reads it (tests/fuzz/src/lib.rs): a first byte that picks the format or
provider, then the text. Run again after the test data changes; the files are committed."""

import hashlib
import json
import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parents[1]
OUT = ROOT / "fuzz" / "corpus"
VENDOR = ROOT / "tests" / "data" / "vendor"


def vendor_text(path: pathlib.Path) -> str:
    return "\n".join(l for l in path.read_text(encoding="utf-8").splitlines() if not l.startswith("//")).strip()


def put(target: str, data: bytes) -> None:
    d = OUT / target
    d.mkdir(parents=True, exist_ok=True)
    (d / hashlib.sha1(data).hexdigest()[:16]).write_bytes(data)


JSON, YAML, TOML = b"\x00", b"\x01", b"\x02"
readme = (ROOT / "README.md").read_text(encoding="utf-8")
blocks = [json.loads(b) for b in re.findall(r"```json\n(.*?)\n```", readme, re.S)]

# template, message
for b in blocks:
    target = "template" if "components" in b else "message" if "to" in b else None
    if target:
        put(target, JSON + json.dumps(b).encode())
for p in (ROOT / "examples" / "templates").glob("*.yaml"):
    put("template", YAML + p.read_bytes())
for p in (ROOT / "examples" / "messages").glob("*.json"):
    put("message", JSON + p.read_bytes())
put("template", TOML + b'name = "order_update"\nlanguage = "en_US"\ncategory = "UTILITY"\n[[components]]\ntype = "BODY"\ntext = "Hi {{1}}"\nexample = { body_text = [["Ana"]] }\n')
put("message", TOML + b'to = "+8613600009759"\ntemplate = "order_update"\nlanguage = "en_US"\nbody = ["Ana", "today"]\n')
put("message", JSON + json.dumps({"to": "+8613600009759", "template": "invoice", "language": "en_US", "body": {
    "total": {"type": "currency", "fallback_value": "$100.99", "code": "USD", "amount_1000": 100990},
    "due": {"type": "date_time", "fallback_value": "February 25, 1977"}}}).encode())
for p in VENDOR.glob("*/*.request.*.json"):
    put("template", JSON + vendor_text(p).encode())

# callback: first byte / 4 picks the provider (nxcloud, alibaba, meta, memory), odd verifies
for p in VENDOR.glob("seed-002/*.callback_*.json"):
    body = vendor_text(p).encode()
    put("callback", b"\x00" + b"\n\n" + body)
    put("callback", b"\x01" + b"\n\n" + body)
for p in VENDOR.glob("meta-spec/webhook-*.json"):
    body = p.read_bytes() if not p.read_text(encoding="utf-8").startswith("//") else vendor_text(p).encode()
    put("callback", b"\x08" + b"\n\n" + body)
    put("callback", b"\x09" + b"\n\n" + body)
put("callback", b"\x04\n\n" + json.dumps([{"MessageId": "m-1", "Status": "Delivered", "Timestamp": 1718000000000,
                                              "PhoneNumber": "8613600009759", "SenderId": "6580000000"}]).encode())

# answer: provider byte (nxcloud, alibaba, meta), status (2 bytes: 100 + n % 500)
for folder, provider in [("seed-000", 0), ("seed-001", 0), ("seed-002", 0), ("seed-004", 0), ("seed-003", 1), ("meta-spec", 2)]:
    for p in VENDOR.glob(f"{folder}/*.answer_*.json"):
        status = (100).to_bytes(2, "big") if "success" in p.name else (300).to_bytes(2, "big")
        put("answer", bytes([provider]) + status + vendor_text(p).encode())

# config
put("config", (ROOT / "examples" / "wabakit.toml").read_bytes())
for b in re.findall(r"```toml\n(.*?)\n```", readme, re.S):
    put("config", b.encode())

# rows: first byte even is CSV, odd JSONL
put("rows", b"\x00to,client_ref,body.1,body.2,button.0.quick_reply\n+8613600000001,g-1,Ana,today,t\n+8613600000002,g-2,Bo,today,t\n")
put("rows", b"\x00to,template,language,header.text,button.1.url,button.0.copy_code\n+8613600000001,t,en_US,Hi,abc,C0DE\n")
for p in (ROOT / "examples" / "messages").glob("*.json"):
    put("rows", b"\x01" + json.dumps(json.loads(p.read_text())).encode() + b"\n")
print(f"seeds written to {OUT.relative_to(ROOT)}")
