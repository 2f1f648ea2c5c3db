#!/usr/bin/env bash
# Shared by the image scripts: the tier's cache and versions (../build/lib.sh), the image cache, timing.
# shellcheck source=../build/lib.sh
. "$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/build/lib.sh"
export IMAGES_DIR="$E2E_ROOT/images"
# Base rootfs layers and finished OCI archives (outside the repository, like the binaries).
E2E_IMAGES="$E2E_CACHE/images"
mkdir -p "$E2E_IMAGES"
# The one tar recipe for every layer (oci-image.py packs directories the same way): sorted names, one fixed mtime,
# numeric owners, pax headers without atime/ctime or process ids, and of the extended attributes only file
# capabilities (security.capability, which containerd applies), so the same tree always gives the same bytes.
# layer_tar DIR OUT.tar [MTIME]: every entry gets MTIME (default 0); MTIME "keep" keeps each file's own mtime
# (the Debian base: Python's .pyc files are checked against their sources' mtimes).
layer_tar() {
  local mtime=(--mtime=@"${3:-0}")
  if [ "${3:-}" = keep ]; then mtime=(); fi
  tar --create --file "$2" --directory "$1" --sort=name --format=posix \
    --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime --numeric-owner "${mtime[@]}" \
    --no-acls --no-selinux --xattrs --xattrs-include=security.capability .
  sha256sum "$2" | cut -d' ' -f1 > "$2.sha256"
}
# timed LABEL CMD...: runs CMD and logs its wall time.
timed() {
  local label=$1 start end
  shift
  start=$(date +%s)
  "$@"
  end=$(date +%s)
  log "TIME $label: $((end - start))s"
}
# upstream_version DEBIAN_VERSION: 5:7.0.15-1~deb12u10 -> 7.0.15 (no epoch, no Debian revision).
upstream_version() {
  local v=${1#*:}
  printf '%s\n' "${v%-*}"
}
