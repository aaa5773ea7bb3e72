# Filesystem usage; exit 1 when any real filesystem is above PARAM_THRESHOLD percent.
set -u
threshold=${PARAM_THRESHOLD:-90}
{ df -P -x tmpfs -x devtmpfs -x squashfs -x overlay 2>/dev/null || df -P; } | awk -v limit="$threshold" '
  NR == 1 { printf "%-30s %6s %s\n", "MOUNT", "USED", "SIZE(KB)"; next }
  {
    used = $5; sub("%", "", used); flag = ""
    if (used + 0 > limit + 0) { flag = "  <-- above " limit "%"; bad = 1 }
    printf "%-30s %5s%% %s%s\n", $6, used, $2, flag
  }
  END { exit bad ? 1 : 0 }'
