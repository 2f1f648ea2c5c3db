#!/bin/bash
# Stops the Kafka servers of this machine (or container) as Apache Kafka's bin/kafka-server-stop.sh does:
# SIGTERM (a controlled shutdown) to every java process running kafka.Kafka, or the one with --process-role / --node-id.
SIGNAL=${SIGNAL:-TERM}
filter=
case "${1:-}" in
  --process-role) filter="process.roles=${2:-}" ;;
  --node-id) filter="node.id=${2:-}" ;;
esac
pids=()
for pid in $(pgrep -f 'java.*kafka\.Kafka' || true); do
  if [ -z "$filter" ]; then pids+=("$pid"); continue; fi
  config=$(tr '\0' '\n' < "/proc/$pid/cmdline" | grep -E '\.properties$' | tail -n 1)
  if [ -n "$config" ] && grep -qE "^${filter}\$" "$config"; then pids+=("$pid"); fi
done
if [ ${#pids[@]} -eq 0 ]; then
  echo "No kafka server to stop"
  exit 1
fi
kill -s "$SIGNAL" "${pids[@]}"
