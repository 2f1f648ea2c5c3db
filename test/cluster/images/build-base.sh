#!/usr/bin/env bash
# Builds the one Debian rootfs layer that the tier's images share: debootstrap --variant=minbase bookworm from the
# host's own Debian mirror, then the images' packages installed in a chroot, apt caches removed.
# Cached under $E2E_IMAGES/base-<hash of the package list, suite and sources>/, so a second run rebuilds nothing.
# Prints the cache folder on stdout: layer.tar (the layer), versions.env (installed package versions), passwd, group.
# shellcheck source=common.sh
. "$(dirname "$0")/common.sh"

SUITE=bookworm
# What the images run (their entrypoints need bash, coreutils, findutils, getent, awk, sed, grep, timeout, gzip).
PACKAGES=(
  awscli bash ca-certificates coreutils curl findutils gosu groff-base gzip hostname jq less locales
  netcat-openbsd openjdk-17-jre-headless procps redis-server redis-tools tar tzdata
)
# The Kafka image's Java base (eclipse-temurin) sets LANG/LC_ALL=en_US.UTF-8: that locale must exist.
LOCALES='en_US.UTF-8 UTF-8'
# The redis user exists before redis-server is installed, with the official image's ids (docker-library/redis:
# `groupadd -r -g 999 redis; useradd -r -g redis -u 999 redis`), so the package's files belong to 999:999.
PRE_USERS='groupadd -r -g 999 redis && useradd -r -g redis -u 999 redis'
RECIPE=4 # bump when the steps below change what ends up in the layer

# The host's Debian sources (deb.debian.org, bookworm, bookworm-updates, bookworm-security): the chroot uses the
# very same file, so it gets the same package versions as the host.
HOST_SOURCES=/etc/apt/sources.list.d/debian.sources
[ -f "$HOST_SOURCES" ] || die "base: no $HOST_SOURCES to take the Debian mirror from"
MIRROR=$(awk '/^URIs:/ && $2 !~ /security/ { print $2; exit }' "$HOST_SOURCES")
[ -n "$MIRROR" ] || die "base: no Debian mirror in $HOST_SOURCES"

mapfile -t SORTED < <(printf '%s\n' "${PACKAGES[@]}" | sort -u)
key=$( { echo "recipe=$RECIPE suite=$SUITE mirror=$MIRROR"; echo "users=$PRE_USERS"; echo "locales=$LOCALES"; printf '%s\n' "${SORTED[@]}";
  grep -v '^#' "$HOST_SOURCES"; } | sha256sum | cut -c1-16)
out="$E2E_IMAGES/base-$key"
if [ -f "$out/layer.tar" ] && [ -f "$out/versions.env" ]; then
  log "base: cached in $out"
  echo "$out"
  exit 0
fi

exec {lock_fd}>"$E2E_IMAGES/.build-base.lock"
flock -n "$lock_fd" || { log "base: waiting for another build-base.sh"; flock "$lock_fd"; }
if [ -f "$out/layer.tar" ] && [ -f "$out/versions.env" ]; then
  log "base: built meanwhile in $out"
  echo "$out"
  exit 0
fi
command -v debootstrap >/dev/null || { log "base: installing debootstrap"; DEBIAN_FRONTEND=noninteractive apt-get install -y debootstrap >/dev/null; }

work="$E2E_IMAGES/.base-$key.work"
root="$work/rootfs"
cleanup() {
  for m in "$root/proc" "$root/sys" "$root/dev/pts"; do
    if mountpoint -q "$m" 2>/dev/null; then umount -l "$m" || true; fi
  done
}
trap cleanup EXIT
cleanup
rm -rf "$work"
mkdir -p "$work"

start=$(date +%s)
log "base: debootstrap --variant=minbase $SUITE from $MIRROR"
debootstrap --variant=minbase "$SUITE" "$root" "$MIRROR" > "$work/debootstrap.log" 2>&1 ||
  { tail -n 30 "$work/debootstrap.log" >&2; die "base: debootstrap (log: $work/debootstrap.log)"; }
