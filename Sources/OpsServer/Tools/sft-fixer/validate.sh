# Validation after repair: within PARAM_WAIT_SECONDS (default 60) the sftd service is active and
# the host is enrolled (a device token in /var/lib/sftd).
set -uo pipefail
dir=${PCMOPS_SFTD_DIR:-/var/lib/sftd}
deadline=$((SECONDS + ${PARAM_WAIT_SECONDS:-60}))
while :; do
  state=$(systemctl is-active sftd 2>/dev/null)
  if [ "$state" = active ] && [ -s "$dir/device.token" ]; then
    echo "check:     sftd is active and enrolled"
    exit 0
  fi
  [ "$state" = failed ] || [ "$SECONDS" -ge "$deadline" ] && break
  sleep 2
done
if [ "$state" != active ]; then
  echo "error: sftd is ${state:-unknown}, expected active" >&2
else
  echo "error: sftd is active but not enrolled: no device token in $dir after ${PARAM_WAIT_SECONDS:-60}s (check the enrollment token)" >&2
fi
journalctl -u sftd -n 10 --no-pager -q 2>/dev/null | tail -n 10 >&2
exit 1
