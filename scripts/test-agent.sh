#!/usr/bin/env bash
# The Python agent's test suite (npm run test:agent): installs ./agent into a fresh virtualenv
# the way a user does (seeing Debian's packages, no index), then runs pytest with Debian's Python.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp="$(mktemp -d /tmp/tapscope-agent-test.XXXXXX)"
trap 'rm -rf "$tmp"' EXIT
/usr/bin/python3 -m venv --system-site-packages "$tmp/venv"
"$tmp/venv/bin/pip" install -q --disable-pip-version-check --no-build-isolation --no-index ./agent
rm -rf agent/build  # pip's build leftovers
WHATAP_TEST_VENV="$tmp/venv" PYTHONDONTWRITEBYTECODE=1 \
  timeout 2400 /usr/bin/python3 -m pytest agent/tests -q -p no:cacheprovider "$@"
