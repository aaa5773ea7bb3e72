# SFT Fixer, detect: is the ScaleFT server agent (sftd) installed, which version, is its service
# running and enabled, is the host enrolled (a device token in /var/lib/sftd). Changes nothing.
# Exit 3 when sftd is not installed (nothing to repair); otherwise 0 with a health verdict.
set -uo pipefail
export LC_ALL=C
dir=${PCMOPS_SFTD_DIR:-/var/lib/sftd}
problems=()

sftd=$(command -v sftd 2>/dev/null)
for candidate in /usr/sbin/sftd /usr/bin/sftd /opt/scaleft/bin/sftd; do
  [ -n "$sftd" ] && break
  [ -x "$candidate" ] && sftd=$candidate
done
if [ -z "$sftd" ]; then
  echo "installed: no"
  echo "error: sftd (ScaleFT server tools) is not installed on $(uname -n)" >&2
  exit 3
fi
package=$(dpkg-query -W -f='${Version}' scaleft-server-tools 2>/dev/null || rpm -q --qf '%{VERSION}-%{RELEASE}' scaleft-server-tools 2>/dev/null || true)
case "$package" in *"not installed"*) package="" ;; esac
echo "installed: yes, $sftd"
echo "version:   $("$sftd" --version 2>&1 | head -n 1)"
[ -n "$package" ] && echo "package:   scaleft-server-tools $package"
if [ -f /etc/sft/sftd.yaml ]; then echo "config:    /etc/sft/sftd.yaml"; else echo "config:    defaults (no /etc/sft/sftd.yaml)"; fi

if command -v systemctl >/dev/null 2>&1 && systemctl show -p Version >/dev/null 2>&1; then
  state=$(systemctl is-active sftd 2>/dev/null)
  enabled=$(systemctl is-enabled sftd 2>/dev/null)
  echo "service:   ${state:-unknown}, ${enabled:-not enabled}"
  [ "$state" = active ] || problems+=("the sftd service is ${state:-unknown}")
  [ "$enabled" = enabled ] || problems+=("the sftd service is not enabled at boot")
else
  echo "service:   unknown (systemd is not running on this host)"
  problems+=("systemd is not running: cannot check the sftd service")
fi

if [ -s "$dir/device.token" ]; then
  echo "enrolled:  yes (device token from $(date -r "$dir/device.token" '+%Y-%m-%d %H:%M'))"
elif [ -s "$dir/enrollment.token" ]; then
  echo "enrolled:  no; an enrollment token waits in $dir (sftd enrolls when it starts)"
  problems+=("not enrolled")
elif [ -d "$dir" ]; then
  echo "enrolled:  no (no device token in $dir)"
  problems+=("not enrolled: give an enrollment token to repair")
else
  echo "enrolled:  no ($dir does not exist)"
  problems+=("not enrolled: give an enrollment token to repair")
fi

log=$(journalctl -u sftd -n 5 --no-pager -q 2>/dev/null | tail -n 5)
if [ -n "$log" ]; then echo "log:"; printf '%s\n' "$log" | sed 's/^/  /'; fi

if [ ${#problems[@]} -eq 0 ]; then
  echo "health:    OK"
else
  echo "health:    NEEDS REPAIR: $(printf '%s; ' "${problems[@]}" | sed 's/; $//')"
fi
exit 0
