# Validation: the unit is stopped (inactive, or failed: it exited uncleanly on stop) within
# PARAM_WAIT_SECONDS (default 30).
set -uo pipefail
unit=$PARAM_UNIT
deadline=$((SECONDS + ${PARAM_WAIT_SECONDS:-30}))
while :; do
  state=$(systemctl is-active -- "$unit" 2>/dev/null)
  case "$state" in
    inactive) echo "check:   $unit is inactive"; exit 0 ;;
    failed) echo "check:   $unit is stopped (failed: it did not exit cleanly)"; exit 0 ;;
  esac
  [ "$SECONDS" -ge "$deadline" ] && break
  sleep 1
done
echo "error: $unit is ${state:-unknown}, expected inactive" >&2
exit 1
