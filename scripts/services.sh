#!/usr/bin/env bash
# Make sure what the tests need is there: PostgreSQL on 127.0.0.1:5432 (started when it is not
# running) and, for the browser tests, Debian's Chromium with a CJK font. Idempotent.
set -uo pipefail

pg_up() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; }
if ! pg_up; then
  if command -v pg_ctlcluster >/dev/null 2>&1 && ls /etc/postgresql >/dev/null 2>&1; then
    for version in $(ls /etc/postgresql); do
      pg_ctlcluster --skip-systemctl-redirect "$version" main start 2>/dev/null || true
    done
  fi
  for _ in $(seq 1 30); do pg_up && break; sleep 1; done
fi
pg_up && echo "PostgreSQL: ready on 127.0.0.1:5432" || echo "PostgreSQL: NOT reachable on 127.0.0.1:5432" >&2

if [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi "noto.*cjk"; then
  if command -v apt-get >/dev/null 2>&1; then
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq >/dev/null 2>&1 || true
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium fonts-noto-cjk >/dev/null 2>&1 \
      || echo "apt-get could not install chromium fonts-noto-cjk" >&2
  fi
fi
[ -x /usr/bin/chromium ] && echo "Chromium: $(/usr/bin/chromium --version 2>/dev/null | head -1)" \
  || echo "Chromium: missing (browser tests will fail under CI)" >&2
exit 0
