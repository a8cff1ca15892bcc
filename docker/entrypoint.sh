#!/bin/sh
# Starts the emulator in the container. A /fixtures volume that holds anything replaces the built-in fixtures,
# unless DVE_FIXTURES names another directory; arguments are passed on (e.g. --workers 8).
set -eu
if [ -z "${DVE_FIXTURES:-}" ] && [ -d /fixtures ] && [ -n "$(ls -A /fixtures 2>/dev/null)" ]; then
  export DVE_FIXTURES=/fixtures
fi
# JAVA_OPTS is split into words on purpose: it holds several JVM options
# shellcheck disable=SC2086
exec java ${JAVA_OPTS:-} -jar /opt/dve/dataverse-emulator.jar "$@"
