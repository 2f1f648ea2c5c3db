#!/bin/sh
# Entrypoint of the redis image, with the behaviour of the official image's docker-entrypoint.sh (docker-library/redis
# 7.0/debian): options or a *.conf file as first argument mean redis-server; started as root for redis-server, it
# hands the working directory (/data) to the redis user and re-runs itself as redis through gosu; a default umask
# of 0022 becomes 0077 so dump files are private.
set -e

case "$1" in
  -*|*.conf) set -- redis-server "$@" ;;
esac

if [ "$1" = redis-server ] && [ "$(id -u)" = 0 ]; then
  find . \! -user redis -exec chown redis '{}' +
  exec gosu redis "$0" "$@"
fi

if [ "$(umask)" = 0022 ]; then
  umask 0077
fi

exec "$@"
