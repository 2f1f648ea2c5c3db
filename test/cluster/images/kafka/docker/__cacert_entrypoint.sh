#!/bin/sh
# The entrypoint of the official image's Java base (eclipse-temurin): with USE_SYSTEM_CA_CERTS set it would add the
# certificates under /certificates to the JVM's trust store; here the JVM already trusts the system store
# (Debian's ca-certificates-java), so it only runs the command.
set -e
if [ -n "${USE_SYSTEM_CA_CERTS:-}" ] && [ -d /certificates ] && [ "$(id -u)" = 0 ]; then
  for cert in /certificates/*.crt; do
    [ -e "$cert" ] || continue
    cp "$cert" /usr/local/share/ca-certificates/ && update-ca-certificates >/dev/null
  done
fi
exec "$@"
