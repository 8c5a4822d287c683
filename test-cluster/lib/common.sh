# Sourced by the test-cluster scripts: shared paths, messages, the JDK lookup, HTTP and node bookkeeping.
# shellcheck shell=bash

# shellcheck disable=SC2034 # the constants are for the scripts that source this file
REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
OS_VERSION=3.6.0
DEFAULT_WORK_DIR=$REPO_ROOT/test-cluster/.work
DEFAULT_MODEL_DIR=${REPO_ROOT%/*}/shared/models/mini-clip-flickr8k
DEFAULT_IMAGES_DIR=${REPO_ROOT%/*}/shared/datasets/flickr8k-test1000-224/images

say() { printf '%s\n' "$*"; }

# die CODE LINE [MORE_LINES...]
die() {
    local code=$1
    printf 'error: %s\n' "$2" >&2
    shift 2
    (($# == 0)) || printf '  %s\n' "$@" >&2
    exit "$code"
}

need_command() {
    command -v "$1" >/dev/null || die 2 "'$1' is needed but not installed (apt-get install $2)"
}

# Absolute, symlink-free path of an existing folder or file.
abs_path() {
    if [[ -d $1 ]]; then
        (cd "$1" && pwd -P)
    else
        printf '%s/%s\n' "$(cd "$(dirname "$1")" && pwd -P)" "$(basename "$1")"
    fi
}

# Paths end up in opensearch.yml, jvm.options and sed expressions; refusing the odd characters
# up front is simpler than quoting them correctly for all three.
check_plain_path() {
    [[ $2 =~ ^[[:alnum:]\ ._/+@:=,~-]+$ ]] ||
        die 2 "$1 path [$2] has characters these scripts do not handle; use letters, digits, spaces and ._/+@:=,~-"
}

now_ms() { date +%s%3N; }

# Seconds since a now_ms stamp, with one decimal.
seconds_since() {
    local ms=$(($(now_ms) - $1))
    printf '%d.%d' $((ms / 1000)) $((ms % 1000 / 100))
}

# The "JAVA_VERSION" of a JDK's release file ("25.0.3"), empty when it has none.
jdk_version() {
    sed -n 's/^JAVA_VERSION="\(.*\)"$/\1/p' "$1/release" 2>/dev/null || true
}

jdk_major() {
    local v
    v=$(jdk_version "$1")
    v=${v#1.} # Java 8 and older call themselves 1.x
    v=${v%%[!0-9]*}
    printf '%s\n' "${v:-0}"
}

# Prints the home of a JDK 21+ (OpenSearch 3.x refuses older ones): JAVA_HOME when it
# qualifies, else the newest one in the usual install folders.
find_jdk() {
    if [[ -n ${JAVA_HOME:-} ]]; then
        if (($(jdk_major "$JAVA_HOME") >= 21)) && [[ -x $JAVA_HOME/bin/java ]]; then
            printf '%s\n' "$JAVA_HOME"
            return
        fi
        say "JAVA_HOME=$JAVA_HOME is not a JDK 21+; looking in /usr/lib/jvm, /usr/java, /opt/java" >&2
    fi
    local home best
    best=$(
        for home in /usr/lib/jvm/* /usr/java/* /opt/java/*; do
            if [[ -x $home/bin/java ]] && (($(jdk_major "$home") >= 21)); then
                printf '%s\t%s\n' "$(jdk_version "$home")" "$home"
            fi
        done | sort -V | tail -n 1 | cut -f 2
    )
    [[ -n $best ]] || die 2 "OpenSearch $OS_VERSION needs a JDK 21 or newer and none was found" \
        "(looked at JAVA_HOME, /usr/lib/jvm/*, /usr/java/*, /opt/java/*)." \
        "Install one, e.g. 'apt-get install temurin-21-jdk' (Adoptium apt repository), or set JAVA_HOME to a JDK 21+."
    printf '%s\n' "$best"
}

# The embedding size a model folder declares (projection_dim of a Hugging Face config.json, embed_dim of
# open_clip's, the text tower's hidden_size of a SigLIP one), empty when unknown.
# jq is not a hard dependency of start, hence the fallbacks.
model_dimension() {
    local config=$1/config.json
    [[ -f $config ]] || return 0
    if command -v jq >/dev/null; then
        jq -r '.projection_dim // .embed_dim // .text_config.projection_size // .text_config.hidden_size // empty' "$config"
    elif command -v python3 >/dev/null; then
        python3 -c 'import json, sys; c = json.load(open(sys.argv[1])); t = c.get("text_config") or {}
print(c.get("projection_dim") or c.get("embed_dim") or t.get("projection_size") or t.get("hidden_size") or "")' "$config"
    else
        sed -n 's/.*"\(projection_dim\|embed_dim\)"[[:space:]]*:[[:space:]]*\([0-9][0-9]*\).*/\2/p' "$config" | head -n 1
    fi
}

