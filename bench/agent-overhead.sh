#!/usr/bin/env bash
# npm run bench:agent — the CPU the tracer adds per request to a Flask hello app (target 10 us) and a FastAPI one,
# every transaction delivered; last lines `agent drops: N` and `agent overhead: N us/request`.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHONDONTWRITEBYTECODE=1 timeout 600 /usr/bin/python3 bench/agent_overhead.py
