#!/usr/bin/python3
"""DICOMweb load driver: STOW-RS a series, then time series metadata, QIDO-RS and a series retrieve.

Against a running archive (e.g. the distribution on MOSAIC_HTTP_PORT):

    bench/dicomweb/bench.py --url http://localhost:8080/dicom-web --instances 600

Instances are CT images made here with pydicom (Debian's /usr/bin/python3), 16-bit, rows x columns,
Explicit VR Little Endian, sent in STOW-RS requests of --batch instances. With --studies N, N small studies (one
16x16 instance each, other patients) are stored first, so that QIDO-RS runs against an archive of that size.
Prints a Markdown table (--label names the column). The same driver runs against any DICOMweb server (bench/
dicomweb/run.sh runs it against Mosaic and Orthanc's DICOMweb plugin). Standard library and pydicom only.
"""
import argparse
import io
import os
import statistics
import time
import urllib.request
import uuid

import pydicom
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian, generate_uid

CT = "1.2.840.10008.5.1.4.1.1.2"


def instance(study, series, number, rows, cols, patient="BENCH^DICOMWEB", patient_id="BENCH1"):
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = CT
    meta.MediaStorageSOPInstanceUID = generate_uid()
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds = Dataset()
    ds.file_meta = meta
    ds.SOPClassUID = CT
    ds.SOPInstanceUID = meta.MediaStorageSOPInstanceUID
    ds.PatientName = patient
    ds.PatientID = patient_id
    ds.StudyInstanceUID = study
    ds.SeriesInstanceUID = series
    ds.StudyDate = "20240105"
    ds.Modality = "CT"
    ds.InstanceNumber = number
    ds.ImagePositionPatient = [0, 0, number * 1.25]
    ds.ImageOrientationPatient = [1, 0, 0, 0, 1, 0]
    ds.PixelSpacing = [0.7, 0.7]
    ds.RescaleSlope = 1
    ds.RescaleIntercept = -1024
    ds.WindowCenter = 40
    ds.WindowWidth = 400
    ds.SamplesPerPixel = 1
    ds.PhotometricInterpretation = "MONOCHROME2"
    ds.Rows = rows
    ds.Columns = cols
    ds.BitsAllocated = 16
    ds.BitsStored = 12
    ds.HighBit = 11
    ds.PixelRepresentation = 0
    ds.PixelData = bytes((i * 7 + number) & 0xFF for i in range(256)) * (rows * cols * 2 // 256)
    out = io.BytesIO()
    pydicom.dcmwrite(out, ds, write_like_original=False)
    return out.getvalue()


def request(url, data=None, headers=None, method=None):
    req = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    start = time.perf_counter()
    with urllib.request.urlopen(req, timeout=600) as r:
        n = 0
        while True:
            chunk = r.read(1 << 20)
            if not chunk:
                break
            n += len(chunk)
        return r.status, n, time.perf_counter() - start


WARMUP = 5


def drop_caches():
    os.sync()
    with open("/proc/sys/vm/drop_caches", "w") as f:
        f.write("3\n")


def cold_retrieve(storage, retrieve):
    """The series retrieve after the page cache was dropped, beside the rate at which the disk gives back the
    series' files (those of at least 256 KiB under the storage folder: the small population studies left out),
    read in 1 MiB reads after the cache was dropped again; both and their ratio as a string."""
    try:
        drop_caches()
    except OSError as e:
        return f"not measured ({e.strerror}: needs root)"
    result = retrieve()
    files = [os.path.join(d, f) for d, _, fs in os.walk(storage) for f in fs]
    files = [f for f in files if os.path.getsize(f) >= 256 * 1024]
    drop_caches()
    start, n = time.perf_counter(), 0
    for f in files:
        with open(f, "rb", buffering=0) as fh:
            while True:
                chunk = fh.read(1 << 20)
                if not chunk:
                    break
                n += len(chunk)
    disk = n / (1024 * 1024) / (time.perf_counter() - start)
    rate = float(result.split()[0])
    return f"{result}; disk {disk:.0f} MiB/s ({len(files)} files); {rate / disk:.2f} of the disk's rate"


def median_ms(url, runs, headers=None):
    for _ in range(WARMUP):  # not measured: a JVM server compiles the path on its first requests
        request(url, headers=headers)
    times = [request(url, headers=headers)[2] for _ in range(runs)]
    return statistics.median(times) * 1000, min(times) * 1000, max(times) * 1000


def stow(url, parts):
    """One STOW-RS request of Part 10 byte strings; returns its time."""
    boundary = uuid.uuid4().hex
    body = io.BytesIO()
    for part in parts:
        body.write(b"--" + boundary.encode() + b"\r\nContent-Type: application/dicom\r\n\r\n" + part + b"\r\n")
    body.write(b"--" + boundary.encode() + b"--\r\n")
    status, _, t = request(url + "/studies", body.getvalue(), {
        "Content-Type": 'multipart/related; type="application/dicom"; boundary=' + boundary,
        "Accept": "application/dicom+json"}, "POST")
    assert status == 200, status
    return t


def measured(f):
    """f(), or the error in words when the server cannot do it."""
    try:
        return f()
    except Exception as e:  # an HTTP error or a refused request is a result too
        return str(e)


def ms3(m):
    return m if isinstance(m, str) else f"{m[0]:.1f} / {m[1]:.1f} / {m[2]:.1f} ms"


def percentiles_ms(urls, runs):
    """Each of `urls` (a function of the request number) requested `runs` times after WARMUP unmeasured requests;
    p50 and p95 in ms, and the mean response size in bytes."""
    for i in range(WARMUP):
        request(urls(i))
    times, sizes = [], []
    for i in range(runs):
        _, n, t = request(urls(WARMUP + i))
        times.append(t)
        sizes.append(n)
    times.sort()
    return times[len(times) // 2] * 1000, times[int(len(times) * 0.95)] * 1000, sum(sizes) / len(sizes)


def synthetic_searches(url, patients, runs):
    """QIDO-RS study searches against the synthetic studies of bench/archive/IndexLoader.java (study n: UID 2.25.9n,
    patient BENCH-(n/2), named PATIENT^(n/2) or, one in 100, BENCH^FIND(n/2); n from 1,000,000 on), with the same
    keys as bench/archive/FindLatency.java, each request drawing its patient at random; and OHIF's study list
    query, without and with a Study Date range. `patients`: how many BENCH-n patients were loaded."""
    import random
    rnd = random.Random(42)
    ohif = f"{url}/studies?limit=101&offset=0&fuzzymatching=false&includefield=00081030,00080060"
    kinds = [
        ("StudyInstanceUID", lambda i: f"{url}/studies?StudyInstanceUID=2.25.9{1_000_000 + 2 * rnd.randrange(patients)}"),
        ("PatientID", lambda i: f"{url}/studies?PatientID=BENCH-{500_000 + rnd.randrange(patients)}"),
        ("PatientName prefix, 10 patients", lambda i: f"{url}/studies?PatientName=PATIENT^{50_000 + rnd.randrange(patients) // 10}*"),
        ("StudyDate, a week", lambda i: "{0}/studies?StudyDate={1}0101-{1}0107".format(url, 2010 + rnd.randrange(16))),
        ("OHIF study list (limit=101)", lambda i: ohif),
        ("OHIF study list, StudyDate of a year", lambda i: "{0}&StudyDate={1}0101-{1}1231".format(ohif, 2010 + rnd.randrange(16))),
        ("OHIF study list, page 10 (offset=909)", lambda i: ohif.replace("offset=0", "offset=909")),
    ]
    rows = []
    for name, urls in kinds:
        m = measured(lambda: percentiles_ms(urls, runs))
        rows.append((name, m))
    return rows


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--url", default="http://localhost:8080/dicom-web")
    p.add_argument("--instances", type=int, default=600)
    p.add_argument("--rows", type=int, default=512)
    p.add_argument("--cols", type=int, default=512)
    p.add_argument("--batch", type=int, default=50)
    p.add_argument("--runs", type=int, default=10)
    p.add_argument("--studies", type=int, default=0, help="small studies stored first, for QIDO at that size")
    p.add_argument("--label", default="result")
    p.add_argument("--warmup", type=int, default=5, help="unmeasured requests before each latency measure")
    p.add_argument("--synthetic-patients", type=int, default=0,
                   help="only the QIDO-RS study searches, against the synthetic studies of bench/archive/IndexLoader.java"
                        " (this many BENCH-n patients); nothing is stored")
    p.add_argument("--cold-cache-dir", default=None,
                   help="the server's storage folder: also measure the series retrieve with a cold page cache beside"
                        " the disk's read rate of the series' files (needs root: writes /proc/sys/vm/drop_caches)")
    a = p.parse_args()
    global WARMUP
    WARMUP = a.warmup
    if a.synthetic_patients:
        print(f"| QIDO-RS study search ({a.runs} requests after {a.warmup}) | {a.label} p50 / p95 | bytes |")
        print("| --- | --- | --- |")
        for name, m in synthetic_searches(a.url, a.synthetic_patients, a.runs):
            cell = m if isinstance(m, str) else f"{m[0]:.1f} / {m[1]:.1f} ms"
            size = "" if isinstance(m, str) else f"{m[2]:.0f}"
            print(f"| {name} | {cell} | {size} |")
        return
    study, series = generate_uid(), generate_uid()

    population = []
    for k in range(a.studies):
        population.append(instance(generate_uid(), generate_uid(), 1, 16, 16, f"POP^{k:06d}", f"POP{k:06d}"))
        if len(population) == 100 or k == a.studies - 1:
            stow(a.url, population)
            population = []

    stored_bytes, stow_time = 0, 0.0
    for first in range(1, a.instances + 1, a.batch):
        parts = [instance(study, series, n, a.rows, a.cols) for n in range(first, min(first + a.batch, a.instances + 1))]
        stored_bytes += sum(len(x) for x in parts)
        stow_time += stow(a.url, parts)

    metadata = f"{a.url}/studies/{study}/series/{series}/metadata"
    _, meta_bytes, first_metadata = request(metadata)
    meta = measured(lambda: median_ms(metadata, a.runs))
    meta_gzip = measured(lambda: median_ms(metadata, a.runs, {"Accept-Encoding": "gzip"}))
    qido = measured(lambda: median_ms(f"{a.url}/studies?PatientName=BENCH*&limit=101&includefield=00081030", a.runs))
    qido_uid = measured(lambda: median_ms(f"{a.url}/studies?StudyInstanceUID={study}", a.runs))
    qido_series = measured(lambda: median_ms(f"{a.url}/studies/{study}/series", a.runs))

    def retrieve():
        _, n, t = request(f"{a.url}/studies/{study}/series/{series}", headers={
            "Accept": 'multipart/related; type="application/dicom"; transfer-syntax=*'})
        return f"{n / (1024 * 1024) / t:.0f} MiB/s ({t:.1f} s)"
    retrieved = measured(retrieve)
    cold = None
    if a.cold_cache_dir:
        cold = measured(lambda: cold_retrieve(a.cold_cache_dir, retrieve))

    mb = 1024 * 1024
    print(f"| measure ({a.instances} instances, {a.rows}x{a.cols} 16-bit, {stored_bytes / mb:.0f} MiB; "
          f"{a.studies + 1} studies) | {a.label} |")
    print("| --- | --- |")
    print(f"| STOW-RS, {a.batch} instances per request | {a.instances / stow_time:.0f} instances/s, {stored_bytes / mb / stow_time:.0f} MiB/s |")
    print(f"| series metadata, first request | {first_metadata * 1000:.0f} ms ({meta_bytes / 1024:.0f} KiB JSON) |")
    print(f"| series metadata, next requests (median / min / max of {a.runs}) | {ms3(meta)} |")
    print(f"| same, gzip | {ms3(meta_gzip)} |")
    print(f"| QIDO-RS /studies?PatientName=BENCH* (median / min / max) | {ms3(qido)} |")
    print(f"| QIDO-RS /studies?StudyInstanceUID= (median / min / max) | {ms3(qido_uid)} |")
    print(f"| QIDO-RS /studies/{{study}}/series (median / min / max) | {ms3(qido_series)} |")
    print(f"| WADO-RS series retrieve, transfer-syntax=* | {retrieved} |")
    if cold is not None:
        print(f"| same, cold page cache; the disk's read rate of the series' files | {cold} |")


if __name__ == "__main__":
    main()
