#!/bin/bash
# The DICOMweb benchmark: bench.py against Mosaic PACS (the built distribution, embedded Derby, file storage with
# fsync, a fresh MOSAIC_DATA) and, in the same run, against Orthanc with its DICOMweb plugin (Debian packages orthanc
# and orthanc-dicomweb, a private configuration with the plugin's defaults) where they are installed. Each server
# gets the same population of small studies (QIDO-RS at that size) and the same series.
#
#   mvn -B -ntp install -DskipTests      # once: builds karaf-assembly/target/mosaic-pacs-*.tar.gz
#   bench/dicomweb/run.sh                # results in $OUT/summary.md
#
# Knobs (environment): INSTANCES (the series, default 600), STUDIES (small studies stored first, default 1999, so
# that QIDO runs at 2,000 studies), RUNS (requests per latency measure, default 10), OUT (default
# bench/dicomweb/target/run), SKIP_ORTHANC=1, DIST (the tar.gz), COLD=1 (also the series retrieve with a cold page
# cache beside the disk's read rate of the series' files: needs root, drops the machine's page cache). Ports are chosen free; nothing outside $OUT is written.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
INSTANCES=${INSTANCES:-600}
STUDIES=${STUDIES:-1999}
RUNS=${RUNS:-10}
OUT=${OUT:-$here/target/run}
DIST=${DIST:-$(ls "$root"/karaf-assembly/target/mosaic-pacs-*.tar.gz 2>/dev/null | grep -v distribution | head -1)}
[ -f "$DIST" ] || { echo "no distribution: mvn -B -ntp install -DskipTests first" >&2; exit 2; }

. "$here/../mosaic.sh"

rm -rf "$OUT"; mkdir -p "$OUT"
log "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load: $(cut -d' ' -f1-3 /proc/loadavg)"
log "distribution: $DIST; $(java -version 2>&1 | head -1); $(/usr/sbin/Orthanc --version 2>/dev/null | head -1 || true)"

# ---- Mosaic PACS -------------------------------------------------------------------------------------------
mosaic_unpack
mosaic_start
for _ in $(seq 120); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$MOSAIC_HTTP_PORT/dicom-web/studies?limit=1")" = 200 ] && break
    sleep 0.5
done
log "Mosaic PACS up on HTTP port $MOSAIC_HTTP_PORT"

# ---- Orthanc with its DICOMweb plugin ------------------------------------------------------------------------
PLUGIN=/usr/share/orthanc/plugins/libOrthancDicomWeb.so
ORTHANC=""
if [ -z "${SKIP_ORTHANC:-}" ] && [ -x /usr/sbin/Orthanc ] && [ -f "$PLUGIN" ]; then
    ORTHANC_HTTP=$(free_port)
    mkdir -p "$OUT/orthanc-data"
    cat >"$OUT/orthanc.json" <<EOF
{
  "Name": "bench", "StorageDirectory": "$OUT/orthanc-data", "IndexDirectory": "$OUT/orthanc-data",
  "DicomAet": "ORTHANC", "DicomPort": $(free_port), "HttpPort": $ORTHANC_HTTP, "RemoteAccessAllowed": false,
  "AuthenticationEnabled": false, "Plugins": ["$PLUGIN"],
  "DicomWeb": { "Enable": true, "Root": "/dicom-web/" }
}
EOF
    /usr/sbin/Orthanc "$OUT/orthanc.json" >"$OUT/orthanc.log" 2>&1 &
    PIDS+=($!)
    for _ in $(seq 120); do curl -s "http://127.0.0.1:$ORTHANC_HTTP/dicom-web/studies?limit=1" >/dev/null && break; sleep 0.5; done
    ORTHANC=1
    log "Orthanc with its DICOMweb plugin up on HTTP port $ORTHANC_HTTP"
else
    log "Orthanc or its DICOMweb plugin (orthanc-dicomweb) not installed: Mosaic only"
fi

# ---- the runs, one server after the other (the other idle) ------------------------------------------------
log "Mosaic: $STUDIES small studies, then a series of $INSTANCES"
/usr/bin/python3 "$here/bench.py" --url "http://127.0.0.1:$MOSAIC_HTTP_PORT/dicom-web" --instances "$INSTANCES" \
    --studies "$STUDIES" --runs "$RUNS" --label "Mosaic PACS" ${COLD:+--cold-cache-dir "$MOSAIC_DATA/storage"} >"$OUT/mosaic.md"
log "load after Mosaic: $(cut -d' ' -f1-3 /proc/loadavg)"
if [ -n "$ORTHANC" ]; then
    log "Orthanc: the same"
    /usr/bin/python3 "$here/bench.py" --url "http://127.0.0.1:$ORTHANC_HTTP/dicom-web" --instances "$INSTANCES" \
        --studies "$STUDIES" --runs "$RUNS" --label "Orthanc + DICOMweb plugin" ${COLD:+--cold-cache-dir "$OUT/orthanc-data"} \
        >"$OUT/orthanc.md"
    log "load after Orthanc: $(cut -d' ' -f1-3 /proc/loadavg)"
    # side by side: the measures of mosaic.md with the Orthanc column added
    paste -d'\t' "$OUT/mosaic.md" "$OUT/orthanc.md" | awk -F'\t' '{ n = split($2, o, "|"); print $1 o[n - 1] "|" }' \
        >"$OUT/summary.md"
else
    cp "$OUT/mosaic.md" "$OUT/summary.md"
fi
cat "$OUT/summary.md"
