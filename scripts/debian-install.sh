#!/usr/bin/env bash
# Installs Debian packages a test needs when their command is missing: `debian-install.sh <command> <package>...`.
# The tests start and stop their own servers on 127.0.0.1 (redis-server) or browsers (chromium), so nothing installed
# here is left running. Needs root for apt-get; an installed command is left as it is.
set -euo pipefail
cmd="$1"
shift
if command -v "$cmd" >/dev/null; then
  echo "cmdb: $cmd is installed"
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "cmdb: $cmd is missing; install it as root: apt-get install -y $*" >&2
  exit 1
fi
echo "cmdb: installing Debian's $* ..."
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "$@" >/dev/null
# Where apt started a packaged service (redis-server), stop it: the tests run their own on a free port.
if command -v service >/dev/null && service "$cmd" status >/dev/null 2>&1; then service "$cmd" stop >/dev/null 2>&1 || true; fi
echo "cmdb: $cmd installed"
