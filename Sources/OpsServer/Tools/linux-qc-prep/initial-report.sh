# QC patching prep, initial report: OS, kernel, uptime, disk space, pending updates, failed units,
# listening ports and running services. Saves what the post-patching checks compare against under
# $QC (/var/tmp/pcm-ops/qc): services-before.txt, failed-before.txt, ports-before.txt,
# pending-updates.txt, prep-info.txt. Probes that cannot run here are notes, not failures.
set -uo pipefail
export LC_ALL=C
qc=${PCMOPS_STATE_DIR:-/var/tmp/pcm-ops}/qc
refresh=${PARAM_REFRESH:-true}
section() { printf '\n== %s\n' "$1"; }
note() { echo "note: $*"; }

# The state directory is under /var/tmp: refuse a symlink or a directory someone else owns.
if ! mkdir -p -- "$qc"; then echo "error: cannot create $qc" >&2; exit 1; fi
for part in "$(dirname -- "$qc")" "$qc"; do
  if [ -L "$part" ] || [ "$(stat -c %u -- "$part")" != "$(id -u)" ]; then
    echo "error: $part is a symlink or not owned by $(id -un); refusing to keep the QC snapshot there" >&2
    exit 1
  fi
done
# Files are replaced whole (write to .tmp, then rename) so a reader never sees half a snapshot.
save() { cat > "$qc/$1.tmp" && mv -f -- "$qc/$1.tmp" "$qc/$1"; }

section "Host"
os=$( (. /etc/os-release 2>/dev/null && echo "${PRETTY_NAME:-$NAME $VERSION_ID}") || cat /etc/redhat-release 2>/dev/null || echo unknown)
read -r up _ < /proc/uptime; up=${up%.*}
booted=$(date -d "@$(( $(date +%s) - up ))" '+%Y-%m-%d %H:%M' 2>/dev/null || echo "?")
echo "host:     $(uname -n)"
echo "os:       $os"
echo "kernel:   $(uname -r) ($(uname -m))"
echo "uptime:   $(( up / 86400 ))d $(( up % 86400 / 3600 ))h $(( up % 3600 / 60 ))m (booted $booted)"
{
  echo "prepared_at=$(date '+%Y-%m-%d %H:%M:%S %z')"
  echo "host=$(uname -n)"
  echo "os=$os"
  echo "kernel=$(uname -r)"
  echo "boot_id=$(cat /proc/sys/kernel/random/boot_id 2>/dev/null)"
} | save prep-info.txt

section "Disk space"
{ df -hP -x tmpfs -x devtmpfs -x squashfs -x overlay 2>/dev/null || df -hP; } | awk '
  NR == 1 { printf "%-28s %6s %6s %6s %s\n", "MOUNT", "SIZE", "USED", "AVAIL", "USE%"; next }
  { flag = ($5 + 0 >= 90) ? "  <-- above 90%" : ""; printf "%-28s %6s %6s %6s %s%s\n", $6, $2, $3, $4, $5, flag }'
boot_free=$(df -Pk /boot 2>/dev/null | awk 'NR == 2 { print int($4 / 1024) }')
[ -n "$boot_free" ] && [ "$boot_free" -lt 200 ] && note "/boot has only ${boot_free} MB free; a new kernel needs about 100-300 MB"

section "Pending updates"
pm=""
for candidate in apt-get dnf yum; do
  if command -v "$candidate" >/dev/null 2>&1 && "$candidate" --version >/dev/null 2>&1; then pm=$candidate; break; fi
