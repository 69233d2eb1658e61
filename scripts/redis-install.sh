#!/usr/bin/env bash
# Debian's redis-server, for the tests of subscriptions across replicas (the tests start and stop their own
# server on 127.0.0.1). Needs root for apt-get; an existing redis-server is left as it is.
set -euo pipefail
if command -v redis-server >/dev/null; then
  echo "cmdb: $(redis-server --version | cut -d' ' -f1-3) is installed"
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "cmdb: redis-server is missing; install it as root: apt-get install -y redis-server (or set CMDB_TEST_REDIS_URL)" >&2
  exit 1
fi
echo "cmdb: installing Debian's redis-server ..."
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends redis-server >/dev/null
# Where apt started the packaged service, stop it: the tests run their own server on a free port.
if command -v service >/dev/null && service redis-server status >/dev/null 2>&1; then service redis-server stop >/dev/null 2>&1 || true; fi
echo "cmdb: $(redis-server --version | cut -d' ' -f1-3) installed"
