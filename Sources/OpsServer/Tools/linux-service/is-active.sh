# Validation: the unit becomes active within PARAM_WAIT_SECONDS (default 30); a failed unit fails at once.
set -uo pipefail
unit=$PARAM_UNIT
deadline=$((SECONDS + ${PARAM_WAIT_SECONDS:-30}))
while :; do
  state=$(systemctl is-active -- "$unit" 2>/dev/null)
  if [ "$state" = active ]; then
    echo "check:   $unit is active"
    exit 0
  fi
  if [ "$state" = failed ] || [ "$SECONDS" -ge "$deadline" ]; then break; fi
  sleep 1
done
echo "error: $unit is ${state:-unknown}, expected active" >&2
systemctl status --no-pager --lines=10 -- "$unit" 2>&1 | tail -n 12 >&2
exit 1