log "TIME base debootstrap: $(($(date +%s) - start))s"

step=$(date +%s)
mount -t proc proc "$root/proc"
mount -t sysfs sys "$root/sys"
mount -t devpts devpts "$root/dev/pts" -o newinstance,ptmxmode=0666 || true
rm -f "$root/etc/apt/sources.list"
cp "$HOST_SOURCES" "$root/etc/apt/sources.list.d/debian.sources"
cp /etc/resolv.conf "$root/etc/resolv.conf"
# No service starts inside the chroot (redis-server's postinst would try).
printf '#!/bin/sh\nexit 101\n' > "$root/usr/sbin/policy-rc.d"
chmod 755 "$root/usr/sbin/policy-rc.d"
# As the official images do: no recommends, no docs or man pages beyond what is needed.
cat > "$root/etc/apt/apt.conf.d/90images" <<'APT'
APT::Install-Recommends "false";
APT::Install-Suggests "false";
APT
log "base: installing ${SORTED[*]}"
chroot "$root" /bin/sh -c "$PRE_USERS" || die "base: creating the redis user"
if ! chroot "$root" /usr/bin/env DEBIAN_FRONTEND=noninteractive LC_ALL=C /bin/sh -c \
  "apt-get update && apt-get install -y ${SORTED[*]}" > "$work/install.log" 2>&1; then
  tail -n 40 "$work/install.log" >&2
  die "base: apt-get install in the chroot (log: $work/install.log)"
fi
printf '%s\n' "$LOCALES" > "$root/etc/locale.gen"
chroot "$root" locale-gen >> "$work/install.log" 2>&1 || die "base: locale-gen (log: $work/install.log)"
log "TIME base packages: $(($(date +%s) - step))s"

# Versions of what the images claim, read from dpkg before its tools are left alone.
{
  for p in redis-server redis-tools curl awscli openjdk-17-jre-headless gosu jq; do
    # shellcheck disable=SC2016 # ${Version} is dpkg-query's field, not a shell expansion
    v=$(chroot "$root" dpkg-query -W -f='${Version}' "$p") || die "base: $p is not installed"
    printf '%s=%s\n' "$(echo "$p" | tr 'a-z-' 'A-Z_')_DEB" "$v"
  done
} > "$work/versions.env"

cleanup
# Caches, lists, logs and per-machine files out: they are not part of any image.
rm -f "$root/usr/sbin/policy-rc.d" "$root/etc/apt/apt.conf.d/90images"
rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/* "$root"/var/cache/debconf/*-old \
  "$root"/var/lib/dpkg/*-old "$root"/var/log/* "$root"/tmp/* "$root"/var/tmp/* "$root"/root/.cache \
  "$root"/usr/share/doc/* "$root"/usr/share/man/* "$root"/usr/share/info/*
: > "$root/etc/resolv.conf"
: > "$root/etc/machine-id" 2>/dev/null || true
printf '%s\n' "$SUITE" > "$root/etc/hostname"

step=$(date +%s)
layer_tar "$root" "$work/layer.tar" keep
cp "$root/etc/passwd" "$work/passwd"
cp "$root/etc/group" "$work/group"
echo "MIRROR=$MIRROR" >> "$work/versions.env"
rm -rf "$root"
log "TIME base layer tar: $(($(date +%s) - step))s ($(du -h "$work/layer.tar" | cut -f1))"
rm -rf "$out"
mv "$work" "$out"
# A base of another package list is of no use any more (its compressed layer goes with build-images.sh's pruning).
find "$E2E_IMAGES" -maxdepth 1 -name 'base-*' ! -name "base-$key" -exec rm -rf {} +
log "TIME base total: $(($(date +%s) - start))s"
log "base: built into $out"
echo "$out"
