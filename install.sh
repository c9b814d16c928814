#!/usr/bin/env bash
# Installs everything the tracker needs on a fresh machine: Debian's Chromium (for the
# browser test) when run as root, then the package with its models, the PostgreSQL driver (the
# `postgres` extra) and the shared crawl frontier (the `redis` extra), so the tests also run against
# the servers where they answer; torch pinned to the CPU wheel.
set -euo pipefail
cd "$(dirname "$0")"
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null && ! command -v chromium >/dev/null; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
python3 -m pip install -q -U pip
python3 -m pip install -q -c constraints.txt -e ".[dev,postgres,redis]"
if command -v pyenv >/dev/null; then pyenv rehash; fi
