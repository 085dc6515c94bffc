# Shared by the run.sh scripts of bench/ (sourced, after OUT and DIST are set): free loopback ports, log lines
# into $OUT/run.log, and the built distribution unpacked into $OUT/mosaic and started on free ports with a fresh
# MOSAIC_DATA. Background processes added to PIDS, and the distribution, are stopped on exit.

free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
log() { echo "[$(date -u +%H:%M:%S)] $*" | tee -a "$OUT/run.log"; }

PIDS=()
cleanup() {
    [ -n "${MOSAIC_HOME:-}" ] && [ -f "$MOSAIC_HOME/data/port" ] && "$MOSAIC_HOME/bin/stop" >/dev/null 2>&1 || true
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
}
trap cleanup EXIT

# Unpacks $DIST into $OUT/mosaic; sets MOSAIC_HOME and exports MOSAIC_HTTP_PORT, MOSAIC_DICOM_PORT, MOSAIC_DATA.
mosaic_unpack() {
    mkdir -p "$OUT/mosaic"
    tar xzf "$DIST" -C "$OUT/mosaic"
    MOSAIC_HOME=$(ls -d "$OUT"/mosaic/*/)
    MOSAIC_HOME=${MOSAIC_HOME%/}
    export MOSAIC_HTTP_PORT=$(free_port) MOSAIC_DICOM_PORT=$(free_port) MOSAIC_DATA="$OUT/mosaic-data" JAVA_MAX_MEM=1024M
    sed -i "s/^sshPort *=.*/sshPort = $(free_port)/" "$MOSAIC_HOME/etc/org.apache.karaf.shell.cfg"
    sed -i "s/^rmiRegistryPort *=.*/rmiRegistryPort = $(free_port)/; s/^rmiServerPort *=.*/rmiServerPort = $(free_port)/" \
        "$MOSAIC_HOME/etc/org.apache.karaf.management.cfg"
}

# bin/start, then waits (up to 5 minutes: a loaded machine boots Karaf slowly) for GET /health to answer 200.
mosaic_start() {
    "$MOSAIC_HOME/bin/start"
    for _ in $(seq 600); do
        [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$MOSAIC_HTTP_PORT/health")" = 200 ] && return 0
        sleep 0.5
    done
    echo "Mosaic did not start" >&2; exit 1
}

# bin/stop, then waits (up to a minute) until bin/status says it is gone.
mosaic_stop() {
    "$MOSAIC_HOME/bin/stop"
    for _ in $(seq 120); do [ -f "$MOSAIC_HOME/data/port" ] && "$MOSAIC_HOME/bin/status" >/dev/null 2>&1 || return 0; sleep 0.5; done
}
