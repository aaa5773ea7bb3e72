# QC patching post, final validation: running kernel vs staged, services missing since the prep,
# units that failed since the prep, pending updates, disk space; a QC PASSED / QC FAILED verdict.
# Fails (exit 1) on a kernel other than the staged one, a missing service or a newly failed unit.
set -uo pipefail
export LC_ALL=C
qc=${PCMOPS_STATE_DIR:-/var/tmp/pcm-ops}/qc
value() { sed -n "s/^$1=//p" "$2" 2>/dev/null | head -n 1; }
problems=()
units() { awk '{ u = $1; if (u == "●" || u == "*") u = $2; if (u != "") print u }' | sort -u; }
ignored() {
  local unit=$1 globs=${PARAM_IGNORE:-} glob
  for glob in ${globs//,/ }; do
    # shellcheck disable=SC2053 # the pattern is a glob
    [[ $unit == $glob ]] && return 0
  done
  return 1
}

read -r up _ < /proc/uptime; up=${up%.*}
running=$(uname -r)
echo "== QC post validation: $(uname -n)"
echo "running:   $running, up $(( up / 86400 ))d $(( up % 86400 / 3600 ))h $(( up % 3600 / 60 ))m"
if [ -f "$qc/staged-kernel.txt" ]; then
  staged=$(value staged "$qc/staged-kernel.txt")
  if [ "$running" = "$staged" ]; then echo "kernel:    OK, the staged kernel"
  else echo "kernel:    FAILED, staged $staged"; problems+=("running kernel $running is not the staged $staged"); fi
else
  echo "kernel:    no staged kernel record"
  problems+=("no staged kernel record ($qc/staged-kernel.txt)")
fi

if command -v systemctl >/dev/null 2>&1 && systemctl show -p Version >/dev/null 2>&1; then
  now=$(systemctl list-units --type=service --state=running --no-legend --no-pager 2>/dev/null | units)
  if [ -f "$qc/services-before.txt" ]; then
    set -f
    missing=()
    while read -r unit; do
      [ -n "$unit" ] && ! ignored "$unit" && ! grep -qxF -- "$unit" <<< "$now" && missing+=("$unit")
    done < "$qc/services-before.txt"
    set +f
    if [ ${#missing[@]} -eq 0 ]; then echo "services:  OK, every service from the snapshot runs"
    else echo "services:  FAILED, not running: ${missing[*]}"; problems+=("${#missing[@]} service(s) from the snapshot not running"); fi
  else
    echo "services:  no snapshot to compare with"
    problems+=("no services snapshot ($qc/services-before.txt)")
  fi
  failed_now=$(systemctl list-units --state=failed --no-legend --no-pager 2>/dev/null | units)
  newly=$(comm -13 <(sort -u "$qc/failed-before.txt" 2>/dev/null) <(printf '%s\n' "$failed_now" | grep .))
  if [ -z "$newly" ]; then echo "failed:    OK, no unit failed since the prep"
  else echo "failed:    FAILED, newly failed: $(paste -sd ' ' <<< "$newly")"; problems+=("$(grep -c . <<< "$newly") unit(s) failed since the prep"); fi
else
  echo "services:  systemd is not running on this host"
  problems+=("systemd is not running: services cannot be checked")
fi

pm=""
for candidate in apt-get dnf yum; do
  if command -v "$candidate" >/dev/null 2>&1 && "$candidate" --version >/dev/null 2>&1; then pm=$candidate; break; fi
done
case "$pm" in
  apt-get) pending=$(apt-get -s -o Debug::NoLocking=1 dist-upgrade 2>/dev/null | grep -c '^Inst ') ;;
  dnf|yum) pending=$("$pm" -q -C check-update 2>/dev/null | awk '/^(Obsoleting|Security:)/ { exit } NF == 3 && $1 ~ /\./' | grep -c .) ;;
  *) pending="" ;;
esac
if [ -n "$pending" ]; then
  was=$(grep -c . "$qc/pending-updates.txt" 2>/dev/null)
  echo "updates:   $pending still pending (${was:-?} at prep)"
fi
{ df -hP -x tmpfs -x devtmpfs -x squashfs -x overlay 2>/dev/null || df -hP; } \
  | awk 'NR > 1 && $5 + 0 >= 90 { printf "disk:      %s is %s full\n", $6, $5 }'

echo
if [ ${#problems[@]} -eq 0 ]; then
  echo "verdict:   QC PASSED"
  exit 0
fi
echo "verdict:   QC FAILED"
for p in "${problems[@]}"; do echo "  - $p"; done
echo "error: QC failed: $(printf '%s; ' "${problems[@]}" | sed 's/; $//')" >&2
exit 1
