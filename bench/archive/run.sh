#!/bin/bash
# The archive benchmark: one run, on this machine, of
#   1. ingest: the same CT series (N slices 512x512, made by make-ct.py) stored by dcmtk's storescu into
#      Mosaic PACS (the built distribution), into Orthanc (Debian package, private configuration) and into
#      dcmtk's storescp, with 1 and with 4 associations (4 storescu at once, each a quarter of the files);
#   2. C-FIND study-level latency (FindLatency.java, one association, per-request p50/p95) at 2,000 studies,
#      then with a synthetic index of 1 million instances (IndexLoader.java, JDBC batches into the
#      distribution's Derby database while it is stopped), each measured once the archive's start-up check has reported;
#   3. C-GET of the N-slice series with getscu (instances/s, MB/s), from Mosaic and from Orthanc.
#
#   mvn -B -ntp install -DskipTests            # once: builds karaf-assembly/target/mosaic-pacs-*.tar.gz
#   bench/archive/run.sh                       # results in $OUT/summary.md
#
# Knobs (environment): N (slices, default 500), OUT (default bench/archive/target/run), STUDIES_1M (studies of
# 50 instances loaded for the 1M step, default 20000 in all), STUDIES_2K (for the first step, default 1998), REPEAT (C-FIND requests per kind, default 200),
# WARMUP (small files sent to each receiver first, not measured, default 15000: steady state, see bench/README.md), SKIP_ORTHANC=1, SKIP_1M=1, DIST (the tar.gz). Needs dcmtk, pydicom (/usr/bin/python3), GNU time (/usr/bin/time), Java 17, and
# /usr/sbin/Orthanc for the Orthanc columns. Ports are chosen free; nothing outside $OUT is written.
set -euo pipefail
# dcmtk (storescu, storescp, getscu, and Orthanc, which is built on it) leaves Nagle's algorithm on unless
# TCP_NODELAY is set in the environment; then every small response waits for a delayed ACK (~40 ms per file on
# loopback: storescp took 45 ms per 0.5 MB file without it, 11 ms with it). Every peer gets its best here.
export TCP_NODELAY=1
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
N=${N:-500}
OUT=${OUT:-$here/target/run}
REPEAT=${REPEAT:-200}
STUDIES_1M=${STUDIES_1M:-20000}
STUDIES_2K=${STUDIES_2K:-1998}
DIST=${DIST:-$(ls "$root"/karaf-assembly/target/mosaic-pacs-*.tar.gz 2>/dev/null | head -1)}
[ -f "$DIST" ] || { echo "no distribution: mvn -B -ntp install -DskipTests first" >&2; exit 2; }

now() { date +%s.%N; }
. "$here/../mosaic.sh"

rm -rf "$OUT"; mkdir -p "$OUT"
log "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load: $(cut -d' ' -f1-3 /proc/loadavg)"
log "file system under $OUT: $(findmnt -no FSTYPE,OPTIONS -T "$OUT" 2>/dev/null || echo unknown)"
log "distribution: $DIST; $(java -version 2>&1 | head -1); $(storescu --version | head -1); $(/usr/sbin/Orthanc --version 2>/dev/null | head -1 || true)"

# ---- the CT sets: two of N slices each (new UIDs), one for the 1-association run, one for the 4-association run
for set in a b; do
    /usr/bin/python3 "$here/make-ct.py" "$OUT/ct-$set" "$N"
done
# and the warm-up sets (not measured): a freshly started JVM interprets, then compiles what runs often. Code that
# runs once per file (Derby's statements, the ingest steps) is compiled by C2 only after 5,000 to 15,000 calls:
# after 5,000 full-size files Mosaic still spent 4.4 ms per file compiling. So every receiver gets WARMUP small
# files (64x64: the same attributes and steps per file, 9 kB each), then 300 full-size ones
/usr/bin/python3 "$here/make-ct.py" "$OUT/ct-warmup" "${WARMUP:-15000}" 64
/usr/bin/python3 "$here/make-ct.py" "$OUT/ct-warmup-full" 300
bytes=$(du -sb "$OUT/ct-a" | cut -f1)
log "CT set: $N files, $bytes bytes, per set"

# ---- the three receivers ----------------------------------------------------------------------------------
mosaic_unpack
mosaic_start
log "Mosaic PACS up on DICOM port $MOSAIC_DICOM_PORT"

SCP_PORT=$(free_port)
mkdir -p "$OUT/storescp-data"
# --fork: one process per association, so that 4 associations are served at once
storescp --fork -aet STORESCP -od "$OUT/storescp-data" "$SCP_PORT" >"$OUT/storescp.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 60); do echoscu -aec STORESCP 127.0.0.1 "$SCP_PORT" >/dev/null 2>&1 && break; sleep 0.5; done

