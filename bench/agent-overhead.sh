#!/usr/bin/env bash
# npm run bench:agent — the tracer's cost per request on a Flask hello app (budget 50 us) and a FastAPI one.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHONDONTWRITEBYTECODE=1 timeout 300 /usr/bin/python3 bench/agent_overhead.py
