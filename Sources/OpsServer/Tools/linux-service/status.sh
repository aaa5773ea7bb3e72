# Status of a systemd unit: loaded, active, enabled, the state saved before the last change, last log
# lines. Exit 3 when the unit does not exist, 4 when systemd is not running. Changes nothing.
set -uo pipefail
unit=$PARAM_UNIT
# The saved-state file is named after the full unit name (nginx -> nginx.service), as systemctl names it.
case "${unit##*.}" in
  service|socket|target|timer|mount|automount|path|slice|scope|swap|device) key=$unit ;;
  *) key=$unit.service ;;
esac
prev_file=${PCMOPS_STATE_DIR:-/var/tmp/pcm-ops}/linux-service/$key.prev
if ! command -v systemctl >/dev/null 2>&1 || ! systemctl show -p Version >/dev/null 2>&1; then
  echo "error: systemd is not running on this host; cannot query $unit" >&2
  exit 4
fi
props=$(systemctl show -p LoadState -p ActiveState -p SubState -p UnitFileState -- "$unit" 2>/dev/null)
prop() { printf '%s\n' "$props" | sed -n "s/^$1=//p" | head -n 1; }
load=$(prop LoadState)
echo "unit:     $unit"
echo "loaded:   ${load:-unknown}"
if [ "$load" = not-found ]; then
  echo "error: unit $unit not found on $(uname -n)" >&2
  exit 3
fi
echo "state:    $(prop ActiveState) ($(prop SubState))"
echo "enabled:  $(prop UnitFileState)"
if [ -f "$prev_file" ]; then
  echo "saved:    $(head -n 1 "$prev_file") before the last change ($(date -r "$prev_file" '+%Y-%m-%d %H:%M:%S'))"
fi
echo
systemctl status --no-pager --lines=5 -- "$unit" 2>&1 | head -n 15
exit 0
