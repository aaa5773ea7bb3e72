# QC patching prep: finds the newest kernel the repositories offer and DOWNLOADS it without installing
# it (apt-get install --download-only; dnf/yum install --downloadonly), so that the patch window
# does not wait for the download. Records the result in $QC/staged-kernel.txt
# (QC: /var/tmp/pcm-ops/qc); the post-patching check compares the running kernel with it.
set -uo pipefail
export LC_ALL=C DEBIAN_FRONTEND=noninteractive
qc=${PCMOPS_STATE_DIR:-/var/tmp/pcm-ops}/qc
staged_file=$qc/staged-kernel.txt
note() { echo "note: $*"; }
fail() { echo "error: $*" >&2; exit 1; }

# The state directory is under /var/tmp: refuse a symlink or a directory someone else owns.
mkdir -p -- "$qc" || fail "cannot create $qc"
for part in "$(dirname -- "$qc")" "$qc"; do
  if [ -L "$part" ] || [ "$(stat -c %u -- "$part")" != "$(id -u)" ]; then
    fail "$part is a symlink or not owned by $(id -un); refusing to keep the QC state there"
  fi
done
rm -f -- "$staged_file"   # never leave an earlier run's answer behind

pm=""
for candidate in apt-get dnf yum; do
  if command -v "$candidate" >/dev/null 2>&1 && "$candidate" --version >/dev/null 2>&1; then pm=$candidate; break; fi
done
[ -n "$pm" ] || { echo "error: no supported package manager (apt-get, dnf, yum) on this host" >&2; exit 4; }

running=$(uname -r)
newer() { [ "$1" != "$2" ] && [ "$(printf '%s\n%s\n' "$1" "$2" | sort -V | tail -n 1)" = "$2" ]; }
echo "running:  $running"
echo "manager:  $pm"

if [ "$pm" = apt-get ]; then
  apt-get update -q >/dev/null 2>&1 || note "apt-get update failed; using the package lists already on the host"
  # Kernel images the installed meta packages (linux-image-amd64, linux-image-generic, …) point to.
  metas=$(dpkg-query -W -f='${Status}\t${Package}\n' 'linux-image-*' 2>/dev/null \
    | awk -F '\t' '$1 ~ / installed$/ && $2 !~ /^linux-image-(unsigned-)?[0-9]/ && $2 !~ /-dbg(sym)?$/ { print $2 }')
  images=""
  for meta in $metas; do
    images+=$(apt-cache depends "$meta" 2>/dev/null \
      | awk '{ sub(/^\|/, "", $1) } $1 == "Depends:" && $2 ~ /^linux-image-(unsigned-)?[0-9]/ { print $2 }')$'\n'
  done
  # Without a meta package: the newest image of the running kernel's flavour (6.1.0-18-amd64 -> amd64).
  if [ -z "${images//[[:space:]]/}" ]; then
    flavour=$(printf '%s\n' "$running" | sed -n 's/^[0-9]*\.[0-9]*\.[0-9]*-[0-9.]*-//p')
    if [ -z "$flavour" ]; then
      fail "cannot tell which kernel package this host uses: no linux-image meta package is installed and the running kernel $running has no Debian/Ubuntu flavour suffix"
    fi
    images=$(apt-cache search --names-only "^linux-image-[0-9]+\\.[0-9]+\\.[0-9]+-[0-9.]+-$flavour\$" 2>/dev/null | awk '{ print $1 }')
  fi
  # shellcheck disable=SC2086 # one package name per word
  package=$(printf '%s\n' $images | awk 'NF { r = $0; sub(/^linux-image-(unsigned-)?/, "", r); print r, $0 }' | sort -V -k1,1 | tail -n 1 | awk '{ print $2 }')
  [ -n "$package" ] || fail "no kernel image package found in the repositories (metas: ${metas:-none})"
  newest=$(printf '%s\n' "$package" | sed 's/^linux-image-\(unsigned-\)\{0,1\}//')
  version=$(apt-cache policy "$package" 2>/dev/null | awk '$1 == "Candidate:" { print $2; exit }')
  installed=$(dpkg-query -W -f='${Status}\n' "$package" 2>/dev/null | grep -c ' installed$')
else
  "$pm" -q makecache >/dev/null 2>&1 || note "$pm makecache failed; using the metadata already on the host"
  package=kernel
  arch=$(uname -m)
  available=$("$pm" -q list available kernel 2>/dev/null | awk 'index($1, "kernel.") == 1 { v = $2; sub(/^[0-9]+:/, "", v); print v }' | sort -V | tail -n 1)
  have=$(rpm -q --qf '%{VERSION}-%{RELEASE}\n' kernel 2>/dev/null | grep -v 'not installed' | sort -V)
  version=$(printf '%s\n%s\n' "$available" "$have" | grep . | sort -V | tail -n 1)
  [ -n "$version" ] || fail "no kernel package found in the repositories or installed"
  newest=$version.$arch
  installed=$(printf '%s\n' "$have" | grep -cxF -- "$version")
fi

echo "newest:   $newest ($package ${version:-?})"
if [ "$newest" = "$running" ] || newer "$newest" "$running"; then
  status=current
  staged=$running
  echo "staged:   nothing to download: the running kernel is the newest available"
elif [ "$installed" -gt 0 ]; then
  status=installed
  staged=$newest
  echo "staged:   $newest is already installed (not running yet: a reboot is pending)"
else
  status=downloaded
  staged=$newest
  echo "download: $package $version (download only, nothing is installed)"
  if [ "$pm" = apt-get ]; then
    out=$(apt-get install --download-only -y -q "$package" 2>&1) || { printf '%s\n' "$out" | tail -n 5 >&2; fail "apt-get could not download $package"; }
    where=/var/cache/apt/archives
  else
    out=$("$pm" install -y --downloadonly "kernel-$version" 2>&1) || { printf '%s\n' "$out" | tail -n 5 >&2; fail "$pm could not download kernel-$version"; }
    where="the $pm package cache (/var/cache/$pm)"
  fi
  printf '%s\n' "$out" | grep -E '^(Get:|Download|Downloading|The downloaded|\(|Total)' | tail -n 8 | sed 's/^/  /'
  echo "staged:   $newest downloaded to $where"
fi
{
  echo "running=$running"
  echo "staged=$staged"
  echo "package=$package"
  echo "version=$version"
  echo "status=$status"
  echo "manager=$pm"
  echo "staged_at=$(date '+%Y-%m-%d %H:%M:%S %z')"
} > "$staged_file.tmp" && mv -f -- "$staged_file.tmp" "$staged_file"
echo "record:   $staged_file"
