#!/usr/bin/env bash
# Installs the Debian packages the test suite needs, only when something is missing.
# Runs as root on the project's machines (CI and developers); a no-op when all is present.
set -euo pipefail
pkgs=(chromium python3-flask python3-django gunicorn uwsgi uwsgi-plugin-python3
      python3-cryptography python3-pytest python3-requests python3-psycopg2
      python3-venv python3-pip python3-setuptools
      postgresql clickhouse-server clickhouse-client
      python3-fastapi python3-starlette uvicorn python3-httpx python3-aiohttp
      python3-sqlalchemy python3-psycopg python3-pymysql python3-mysqldb mariadb-server
      python3-redis redis-server python3-celery celery python3-wsproto python3-aiosmtpd)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "tapscope: installing system packages: ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  echo "tapscope: need root to apt-get install: ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
