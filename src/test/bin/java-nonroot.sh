#!/bin/sh
# OpenSearch's test bootstrap refuses root. As root, run the test JVM in a user namespace where it is uid 1000.
J="${REAL_JAVA:-java}"
if [ "$(id -u)" = "0" ]; then exec unshare -U --map-user=1000 --map-group=1000 -- "$J" "$@"; fi
exec "$J" "$@"
