# SFT Fixer, repair: restarts sftd and enables it at boot. With PARAM_ENROLLMENT_TOKEN, re-enrolls:
# stops sftd, writes the token to /var/lib/sftd/enrollment.token (mode 0600), moves the old device
# token aside (device.token.old) and starts sftd, which enrolls with the new token. The token is
# never printed.
set -euo pipefail
export LC_ALL=C
dir=${PCMOPS_SFTD_DIR:-/var/lib/sftd}
fail() { echo "error: $*" >&2; exit 1; }

sftd=$(command -v sftd 2>/dev/null || true)
for candidate in /usr/sbin/sftd /usr/bin/sftd /opt/scaleft/bin/sftd; do
  [ -n "$sftd" ] && break
  if [ -x "$candidate" ]; then sftd=$candidate; fi
done
if [ -z "$sftd" ]; then
  echo "error: sftd (ScaleFT server tools) is not installed on $(uname -n); install scaleft-server-tools first" >&2
  exit 3
fi
if ! command -v systemctl >/dev/null 2>&1 || ! systemctl show -p Version >/dev/null 2>&1; then
  echo "error: systemd is not running on this host; cannot manage the sftd service" >&2
  exit 4
fi
echo "before:    $(systemctl is-active sftd 2>/dev/null || true)"

if [ -n "${PARAM_ENROLLMENT_TOKEN:-}" ]; then
  echo "re-enroll: stopping sftd, writing a new enrollment token, removing the device token"
  systemctl stop sftd || fail "systemctl stop sftd failed"
  mkdir -p -- "$dir"
  chmod 0700 -- "$dir"
  (
    umask 077
    printf '%s\n' "$PARAM_ENROLLMENT_TOKEN" > "$dir/enrollment.token.tmp"
  )
  chmod 0600 -- "$dir/enrollment.token.tmp"
  mv -f -- "$dir/enrollment.token.tmp" "$dir/enrollment.token"
  echo "token:     written to $dir/enrollment.token (0600)"
  if [ -e "$dir/device.token" ]; then
    mv -f -- "$dir/device.token" "$dir/device.token.old"
    echo "device:    old device token moved to $dir/device.token.old"
  fi
  systemctl start sftd || fail "systemctl start sftd failed; see journalctl -u sftd"
  echo "action:    started sftd to enroll"
else
  systemctl restart sftd || fail "systemctl restart sftd failed; see journalctl -u sftd"
  echo "action:    restarted sftd"
fi
if [ "$(systemctl is-enabled sftd 2>/dev/null || true)" != enabled ]; then
  systemctl enable sftd >/dev/null 2>&1 && echo "enabled:   sftd now starts at boot" || echo "note: could not enable sftd at boot"
fi
echo "after:     $(systemctl is-active sftd 2>/dev/null || true)"
