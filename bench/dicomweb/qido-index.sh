#!/bin/bash
# QIDO-RS study searches at 2,000 studies and at 1 million instances: the built distribution (embedded Derby) with
# the synthetic index of bench/archive/IndexLoader.java (studies of 2 series of 25 instances, written by JDBC
# batches into the stopped distribution's Derby database), then bench.py --synthetic-patients: Study Instance UID,
# Patient ID, a Patient Name prefix (10 patients, 20 studies), a Study Date week, and OHIF's study list query
# (limit=101, includefield=00081030,00080060) alone, with a Study Date year and on its 10th page; p50 / p95 per kind.
#
#   mvn -B -ntp install -DskipTests      # once: builds karaf-assembly/target/mosaic-pacs-*.tar.gz
#   bench/dicomweb/qido-index.sh         # results in $OUT/summary.md
#
# The archive's start-up check is turned off in the unpacked distribution (checkAtStart = false): it would report
# the synthetic instances (they have no stored object) one study at a time, on the cores the searches need.
# Knobs (environment): RUNS (requests per kind, default 100), WARMUP (unmeasured first, default 20), STUDIES_2K
# (default 2000), STUDIES_1M (in all, default 20000: 1 M instances), SKIP_1M=1, SKIP_2K=1, OUT (default
# bench/dicomweb/target/qido-index), DIST (the tar.gz), KEEP=DIR (a copy of the data folder, as loaded, is left
# there), DATA=DIR (start from a copy of such a folder instead of loading: STUDIES_1M must say what it holds; only
# the 1 M step runs). Ports are chosen free; nothing outside $OUT (and KEEP) is written.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
RUNS=${RUNS:-100}
WARMUP=${WARMUP:-20}
STUDIES_2K=${STUDIES_2K:-2000}
STUDIES_1M=${STUDIES_1M:-20000}
OUT=${OUT:-$here/target/qido-index}
DIST=${DIST:-$(ls "$root"/karaf-assembly/target/mosaic-pacs-*.tar.gz 2>/dev/null | grep -v distribution | head -1)}
[ -f "$DIST" ] || { echo "no distribution: mvn -B -ntp install -DskipTests first" >&2; exit 2; }

. "$here/../mosaic.sh"

rm -rf "$OUT"; mkdir -p "$OUT"
log "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load: $(cut -d' ' -f1-3 /proc/loadavg)"
log "distribution: $DIST; $(java -version 2>&1 | head -1)"
mosaic_unpack
echo "checkAtStart = false" >>"$MOSAIC_HOME/etc/org.mosaicpacs.archive.cfg"
S="$MOSAIC_HOME/system"
CORE=$(ls "$S"/org/mosaicpacs/dicom-core/*/dicom-core-*.jar | head -1)
SLF4J=$(ls "$S"/org/slf4j/slf4j-api/*/slf4j-api-*.jar | head -1)
DERBY=$(ls "$S"/org/apache/derby/derby/*/derby-*.jar | head -1)

# load N: N more synthetic studies into the stopped distribution's index
load() {
    java -Dderby.system.durability=test -Dderby.stream.error.file="$OUT/derby-loader.log" -cp "$DERBY:$CORE:$SLF4J" \
        "$root/bench/archive/IndexLoader.java" "$MOSAIC_DATA/index" "$1" 2 25 | tail -1 | tee -a "$OUT/run.log"
}
# measure STUDIES: the searches against the running distribution holding STUDIES synthetic studies
measure() {
    for _ in $(seq 120); do
        [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$MOSAIC_HTTP_PORT/dicom-web/studies?limit=1")" = 200 ] && break
        sleep 0.5
    done
    log "$1 studies ($(( $1 * 50 )) instances), load before: $(cut -d' ' -f1-3 /proc/loadavg)"
    { echo "### $1 studies, $(( $1 * 50 )) instances, load $(cut -d' ' -f1-3 /proc/loadavg)"
      /usr/bin/python3 "$here/bench.py" --url "http://127.0.0.1:$MOSAIC_HTTP_PORT/dicom-web" --runs "$RUNS" \
          --warmup "$WARMUP" --synthetic-patients $(( $1 / 2 )) --label "Mosaic PACS"
      echo; } | tee -a "$OUT/summary.md"
    log "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
}

if [ -n "${DATA:-}" ]; then
    rm -rf "$MOSAIC_DATA"; cp -a "$DATA" "$MOSAIC_DATA"
    mosaic_start
    measure "$STUDIES_1M"
    exit 0
fi
# a first start makes the schema (the index's migrations); the loader writes while the distribution is stopped
mosaic_start
mosaic_stop
if [ -z "${SKIP_2K:-}" ]; then
    load "$STUDIES_2K"
    mosaic_start
    measure "$STUDIES_2K"
    mosaic_stop
    loaded=$STUDIES_2K
else
    loaded=0
fi
if [ -z "${SKIP_1M:-}" ]; then
    load $(( STUDIES_1M - loaded ))
    if [ -n "${KEEP:-}" ]; then rm -rf "$KEEP"; cp -a "$MOSAIC_DATA" "$KEEP"; fi
    mosaic_start
    measure "$STUDIES_1M"
fi
log "summary: $OUT/summary.md"
