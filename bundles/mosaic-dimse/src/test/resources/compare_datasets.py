"""Compares the data sets (not the file meta information) of two DICOM files element by element with
pydicom, independently of Mosaic's own reader: same tags, same values; binary values (OB/OW/...) are
compared as little endian bytes, so a Big Endian original and its Little Endian copy compare equal.
Prints one line per difference and exits 1 if there is any, else prints the number of elements compared."""
import sys
from array import array

import pydicom

BINARY = {"OB", "OW", "OF", "OD", "OL", "OV", "UN", "OB or OW", "US or OW"}


def le_bytes(elem, little_endian):
    value = elem.value
    if little_endian or not isinstance(value, (bytes, bytearray)):
        return value
    width = {"OW": 2, "OB or OW": 2, "US or OW": 2, "OF": 4, "OL": 4, "OD": 8, "OV": 8}.get(elem.VR, 1)
    if width == 1:
        return value
    a = array({2: "H", 4: "I", 8: "Q"}[width])
    a.frombytes(value)
    a.byteswap()
    return a.tobytes()


def compare(a, b, a_le, b_le, path, diffs):
    count = 0
    tags_a = {e.tag for e in a if e.tag.group != 0x0002}
    tags_b = {e.tag for e in b if e.tag.group != 0x0002}
    for t in sorted(tags_a - tags_b):
        diffs.append(f"{path}{t}: missing in the copy")
    for t in sorted(tags_b - tags_a):
        diffs.append(f"{path}{t}: only in the copy")
    for t in sorted(tags_a & tags_b):
        ea, eb = a[t], b[t]
        count += 1
        if ea.VR == "SQ" or eb.VR == "SQ":
            if len(ea.value) != len(eb.value):
                diffs.append(f"{path}{t}: {len(ea.value)} items vs {len(eb.value)}")
                continue
            for i, (ia, ib) in enumerate(zip(ea.value, eb.value)):
                count += compare(ia, ib, a_le, b_le, f"{path}{t}[{i}].", diffs)
            continue
        va = le_bytes(ea, a_le) if ea.VR in BINARY else ea.value
        vb = le_bytes(eb, b_le) if eb.VR in BINARY else eb.value
        if va != vb:
            diffs.append(f"{path}{t} {ea.keyword}: {str(va)[:60]!r} vs {str(vb)[:60]!r}")
    return count


def main():
    a = pydicom.dcmread(sys.argv[1])
    b = pydicom.dcmread(sys.argv[2])
    diffs = []
    n = compare(a, b, a.is_little_endian, b.is_little_endian, "", diffs)
    for d in diffs:
        print(d)
    if diffs:
        sys.exit(1)
    print(f"same {n} elements; transfer syntaxes {a.file_meta.TransferSyntaxUID} -> {b.file_meta.TransferSyntaxUID}")


if __name__ == "__main__":
    main()
