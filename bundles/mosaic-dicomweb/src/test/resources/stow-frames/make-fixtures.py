#!/usr/bin/python3
"""Makes the compressed frames of StowCompressedFramesTest: three different 8-bit monochrome frames of 30 rows and
40 columns (frames.raw, the samples frame after frame), each encoded as a JPEG-LS Lossless codestream by dcmtk's
dcmcjpls (jls-1.jls ...) and as a JPEG 2000 Lossless codestream by Pillow/OpenJPEG (j2k-1.j2k ...). The test
makes the JPEG Baseline and RLE frames itself. Run it in this folder; it needs pydicom, numpy, Pillow and dcmtk."""
import io
import os
import subprocess
import tempfile

import numpy as np
from PIL import Image
from pydicom import dcmread
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.encaps import generate_pixel_data_frame
from pydicom.uid import ExplicitVRLittleEndian, generate_uid

ROWS, COLS, FRAMES = 30, 40, 3
rng = np.random.default_rng(18)
y, x = np.mgrid[0:ROWS, 0:COLS]
frames = []
for k in range(FRAMES):
    f = (x * 3 + y * 2 + k * 80 + rng.integers(0, 12, (ROWS, COLS))) % 256
    f[k * 8: k * 8 + 6, :] = 255 - k * 100                          # a flat band in a different place per frame
    frames.append(f.astype(np.uint8))
stack = np.stack(frames)
stack.tofile("frames.raw")

ds = Dataset()
ds.file_meta = FileMetaDataset()
ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
ds.file_meta.MediaStorageSOPClassUID = "1.2.840.10008.5.1.4.1.1.7.2"
ds.file_meta.MediaStorageSOPInstanceUID = generate_uid()
ds.SOPClassUID = ds.file_meta.MediaStorageSOPClassUID
ds.SOPInstanceUID = ds.file_meta.MediaStorageSOPInstanceUID
ds.Modality = "OT"
ds.Rows, ds.Columns, ds.NumberOfFrames = ROWS, COLS, FRAMES
ds.SamplesPerPixel = 1
ds.PhotometricInterpretation = "MONOCHROME2"
ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 8, 8, 7, 0
ds.PixelData = stack.tobytes()
ds.is_little_endian, ds.is_implicit_VR = True, False
with tempfile.TemporaryDirectory() as tmp:
    native, jls = os.path.join(tmp, "native.dcm"), os.path.join(tmp, "jls.dcm")
    ds.save_as(native, write_like_original=False)
    subprocess.run(["dcmcjpls", "--encode-lossless", native, jls], check=True)
    encoded = dcmread(jls)
    for k, frame in enumerate(generate_pixel_data_frame(encoded.PixelData, FRAMES), 1):
        frame = frame.rstrip(b"\0") if frame.endswith(b"\xff\xd9\0") else frame   # the fragment's padding
        with open("jls-%d.jls" % k, "wb") as out:
            out.write(frame)

for k, f in enumerate(frames, 1):
    buf = io.BytesIO()
    Image.fromarray(f, "L").save(buf, format="JPEG2000", irreversible=False, no_jp2=True)
    with open("j2k-%d.j2k" % k, "wb") as out:
        out.write(buf.getvalue())
