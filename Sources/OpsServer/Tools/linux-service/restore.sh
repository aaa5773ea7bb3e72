# Rollback: puts the unit back in the state saved before the change (UNIT.prev): started again when it
# was active, stopped when it was not. Fails when there is no saved state or the state is not reached.
set -uo pipefail
unit=$PARAM_UNIT
# The saved-state file is named after the full unit name (nginx -> nginx.service), as systemctl names it.
case "${unit##*.}" in
  service|socket|target|timer|mount|automount|path|slice|scope|swap|device) key=$unit ;;
  *) key=$unit.service ;;
esac
prev_file=${PCMOPS_STATE_DIR:-/var/tmp/pcm-ops}/linux-service/$key.prev
if [ ! -f "$prev_file" ]; then
  echo "error: no saved state for $unit ($prev_file); nothing to restore" >&2
  exit 1
fi
prev=$(head -n 1 "$prev_file")
now=$(systemctl is-active -- "$unit" 2>/dev/null)
echo "rollback: $unit was $prev before the change, is $now now"
case "$prev" in
  active|activating|reloading)
    want=active
    [ "$now" = active ] || systemctl start -- "$unit" ;;
  *)
    want=inactive
    case "$now" in
      inactive) ;;
      failed) systemctl reset-failed -- "$unit" ;;
      *) systemctl stop -- "$unit" ;;
    esac ;;
esac
final=$(systemctl is-active -- "$unit" 2>/dev/null)
if [ "$final" != "$want" ] && ! { [ "$want" = inactive ] && [ "$final" = failed ]; }; then
  echo "error: rollback could not restore $unit: it is $final, expected $want" >&2
  exit 1
fi
echo "rollback: $unit is $final again"