done
case "$pm" in
  apt-get)
    if [ "$refresh" = true ]; then
      if [ "$(id -u)" = 0 ]; then
        apt-get update -q >/dev/null 2>&1 || note "apt-get update failed; counting from the package lists already on the host"
      else
        note "not root: package lists not refreshed"
      fi
    fi
    apt-get -s -o Debug::NoLocking=1 dist-upgrade 2>/dev/null | awk '$1 == "Inst" { print $2, $0 ~ /[Ss]ecurity/ ? "security" : "" }' | save pending-updates.txt ;;
  dnf|yum)
    flags=(-q); [ "$refresh" = true ] && [ "$pm" = dnf ] && flags+=(--refresh)
    "$pm" "${flags[@]}" check-update 2>/dev/null \
      | awk '/^(Obsoleting|Security:)/ { exit } NF == 3 && $1 ~ /\./ { n = $1; sub(/\.[^.]*$/, "", n); print n, ($3 ~ /[Ss]ecurity/ ? "security" : "") }' \
      | save pending-updates.txt ;;
  *) note "no apt-get, dnf or yum on this host: pending updates unknown"; : | save pending-updates.txt ;;
esac
if [ -n "$pm" ]; then
  pending=$(grep -c . "$qc/pending-updates.txt")
  security=$(grep -c ' security$' "$qc/pending-updates.txt")
  extra=""; [ "$security" -gt 0 ] && extra=" ($security from security repositories)"
  echo "pending:  $pending package(s) via $pm$extra"
  if [ "$pending" -gt 0 ]; then
    awk '{ print $1 }' "$qc/pending-updates.txt" | head -n 30 | paste -sd ' ' - | fold -s -w 100 | sed 's/^/  /'
    [ "$pending" -gt 30 ] && echo "  … and $(( pending - 30 )) more"
  fi
fi

section "Failed systemd units"
systemd=false
if command -v systemctl >/dev/null 2>&1 && systemctl show -p Version >/dev/null 2>&1; then systemd=true; fi
if [ "$systemd" = true ]; then
  systemctl list-units --state=failed --no-legend --no-pager 2>/dev/null \
    | awk '{ u = $1; if (u == "●" || u == "*") u = $2; if (u != "") print u }' | sort -u | save failed-before.txt
  failed=$(grep -c . "$qc/failed-before.txt")
  echo "failed:   $failed unit(s)"
  sed 's/^/  /' "$qc/failed-before.txt"
else
  rm -f -- "$qc/failed-before.txt"
  note "systemd is not running on this host: no unit checks and no service snapshot"
fi

section "Listening ports"
if command -v ss >/dev/null 2>&1; then
  ss -ltnup 2>/dev/null | awk 'NR > 1 {
      proc = "-"; if (match($0, /users:\(\("[^"]+"/)) proc = substr($0, RSTART + 9, RLENGTH - 10)
      print $1, $5, proc }' | sort -u | save ports-before.txt
elif command -v netstat >/dev/null 2>&1; then
  netstat -ltnup 2>/dev/null | awk '$1 ~ /^(tcp|udp)/ { proc = $NF; sub(/^[0-9]+\//, "", proc); print $1, $4, proc }' \
    | sort -u | save ports-before.txt
else
  rm -f -- "$qc/ports-before.txt"
  note "neither ss nor netstat is installed: listening ports unknown"
fi
if [ -s "$qc/ports-before.txt" ]; then
  echo "listening: $(grep -c . "$qc/ports-before.txt") socket(s)"
  awk '{ printf "  %-5s %-28s %s\n", $1, $2, $3 }' "$qc/ports-before.txt"
fi

section "Running services"
if [ "$systemd" = true ]; then
  systemctl list-units --type=service --state=running --no-legend --no-pager 2>/dev/null \
    | awk '{ u = $1; if (u == "●" || u == "*") u = $2; if (u != "") print u }' | sort -u | save services-before.txt
  echo "running:  $(grep -c . "$qc/services-before.txt") service(s); snapshot saved to $qc/services-before.txt"
  sed 's/\.service$//' "$qc/services-before.txt" | paste -sd ' ' - | fold -s -w 100 | sed 's/^/  /'
else
  rm -f -- "$qc/services-before.txt"
  note "systemd is not running: no service snapshot saved"
fi

section "Staged kernel"
echo "staged:   not yet (the stage-kernel step downloads the newest kernel without installing it)"
exit 0
