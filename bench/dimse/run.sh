#!/bin/sh
# C-STORE throughput over loopback: Mosaic SCU/SCP against DCMTK storescu/storescp, 1 and 4 associations.
#
#   mvn -B -q install -DskipTests                 # once, from the repository root (dicom-core, dicom-net)
#   mvn -B -q -f bench/dimse/pom.xml package      # builds this driver and copies its dependencies
#   bench/dimse/run.sh [--count 200] [--rows 512] [--files DIR] [--work DIR] [--timeout 300] [--warmup 20]
#
# --files DIR takes the .dcm files of DIR (for example MOSAIC_CORPUS/ct-bench made by
# make-corpus.py --profile ct-bench) instead of generating --count CT-like instances.
# When bundles/dicom-core and bundles/dicom-net have been compiled in this checkout
# (target/classes), those classes are used before the jars of target/lib, so the figures are
# those of the checked-out code.
set -eu
# dcmtk's storescu/storescp leave Nagle's algorithm on unless TCP_NODELAY is set: give them their best.
export TCP_NODELAY=1
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
if [ ! -d "$here/target/classes" ] || [ ! -d "$here/target/lib" ]; then
    echo "build first: mvn -B -q -f bench/dimse/pom.xml package" >&2
    exit 2
fi
cp="$here/target/classes"
for m in dicom-net dicom-core; do
    if [ -d "$root/bundles/$m/target/classes" ]; then
        cp="$cp:$root/bundles/$m/target/classes"
    fi
done
for j in "$here"/target/lib/*.jar; do
    cp="$cp:$j"
done
# bounded: the driver stops each scenario after --timeout seconds; the JVM heap is capped
exec java -Xmx1g -cp "$cp" org.mosaicpacs.bench.dimse.DimseBench "$@"
