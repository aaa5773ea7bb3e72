# Shared by the test doubles in bin/ (sourced). A double keeps all of its state under
# $PCMOPS_DOUBLES_STATE and never touches the real system; without that variable it refuses to run.
#
# State layout ($S = $PCMOPS_DOUBLES_STATE):
#   calls.log                      one line per call: double name, arguments (and noted env)
#   kernel-release                 what `uname -r` prints (else the real uname answers)
#   systemd/down                   present: systemctl behaves as on a host without systemd
#   systemd/units/<unit>           a known unit; content: active | inactive | failed
#   systemd/units/<unit>.fail      present: start/restart of the unit fails (unit ends failed)
#   systemd/units/<unit>.enabled   is-enabled answer (default: enabled)
#   pkg/manager                    apt (default) | dnf | yum: the other managers act as absent
#   pkg/installed/<name>           installed version(s), one per line (several: install-only rpms)
#   pkg/available/<name>           versions in the "repositories", one per line
#   pkg/depends/<name>             packages <name> depends on, one per line
#   pkg/archives/                  files "downloaded" by download-only installs
#   pkg/fail-install               present: install/upgrade fails
#   sftd/version                   what `sftd --version` reports (default 1.67.4)
#   sftd/enroll-fails              present: starting sftd does not enroll
#   sftd/<…>                       default sftd state dir when PCMOPS_SFTD_DIR is unset

set -u
DOUBLE=$(basename "$0")
if [ -z "${PCMOPS_DOUBLES_STATE:-}" ]; then
  echo "$DOUBLE (test double): PCMOPS_DOUBLES_STATE is not set; refusing to run" >&2
  exit 70
fi
S=$PCMOPS_DOUBLES_STATE
mkdir -p "$S"

double_log() {
  local line="$DOUBLE" arg
  for arg in "$@"; do line+=" $arg"; done
  printf '%s\n' "$line" >> "$S/calls.log"
}

# Package-manager family in use ("apt", "dnf" or "yum").
double_manager() { cat "$S/pkg/manager" 2>/dev/null || echo apt; }

# Exits as a missing command would when this double's family is not the one in use.
double_require_manager() {
  local m; m=$(double_manager)
  for want in "$@"; do [ "$m" = "$want" ] && return 0; done
  echo "$DOUBLE: command not found" >&2
  exit 127
}

# Newest of the versions on stdin.
double_newest() { sort -V | tail -n 1; }

pkg_installed() { [ -s "$S/pkg/installed/$1" ] && double_newest < "$S/pkg/installed/$1"; }
pkg_candidate() { [ -s "$S/pkg/available/$1" ] && double_newest < "$S/pkg/available/$1"; }
pkg_known() { [ -e "$S/pkg/installed/$1" ] || [ -e "$S/pkg/available/$1" ]; }
pkg_has_version() { [ -s "$S/pkg/available/$1" ] && grep -qxF -- "$2" "$S/pkg/available/$1"; }

# Records NAME at VERSION as installed (install-only packages such as kernels keep the others).
pkg_set_installed() {
  mkdir -p "$S/pkg/installed"
  case "$1" in
    kernel|kernel-core|kernel-modules) { cat "$S/pkg/installed/$1" 2>/dev/null; echo "$2"; } | sort -uV > "$S/pkg/installed/$1.new"
      mv "$S/pkg/installed/$1.new" "$S/pkg/installed/$1" ;;
    *) echo "$2" > "$S/pkg/installed/$1" ;;
  esac
}

# Puts NAME at VERSION (and its dependencies at their candidates) into pkg/archives.
pkg_download() {
  mkdir -p "$S/pkg/archives"
  local ext=$3
  echo "Get: test-double $1 $2"
  : > "$S/pkg/archives/$1_$2.$ext"
  if [ -s "$S/pkg/depends/$1" ]; then
    local dep
    while read -r dep; do
      [ -n "$dep" ] || continue
      local v; v=$(pkg_candidate "$dep") || continue
      [ "$(pkg_installed "$dep" || true)" = "$v" ] && continue
      echo "Get: test-double $dep $v"
      : > "$S/pkg/archives/${dep}_$v.$ext"
    done < "$S/pkg/depends/$1"
  fi
}
