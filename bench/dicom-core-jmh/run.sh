#!/bin/bash
# Builds the JMH benchmarks of the dicom-core reader, runs them with modest settings, and times dcmtk's
# dcmdump and pydicom (Debian's /usr/bin/python3) on the very same files, for docs/benchmarks.md.
#
# Environment (all optional):
#   OUT          output folder (default bench/dicom-core-jmh/target/run)
#   JMH_ARGS     JMH settings (default "-f 1 -wi 3 -i 5 -w 2s -r 2s")
#   RUNS         dcmdump process runs and pydicom reads per file (default 20)
#   SKIP_BUILD=1 use the benchmarks jar already built
#   MOSAIC_CORPUS  a make-corpus.py corpus: its variants/ct/explicit.dcm becomes the CT file
set -euo pipefail

cd "$(dirname "$0")/../.."
OUT=${OUT:-bench/dicom-core-jmh/target/run}
JMH_ARGS=${JMH_ARGS:--f 1 -wi 3 -i 5 -w 2s -r 2s}
RUNS=${RUNS:-20}
JAR=bench/dicom-core-jmh/target/benchmarks.jar
FILES=$OUT/files
mkdir -p "$FILES"
OUT=$(cd "$OUT" && pwd)
FILES=$OUT/files

if [ "${SKIP_BUILD:-0}" != 1 ]; then
    echo "== build: mvn -B -q -Pbench -pl bench/dicom-core-jmh -am package -DskipTests"
    mvn -B -q -Pbench -pl bench/dicom-core-jmh -am package -DskipTests
fi

echo "== machine"
{
    echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "nproc: $(nproc)"
    echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
    echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "jdk: $(java -version 2>&1 | head -2 | tr '\n' ' ')"
    echo "dcmdump: $(dcmdump --version 2>/dev/null | head -1)"
    echo "pydicom: $(/usr/bin/python3 -c 'import pydicom, sys; print(pydicom.__version__, "on Python", sys.version.split()[0])')"
} | tee "$OUT/machine.txt"

echo "== files"
java -cp "$JAR" org.mosaicpacs.bench.BenchFiles "$FILES" | tee "$OUT/files.txt"
CT=$FILES/ct-explicit-le.dcm
SRD=$FILES/sr-deep-defined.dcm
SRU=$FILES/sr-deep-undefined.dcm

echo "== JMH: java -jar $JAR ParseBenchmark $JMH_ARGS"
# shellcheck disable=SC2086
java -jar "$JAR" ParseBenchmark $JMH_ARGS -jvmArgsAppend "-Dmosaic.bench.dir=$FILES" \
    -rf json -rff "$OUT/jmh.json" | tee "$OUT/jmh.txt"

now() { date +%s.%N; }
: > "$OUT/external.tsv"

echo "== dcmdump: $RUNS processes per file (dcmdump OPTS FILE >/dev/null), then one process over $RUNS copies"
# -q +L prints long values (all pixel values of the CT) in full; -q alone abbreviates them
for opts in "-q +L" "-q"; do
    for f in "$CT" "$SRD" "$SRU"; do
        # shellcheck disable=SC2086
        dcmdump $opts "$f" > /dev/null   # warm the page cache
        t0=$(now)
        # shellcheck disable=SC2086
        for _ in $(seq "$RUNS"); do dcmdump $opts "$f" > /dev/null; done
        t1=$(now)
        echo -e "dcmdump $opts, one process per file\t$(basename "$f")\t$RUNS\t$(echo "$t1 - $t0" | bc)" \
            | tee -a "$OUT/external.tsv"
        args=()
        for _ in $(seq "$RUNS"); do args+=("$f"); done
        t0=$(now)
        # shellcheck disable=SC2086
        dcmdump $opts "${args[@]}" > /dev/null
        t1=$(now)
        echo -e "dcmdump $opts, $RUNS files in one process\t$(basename "$f")\t$RUNS\t$(echo "$t1 - $t0" | bc)" \
            | tee -a "$OUT/external.tsv"
    done
done

echo "== pydicom: dcmread in one process, up to $RUNS reads per file (20 s cap) after 2 warm-up reads"
/usr/bin/python3 - "$RUNS" "$CT" "$SRD" "$SRU" <<'PY' | tee -a "$OUT/external.tsv"
import os, sys, time
import pydicom
runs = int(sys.argv[1])
ct, srd, sru = sys.argv[2:5]
def walk(ds):
    # touch every value: pydicom converts values (and parses defined-length sequences) on access
    n = 0
    for elem in ds:
        n += 1
        if elem.VR == "SQ":
            for item in elem.value:
                n += walk(item)
        else:
            elem.value
    return n
def timed(label, path, touch=False, **kw):
    # at most RUNS reads, stopping after 20 s (pydicom takes seconds on some files); at least 2
    for _ in range(2):
        d = pydicom.dcmread(path, **kw)
        if touch:
            walk(d)
    n = 0
    t0 = time.perf_counter()
    while n < runs and (n < 2 or time.perf_counter() - t0 < 20):
        d = pydicom.dcmread(path, **kw)
        if touch:
            walk(d)
        n += 1
    t1 = time.perf_counter()
    print(f"{label}\t{os.path.basename(path)}\t{n}\t{t1 - t0:.6f}")
timed("pydicom dcmread", ct)
timed("pydicom dcmread(stop_before_pixels=True)", ct, stop_before_pixels=True)
timed("pydicom dcmread", srd)
timed("pydicom dcmread + walk all values", srd, touch=True)
timed("pydicom dcmread", sru)
timed("pydicom dcmread + walk all values", sru, touch=True)
PY

echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/machine.txt"

echo "== summary ($OUT/summary.md)"
/usr/bin/python3 - "$OUT" <<'PY' | tee "$OUT/summary.md"
import json, os, sys
out = sys.argv[1]
sizes = {}
for line in open(os.path.join(out, "files.txt")):
    parts = line.rstrip("\n").split("\t")
    if len(parts) == 2 and parts[1].isdigit():
        sizes[parts[0]] = int(parts[1])
files = {"ctReadAll": "ct-explicit-le.dcm", "ctBulkData": "ct-explicit-le.dcm",
         "ctStopBeforePixelData": "ct-explicit-le.dcm", "ctReadAllFromMemory": "ct-explicit-le.dcm",
         "srDefinedLengths": "sr-deep-defined.dcm", "srUndefinedLengths": "sr-deep-undefined.dcm"}
print("| file (bytes) | parser and mode | files/s | ms/file | MB/s (file size / time) |")
print("|---|---|---|---|---|")
for r in json.load(open(os.path.join(out, "jmh.json"))):
    name = r["benchmark"].rsplit(".", 1)[1]
    f = files[name]
    m = r["primaryMetric"]
    ops = float(m["score"])
    try:
        err = float(m["scoreError"])
    except (TypeError, ValueError):
        err = float("nan")
    mb = sizes[f] / 1e6
    print(f"| {f} ({sizes[f]}) | Mosaic JMH `{name}` | {ops:.1f} ± {err:.1f} | {1000 / ops:.3f} | "
          f"{ops * mb:.1f} ± {err * mb:.1f} |")
for line in open(os.path.join(out, "external.tsv")):
    label, f, runs, secs = line.rstrip("\n").split("\t")
    runs, secs = int(runs), float(secs)
    mb = sizes[f] / 1e6
    print(f"| {f} ({sizes[f]}) | {label} | {runs / secs:.1f} | {1000 * secs / runs:.3f} | {runs * mb / secs:.1f} |")
PY
