#!/usr/bin/env bash
# The comparison, in one command (a few minutes): a loopback stub (keep-alive, TCP_NODELAY, one
# fixed JSON answer); against it, the official alibabacloud-cams20200606 Python SDK and wabakit's
# Python Client (sequential), wabakit send_many (Python and Rust), and two ceilings: wrk, and a
# bare reqwest client replaying one signed request. wabakit runs with its rate limiter off.
# With two or more CPUs the stub runs on CPU 1 and every client on CPU 0, so that a client is
# measured on its own core and never competes with the server for it. Prints a markdown table.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v wrk >/dev/null; then
  (apt-get update -qq && apt-get install -y -qq wrk) >/dev/null 2>&1 || echo "wrk unavailable: no ceiling row" >&2
fi
cargo build -q --release -p wabakit-bench --bin stub --bin send_many --bin bare
venv="$(realpath -m bench/.venv)"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --upgrade pip maturin "alibabacloud-cams20200606==5.3.1"
"$venv/bin/python" -m pip install --quiet --force-reinstall --no-deps ./bindings/python
server=() client=()
if [ "$(nproc)" -ge 2 ] && command -v taskset >/dev/null; then
  server=(taskset -c 1) client=(taskset -c 0)
fi
tmp=$(mktemp -d)
"${server[@]}" ./target/release/stub > "$tmp/url" &
stub=$!
trap 'kill $stub 2>/dev/null || true; rm -rf "$tmp"' EXIT
for _ in $(seq 100); do [ -s "$tmp/url" ] && break; sleep 0.05; done
url=$(head -1 "$tmp/url")
# send_many and its ceiling, three times each, interleaved; the median of each (a shared VM's
# neighbours move single runs by several percent).
median() { printf '%s\n' "$@" | sort -n | sed -n 2p; }
runs_rust=() runs_bare=()
for _ in 1 2 3; do
  runs_rust+=("$("${client[@]}" ./target/release/send_many "$url" 40000 64)")
  runs_bare+=("$("${client[@]}" ./target/release/bare "$url" 40000 64)")
done
rust=$(median "${runs_rust[@]}")
bare=$(median "${runs_bare[@]}")
echo "send_many runs: ${runs_rust[*]}; bare reqwest runs: ${runs_bare[*]} (medians used)"
wrk=0
if command -v wrk >/dev/null; then
  printf 'wrk.method = "POST"\nwrk.body = "{}"\nwrk.headers["Content-Type"] = "application/json"\n' > "$tmp/post.lua"
  wrk=$("${client[@]}" wrk -t1 -c64 -d5s -s "$tmp/post.lua" "$url/" | awk '/Requests\/sec/ {print $2}')
fi
echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); $(date -u +%F)"
echo "placement: ${server[*]:-unpinned} stub, ${client[*]:-unpinned} clients"
"${client[@]}" "$venv/bin/python" bench/compare.py --url "$url" --rust-send-many "$rust" --bare "$bare" --wrk "$wrk"
