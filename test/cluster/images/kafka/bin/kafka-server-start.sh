#!/bin/bash
# Starts a Kafka server (kafka.Kafka) as Apache Kafka's bin/kafka-server-start.sh does: the server's log4j2.yaml
# and a 1G heap unless KAFKA_LOG4J_OPTS / KAFKA_HEAP_OPTS say otherwise, EXTRA_ARGS (default
# "-name kafkaServer -loggc") passed to kafka-run-class.sh, and -daemon.
if [ $# -lt 1 ]; then
  echo "USAGE: $0 [-daemon] server.properties [--override property=value]*"
  exit 1
fi
base_dir=$(dirname "$0")
if [ -z "${KAFKA_LOG4J_OPTS:-}" ]; then
  export KAFKA_LOG4J_OPTS="-Dlog4j2.configurationFile=$base_dir/../config/log4j2.yaml"
fi
if [ -z "${KAFKA_HEAP_OPTS:-}" ]; then
  export KAFKA_HEAP_OPTS="-Xmx1G -Xms1G"
fi
EXTRA_ARGS=${EXTRA_ARGS-'-name kafkaServer -loggc'}
if [ "$1" = -daemon ]; then
  EXTRA_ARGS="-daemon $EXTRA_ARGS"
  shift
fi
# EXTRA_ARGS is a list of flags.
# shellcheck disable=SC2086
exec "$base_dir/kafka-run-class.sh" $EXTRA_ARGS kafka.Kafka "$@"
