#!/usr/bin/python3
"""Makes the JPEG-LS test fixtures of JpegLsTest: small native images (gradients, noise, flat areas, so that both
the regular and the run mode of JPEG-LS are used), their JPEG-LS encodings by dcmtk's dcmcjpls, and for the
near-lossless ones dcmdjpls's decoding. Run it in this folder; it needs pydicom, numpy and dcmtk."""
import subprocess
import numpy as np
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian, generate_uid

rng = np.random.default_rng(6)


def picture(rows, cols, maxval):
    y, x = np.mgrid[0:rows, 0:cols]
    img = (x * maxval // max(1, cols - 1) // 2 + y * maxval // max(1, rows - 1) // 2).astype(np.int64)
    img[rows // 4: rows // 2, :] = maxval // 3                          # flat band: run mode
    img[rows // 2:, cols // 2:] += rng.integers(-maxval // 8, maxval // 8 + 1, (rows - rows // 2, cols - cols // 2))
    img[-3:, :] = maxval                                                # flat bright lines at the bottom
    img[:, 3] = 0                                                       # a dark column: edges
    return np.clip(img, 0, maxval)


def native(name, arr, bits_stored, signed=False, rgb=False):
    ds = Dataset()
    ds.file_meta = FileMetaDataset()
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds.file_meta.MediaStorageSOPClassUID = "1.2.840.10008.5.1.4.1.1.7"
    ds.file_meta.MediaStorageSOPInstanceUID = generate_uid()
    ds.SOPClassUID = ds.file_meta.MediaStorageSOPClassUID
    ds.SOPInstanceUID = ds.file_meta.MediaStorageSOPInstanceUID
    ds.Modality = "OT"
    ds.PatientName = "JPEGLS^" + name
    ds.Rows, ds.Columns = arr.shape[0], arr.shape[1]
    ds.SamplesPerPixel = 3 if rgb else 1
    ds.PhotometricInterpretation = "RGB" if rgb else "MONOCHROME2"
    if rgb:
        ds.PlanarConfiguration = 0
    ds.BitsAllocated = 8 if bits_stored <= 8 else 16
    ds.BitsStored = bits_stored
    ds.HighBit = bits_stored - 1
    ds.PixelRepresentation = 1 if signed else 0
    dtype = {(8, False): np.uint8, (8, True): np.int8, (16, False): np.uint16, (16, True): np.int16}[
        (ds.BitsAllocated, signed)]
    ds.PixelData = arr.astype(dtype).tobytes()
    ds.is_little_endian, ds.is_implicit_VR = True, False
    ds.save_as(name + ".dcm", write_like_original=False)


def jls(name, out, *options):
    subprocess.run(["dcmcjpls", *options, name + ".dcm", out + ".dcm"], check=True)


native("mono8", picture(23, 37, 255), 8)
jls("mono8", "mono8-ls", "+el")
jls("mono8", "mono8-near2", "+en", "+md", "2")
native("mono12", picture(48, 64, 4095), 12)
jls("mono12", "mono12-ls", "+el")
jls("mono12", "mono12-near3", "+en", "+md", "3")
signed = picture(30, 40, 65535) - 32768
native("signed16", signed, 16, signed=True)
jls("signed16", "signed16-ls", "+el")
rgb = np.stack([picture(21, 33, 255), picture(21, 33, 255)[:, ::-1], picture(21, 33, 255)[::-1, :]], axis=2)
native("rgb8", rgb, 8, rgb=True)
jls("rgb8", "rgb8-ls-none", "+el", "+in")
jls("rgb8", "rgb8-ls-line", "+el", "+il")
jls("rgb8", "rgb8-ls-sample", "+el", "+is")
jls("rgb8", "rgb8-near2-sample", "+en", "+md", "2", "+is")
jls("rgb8", "rgb8-near2-line", "+en", "+md", "2", "+il")
for lossy in ["mono8-near2", "mono12-near3", "rgb8-near2-sample", "rgb8-near2-line"]:
    subprocess.run(["dcmdjpls", lossy + ".dcm", lossy + "-dcmtk.dcm"], check=True)
