#!/bin/sh
# Entrypoint of the minio image, with the behaviour of minio's dockerscripts/docker-entrypoint.sh: a first argument
# other than "minio" is minio's arguments; with MINIO_USERNAME and MINIO_GROUPNAME set (deprecated upstream) the
# server runs as that user (MINIO_UID:MINIO_GID, or a user 1000:1000 added for it), through chroot --userspec.
if [ "$1" != minio ] && [ -n "$1" ]; then
  set -- minio "$@"
fi

if [ -n "${MINIO_USERNAME:-}" ] && [ -n "${MINIO_GROUPNAME:-}" ]; then
  if [ -n "${MINIO_UID:-}" ] && [ -n "${MINIO_GID:-}" ]; then
    exec chroot --userspec="$MINIO_UID:$MINIO_GID" / "$@"
  fi
  echo "$MINIO_USERNAME:x:1000:1000:$MINIO_USERNAME:/:/sbin/nologin" >> /etc/passwd
  echo "$MINIO_GROUPNAME:x:1000" >> /etc/group
  exec chroot --userspec="$MINIO_USERNAME:$MINIO_GROUPNAME" / "$@"
fi

exec "$@"
