# QC patching post: compares the services running now with the snapshot Linux QC Patching Prep saved
# ($QC/services-before.txt, QC: /var/tmp/pcm-ops/qc). Lists services that no longer run and new
# ones; fails when a service that ran before patching does not run now. Units matching
# PARAM_IGNORE (comma- or space-separated globs) are left out on both sides.
set -uo pipefail
export LC_ALL=C
qc=${PCMOPS_STATE_DIR:-/var/tmp/pcm-ops}/qc
before=$qc/services-before.txt
if [ ! -f "$before" ]; then
  echo "error: no services snapshot at $before; run Linux QC Patching Prep (initial-report) before patching" >&2
  exit 1
fi
if ! command -v systemctl >/dev/null 2>&1 || ! systemctl show -p Version >/dev/null 2>&1; then
  echo "error: systemd is not running on this host; cannot list the running services" >&2
  exit 4
fi
# Globs to leave out.
ignored() {
  local unit=$1 globs=${PARAM_IGNORE:-} glob
  for glob in ${globs//,/ }; do
    # shellcheck disable=SC2053 # the pattern is a glob
    [[ $unit == $glob ]] && return 0
  done
  return 1
}
keep() { local u; while read -r u; do [ -n "$u" ] && ! ignored "$u" && echo "$u"; done; return 0; }
work=$(mktemp -d) || exit 1
trap 'rm -rf -- "$work"' EXIT
set -f   # the ignore globs must not expand against files
keep < "$before" | sort -u > "$work/before"
systemctl list-units --type=service --state=running --no-legend --no-pager 2>/dev/null \
  | awk '{ u = $1; if (u == "●" || u == "*") u = $2; if (u != "") print u }' | keep | sort -u > "$work/now"
set +f
comm -23 "$work/before" "$work/now" > "$work/missing"
comm -13 "$work/before" "$work/now" > "$work/new"
missing=$(grep -c . "$work/missing"); new=$(grep -c . "$work/new")

echo "snapshot:  $(grep -c . "$work/before") service(s) running at prep ($(date -r "$before" '+%Y-%m-%d %H:%M'))"
echo "now:       $(grep -c . "$work/now") service(s) running"
[ -n "${PARAM_IGNORE:-}" ] && echo "ignored:   ${PARAM_IGNORE}"
echo "missing:   $missing"
while read -r unit; do
  [ -n "$unit" ] && echo "  - $unit (now $(systemctl is-active -- "$unit" 2>/dev/null))"
done < "$work/missing"
echo "new:       $new"
sed 's/^/  + /' "$work/new"

# Listening ports that were open at prep and are not now: information only.
if [ -s "$qc/ports-before.txt" ] && command -v ss >/dev/null 2>&1; then
  ss -ltnup 2>/dev/null | awk 'NR > 1 {
      proc = "-"; if (match($0, /users:\(\("[^"]+"/)) proc = substr($0, RSTART + 9, RLENGTH - 10)
      print $1, $5, proc }' | sort -u > "$work/ports"
  gone=$(comm -23 <(sort -u "$qc/ports-before.txt") "$work/ports")
  if [ -n "$gone" ]; then
    echo "note:      listening sockets open at prep and not now:"
    printf '%s\n' "$gone" | awk '{ printf "  %-5s %-28s %s\n", $1, $2, $3 }'
  fi
fi

if [ "$missing" -gt 0 ]; then
  echo "error: $missing service(s) that ran before patching are not running: $(paste -sd ' ' "$work/missing")" >&2
  exit 1
fi
echo "result:    every service that ran before patching runs now"