ORTHANC=""
if [ -z "${SKIP_ORTHANC:-}" ] && [ -x /usr/sbin/Orthanc ]; then
    ORTHANC_DICOM=$(free_port); ORTHANC_HTTP=$(free_port)
    mkdir -p "$OUT/orthanc-data"
    cat >"$OUT/orthanc.json" <<EOF
{
  "Name": "bench", "StorageDirectory": "$OUT/orthanc-data", "IndexDirectory": "$OUT/orthanc-data",
  "DicomAet": "ORTHANC", "DicomPort": $ORTHANC_DICOM, "HttpPort": $ORTHANC_HTTP, "RemoteAccessAllowed": false,
  "AuthenticationEnabled": false, "DicomCheckCalledAet": false, "DicomAlwaysAllowStore": true,
  "DicomAlwaysAllowGet": true, "DicomAlwaysAllowFind": true, "DicomCheckModalityHost": false,
  "DicomModalities": { "getscu": ["GETSCU", "127.0.0.1", 4242] }, "Plugins": [], "ConcurrentJobs": 2
}
EOF
    /usr/sbin/Orthanc "$OUT/orthanc.json" >"$OUT/orthanc.log" 2>&1 &
    PIDS+=($!)
    for _ in $(seq 120); do curl -s "http://127.0.0.1:$ORTHANC_HTTP/system" >/dev/null && break; sleep 0.5; done
    ORTHANC=1
    log "Orthanc up on DICOM port $ORTHANC_DICOM"
fi

