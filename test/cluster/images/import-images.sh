#!/usr/bin/env bash
# Imports every built image (the archives build-images.sh lists in $E2E_IMAGES/current/images.txt) into the k8s.io
# namespace of one containerd, under the references the manifests use. Run it once per node's containerd.
# Layers are content-addressed: importing an image again, or a second image on the same base, stores nothing new.
#
#   import-images.sh <containerd-socket> [image...]     no image: every built one
# shellcheck source=common.sh
. "$(dirname "$0")/common.sh"

socket="${1:-}"
[ -n "$socket" ] || die "usage: import-images.sh <containerd-socket> [image...]"
shift
[ -S "$socket" ] || die "import: $socket is not a socket (is that containerd running?)"
list="$E2E_IMAGES/current/images.txt"
[ -f "$list" ] || die "import: no $list: run build-images.sh first"
command -v ctr >/dev/null || die "import: ctr is required (apt-get install containerd)"

wanted=" $* "
t0=$SECONDS
n=0
while read -r name ref; do
  [ -n "$name" ] || continue
  if [ $# -gt 0 ] && [[ $wanted != *" $name "* ]]; then continue; fi
  archive="$E2E_IMAGES/current/$name.tar"
  [ -e "$archive" ] || die "import: $name: no archive $archive"
  # The manifest digest oci-image.py wrote next to the archive: an image already there with it is left alone.
  digest="$(sed -n 's/.*"manifest": *"\([^"]*\)".*/\1/p' "$(readlink -f "$archive").json" 2>/dev/null || true)"
  present="$(ctr --address "$socket" -n k8s.io images ls | awk -v r="$ref" '$1 == r { print $3 }')"
  if [ -n "$digest" ] && [ "$present" = "$digest" ]; then
    log "import: $ref already there ($digest)"
    continue
  fi
  # --all-platforms: the archive holds one linux/amd64 manifest and no platform filter is wanted;
  # the name comes from the index's io.containerd.image.name annotation. ctr unpacks it for the default snapshotter.
  ctr --address "$socket" -n k8s.io images import --all-platforms "$archive" >/dev/null ||
    die "import: ctr images import $archive into $socket"
  present="$(ctr --address "$socket" -n k8s.io images ls | awk -v r="$ref" '$1 == r { print $3 }')"
  [ -n "$present" ] || die "import: $ref is not in $socket after the import"
  [ -z "$digest" ] || [ "$present" = "$digest" ] || die "import: $ref in $socket is $present, not the archive's $digest"
  n=$((n + 1))
  log "import: $ref ($present)"
done < "$list"
log "TIME import ($n images imported into $socket): $((SECONDS - t0))s"
