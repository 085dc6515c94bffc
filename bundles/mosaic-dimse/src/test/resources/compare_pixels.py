"""Compares the pixel data of a received DICOM file with a reference, both decoded by pydicom (independently of
Mosaic's decoders): usage compare_pixels.py REFERENCE RECEIVED [TOLERANCE]. The received file must be in an
uncompressed transfer syntax; the decoded values may differ by at most TOLERANCE (default 0: equal). Also
checks Rows, Columns, Bits Allocated/Stored, Photometric Interpretation. Prints the differences and exits 1 if
any, else prints what was compared."""
import sys

import numpy
import pydicom

UNCOMPRESSED = {"1.2.840.10008.1.2", "1.2.840.10008.1.2.1", "1.2.840.10008.1.2.2"}


def main():
    ref = pydicom.dcmread(sys.argv[1])
    got = pydicom.dcmread(sys.argv[2])
    tolerance = int(sys.argv[3]) if len(sys.argv) > 3 else 0
    diffs = []
    if got.file_meta.TransferSyntaxUID not in UNCOMPRESSED:
        diffs.append(f"received in {got.file_meta.TransferSyntaxUID}, not an uncompressed syntax")
    for k in ("Rows", "Columns", "BitsAllocated", "BitsStored", "SamplesPerPixel", "PhotometricInterpretation"):
        if ref.get(k) != got.get(k):
            diffs.append(f"{k}: {ref.get(k)} vs {got.get(k)}")
    a = ref.pixel_array.astype(numpy.int64)
    b = got.pixel_array.astype(numpy.int64)
    if a.shape != b.shape:
        diffs.append(f"shape {a.shape} vs {b.shape}")
    else:
        worst = int(numpy.abs(a - b).max())
        if worst > tolerance:
            diffs.append(f"pixel values differ by up to {worst} (tolerance {tolerance}), "
                         f"{int((a != b).sum())} of {a.size} samples")
    for d in diffs:
        print(d)
    if diffs:
        sys.exit(1)
    print(f"same {a.shape} pixels (tolerance {tolerance}); {ref.file_meta.TransferSyntaxUID} -> "
          f"{got.file_meta.TransferSyntaxUID}")


if __name__ == "__main__":
    main()
