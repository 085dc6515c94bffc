#!/usr/bin/python3
"""Makes the JPEG 2000 and 12-bit JPEG test images of dicom-image (run once; the outputs are committed).

Needs pydicom, numpy, Pillow with OpenJPEG, and dcmtk's dcmcjpeg/dcmdjpeg. For each image NAME it writes
NAME.dcm (the encapsulated instance) and NAME.raw.gz (the expected samples, little-endian int32,
pixel-interleaved, gzip):
for lossless JPEG 2000 the original samples; for lossy JPEG 2000 the original samples too (compared by PSNR);
for 12-bit JPEG the samples dcmdjpeg decodes.
"""
import gzip, io, os, subprocess, sys, tempfile
import numpy as np
from PIL import Image
import pydicom
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.encaps import encapsulate
from pydicom.uid import generate_uid, ExplicitVRLittleEndian

OUT = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(6)


def pattern(rows, cols, top):
    y, x = np.mgrid[0:rows, 0:cols]
    v = (np.sin(x / 5.0) * np.cos(y / 7.0) + 1) / 2 * top * 0.8 + rng.integers(0, max(2, top // 10), (rows, cols))
    v[rows // 3: rows // 2, cols // 4: cols // 2] = top  # a sharp edge and the extreme value
    v[0, 0] = 0
    return np.clip(v, 0, top).astype(np.int64)


def dataset(ts, rows, cols, spp, pi, bits_alloc, bits_stored, signed):
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = '1.2.840.10008.5.1.4.1.1.7'
    meta.MediaStorageSOPInstanceUID = generate_uid()
    meta.TransferSyntaxUID = ts
    ds = Dataset()
    ds.file_meta = meta
    ds.SOPClassUID = meta.MediaStorageSOPClassUID
    ds.SOPInstanceUID = meta.MediaStorageSOPInstanceUID
    ds.StudyInstanceUID = generate_uid()
    ds.SeriesInstanceUID = generate_uid()
    ds.PatientName = 'Codec^Fixture'
    ds.PatientID = 'CODEC'
    ds.Modality = 'OT'
    ds.Rows, ds.Columns = rows, cols
    ds.SamplesPerPixel = spp
    ds.PhotometricInterpretation = pi
    if spp > 1:
        ds.PlanarConfiguration = 0
    ds.BitsAllocated, ds.BitsStored, ds.HighBit = bits_alloc, bits_stored, bits_stored - 1
    ds.PixelRepresentation = 1 if signed else 0
    ds.is_little_endian = True
    ds.is_implicit_VR = False
    return ds


def save(name, ds, frame, expected):
    ds.PixelData = encapsulate([frame])
    ds['PixelData'].is_undefined_length = True
    ds['PixelData'].VR = 'OB'
    ds.save_as(os.path.join(OUT, name + '.dcm'), write_like_original=False)
    raw(name, expected)


def raw(name, samples):
    with open(os.path.join(OUT, name + '.raw.gz'), 'wb') as f:
        f.write(gzip.compress(samples.astype('<i4').tobytes(), 9, mtime=0))


def j2k(img, **kw):
    buf = io.BytesIO()
    img.save(buf, 'JPEG2000', no_jp2=True, **kw)
    return buf.getvalue()


def set_signed(codestream):
    """Marks every component of a SIZ marker as signed: a reversible codestream of unsigned samples v then
    decodes to v - 2^(B-1) (no DC level shift), which is how a signed lossless fixture is made with Pillow."""
    b = bytearray(codestream)
    siz = b.index(b'\xff\x51')
    csiz = b[siz + 38] << 8 | b[siz + 39]
    for c in range(csiz):
        b[siz + 40 + 3 * c] |= 0x80
    return bytes(b)


def j2k_fixtures():
    g8 = pattern(48, 64, 255)
    save('j2k-lossless-gray8', dataset('1.2.840.10008.1.2.4.90', 48, 64, 1, 'MONOCHROME2', 8, 8, False),
         j2k(Image.fromarray(g8.astype(np.uint8), 'L'), irreversible=False), g8)
    g12 = pattern(40, 56, 4095)
    i16 = Image.frombytes('I;16', (56, 40), g12.astype('<u2').tobytes())
    # 12-bit samples in 16: the codestream says 16 bits, Bits Stored 12 (what many modalities write)
    save('j2k-lossless-gray12', dataset('1.2.840.10008.1.2.4.90', 40, 56, 1, 'MONOCHROME2', 16, 12, False),
         j2k(i16, irreversible=False), g12)
    g16 = pattern(40, 56, 65535)
    cs = set_signed(j2k(Image.frombytes('I;16', (56, 40), g16.astype('<u2').tobytes()), irreversible=False))
    save('j2k-lossless-signed16', dataset('1.2.840.10008.1.2.4.90', 40, 56, 1, 'MONOCHROME2', 16, 16, True),
         cs, g16 - 32768)
    rgb = np.stack([pattern(40, 48, 255), pattern(40, 48, 255)[::-1], pattern(40, 48, 255)[:, ::-1]], axis=-1)
    img = Image.fromarray(rgb.astype(np.uint8), 'RGB')
    save('j2k-lossless-rct', dataset('1.2.840.10008.1.2.4.90', 40, 48, 3, 'YBR_RCT', 8, 8, False),
         j2k(img, irreversible=False, mct=1), rgb)
    save('j2k-lossless-rgb', dataset('1.2.840.10008.1.2.4.90', 40, 48, 3, 'RGB', 8, 8, False),
         j2k(img, irreversible=False, mct=0), rgb)
    save('j2k-lossy-ict', dataset('1.2.840.10008.1.2.4.91', 40, 48, 3, 'YBR_ICT', 8, 8, False),
         j2k(img, irreversible=True, mct=1, quality_mode='rates', quality_layers=[4]), rgb)
    save('j2k-lossy-gray12', dataset('1.2.840.10008.1.2.4.91', 40, 56, 1, 'MONOCHROME2', 16, 12, False),
         j2k(i16, irreversible=True, quality_mode='rates', quality_layers=[4]), g12)


def jpeg12(name, rows, cols, extra):
    """A native 12-bit image compressed by dcmcjpeg (process 4), expected samples from dcmdjpeg."""
    v = pattern(rows, cols, 4095)
    ds = dataset(ExplicitVRLittleEndian, rows, cols, 1, 'MONOCHROME2', 16, 12, False)
    ds.PixelData = v.astype('<u2').tobytes()
    with tempfile.TemporaryDirectory() as t:
        src, jpg, back = (os.path.join(t, n) for n in ('src.dcm', 'jpg.dcm', 'back.dcm'))
        ds.save_as(src, write_like_original=False)
        subprocess.run(['dcmcjpeg', '--encode-extended', '+bt', *extra, src, jpg], check=True)
        subprocess.run(['dcmdjpeg', jpg, back], check=True)
        decoded = pydicom.dcmread(back).pixel_array.astype(np.int64)
        out = pydicom.dcmread(jpg)
        out.save_as(os.path.join(OUT, name + '.dcm'))
        raw(name, decoded)


if __name__ == '__main__':
    j2k_fixtures()
    jpeg12('jpeg12-gray', 48, 64, ['+q', '90'])
    jpeg12('jpeg12-gray-odd', 37, 53, ['+q', '75'])
