#!/usr/bin/env bash
# Surefire's test JVM. It must be a JDK 21+ (found like test-cluster does), and OpenSearch's test bootstrap refuses root:
# as root, the JVM runs in a user namespace where it is uid 1000, which needs no user account and no chown.
set -euo pipefail
if [[ -z ${REAL_JAVA:-} ]]; then
    # shellcheck source=../../../test-cluster/lib/common.sh
    . "$(dirname "$0")/../../../test-cluster/lib/common.sh"
    REAL_JAVA=$(find_jdk)/bin/java
fi
for arg in "$@"; do
    # surefire points java.io.tmpdir into target/; the JVM does not create it
    [[ $arg == -Djava.io.tmpdir=* ]] && mkdir -p "${arg#-Djava.io.tmpdir=}"
done
if [[ $(id -u) == 0 ]]; then
    exec unshare -U --map-user=1000 --map-group=1000 -- "$REAL_JAVA" "$@"
fi
exec "$REAL_JAVA" "$@"
