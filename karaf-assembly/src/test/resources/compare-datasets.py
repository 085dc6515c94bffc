#!/usr/bin/python3
"""Compares DICOM data sets element for element with pydicom (a reader nobody here wrote).

stdin: one pair a line, "ORIGINAL<TAB>RETRIEVED". stdout: one line a difference,
"DIFF ORIGINAL TAG: what". Exit status 0 when every pair is equal, 1 otherwise.

What is not compared, because a store and a retrieve may legitimately change it:
- the File Meta Information (group 0002: Source AE Title, Implementation Class UID and
  Version Name, and the Transfer Syntax UID when the archive had to convert to one the
  receiver accepted);
- the byte order of OB/OW/OF/OL/OD/OV values, when one side is Big Endian and the other
  Little Endian (the values are compared after swapping to the same order);
- group length elements (gggg,0000): retired outside group 0002, recomputed or dropped by
  writers of a converted transfer syntax.
- Data Set Trailing Padding (FFFC,FFFC): storescu does not send it (storescu to dcmtk's own
  storescp loses it too), so the archive never receives it.
Everything else (every element, in every sequence item, its VR and value) must be equal.
"""
import sys

import pydicom
from pydicom.dataset import Dataset
from pydicom.sequence import Sequence

WORD = {"OW": 2, "OF": 4, "OL": 4, "OD": 8, "OV": 8}


def swap(value, size):
    b = bytearray(value)
    for i in range(0, len(b) - len(b) % size, size):
        b[i:i + size] = b[i:i + size][::-1]
    return bytes(b)


def compare(a, b, a_le, b_le, path, out):
    tags = sorted(set(t for t in a.keys() if t.element != 0) | set(t for t in b.keys() if t.element != 0))
    tags = [t for t in tags if t != 0xFFFCFFFC]
    for tag in tags:
        where = path + str(tag)
        if tag not in a:
            out.append(where + ": only in the retrieved copy")
            continue
        if tag not in b:
            out.append(where + ": missing from the retrieved copy")
            continue
        ea, eb = a[tag], b[tag]
        if ea.VR != eb.VR and not ({ea.VR, eb.VR} <= {"OB", "OW", "OB or OW", "UN"}):
            out.append(where + ": VR %s != %s" % (ea.VR, eb.VR))
            continue
        va, vb = ea.value, eb.value
        if isinstance(va, Sequence) or isinstance(vb, Sequence):
            if not va and not vb:
                continue  # an empty sequence, whichever way the reader represents it
            if not isinstance(va, Sequence) or not isinstance(vb, Sequence) or len(va) != len(vb):
                out.append(where + ": sequence of %s items != %s" % (
                    len(va) if va is not None else 0, len(vb) if vb is not None else 0))
                continue
            for i, (ia, ib) in enumerate(zip(va, vb)):
                compare(ia, ib, a_le, b_le, where + "[%d]" % i, out)
            continue
        if isinstance(va, (bytes, bytearray)) and isinstance(vb, (bytes, bytearray)) and a_le != b_le \
                and not getattr(a, "_pixel_encapsulated", False):
            size = WORD.get(ea.VR, 1)
            if size > 1:
                vb = swap(vb, size)
        if va != vb:
            sa, sb = repr(va), repr(vb)
            out.append(where + ": %s != %s" % (sa[:80], sb[:80]))


def little_endian(ds):
    ts = getattr(getattr(ds, "file_meta", None), "TransferSyntaxUID", None)
    return ts != "1.2.840.10008.1.2.2"


def main():
    failed = 0
    for line in sys.stdin:
        line = line.rstrip("\n")
        if not line:
            continue
        original, retrieved = line.split("\t")
        try:
            a = pydicom.dcmread(original, force=True)
            b = pydicom.dcmread(retrieved, force=True)
        except Exception as e:  # noqa: BLE001 - reported as a difference
            print("DIFF %s: cannot read: %s" % (original, e))
            failed += 1
            continue
        out = []
        compare(a, b, little_endian(a), little_endian(b), "", out)
        for d in out:
            print("DIFF %s %s" % (original, d))
        if out:
            failed += 1
    print("%d pairs differ" % failed)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
