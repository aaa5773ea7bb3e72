# Updates an installed package non-interactively to the newest version, or to PARAM_VERSION
# (which must not be older than the installed one: use install to downgrade).
set -euo pipefail
# --- shared prelude (same in status.sh, install.sh, update.sh, check-installed.sh) ---
package=$PARAM_PACKAGE
version=${PARAM_VERSION:-}
export LC_ALL=C DEBIAN_FRONTEND=noninteractive

# The package manager: apt-get, dnf or yum (the first present one that answers --version).
pm=""
for candidate in apt-get dnf yum; do
  if command -v "$candidate" >/dev/null 2>&1 && "$candidate" --version >/dev/null 2>&1; then pm=$candidate; break; fi
done
if [ -z "$pm" ]; then
  echo "error: no supported package manager (apt-get, dnf, yum) on this host" >&2
  exit 4
fi

# Installed version, empty when the package is not installed (the newest, for install-only rpms).
installed_version() {
  local out
  if [ "$pm" = apt-get ]; then
    dpkg-query -W -f='${Status}\t${Version}\n' "$package" 2>/dev/null | awk -F '\t' '$1 ~ / installed$/ { print $2 }' || true
  elif out=$(rpm -q --qf '%{VERSION}-%{RELEASE}\n' "$package" 2>/dev/null); then
    printf '%s\n' "$out" | sort -V | tail -n 1 || true
  fi
}

# The version the repositories would install (apt: the candidate; dnf/yum: the newest not installed).
candidate_version() {
  if [ "$pm" = apt-get ]; then
    apt-cache policy "$package" 2>/dev/null | awk '$1 == "Candidate:" && $2 != "(none)" { print $2; exit }' || true
  else
    "$pm" -q list available "$package" 2>/dev/null \
      | awk -v p="$package." 'index($1, p) == 1 { v = $2; sub(/^[0-9]+:/, "", v); print v }' | sort -V | tail -n 1 || true
  fi
}

# Whether installed version $1 is the requested version $2: equal, or $2 without the epoch and/or
# the release (1.22.1 matches 1:1.22.1-9).
version_matches() {
  local have=$1 want=$2
  case "$want" in *:*) ;; *) have=${have#*:} ;; esac
  [ "$have" = "$want" ] || case "$have" in "$want"-*) true ;; *) false ;; esac
}

# Newest version $1 and $2 (sort -V: close to, not exactly, dpkg and rpm ordering).
newest_of() { printf '%s\n%s\n' "${1#*:}" "${2#*:}" | sort -V | tail -n 1; }
# --- end of prelude ---

installed=$(installed_version)
if [ -z "$installed" ]; then
  echo "error: $package is not installed; use the install action" >&2
  exit 3
fi
if [ -n "$version" ] && version_matches "$installed" "$version"; then
  echo "$package is already at $installed; nothing to do"
  exit 0
fi
if [ -n "$version" ] && [ "$(newest_of "$installed" "$version")" = "${installed#*:}" ]; then
  echo "error: requested $version is older than the installed $installed; use the install action to downgrade" >&2
  exit 3
fi
echo "package:   $package${version:+ (to $version)}"
echo "manager:   $pm"
echo "before:    $installed"
if [ "$pm" = apt-get ]; then
  apt-get update -q >/dev/null 2>&1 || echo "note: apt-get update failed; using the package lists already on the host"
  spec=$package
  if [ -n "$version" ]; then
    exact=$(apt-cache madison "$package" 2>/dev/null | awk -F '|' '{ gsub(/ /, "", $2); print $2 }' \
      | while read -r v; do if version_matches "$v" "$version"; then echo "$v"; fi; done | sort -V | tail -n 1 || true)
    spec="$package=${exact:-$version}"
  fi
  echo "running:   apt-get install --only-upgrade $spec"
  apt-get install -y -q --only-upgrade -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "$spec" \
    || { echo "error: apt-get install --only-upgrade $spec failed" >&2; exit 1; }
else
  echo "running:   $pm upgrade $package${version:+-$version}"
  "$pm" upgrade -y "$package${version:+-$version}" || { echo "error: $pm upgrade $package failed" >&2; exit 1; }
fi
after=$(installed_version)
echo "after:     $after"
[ "$after" != "$installed" ] || echo "note: $package was already the newest version"
