# Restarts a systemd unit. First saves the unit's current state to
# $STATE/linux-service/UNIT.prev (STATE: /var/tmp/pcm-ops) so that restore.sh can put it back.
set -euo pipefail
verb=restart
unit=$PARAM_UNIT
dir=${PCMOPS_STATE_DIR:-/var/tmp/pcm-ops}/linux-service
# The saved-state file is named after the full unit name (nginx -> nginx.service), as systemctl names it.
case "${unit##*.}" in
  service|socket|target|timer|mount|automount|path|slice|scope|swap|device) key=$unit ;;
  *) key=$unit.service ;;
esac
if ! command -v systemctl >/dev/null 2>&1 || ! systemctl show -p Version >/dev/null 2>&1; then
  echo "error: systemd is not running on this host; cannot $verb $unit" >&2
  exit 4
fi
load=$(systemctl show -p LoadState -- "$unit" 2>/dev/null | sed -n 's/^LoadState=//p')
if [ "$load" = not-found ]; then
  echo "error: unit $unit not found on $(uname -n)" >&2
  exit 3
fi

# The state directory is under /var/tmp: refuse a symlink or a directory someone else owns.
mkdir -p -- "$dir"
for part in "$(dirname -- "$dir")" "$dir"; do
  if [ -L "$part" ] || [ "$(stat -c %u -- "$part")" != "$(id -u)" ]; then
    echo "error: $part is a symlink or not owned by $(id -un); refusing to keep state there" >&2
    exit 1
  fi
done
before=$(systemctl is-active -- "$unit" 2>/dev/null || true)
printf '%s\n' "${before:-unknown}" > "$dir/$key.prev"
echo "unit:    $unit"
echo "before:  ${before:-unknown} (saved to $dir/$key.prev)"
echo "action:  systemctl $verb $unit"
if ! systemctl "$verb" -- "$unit"; then
  echo "error: systemctl $verb $unit failed; the unit is now $(systemctl is-active -- "$unit" 2>/dev/null || true)" >&2
  systemctl status --no-pager --lines=10 -- "$unit" 2>&1 | tail -n 12 >&2 || true
  exit 1
fi
echo "after:   $(systemctl is-active -- "$unit" 2>/dev/null || true)"
