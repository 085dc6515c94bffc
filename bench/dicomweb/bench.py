#!/usr/bin/python3
"""DICOMweb load driver: STOW-RS a series, then time series metadata, QIDO-RS and a series retrieve.

Against a running archive (e.g. the distribution on MOSAIC_HTTP_PORT):

    bench/dicomweb/bench.py --url http://localhost:8080/dicom-web --instances 600

Instances are CT images made here with pydicom (Debian's /usr/bin/python3), 16-bit, rows x columns,
Explicit VR Little Endian, sent in STOW-RS requests of --batch instances. Prints a Markdown table.
Standard library and pydicom only.
"""
import argparse
import io
import statistics
import time
import urllib.request
import uuid

import pydicom
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian, generate_uid

CT = "1.2.840.10008.5.1.4.1.1.2"


def instance(study, series, number, rows, cols):
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = CT
    meta.MediaStorageSOPInstanceUID = generate_uid()
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds = Dataset()
    ds.file_meta = meta
    ds.SOPClassUID = CT
    ds.SOPInstanceUID = meta.MediaStorageSOPInstanceUID
    ds.PatientName = "BENCH^DICOMWEB"
    ds.PatientID = "BENCH1"
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


def median_ms(url, runs, headers=None):
    times = [request(url, headers=headers)[2] for _ in range(runs)]
    return statistics.median(times) * 1000, min(times) * 1000, max(times) * 1000


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--url", default="http://localhost:8080/dicom-web")
    p.add_argument("--instances", type=int, default=600)
    p.add_argument("--rows", type=int, default=512)
    p.add_argument("--cols", type=int, default=512)
    p.add_argument("--batch", type=int, default=50)
    p.add_argument("--runs", type=int, default=10)
    a = p.parse_args()
    study, series = generate_uid(), generate_uid()

    stored_bytes, stow_time = 0, 0.0
    for first in range(1, a.instances + 1, a.batch):
        boundary = uuid.uuid4().hex
        body = io.BytesIO()
        for n in range(first, min(first + a.batch, a.instances + 1)):
            part = instance(study, series, n, a.rows, a.cols)
            stored_bytes += len(part)
            body.write(b"--" + boundary.encode() + b"\r\nContent-Type: application/dicom\r\n\r\n" + part + b"\r\n")
        body.write(b"--" + boundary.encode() + b"--\r\n")
        status, _, t = request(a.url + "/studies", body.getvalue(), {
            "Content-Type": 'multipart/related; type="application/dicom"; boundary=' + boundary,
            "Accept": "application/dicom+json"}, "POST")
        assert status == 200, status
        stow_time += t

    metadata = f"{a.url}/studies/{study}/series/{series}/metadata"
    _, meta_bytes, first_metadata = request(metadata)
    meta = median_ms(metadata, a.runs)
    meta_gzip = median_ms(metadata, a.runs, {"Accept-Encoding": "gzip"})
    qido = median_ms(f"{a.url}/studies?PatientName=BENCH*&limit=101&includefield=00081030", a.runs)
    qido_series = median_ms(f"{a.url}/studies/{study}/series", a.runs)
    _, retrieved, retrieve_time = request(f"{a.url}/studies/{study}/series/{series}", headers={
        "Accept": 'multipart/related; type="application/dicom"; transfer-syntax=*'})

    mb = 1024 * 1024
    print(f"| measure ({a.instances} instances, {a.rows}x{a.cols} 16-bit, {stored_bytes / mb:.0f} MiB) | result |")
    print("| --- | --- |")
    print(f"| STOW-RS, {a.batch} instances per request | {a.instances / stow_time:.0f} instances/s, {stored_bytes / mb / stow_time:.0f} MiB/s |")
    print(f"| series metadata, first request (builds the series' metadata file) | {first_metadata * 1000:.0f} ms ({meta_bytes / 1024:.0f} KiB JSON) |")
    print(f"| series metadata, next requests (median / min / max of {a.runs}) | {meta[0]:.0f} / {meta[1]:.0f} / {meta[2]:.0f} ms |")
    print(f"| same, gzip | {meta_gzip[0]:.0f} / {meta_gzip[1]:.0f} / {meta_gzip[2]:.0f} ms |")
    print(f"| QIDO-RS /studies?PatientName=BENCH* (median / min / max) | {qido[0]:.1f} / {qido[1]:.1f} / {qido[2]:.1f} ms |")
    print(f"| QIDO-RS /studies/{{study}}/series (median / min / max) | {qido_series[0]:.1f} / {qido_series[1]:.1f} / {qido_series[2]:.1f} ms |")
    print(f"| WADO-RS series retrieve, transfer-syntax=* | {retrieved / mb / retrieve_time:.0f} MiB/s ({retrieve_time:.1f} s) |")


if __name__ == "__main__":
    main()
