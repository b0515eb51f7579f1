#!/usr/bin/env bash
# What 500 sources polled every 5 seconds cost: starts the simulated gateway on 127.0.0.1,
# makes a throwaway workspace with 100 gateway sources (LiteLLM preset, two requests each) and
# 400 HTTP sources with a JSONPath assertion, polls for DURATION seconds (default 60) and
# prints the poll process's own CPU use ("cpu ... % of one core") and the writer's busy time.
set -euo pipefail
BIN=${BIN:-target/release/certready}
DURATION=${DURATION:-60}
PORT=${PORT:-47990}
WS=$(mktemp -d)
trap 'kill $SIM 2>/dev/null || true; rm -rf "$WS"' EXIT
"$BIN" gateway-sim --port "$PORT" --mode up >/dev/null 2>&1 &
SIM=$!
sleep 0.5
"$BIN" init "$WS/ws" >/dev/null
{
  for i in $(seq 1 100); do
    printf '\n[[gateway]]\nname = "gw-%s"\npreset = "litellm"\nurl = "http://127.0.0.1:%s"\ninterval = "5s"\ntimeout = "3s"\ncontrols = ["GW-AVAIL-01"]\n' "$i" "$PORT"
  done
  for i in $(seq 1 400); do
    printf '\n[[source]]\nname = "http-%s"\nkind = "http"\nurl = "http://127.0.0.1:%s/v1/models"\ninterval = "5s"\ntimeout = "3s"\nassert = [{ path = "$.data[0].id", equals = "gpt-sim" }]\ncontrols = ["GW-AVAIL-01"]\n' "$i" "$PORT"
  done
} >> "$WS/ws/certready.toml"
"$BIN" --workspace "$WS/ws" poll --duration "$DURATION" | tail -1
