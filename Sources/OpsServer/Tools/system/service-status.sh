# Whether a systemd unit is active; exit 3 when it is not, 4 when systemd is absent.
set -u
if ! command -v systemctl >/dev/null 2>&1; then
  echo "systemctl not found: this host does not run systemd" >&2
  exit 4
fi
state=$(systemctl is-active -- "$PARAM_UNIT" 2>/dev/null || true)
echo "unit:    $PARAM_UNIT"
echo "state:   ${state:-unknown}"
systemctl status --no-pager --lines=5 -- "$PARAM_UNIT" 2>&1 | head -n 12
[ "$state" = "active" ] || exit 3
