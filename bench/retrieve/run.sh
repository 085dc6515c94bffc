#!/bin/bash
# Retrieve A/B: two Mosaic PACS distributions (A: an older build, B: the built one) and Orthanc (Debian packages
# orthanc and orthanc-dicomweb, a private configuration) side by side, the same CT series (make-ct.py of bench/archive,
# N slices of 512x512, ~0.5 MB each) stored in each with storescu; then ROUNDS rounds of, in turn against A, B and
# Orthanc: one C-GET of the series with getscu (instances/s), then three WADO-RS retrieves of the series with
# `transfer-syntax=*` (MiB/s, read by Python's urllib in 1 MiB reads as bench/dicomweb/bench.py does). For each
# measure the server's CPU time (utime + stime of its process) and the 1-minute load average are recorded, so that
# runs on a shared machine can be read as ratios within one round.
#
#   cp karaf-assembly/target/mosaic-pacs-*.tar.gz /tmp/before.tar.gz   # an older build, then rebuild
#   DIST_A=/tmp/before.tar.gz bench/retrieve/run.sh                   # results in $OUT/results.tsv
#
# Knobs (environment): DIST_A (required), DIST_B (default the built distribution), N (slices, default 500), ROUNDS
# (default 3), WARM=0 (no warm-up C-GET and WADO-RS per server before the rounds), OUT (default
# bench/retrieve/target/run). Needs dcmtk, pydicom (/usr/bin/python3), Orthanc with its DICOMweb plugin.
set -euo pipefail
export TCP_NODELAY=1
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
OUT=${OUT:-$here/target/run}
DIST_B=${DIST_B:-$(ls "$root"/karaf-assembly/target/mosaic-pacs-*.tar.gz 2>/dev/null | head -1)}
[ -f "${DIST_A:-}" ] && [ -f "$DIST_B" ] || { echo "DIST_A and DIST_B (or a built distribution) are needed" >&2; exit 2; }
N=${N:-500}
ROUNDS=${ROUNDS:-3}
# free_port sets PORT to a free loopback port never given before in this run (two ports asked for before anything
# listens could otherwise be the same one)
USED=" "
free_port() {
    local p
    while :; do
        p=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
        case "$USED" in *" $p "*) ;; *) USED="$USED$p "; PORT=$p; return ;; esac
    done
}
log() { echo "[$(date -u +%H:%M:%S)] $*" | tee -a "$OUT/run.log"; }
rm -rf "$OUT"; mkdir -p "$OUT"
PIDS=(); HOMES=()
cleanup() { for h in "${HOMES[@]}"; do "$h/bin/stop" >/dev/null 2>&1 || true; done; for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
declare -A HTTP DICOM PID
cpu() { awk '{print $14+$15}' /proc/$1/stat; }   # utime+stime in clock ticks
start_mosaic() { # name dist
    local name=$1 dist=$2
    mkdir -p "$OUT/$name"; tar xzf "$dist" -C "$OUT/$name"
    local home; home=$(ls -d "$OUT/$name"/*/); home=${home%/}
    HOMES+=("$home")
    local ssh rmi1 rmi2
    free_port; HTTP[$name]=$PORT; free_port; DICOM[$name]=$PORT; free_port; ssh=$PORT; free_port; rmi1=$PORT
    free_port; rmi2=$PORT
    sed -i "s/^sshPort *=.*/sshPort = $ssh/" "$home/etc/org.apache.karaf.shell.cfg"
    sed -i "s/^rmiRegistryPort *=.*/rmiRegistryPort = $rmi1/; s/^rmiServerPort *=.*/rmiServerPort = $rmi2/" "$home/etc/org.apache.karaf.management.cfg"
    MOSAIC_HTTP_PORT=${HTTP[$name]} MOSAIC_DICOM_PORT=${DICOM[$name]} MOSAIC_DATA="$OUT/$name-data" JAVA_MAX_MEM=1024M "$home/bin/start"
    for _ in $(seq 600); do
        [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:${HTTP[$name]}/health")" = 200 ] && { PID[$name]=$(pgrep -f "karaf.home=$home" | head -1); return 0; }
        sleep 0.5
    done
    echo "$name did not start" >&2; exit 1
}
/usr/bin/python3 "$root/bench/archive/make-ct.py" "$OUT/ct" "$N" >/dev/null
bytes=$(du -sb "$OUT/ct" | cut -f1)
log "load $(cut -d' ' -f1-3 /proc/loadavg); $N files, $bytes bytes"
start_mosaic A "$DIST_A"
start_mosaic B "$DIST_B"
free_port; HTTP[O]=$PORT; free_port; DICOM[O]=$PORT
mkdir -p "$OUT/orthanc-data"
cat >"$OUT/orthanc.json" <<EOJ
{
  "Name": "bench", "StorageDirectory": "$OUT/orthanc-data", "IndexDirectory": "$OUT/orthanc-data",
  "DicomAet": "ORTHANC", "DicomPort": ${DICOM[O]}, "HttpPort": ${HTTP[O]}, "RemoteAccessAllowed": false,
  "AuthenticationEnabled": false, "DicomCheckCalledAet": false, "DicomAlwaysAllowStore": true,
  "DicomAlwaysAllowGet": true, "DicomAlwaysAllowFind": true, "DicomCheckModalityHost": false,
  "DicomModalities": { "getscu": ["GETSCU", "127.0.0.1", 4242] }, "ConcurrentJobs": 2,
  "Plugins": ["/usr/share/orthanc/plugins/libOrthancDicomWeb.so"], "DicomWeb": { "Enable": true, "Root": "/dicom-web/" }
}
EOJ
/usr/sbin/Orthanc "$OUT/orthanc.json" >"$OUT/orthanc.log" 2>&1 &
PIDS+=($!); PID[O]=$!
for _ in $(seq 120); do curl -s "http://127.0.0.1:${HTTP[O]}/dicom-web/studies?limit=1" >/dev/null && break; sleep 0.5; done
log "up: A ${HTTP[A]}/${DICOM[A]}, B ${HTTP[B]}/${DICOM[B]}, Orthanc ${HTTP[O]}/${DICOM[O]}"
for x in A B O; do
    aet=$([ $x = O ] && echo ORTHANC || echo MOSAIC)
    storescu -aec $aet 127.0.0.1 ${DICOM[$x]} "$OUT"/ct/*.dcm >"$OUT/store-$x.log" 2>&1
done
log "stored (load $(cut -d' ' -f1-3 /proc/loadavg))"
series=$(dcmdump +P SeriesInstanceUID "$OUT/ct/CT0001.dcm" | sed 's/.*\[\(.*\)\].*/\1/')
study=$(dcmdump +P StudyInstanceUID "$OUT/ct/CT0001.dcm" | sed 's/.*\[\(.*\)\].*/\1/')
cget() { # x -> "instances seconds"
    local x=$1 aet; aet=$([ $x = O ] && echo ORTHANC || echo MOSAIC)
    rm -rf "$OUT/get"; mkdir -p "$OUT/get"
    local t0 t1; t0=$(date +%s.%N)
    getscu -S -aet GETSCU -aec $aet 127.0.0.1 ${DICOM[$x]} -od "$OUT/get" -k QueryRetrieveLevel=SERIES \
        -k StudyInstanceUID="$study" -k SeriesInstanceUID="$series" >"$OUT/getscu-$x.log" 2>&1 || true
    t1=$(date +%s.%N)
    echo "$(ls "$OUT/get" | wc -l) $(echo "$t1 - $t0" | bc)"
}
wado() { # x -> "bytes seconds"
    /usr/bin/python3 - "http://127.0.0.1:${HTTP[$1]}/dicom-web/studies/$study/series/$series" <<'EOP'
import sys, time, resource, urllib.request
req = urllib.request.Request(sys.argv[1], headers={"Accept": 'multipart/related; type="application/dicom"; transfer-syntax=*'})
t = time.perf_counter(); n = 0
with urllib.request.urlopen(req, timeout=600) as r:
    while True:
        c = r.read(1 << 20)
        if not c: break
        n += len(c)
u = resource.getrusage(resource.RUSAGE_SELF)
print(n, time.perf_counter() - t, u.ru_utime + u.ru_stime)
EOP
}
[ "${WARM:-1}" = 1 ] && for x in A B O; do cget $x >/dev/null; wado $x >/dev/null; done   # warm-up
printf "round\tserver\tmeasure\tvalue\tseconds\tserver_cpu_s\tload1\n" >"$OUT/results.tsv"
for r in $(seq "$ROUNDS"); do
    for x in A B O; do
        c0=$(cpu ${PID[$x]})
        read -r n t <<<"$(cget $x)"
        c1=$(cpu ${PID[$x]})
        printf "%s\t%s\tcget_inst_per_s\t%.1f\t%.2f\t%.2f\t%s\n" $r $x "$(echo "$n / $t" | bc -l)" $t "$(echo "($c1 - $c0) / 100" | bc -l)" "$(cut -d' ' -f1 /proc/loadavg)" | tee -a "$OUT/results.tsv"
    done
    for x in A B O; do
      for k in 1 2 3; do
        c0=$(cpu ${PID[$x]})
        read -r n t cc <<<"$(wado $x)"
        c1=$(cpu ${PID[$x]})
        printf "%s\t%s\twado_mib_per_s\t%.1f\t%.2f\t%.2f\t%s\tclient_cpu_s %.2f\n" $r $x "$(echo "$n / 1048576 / $t" | bc -l)" $t "$(echo "($c1 - $c0) / 100" | bc -l)" "$(cut -d' ' -f1 /proc/loadavg)" $cc | tee -a "$OUT/results.tsv"
      done
    done
done
log "done (load $(cut -d' ' -f1-3 /proc/loadavg))"
