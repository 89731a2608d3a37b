#!/usr/bin/env bash
# Start or stop the local DNS test environment: Knot (authoritative, zone files
# in tests/dns/zones) behind dnsdist (DoH over HTTP on 127.0.0.1). Loopback only;
# nothing here talks to the internet.
#
#   tests/dns/env.sh start   # prints the DoH URL, e.g. http://127.0.0.1:8053/dns-query
#   tests/dns/env.sh stop
#
# Ports: KNOT_PORT (15353), DNS_PORT (15354), DOH_PORT (8053).
set -euo pipefail
# knotd and dnsdist live in /usr/sbin, which a non-root user's PATH may lack.
export PATH="$PATH:/usr/sbin:/sbin"
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
state="$root/.tmp/dns"
KNOT_PORT=${KNOT_PORT:-15353}
DNS_PORT=${DNS_PORT:-15354}
DOH_PORT=${DOH_PORT:-8053}
url="http://127.0.0.1:$DOH_PORT/dns-query"

fill() {
  sed -e "s|@KNOT_PORT@|$KNOT_PORT|g" -e "s|@DNS_PORT@|$DNS_PORT|g" \
      -e "s|@DOH_PORT@|$DOH_PORT|g" -e "s|@STATE@|$state|g" -e "s|@ZONES@|$here/zones|g" "$1"
}

stop() {
  for name in dnsdist knotd; do
    if [ -f "$state/$name.pid" ]; then
      pid=$(cat "$state/$name.pid")
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
      rm -f "$state/$name.pid"
    fi
  done
}

wait_for() { # wait_for DESCRIPTION COMMAND...
  local what=$1; shift
  for _ in $(seq 100); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.1
  done
  echo "dns env: $what did not come up; logs:" >&2
  tail -n 20 "$state"/*.log >&2 || true
  return 1
}

start() {
  stop
  mkdir -p "$state/db"
  fill "$here/knot.conf.in" > "$state/knot.conf"
  fill "$here/dnsdist.conf.in" > "$state/dnsdist.conf"
  knotd -c "$state/knot.conf" >"$state/knotd.log" 2>&1 &
  echo $! > "$state/knotd.pid"
  wait_for "Knot on 127.0.0.1:$KNOT_PORT" kdig +timeout=1 +retry=0 @127.0.0.1 -p "$KNOT_PORT" todoku.test SOA +short
  dnsdist --supervised --disable-syslog -C "$state/dnsdist.conf" >"$state/dnsdist.log" 2>&1 &
  echo $! > "$state/dnsdist.pid"
  # A TXT answer through DoH proves both daemons and the HTTP listener work.
  # An SOA query for todoku.test in wire form, base64url: proves both daemons
  # and the HTTP listener work.
  local q
  q=$(printf '\000\000\001\000\000\001\000\000\000\000\000\000\006todoku\004test\000\000\006\000\001' | base64 | tr '+/' '-_' | tr -d '=')
  wait_for "dnsdist DoH on 127.0.0.1:$DOH_PORT" curl -sf -o /dev/null -H 'accept: application/dns-message' "$url?dns=$q"
  echo "$url"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
