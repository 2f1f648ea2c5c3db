#!/bin/sh
# Entrypoint of the curl image, with the behaviour of curl/curl-container's etc/entrypoint.sh: an option as first
# argument, or a first argument that is no command, means curl's arguments; anything else runs as given.
set -e

if [ "${1#-}" != "$1" ] || [ -z "$(command -v "$1")" ]; then
  set -- curl "$@"
fi

exec "$@"