# curl that prints the response body and fails on an HTTP error status (body still printed).
# Silent: callers say what failed, with the reason from the body.
http() {
    local method=$1 url=$2
    shift 2
    curl -s --connect-timeout 5 --fail-with-body -X "$method" -H 'Content-Type: application/json' "$url" "$@"
}

# ---- nodes of a cluster folder: DIR/node-<i>/{config,data,logs,tmp,opensearch.pid} ----

node_pid_file() { printf '%s/node-%s/opensearch.pid\n' "$1" "$2"; }

# The exact argument bin/opensearch gives the node JVM; it identifies a node of this folder.
node_conf_arg() { printf -- '-Dopensearch.path.conf=%s/node-%s/config\n' "$1" "$2"; }

# True when PID is the JVM of that node, so a stale pid file whose number the kernel has
# since reused never gets someone else's process killed.
is_node_process() {
    local pid=$1 dir=$2 i=$3
    [[ $pid =~ ^[0-9]+$ ]] && grep -qzxF -- "$(node_conf_arg "$dir" "$i")" "/proc/$pid/cmdline" 2>/dev/null
}

# True while the node's JVM runs; during startup its pid file may not exist yet.
node_alive() {
    local dir=$1 i=$2
    # -q: processes vanishing during the scan are read errors, which -q lets a match override
    grep -qzxF -- "$(node_conf_arg "$dir" "$i")" /proc/[0-9]*/cmdline 2>/dev/null
}

# Node numbers that have a pid file in DIR.
nodes_with_pid_files() {
    local f
    for f in "$1"/node-*/opensearch.pid; do
        [[ -e $f ]] || continue
        f=${f%/opensearch.pid}
        printf '%s\n' "${f##*/node-}"
    done
}

# SIGTERM to every node of DIR that has a pid file, SIGKILL to those still up after 30 s.
stop_cluster() {
    local dir=$1 i pid
    local -A pids=()
    for i in $(nodes_with_pid_files "$dir"); do
        pid=$(<"$(node_pid_file "$dir" "$i")")
        if is_node_process "$pid" "$dir" "$i"; then
            kill -TERM "$pid" 2>/dev/null || true
            pids[$i]=$pid
        else
            say "node-$i: stale pid file (pid $pid is not this node), removed"
            rm -f "$(node_pid_file "$dir" "$i")"
        fi
    done
    ((${#pids[@]} > 0)) || {
        say "no running nodes in $dir"
        return 0
    }
    local deadline=$((SECONDS + 30)) left
    while :; do
        left=0
        for i in "${!pids[@]}"; do
            is_node_process "${pids[$i]}" "$dir" "$i" && left=1
        done
        ((left && SECONDS < deadline)) || break
        sleep 0.5
    done
    for i in $(printf '%s\n' "${!pids[@]}" | sort -n); do
        if is_node_process "${pids[$i]}" "$dir" "$i"; then
            kill -KILL "${pids[$i]}" 2>/dev/null || true
            # the ports must be free before a restart reuses them
            while is_node_process "${pids[$i]}" "$dir" "$i"; do sleep 0.2; done
            say "node-$i: killed (pid ${pids[$i]}), it ignored SIGTERM for 30 s"
        else
            say "node-$i: stopped (pid ${pids[$i]})"
        fi
        rm -f "$(node_pid_file "$dir" "$i")"
    done
}
