# QC patching prep, final report: what the prep saved on this host (service snapshot, failed units,
# pending updates, staged kernel) and whether the host is ready for patching. Fails (exit 1) when it
# is not: no service snapshot, no staged kernel, or less than 100 MB free for /boot.
set -uo pipefail
export LC_ALL=C
qc=${PCMOPS_STATE_DIR:-/var/tmp/pcm-ops}/qc
problems=()
value() { sed -n "s/^$1=//p" "$2" 2>/dev/null | head -n 1; }

read -r up _ < /proc/uptime; up=${up%.*}
echo "== QC prep summary: $(uname -n)"
echo "running:   $(uname -r), up $(( up / 86400 ))d $(( up % 86400 / 3600 ))h $(( up % 3600 / 60 ))m"
if [ -f "$qc/prep-info.txt" ]; then
  echo "prepared:  $(value prepared_at "$qc/prep-info.txt")"
else
  problems+=("no initial report on this host ($qc/prep-info.txt)")
fi

if [ -f "$qc/services-before.txt" ]; then
  echo "services:  $(grep -c . "$qc/services-before.txt") running, snapshot $qc/services-before.txt"
else
  echo "services:  no snapshot"
  problems+=("no running-services snapshot ($qc/services-before.txt): the post-patching comparison cannot run")
fi
if [ -f "$qc/failed-before.txt" ]; then
  failed=$(grep -c . "$qc/failed-before.txt")
  echo "failed:    $failed unit(s) already failed before patching$([ "$failed" -gt 0 ] && printf ': %s' "$(paste -sd ' ' "$qc/failed-before.txt")")"
fi
if [ -f "$qc/pending-updates.txt" ]; then
  echo "updates:   $(grep -c . "$qc/pending-updates.txt") pending ($(grep -c ' security$' "$qc/pending-updates.txt") security)"
fi

if [ -f "$qc/staged-kernel.txt" ]; then
  staged=$(value staged "$qc/staged-kernel.txt")
  case "$(value status "$qc/staged-kernel.txt")" in
    downloaded) how="downloaded, not installed" ;;
    installed) how="already installed, reboot pending" ;;
    current) how="already running: no new kernel" ;;
    *) how="?" ;;
  esac
  echo "staged:    $staged ($how; $(value package "$qc/staged-kernel.txt") $(value version "$qc/staged-kernel.txt"))"
else
  echo "staged:    nothing"
  problems+=("no staged kernel record ($qc/staged-kernel.txt): stage-kernel did not succeed")
fi

boot_free=$(df -Pk /boot 2>/dev/null | awk 'NR == 2 { print int($4 / 1024) }')
if [ -n "$boot_free" ]; then
  echo "/boot:     ${boot_free} MB free"
  [ "$boot_free" -lt 100 ] && problems+=("/boot has only ${boot_free} MB free; free space before installing a kernel")
fi

echo
if [ ${#problems[@]} -eq 0 ]; then
  echo "verdict:   READY for patching"
  exit 0
fi
echo "verdict:   NOT READY"
for p in "${problems[@]}"; do echo "  - $p"; done
echo "error: not ready for patching: ${problems[0]}$([ ${#problems[@]} -gt 1 ] && echo " (and $(( ${#problems[@]} - 1 )) more)")" >&2
exit 1
