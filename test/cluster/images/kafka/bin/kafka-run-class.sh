#!/bin/bash
# Runs one Kafka main class on the classpath of this installation (/opt/kafka/libs), with the environment handling
# of Apache Kafka's own bin/kafka-run-class.sh (4.x): KAFKA_HEAP_OPTS, KAFKA_JVM_PERFORMANCE_OPTS, KAFKA_GC_LOG_OPTS,
# KAFKA_JMX_OPTS and JMX_PORT, KAFKA_LOG4J_OPTS and LOG_DIR, KAFKA_OPTS, KAFKA_DEBUG, JAVA_HOME, and the
# -daemon / -name NAME / -loggc flags. Written for the cluster test tier's image; the jars come from Maven Central.
if [ $# -lt 1 ]; then
  echo "USAGE: $0 [-daemon] [-name servicename] [-loggc] classname [opts]"
  exit 1
fi

base_dir=$(cd "$(dirname "$0")/.." && pwd)

# Every jar of the release layout, less the ones the distribution's script leaves out.
INCLUDE_TEST_JARS=${INCLUDE_TEST_JARS:-false}
exclude='(-(test|test-sources|src|scaladoc|javadoc)\.jar|jar.asc|connect-file.*\.jar)$'
shopt -s nullglob
for file in "$base_dir"/libs/*; do
  if [ "$INCLUDE_TEST_JARS" = true ] || ! [[ $file =~ $exclude ]]; then
    CLASSPATH="${CLASSPATH:-}:$file"
  fi
done
shopt -u nullglob
CLASSPATH=${CLASSPATH#:}
if [ -z "$CLASSPATH" ]; then
  echo "Classpath is empty: no jars in $base_dir/libs" >&2
  exit 1
fi

# JMX settings (a JMX_PORT also sets the RMI port, for access from outside a container).
if [ -z "${KAFKA_JMX_OPTS:-}" ]; then
  KAFKA_JMX_OPTS="-Dcom.sun.management.jmxremote=true -Dcom.sun.management.jmxremote.authenticate=false -Dcom.sun.management.jmxremote.ssl=false"
fi
if [ -n "${JMX_PORT:-}" ]; then
  KAFKA_JMX_OPTS="$KAFKA_JMX_OPTS -Dcom.sun.management.jmxremote.port=$JMX_PORT"
  if [[ $KAFKA_JMX_OPTS != *-Dcom.sun.management.jmxremote.rmi.port=* ]]; then
    KAFKA_JMX_OPTS="$KAFKA_JMX_OPTS -Dcom.sun.management.jmxremote.rmi.port=$JMX_PORT"
  fi
fi

LOG_DIR=${LOG_DIR:-$base_dir/logs}

# Log4j 2: a tool logs to the console with config/tools-log4j2.yaml; given options (a server) get their log dir made.
if [ -z "${KAFKA_LOG4J_OPTS:-}" ]; then
  KAFKA_LOG4J_OPTS="-Dlog4j2.configurationFile=$base_dir/config/tools-log4j2.yaml"
else
  if [[ $KAFKA_LOG4J_OPTS =~ log4j\.[^[:space:]]+(\.properties|\.xml)$ ]]; then
    # A Log4j 1.x file: Log4j 2 reads it in its 1.x compatibility mode (log4j-1.2-api is in libs/).
    export LOG4J_COMPATIBILITY=true
    echo "DEPRECATED: A Log4j 1.x configuration file has been detected, which is no longer recommended." >&2
    echo "To use a Log4j 2.x configuration, please see https://logging.apache.org/log4j/2.x/migrate-from-log4j1.html#Log4j2ConfigurationFormat for details about Log4j configuration file migration." >&2
    echo "You can also use the \$KAFKA_HOME/config/tool-log4j2.yaml file as a starting point. Make sure to remove the Log4j 1.x configuration after completing the migration." >&2
  fi
  mkdir -p "$LOG_DIR"
fi
KAFKA_LOG4J_CMD_OPTS="-Dkafka.logs.dir=$LOG_DIR $KAFKA_LOG4J_OPTS"

KAFKA_OPTS=${KAFKA_OPTS:-}
if [ -n "${KAFKA_DEBUG:-}" ]; then
  JAVA_DEBUG_PORT=${JAVA_DEBUG_PORT:-5005}
  JAVA_DEBUG_OPTS=${JAVA_DEBUG_OPTS:-"-agentlib:jdwp=transport=dt_socket,server=y,suspend=${DEBUG_SUSPEND_FLAG:-n},address=$JAVA_DEBUG_PORT"}
  echo "Enabling Java debug options: $JAVA_DEBUG_OPTS"
  KAFKA_OPTS="$JAVA_DEBUG_OPTS $KAFKA_OPTS"
fi

if [ -z "${JAVA_HOME:-}" ]; then JAVA=java; else JAVA="$JAVA_HOME/bin/java"; fi
KAFKA_HEAP_OPTS=${KAFKA_HEAP_OPTS:-"-Xmx256M"}
KAFKA_JVM_PERFORMANCE_OPTS=${KAFKA_JVM_PERFORMANCE_OPTS:-"-server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent -XX:MaxInlineLevel=15 -Djava.awt.headless=true"}

DAEMON_MODE=false
GC_LOG_ENABLED=false
DAEMON_NAME=
CONSOLE_OUTPUT_FILE=/dev/null
while [ $# -gt 0 ]; do
  case $1 in
    -name) DAEMON_NAME=$2; CONSOLE_OUTPUT_FILE=$LOG_DIR/$DAEMON_NAME.out; shift 2 ;;
    -loggc) if [ -z "${KAFKA_GC_LOG_OPTS:-}" ]; then GC_LOG_ENABLED=true; fi; shift ;;
    -daemon) DAEMON_MODE=true; shift ;;
    *) break ;;
  esac
done

if [ "$GC_LOG_ENABLED" = true ]; then
  KAFKA_GC_LOG_OPTS="-Xlog:gc*:file=$LOG_DIR/$DAEMON_NAME-gc.log:time,tags:filecount=10,filesize=100M"
fi

# The *_OPTS variables are lists of JVM options: word splitting is how they are meant to be read.
# shellcheck disable=SC2086
if [ "$DAEMON_MODE" = true ]; then
  nohup "$JAVA" $KAFKA_HEAP_OPTS $KAFKA_JVM_PERFORMANCE_OPTS ${KAFKA_GC_LOG_OPTS:-} $KAFKA_JMX_OPTS $KAFKA_LOG4J_CMD_OPTS -cp "$CLASSPATH" $KAFKA_OPTS "$@" > "$CONSOLE_OUTPUT_FILE" 2>&1 < /dev/null &
else
  exec "$JAVA" $KAFKA_HEAP_OPTS $KAFKA_JVM_PERFORMANCE_OPTS ${KAFKA_GC_LOG_OPTS:-} $KAFKA_JMX_OPTS $KAFKA_LOG4J_CMD_OPTS -cp "$CLASSPATH" $KAFKA_OPTS "$@"
fi
