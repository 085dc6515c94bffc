#!/usr/bin/python3
"""Writes a CT series for the archive benchmark: N slices of 512x512, 16 bits, Explicit VR Little
Endian, one patient, one study, one series (about 525 KB a file). pydicom only, no pixel library.

    bench/archive/make-ct.py OUT_DIR [N [SIZE]]      (N: 500 by default; SIZE: rows and columns, 512 by default)

A small SIZE makes the warm-up set: the same attributes and code paths per file, a fraction of the bytes.
"""
import os
import sys
import uuid

import pydicom
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian

CT = "1.2.840.10008.5.1.4.1.1.2"


def uid():
    return "2.25.%d" % uuid.uuid4().int


def main():
    out = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 500
    size = int(sys.argv[3]) if len(sys.argv) > 3 else 512
    os.makedirs(out, exist_ok=True)
    study, series, frame = uid(), uid(), uid()
    base = bytearray(size * size * 2)
    for i in range(0, len(base), 2):
        v = ((i // 2) % size + (i // (2 * size))) & 0x0FFF
        base[i] = v & 0xFF
        base[i + 1] = v >> 8
    for k in range(1, n + 1):
        ds = Dataset()
        ds.SpecificCharacterSet = "ISO_IR 100"
        ds.ImageType = ["ORIGINAL", "PRIMARY", "AXIAL"]
        ds.SOPClassUID = CT
        ds.SOPInstanceUID = uid()
        ds.StudyDate = "20260115"
        ds.StudyTime = "101500"
        ds.AccessionNumber = "BENCH0001"
        ds.Modality = "CT"
        ds.Manufacturer = "Mosaic bench"
        ds.ReferringPhysicianName = "BENCH^REFERRER"
        ds.StudyDescription = "CT bench series"
        ds.PatientName = "BENCH^CT"
        ds.PatientID = "BENCH-CT"
        ds.PatientBirthDate = "19700101"
        ds.PatientSex = "O"
        ds.SliceThickness = "1.0"
        ds.KVP = "120"
        ds.StudyInstanceUID = study
        ds.SeriesInstanceUID = series
        ds.StudyID = "1"
        ds.SeriesNumber = "1"
        ds.InstanceNumber = str(k)
        ds.ImagePositionPatient = ["-250.0", "-250.0", "%.1f" % (-k * 1.0)]
        ds.ImageOrientationPatient = ["1", "0", "0", "0", "1", "0"]
        ds.FrameOfReferenceUID = frame
        ds.SliceLocation = "%.1f" % (-k * 1.0)
        ds.SamplesPerPixel = 1
        ds.PhotometricInterpretation = "MONOCHROME2"
        ds.Rows = size
        ds.Columns = size
        ds.PixelSpacing = ["0.9765625", "0.9765625"]
        ds.BitsAllocated = 16
        ds.BitsStored = 12
        ds.HighBit = 11
        ds.PixelRepresentation = 0
        ds.RescaleIntercept = "-1024"
        ds.RescaleSlope = "1"
        pixels = bytearray(base)
        pixels[0] = k & 0xFF
        pixels[1] = (k >> 8) & 0x0F
        ds.PixelData = bytes(pixels)
        meta = FileMetaDataset()
        meta.MediaStorageSOPClassUID = CT
        meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
        meta.TransferSyntaxUID = ExplicitVRLittleEndian
        ds.file_meta = meta
        ds.is_little_endian = True
        ds.is_implicit_VR = False
        ds.preamble = b"\0" * 128
        pydicom.dcmwrite(os.path.join(out, "CT%04d.dcm" % k), ds, write_like_original=False)


if __name__ == "__main__":
    main()