# ---- 1. ingest ---------------------------------------------------------------------------------------------
# ingest NAME AET PORT SET ASSOCIATIONS: N files of SET with ASSOCIATIONS storescu at once; prints files/s and MB/s
ingest() {
    local name=$1 aet=$2 port=$3 set=$4 k=$5
    local files=("$OUT/ct-$set"/*.dcm)
    local t0 t1 i
    local pids=()
    # the dirty pages of the receiver before (storescp never flushes: hundreds of MB) are written back now, not
    # while the next receiver is measured
    sync
    sleep 1
    local b0 b1
    b0=$(busy)
    t0=$(now)
    for ((i = 0; i < k; i++)); do
        local part=()
        local j
        for ((j = i; j < ${#files[@]}; j += k)); do part+=("${files[$j]}"); done
        /usr/bin/time -f "%U %S" -o "$OUT/time-$name-$k-$i" \
            storescu -R -aec "$aet" 127.0.0.1 "$port" "${part[@]}" >"$OUT/storescu-$name-$k-$i.log" 2>&1 &
        pids+=($!)
    done
    local failed=0
    for p in "${pids[@]}"; do wait "$p" || failed=1; done
    t1=$(now)
    b1=$(busy)
    [ $failed = 0 ] || { echo "storescu to $name failed: $OUT/storescu-$name-$k-*.log" >&2; exit 1; }
    # CPU per file: the whole machine's busy time over the run (all processes: the receiver, its kernel work,
    # the file system's writeback) minus what the storescu processes used themselves
    local senders
    senders=$(cat "$OUT"/time-"$name"-"$k"-* | awk '{s += $1 + $2} END {print s}')
    /usr/bin/python3 -c "import sys; n,b,t,m,s=int(sys.argv[1]),int(sys.argv[2]),float(sys.argv[3]),float(sys.argv[6]),float(sys.argv[7]); print('| %s | %d | %d | %.1f | %.1f | %.1f | %.2f | %.2f |' % (sys.argv[4], int(sys.argv[5]), n, t, n/t, b/t/1e6, (m-s)*1000/n, s*1000/n))" \
        "${#files[@]}" "$bytes" "$(echo "$t1 - $t0" | bc)" "$name" "$k" "$(echo "($b1 - $b0) / $TICKS" | bc -l)" "$senders" \
        | tee -a "$OUT/ingest.md"
}
# busy CPU time of the machine since boot, in clock ticks (user, nice, system, irq, softirq)
busy() { awk '/^cpu /{print $2 + $3 + $4 + $7 + $8}' /proc/stat; }
TICKS=$(getconf CLK_TCK)
echo "| receiver | associations | files | seconds | files/s | MB/s | receiver CPU ms/file | storescu CPU ms/file |" >"$OUT/ingest.md"
echo "|---|---|---|---|---|---|---|---|" >>"$OUT/ingest.md"
# +sd: storescu reads the folder itself (15,000 paths would be a long command line)
warm() { storescu -R +sd -aec "$1" 127.0.0.1 "$2" "$OUT/$3" >"$OUT/warmup-$1-$3.log" 2>&1 || { echo "warm-up of $1 failed: $OUT/warmup-$1-$3.log" >&2; exit 1; }; }
for set in ct-warmup ct-warmup-full; do
    warm STORESCP "$SCP_PORT" "$set"
    if [ -n "$ORTHANC" ]; then warm ORTHANC "$ORTHANC_DICOM" "$set"; fi
    warm MOSAIC "$MOSAIC_DICOM_PORT" "$set"
done
log "ingest (load before: $(cut -d' ' -f1-3 /proc/loadavg))"
for k in 1 4; do
    set=$([ $k = 1 ] && echo a || echo b)
    ingest storescp STORESCP "$SCP_PORT" "$set" "$k"
    if [ -n "$ORTHANC" ]; then ingest orthanc ORTHANC "$ORTHANC_DICOM" "$set" "$k"; fi
    ingest mosaic MOSAIC "$MOSAIC_DICOM_PORT" "$set" "$k"
done
log "ingest done (load after: $(cut -d' ' -f1-3 /proc/loadavg))"

# ---- 3. C-GET of the series (before the synthetic index, on the real one) ----------------------------------------
series=$(dcmdump +P SeriesInstanceUID "$OUT/ct-a/CT0001.dcm" | sed 's/.*\[\(.*\)\].*/\1/')
study=$(dcmdump +P StudyInstanceUID "$OUT/ct-a/CT0001.dcm" | sed 's/.*\[\(.*\)\].*/\1/')
cget() {
    local name=$1 aet=$2 port=$3 t0 t1 got
    rm -rf "$OUT/get-$name"; mkdir -p "$OUT/get-$name"
    t0=$(now)
    getscu -S -aet GETSCU -aec "$aet" 127.0.0.1 "$port" -od "$OUT/get-$name" -k QueryRetrieveLevel=SERIES \
        -k StudyInstanceUID="$study" -k SeriesInstanceUID="$series" >"$OUT/getscu-$name.log" 2>&1 || true
    t1=$(now)
    got=$(ls "$OUT/get-$name" | wc -l)
    /usr/bin/python3 -c "import sys; n,b,t=int(sys.argv[1]),int(sys.argv[2]),float(sys.argv[3]); print('| %s | %d | %.1f | %.1f | %.1f |' % (sys.argv[4], n, t, n/t, b/t/1e6))" \
        "$got" "$(du -sb "$OUT/get-$name" | cut -f1)" "$(echo "$t1 - $t0" | bc)" "$name" | tee -a "$OUT/cget.md"
}
echo "| source | instances | seconds | instances/s | MB/s |" >"$OUT/cget.md"
echo "|---|---|---|---|---|" >>"$OUT/cget.md"
cget mosaic MOSAIC "$MOSAIC_DICOM_PORT"
if [ -n "$ORTHANC" ]; then cget orthanc ORTHANC "$ORTHANC_DICOM"; fi
log "C-GET done"

# ---- 2. C-FIND latency -------------------------------------------------------------------------------------
S="$MOSAIC_HOME/system"
CORE=$(ls "$S"/org/mosaicpacs/dicom-core/*/dicom-core-*.jar | head -1)
NET=$(ls "$S"/org/mosaicpacs/dicom-net/*/dicom-net-*.jar | head -1)
SLF4J=$(ls "$S"/org/slf4j/slf4j-api/*/slf4j-api-*.jar | head -1)
DERBY=$(ls "$S"/org/apache/derby/derby/*/derby-*.jar | head -1)
# the archive's start-up check (one locate per study, against storage) runs once the archive is up: C-FIND is
# measured after it has reported, not beside it (it took a core for hours at 100k instances before locate's plan
# was fixed, and still takes a while at 1M)
checks() { cat "$MOSAIC_HOME"/data/log/karaf.log* 2>/dev/null | grep -c 'start-up check' || true; }
load() {
    mosaic_stop
    java -Dderby.system.durability=test -Dderby.stream.error.file="$OUT/derby-loader.log" -cp "$DERBY:$CORE:$SLF4J" \
        "$here/IndexLoader.java" "$MOSAIC_DATA/index" "$1" 2 25 | tail -1 | tee -a "$OUT/run.log"
    local before t0
    before=$(checks)
    t0=$(now)
    mosaic_start
    for _ in $(seq 1200); do [ "$(checks)" -gt "$before" ] && break; sleep 1; done
    log "start-up check reported $(echo "$(now) - $t0" | bc | cut -d. -f1) s after the start"
}
find_latency() {
    echo "### $1" | tee -a "$OUT/cfind.md"
    java -cp "$CORE:$NET:$SLF4J" "$here/FindLatency.java" 127.0.0.1 "$MOSAIC_DICOM_PORT" MOSAIC "$2" "$REPEAT" | tee -a "$OUT/cfind.md"
}
: >"$OUT/cfind.md"
load "$STUDIES_2K"
W=$(( ${WARMUP:-15000} + 300 ))
find_latency "$(( STUDIES_2K + 4 )) studies ($STUDIES_2K synthetic of 50 instances + the 4 CT studies: 2 sets and 2 warm-up sets; $(( STUDIES_2K * 50 + 2 * N + W )) instances), load $(cut -d' ' -f1-3 /proc/loadavg)" $(( STUDIES_2K / 2 ))
if [ -z "${SKIP_1M:-}" ]; then
    load $(( STUDIES_1M - STUDIES_2K ))
    find_latency "$(( STUDIES_1M + 4 )) studies, $(( STUDIES_1M * 50 + 2 * N + W )) instances, load $(cut -d' ' -f1-3 /proc/loadavg)" $(( STUDIES_1M / 2 ))
fi
log "C-FIND done"

{
    echo "## Ingest"; cat "$OUT/ingest.md"; echo
    echo "## C-GET of a $N-slice series"; cat "$OUT/cget.md"; echo
    echo "## C-FIND, study level"; cat "$OUT/cfind.md"
} >"$OUT/summary.md"
log "summary: $OUT/summary.md"
