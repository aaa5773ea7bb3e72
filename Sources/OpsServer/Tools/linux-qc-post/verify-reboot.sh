# QC patching post: the host runs the kernel Linux QC Patching Prep staged ($QC/staged-kernel.txt,
# QC: /var/tmp/pcm-ops/qc). Shows the uptime and whether the host rebooted since the prep; fails
# when the running kernel is not the staged one.
set -uo pipefail
export LC_ALL=C
qc=${PCMOPS_STATE_DIR:-/var/tmp/pcm-ops}/qc
value() { sed -n "s/^$1=//p" "$2" 2>/dev/null | head -n 1; }
read -r up _ < /proc/uptime; up=${up%.*}
running=$(uname -r)
echo "host:      $(uname -n)"
echo "running:   $running"
echo "uptime:    $(( up / 86400 ))d $(( up % 86400 / 3600 ))h $(( up % 3600 / 60 ))m (booted $(date -d "@$(( $(date +%s) - up ))" '+%Y-%m-%d %H:%M' 2>/dev/null))"
if [ -f "$qc/prep-info.txt" ]; then
  if [ "$(value boot_id "$qc/prep-info.txt")" = "$(cat /proc/sys/kernel/random/boot_id 2>/dev/null)" ]; then
    echo "rebooted:  no, not since the prep ($(value prepared_at "$qc/prep-info.txt"))"
  else
    echo "rebooted:  yes, since the prep ($(value prepared_at "$qc/prep-info.txt"))"
  fi
fi
if [ ! -f "$qc/staged-kernel.txt" ]; then
  echo "error: no staged kernel record at $qc/staged-kernel.txt; run Linux QC Patching Prep (stage-kernel) before patching" >&2
  exit 1
fi
staged=$(value staged "$qc/staged-kernel.txt")
echo "staged:    $staged (before prep the host ran $(value running "$qc/staged-kernel.txt"))"
if [ "$running" != "$staged" ]; then
  hint="install the kernel package and reboot"
  if command -v grubby >/dev/null 2>&1; then
    hint="$hint; default boot kernel: $(grubby --default-kernel 2>/dev/null || echo unknown)"
  fi
  echo "error: the running kernel $running is not the staged kernel $staged ($hint)" >&2
  exit 1
fi
echo "result:    the host runs the staged kernel $staged"
