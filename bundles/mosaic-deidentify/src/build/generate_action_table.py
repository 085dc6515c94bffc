#!/usr/bin/env python3
"""Generate the de-identification tables of mosaic-deidentify.

Reads the JSON extraction of the DICOM standard kept outside the repository and writes,
under bundles/mosaic-deidentify/src/main/resources/org/mosaicpacs/deidentify/internal/:

  action-table.tsv   PS3.15 Table E.1-1: one row per attribute, its action in the Basic
                     Application Level Confidentiality Profile and in each option column,
                     with the VR of the attribute (PS3.6) for test data and dummy values
  iod-types.tsv      the Type (1, 2, 3) of the attributes that have a combined action
                     (X/Z, X/D, X/Z/D, Z/D, X/Z/U*) in the IODs of the storage SOP classes

The JSON extraction has the IODs and modules by name only (ciods.json, modules.json: name, id,
description, link), with no module of an IOD and no attribute (nor its Type) of a module, so the
types come from a short list kept in this script (TYPES below, read from PS3.3), expanded
to SOP Class UIDs with sops.json; the script stops if the extraction ever carries more, and checks
that every IOD sops.json names is in ciods.json. An attribute or IOD not listed there is resolved by
the engine as the most conservative valid choice (see the bundle README); those attributes are
listed as "# untyped" comment lines of iod-types.tsv.

Usage (from the repository root):
  python3 bundles/mosaic-deidentify/src/build/generate_action_table.py [../shared/dicom-standard]

The output is deterministic: rerunning on the same input gives the same bytes.
"""
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
MODULE = os.path.dirname(os.path.dirname(HERE))          # bundles/mosaic-deidentify
REPO = os.path.dirname(os.path.dirname(MODULE))          # repository root
DEFAULT_SRC = os.path.join(REPO, "..", "shared", "dicom-standard")
RES_DIR = os.path.join(MODULE, "src", "main", "resources", "org", "mosaicpacs", "deidentify", "internal")

# Option columns of the JSON, in the order of the table's columns.
OPTIONS = [
    "rtnSafePrivOpt", "rtnUIDsOpt", "rtnDevIdOpt", "rtnInstIdOpt", "rtnPatCharsOpt",
    "rtnLongFullDatesOpt", "rtnLongModifDatesOpt", "cleanDescOpt", "cleanStructContOpt", "cleanGraphOpt",
]

ACTIONS = {"D", "Z", "X", "K", "C", "U", "X/Z", "X/D", "X/Z/D", "Z/D", "X/Z/U*"}

# Types from PS3.3 of the attributes with a combined action, at the top level of a data set.
# (tag, type, IOD name pattern: a regular expression matched against sops.json "ciod", or "*").
# Later lines for the same tag win over earlier ones.
ENHANCED = r"^(Enhanced|Legacy Converted Enhanced)"
SR = r"(SR|Key Object Selection Document|Acquisition Context SR|Simplified Adult Echo SR|Waveform Annotation SR|Planned Imaging Agent Administration SR|Performed Imaging Agent Administration SR|Enhanced X-Ray Radiation Dose SR|Patient Radiation Dose SR|Macular Grid Thickness and Volume Report)$"
SEG = r"^(Segmentation|Surface Segmentation|Label Map Segmentation|Heightmap Segmentation)$"
TYPES = [
    ("00080022", 3, "*"),          # Acquisition Date: General Image / General Acquisition, Type 3
    ("00080032", 3, "*"),          # Acquisition Time: Type 3
    ("0008002A", 3, "*"),          # Acquisition DateTime: Type 3 ...
    ("0008002A", 1, ENHANCED),     # ... Type 1C in the enhanced image modules (original images)
    ("00080023", 2, "*"),          # Content Date: General Image, Type 2C
    ("00080023", 1, ENHANCED),     # Multi-frame Functional Groups: Type 1
    ("00080023", 1, SR),           # SR Document General, Key Object Document: Type 1
    ("00080023", 1, SEG),          # Segmentation images: Type 1
    ("00080033", 2, "*"),          # Content Time: as Content Date
    ("00080033", 1, ENHANCED),
    ("00080033", 1, SR),
    ("00080033", 1, SEG),
    ("00700084", 2, "*"),          # Content Creator's Name: Presentation State Identification, Type 2
    ("00180010", 2, "*"),          # Contrast/Bolus Agent: Contrast/Bolus module, Type 2
    ("00181000", 3, "*"),          # Device Serial Number: General Equipment, Type 3 ...
    ("00181000", 1, ENHANCED),     # ... Enhanced General Equipment: Type 1
    ("00181000", 1, SEG),
    ("00080012", 3, "*"),          # Instance Creation Date: SOP Common, Type 3
    ("00080013", 3, "*"),          # Instance Creation Time: SOP Common, Type 3
    ("00080082", 3, "*"),          # Institution Code Sequence: General Equipment, Type 3
    ("00080080", 3, "*"),          # Institution Name: General Equipment, Type 3
    ("00081072", 3, "*"),          # Operator Identification Sequence: General Series, Type 3
    ("00081070", 3, "*"),          # Operators' Name: General Series, Type 3
    ("00102203", 2, "*"),          # Patient's Sex Neutered: Patient, Type 2C
    ("00100020", 2, "*"),          # Patient ID: Patient, Type 2
    ("00181030", 3, "*"),          # Protocol Name: General Series, Type 3
    ("00081140", 3, "*"),          # Referenced Image Sequence: General Image, Type 3
    ("00081111", 3, "*"),          # Referenced Performed Procedure Step Sequence: General Series, Type 3
    ("00081110", 3, "*"),          # Referenced Study Sequence: General Study, Type 3
    ("00321060", 3, "*"),          # Requested Procedure Description: Type 3
    ("300E0008", 2, "*"),          # Reviewer Name: Approval, Type 2C
    ("00080021", 3, "*"),          # Series Date: General Series, Type 3
    ("00080031", 3, "*"),          # Series Time: General Series, Type 3
    ("00082112", 3, "*"),          # Source Image Sequence: General Image, Type 3
    ("00081010", 3, "*"),          # Station Name: General Equipment, Type 3
    ("0018700A", 3, "*"),          # Detector ID: DX Detector, Type 3
    ("0018700C", 3, "*"),          # Date of Last Detector Calibration: Type 3
    ("0018700E", 3, "*"),          # Time of Last Detector Calibration: Type 3
    ("00181400", 3, "*"),          # Acquisition Device Processing Description: Type 3
    ("00400555", 2, ENHANCED),     # Acquisition Context Sequence: Acquisition Context module, Type 2
    ("300A0006", 2, "*"),          # RT Plan Date: RT General Plan, Type 2
    ("300A0007", 2, "*"),          # RT Plan Time: RT General Plan, Type 2
]


def load(src, name):
    with open(os.path.join(src, name), encoding="utf-8") as f:
        return json.load(f)


def tag_and_mask(tag):
    """'(0008,0050)' -> ('00080050', 'FFFFFFFF'); x digits become 0 in the tag and in the mask."""
    m = re.fullmatch(r"\(([0-9A-Fa-fXx]{4}),([0-9A-Fa-fXx]{4})\)", tag)
    if not m:
        return None
    hexes = (m.group(1) + m.group(2)).upper()
    t = "".join("0" if c == "X" else c for c in hexes)
    mask = "".join("0" if c == "X" else "F" for c in hexes)
    return t, mask


def main():
    src = sys.argv[1] if len(sys.argv) > 1 else DEFAULT_SRC
    rows = load(src, "confidentiality_profile_attributes.json")
    attributes = load(src, "attributes.json")
    sops = load(src, "sops.json")
    ciods = load(src, "ciods.json")
    modules = load(src, "modules.json")

    # The extraction names the IODs and modules but gives no module of an IOD and no attribute of a module
    # (see the module docstring): check that this is still so, so that a richer extraction is noticed and
    # the Types are then generated from it instead of TYPES.
    richer = [k for x in ciods + modules for k in x if k not in ("name", "id", "description", "linkToStandard")]
    if richer:
        sys.exit("ciods.json/modules.json now carry %s: generate the Types from them" % sorted(set(richer)))
    # Every SOP class names an IOD of ciods.json, so the patterns of TYPES match real IOD names.
    ciod_names = {c["name"] for c in ciods}
    missing = sorted({s["ciod"] for s in sops} - ciod_names)
    if missing:
        sys.exit("sops.json names IODs that ciods.json does not have: %s" % missing)

    # attributes.json has no command group (PS3.7 Table E.1-1): its two UIDs in the table.
    vr_of = {"00001000FFFFFFFF": "UI", "00001001FFFFFFFF": "UI"}
    keyword_of = {"00001000FFFFFFFF": "AffectedSOPInstanceUID", "00001001FFFFFFFF": "RequestedSOPInstanceUID"}
    for a in attributes:
        tm = tag_and_mask(a["tag"])
        if tm:
            vr_of[tm[0] + tm[1]] = (a.get("valueRepresentation") or "UN").split(" ")[0]
            keyword_of[tm[0] + tm[1]] = a.get("keyword") or ""

    out = []
    for r in rows:
        action = r["basicProfile"].strip()
        if action not in ACTIONS:
            sys.exit("unknown action %r for %s" % (action, r["tag"]))
        tm = tag_and_mask(r["tag"])
        if tm is None:
            if "GGGG IS ODD" not in r["tag"].upper():
                sys.exit("unknown tag form %r" % r["tag"])
            tag, mask, vr, keyword = "PRIVATE", "-", "-", "PrivateAttributes"
        else:
            tag, mask = tm
            vr = vr_of.get(tag + mask, "UN")
            keyword = keyword_of.get(tag + mask, "") or re.sub(r"[^A-Za-z0-9]", "", r["name"].title())
        opts = []
        for o in OPTIONS:
            v = (r.get(o) or "-").strip()
            if v not in ("-", "K", "C"):
                sys.exit("unknown option action %r for %s %s" % (v, r["tag"], o))
            opts.append(v)
        out.append((tag, mask, vr, keyword, action, opts, " ".join(r["name"].split())))
    out.sort(key=lambda x: (x[0] == "PRIVATE", x[0]))

    os.makedirs(RES_DIR, exist_ok=True)
    with open(os.path.join(RES_DIR, "action-table.tsv"), "w", encoding="utf-8", newline="\n") as f:
        f.write("# PS3.15 Table E.1-1 (Application Level Confidentiality Profile Attributes).\n")
        f.write("# Generated by src/build/generate_action_table.py from confidentiality_profile_attributes.json\n")
        f.write("# and attributes.json of the JSON extraction of the DICOM standard. Do not edit.\n")
        f.write("# tag\tmask\tvr\tkeyword\tbasic\t" + "\t".join(OPTIONS) + "\tname\n")
        for tag, mask, vr, keyword, action, opts, name in out:
            f.write("\t".join([tag, mask, vr, keyword, action] + opts + [name]) + "\n")

    combined = {t for t, _, _, _, a, _, _ in out if "/" in a}
    by_tag = {}
    for tag, typ, pattern in TYPES:
        if tag not in combined:
            sys.exit("type given for %s, which has no combined action" % tag)
        if pattern == "*":
            uids = ["*"]
        else:
            uids = sorted({s["id"] for s in sops if re.search(pattern, s["ciod"])},
                          key=lambda u: [int(p) for p in u.split(".")])
            if not uids:
                sys.exit("no SOP class matches %r" % pattern)
        by_tag.setdefault(tag, []).append((typ, uids))
    with open(os.path.join(RES_DIR, "iod-types.tsv"), "w", encoding="utf-8", newline="\n") as f:
        f.write("# Type of attributes with a combined action, per storage SOP class (PS3.3).\n")
        f.write("# Generated by src/build/generate_action_table.py (its TYPES list, SOP classes from sops.json). Do not edit.\n")
        f.write("# tag\ttype\tSOP Class UIDs (comma separated; * = any other)\n")
        for tag in sorted(by_tag):
            for typ, uids in by_tag[tag]:
                f.write("%s\t%d\t%s\n" % (tag, typ, ",".join(uids)))
        # the combined-action tags with no Type here: resolved by the engine as Type unknown (the most
        # conservative valid choice); listed so that tests and readers see which they are
        untyped = sorted((t, a, n) for t, _, _, _, a, _, n in out if "/" in a and t not in by_tag and t != "PRIVATE")
        f.write("# Combined-action attributes without a Type here (resolved as Type unknown: D where allowed, else Z, else U*):\n")
        for tag, action, name in untyped:
            f.write("# untyped\t%s\t%s\t%s\n" % (tag, action, name))
    print("action-table.tsv: %d rows; iod-types.tsv: %d tags typed, %d untyped" % (len(out), len(by_tag), len(untyped)))


if __name__ == "__main__":
    main()
