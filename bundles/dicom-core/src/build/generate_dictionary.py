#!/usr/bin/env python3
"""Generate the Mosaic PACS DICOM data dictionary.

Reads the JSON extraction of the DICOM standard (PS3.6 data elements and PS3.4
storage SOP classes) kept outside the repository and writes, under
bundles/dicom-core/src/main/:

  java/org/mosaicpacs/dicom/data/Tag.java        int constants, one per keyword
  java/org/mosaicpacs/dicom/data/UID.java        String constants, one per UID
  resources/org/mosaicpacs/dicom/data/elements.dic   element dictionary (tab separated)
  resources/org/mosaicpacs/dicom/data/uids.dic       UID dictionary (tab separated)

Usage (from the repository root):
  python3 bundles/dicom-core/src/build/generate_dictionary.py [../shared/dicom-standard]

The command group (PS3.7 Table E.1-1), the transfer syntaxes (PS3.5 Annex A /
PS3.6 Table A-1) and a few well-known service UIDs are short lists kept in this
script. The output is deterministic: rerunning on the same input gives the same
bytes.
"""
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
MODULE = os.path.dirname(os.path.dirname(HERE))          # bundles/dicom-core
REPO = os.path.dirname(os.path.dirname(MODULE))          # repository root
DEFAULT_SRC = os.path.join(REPO, "..", "shared", "dicom-standard")
PKG_DIR = os.path.join(MODULE, "src", "main", "java", "org", "mosaicpacs", "dicom", "data")
RES_DIR = os.path.join(MODULE, "src", "main", "resources", "org", "mosaicpacs", "dicom", "data")

# PS3.7 Table E.1-1: command elements (group 0000). (tag, keyword, VR, VM)
COMMAND_GROUP = [
    ("00000000", "CommandGroupLength", "UL", "1"),
    ("00000002", "AffectedSOPClassUID", "UI", "1"),
    ("00000003", "RequestedSOPClassUID", "UI", "1"),
    ("00000100", "CommandField", "US", "1"),
    ("00000110", "MessageID", "US", "1"),
    ("00000120", "MessageIDBeingRespondedTo", "US", "1"),
    ("00000600", "MoveDestination", "AE", "1"),
    ("00000700", "Priority", "US", "1"),
    ("00000800", "CommandDataSetType", "US", "1"),
    ("00000900", "Status", "US", "1"),
    ("00000901", "OffendingElement", "AT", "1-n"),
    ("00000902", "ErrorComment", "LO", "1"),
    ("00000903", "ErrorID", "US", "1"),
    ("00001000", "AffectedSOPInstanceUID", "UI", "1"),
    ("00001001", "RequestedSOPInstanceUID", "UI", "1"),
    ("00001002", "EventTypeID", "US", "1"),
    ("00001005", "AttributeIdentifierList", "AT", "1-n"),
    ("00001008", "ActionTypeID", "US", "1"),
    ("00001020", "NumberOfRemainingSuboperations", "US", "1"),
    ("00001021", "NumberOfCompletedSuboperations", "US", "1"),
    ("00001022", "NumberOfFailedSuboperations", "US", "1"),
    ("00001023", "NumberOfWarningSuboperations", "US", "1"),
    ("00001030", "MoveOriginatorApplicationEntityTitle", "AE", "1"),
    ("00001031", "MoveOriginatorMessageID", "US", "1"),
]

# PS3.5 Annex A / PS3.6 Table A-1: transfer syntaxes. (uid, keyword, name, retired)
TRANSFER_SYNTAXES = [
    ("1.2.840.10008.1.2", "ImplicitVRLittleEndian", "Implicit VR Little Endian", False),
    ("1.2.840.10008.1.2.1", "ExplicitVRLittleEndian", "Explicit VR Little Endian", False),
    ("1.2.840.10008.1.2.1.98", "EncapsulatedUncompressedExplicitVRLittleEndian",
     "Encapsulated Uncompressed Explicit VR Little Endian", False),
    ("1.2.840.10008.1.2.1.99", "DeflatedExplicitVRLittleEndian", "Deflated Explicit VR Little Endian", False),
    ("1.2.840.10008.1.2.2", "ExplicitVRBigEndian", "Explicit VR Big Endian", True),
    ("1.2.840.10008.1.2.4.50", "JPEGBaseline8Bit", "JPEG Baseline (Process 1)", False),
    ("1.2.840.10008.1.2.4.51", "JPEGExtended12Bit", "JPEG Extended (Process 2 & 4)", False),
    ("1.2.840.10008.1.2.4.57", "JPEGLossless", "JPEG Lossless, Non-Hierarchical (Process 14)", False),
    ("1.2.840.10008.1.2.4.70", "JPEGLosslessSV1",
     "JPEG Lossless, Non-Hierarchical, First-Order Prediction (Process 14 [Selection Value 1])", False),
    ("1.2.840.10008.1.2.4.80", "JPEGLSLossless", "JPEG-LS Lossless Image Compression", False),
    ("1.2.840.10008.1.2.4.81", "JPEGLSNearLossless", "JPEG-LS Lossy (Near-Lossless) Image Compression", False),
    ("1.2.840.10008.1.2.4.90", "JPEG2000Lossless", "JPEG 2000 Image Compression (Lossless Only)", False),
    ("1.2.840.10008.1.2.4.91", "JPEG2000", "JPEG 2000 Image Compression", False),
    ("1.2.840.10008.1.2.4.92", "JPEG2000MCLossless",
     "JPEG 2000 Part 2 Multi-component Image Compression (Lossless Only)", False),
    ("1.2.840.10008.1.2.4.93", "JPEG2000MC", "JPEG 2000 Part 2 Multi-component Image Compression", False),
    ("1.2.840.10008.1.2.4.94", "JPIPReferenced", "JPIP Referenced", False),
    ("1.2.840.10008.1.2.4.95", "JPIPReferencedDeflate", "JPIP Referenced Deflate", False),
    ("1.2.840.10008.1.2.4.100", "MPEG2MPML", "MPEG2 Main Profile / Main Level", False),
    ("1.2.840.10008.1.2.4.100.1", "MPEG2MPMLF", "Fragmentable MPEG2 Main Profile / Main Level", False),
    ("1.2.840.10008.1.2.4.101", "MPEG2MPHL", "MPEG2 Main Profile / High Level", False),
    ("1.2.840.10008.1.2.4.101.1", "MPEG2MPHLF", "Fragmentable MPEG2 Main Profile / High Level", False),
    ("1.2.840.10008.1.2.4.102", "MPEG4HP41", "MPEG-4 AVC/H.264 High Profile / Level 4.1", False),
    ("1.2.840.10008.1.2.4.102.1", "MPEG4HP41F", "Fragmentable MPEG-4 AVC/H.264 High Profile / Level 4.1", False),
    ("1.2.840.10008.1.2.4.103", "MPEG4HP41BD", "MPEG-4 AVC/H.264 BD-compatible High Profile / Level 4.1", False),
    ("1.2.840.10008.1.2.4.103.1", "MPEG4HP41BDF",
     "Fragmentable MPEG-4 AVC/H.264 BD-compatible High Profile / Level 4.1", False),
    ("1.2.840.10008.1.2.4.104", "MPEG4HP422D", "MPEG-4 AVC/H.264 High Profile / Level 4.2 For 2D Video", False),
    ("1.2.840.10008.1.2.4.104.1", "MPEG4HP422DF",
     "Fragmentable MPEG-4 AVC/H.264 High Profile / Level 4.2 For 2D Video", False),
    ("1.2.840.10008.1.2.4.105", "MPEG4HP423D", "MPEG-4 AVC/H.264 High Profile / Level 4.2 For 3D Video", False),
    ("1.2.840.10008.1.2.4.105.1", "MPEG4HP423DF",
     "Fragmentable MPEG-4 AVC/H.264 High Profile / Level 4.2 For 3D Video", False),
    ("1.2.840.10008.1.2.4.106", "MPEG4HP42STEREO", "MPEG-4 AVC/H.264 Stereo High Profile / Level 4.2", False),
    ("1.2.840.10008.1.2.4.106.1", "MPEG4HP42STEREOF",
     "Fragmentable MPEG-4 AVC/H.264 Stereo High Profile / Level 4.2", False),
    ("1.2.840.10008.1.2.4.107", "HEVCMP51", "HEVC/H.265 Main Profile / Level 5.1", False),
    ("1.2.840.10008.1.2.4.108", "HEVCM10P51", "HEVC/H.265 Main 10 Profile / Level 5.1", False),
    ("1.2.840.10008.1.2.4.110", "JPEGXLLossless", "JPEG XL Lossless", False),
    ("1.2.840.10008.1.2.4.111", "JPEGXLJPEGRecompression", "JPEG XL JPEG Recompression", False),
    ("1.2.840.10008.1.2.4.112", "JPEGXL", "JPEG XL", False),
    ("1.2.840.10008.1.2.4.201", "HTJ2KLossless", "High-Throughput JPEG 2000 Image Compression (Lossless Only)", False),
    ("1.2.840.10008.1.2.4.202", "HTJ2KLosslessRPCL",
     "High-Throughput JPEG 2000 with RPCL Options Image Compression (Lossless Only)", False),
    ("1.2.840.10008.1.2.4.203", "HTJ2K", "High-Throughput JPEG 2000 Image Compression", False),
    ("1.2.840.10008.1.2.4.204", "JPIPHTJ2KReferenced", "JPIP HTJ2K Referenced", False),
    ("1.2.840.10008.1.2.4.205", "JPIPHTJ2KReferencedDeflate", "JPIP HTJ2K Referenced Deflate", False),
    ("1.2.840.10008.1.2.5", "RLELossless", "RLE Lossless", False),
    ("1.2.840.10008.1.2.6.1", "RFC2557MIMEEncapsulation", "RFC 2557 MIME encapsulation", True),
    ("1.2.840.10008.1.2.6.2", "XMLEncoding", "XML Encoding", True),
    ("1.2.840.10008.1.2.7.1", "SMPTEST211020UncompressedProgressiveActiveVideo",
     "SMPTE ST 2110-20 Uncompressed Progressive Active Video", False),
    ("1.2.840.10008.1.2.7.2", "SMPTEST211020UncompressedInterlacedActiveVideo",
     "SMPTE ST 2110-20 Uncompressed Interlaced Active Video", False),
    ("1.2.840.10008.1.2.7.3", "SMPTEST211030PCMDigitalAudio", "SMPTE ST 2110-30 PCM Digital Audio", False),
]

# Well-known non-storage UIDs used by the services. (uid, keyword, name, type, retired)
WELL_KNOWN = [
    ("1.2.840.10008.1.1", "Verification", "Verification SOP Class", "SOP Class", False),
    ("1.2.840.10008.1.3.10", "MediaStorageDirectoryStorage", "Media Storage Directory Storage", "SOP Class", False),
    ("1.2.840.10008.1.20.1", "StorageCommitmentPushModel", "Storage Commitment Push Model SOP Class",
     "SOP Class", False),
    ("1.2.840.10008.1.20.1.1", "StorageCommitmentPushModelInstance",
     "Storage Commitment Push Model SOP Instance", "Well-known SOP Instance", False),
    ("1.2.840.10008.3.1.1.1", "DICOMApplicationContext", "DICOM Application Context Name",
     "Application Context Name", False),
    ("1.2.840.10008.3.1.2.3.3", "ModalityPerformedProcedureStep", "Modality Performed Procedure Step SOP Class",
     "SOP Class", False),
    ("1.2.840.10008.3.1.2.3.4", "ModalityPerformedProcedureStepRetrieve",
     "Modality Performed Procedure Step Retrieve SOP Class", "SOP Class", False),
    ("1.2.840.10008.3.1.2.3.5", "ModalityPerformedProcedureStepNotification",
     "Modality Performed Procedure Step Notification SOP Class", "SOP Class", False),
    ("1.2.840.10008.4.2", "StorageServiceClass", "Storage Service Class", "Service Class", False),
    ("1.2.840.10008.5.1.4.1.2.1.1", "PatientRootQueryRetrieveInformationModelFind",
     "Patient Root Query/Retrieve Information Model - FIND", "SOP Class", False),
    ("1.2.840.10008.5.1.4.1.2.1.2", "PatientRootQueryRetrieveInformationModelMove",
     "Patient Root Query/Retrieve Information Model - MOVE", "SOP Class", False),
    ("1.2.840.10008.5.1.4.1.2.1.3", "PatientRootQueryRetrieveInformationModelGet",
     "Patient Root Query/Retrieve Information Model - GET", "SOP Class", False),
    ("1.2.840.10008.5.1.4.1.2.2.1", "StudyRootQueryRetrieveInformationModelFind",
     "Study Root Query/Retrieve Information Model - FIND", "SOP Class", False),
    ("1.2.840.10008.5.1.4.1.2.2.2", "StudyRootQueryRetrieveInformationModelMove",
     "Study Root Query/Retrieve Information Model - MOVE", "SOP Class", False),
    ("1.2.840.10008.5.1.4.1.2.2.3", "StudyRootQueryRetrieveInformationModelGet",
     "Study Root Query/Retrieve Information Model - GET", "SOP Class", False),
    ("1.2.840.10008.5.1.4.1.2.3.1", "PatientStudyOnlyQueryRetrieveInformationModelFind",
     "Patient/Study Only Query/Retrieve Information Model - FIND", "SOP Class", True),
    ("1.2.840.10008.5.1.4.1.2.3.2", "PatientStudyOnlyQueryRetrieveInformationModelMove",
     "Patient/Study Only Query/Retrieve Information Model - MOVE", "SOP Class", True),
    ("1.2.840.10008.5.1.4.1.2.3.3", "PatientStudyOnlyQueryRetrieveInformationModelGet",
     "Patient/Study Only Query/Retrieve Information Model - GET", "SOP Class", True),
    ("1.2.840.10008.5.1.4.1.2.4.2", "CompositeInstanceRootRetrieveMove", "Composite Instance Root Retrieve - MOVE",
     "SOP Class", False),
    ("1.2.840.10008.5.1.4.1.2.4.3", "CompositeInstanceRootRetrieveGet", "Composite Instance Root Retrieve - GET",
     "SOP Class", False),
    ("1.2.840.10008.5.1.4.1.2.5.3", "CompositeInstanceRetrieveWithoutBulkDataGet",
     "Composite Instance Retrieve Without Bulk Data - GET", "SOP Class", False),
    ("1.2.840.10008.5.1.4.31", "ModalityWorklistInformationModelFind", "Modality Worklist Information Model - FIND",
     "SOP Class", False),
    ("1.2.840.10008.5.1.4.33", "InstanceAvailabilityNotification", "Instance Availability Notification SOP Class",
     "SOP Class", False),
]

GEN_NOTE = "Generated by src/build/generate_dictionary.py from the DICOM standard. Do not edit."


def keyword_of(name):
    words = [w for w in re.split(r"[^A-Za-z0-9]+", name) if w]
    kw = "".join(w[:1].upper() + w[1:] for w in words)
    kw = re.sub(r"^12Lead", "TwelveLead", kw)
    if kw[:1].isdigit():
        kw = "_" + kw
    return kw


def parse_tag(tag):
    """'(60XX,3000)' -> '60xx3000'; None when the tag is not 8 hex digits / x."""
    t = tag.strip("()").replace(",", "").lower()
    if not re.fullmatch(r"[0-9a-fx]{8}", t):
        return None
    return t


def tag_value(t):
    return int(t.replace("x", "0"), 16)


def vr_of(vr):
    vr = vr.strip()
    if vr.startswith("See Note") or not vr:
        return None
    return "|".join(v.strip() for v in vr.split(" or "))


def main():
    src = sys.argv[1] if len(sys.argv) > 1 else DEFAULT_SRC
    with open(os.path.join(src, "attributes.json"), encoding="utf-8") as f:
        attributes = json.load(f)
    with open(os.path.join(src, "sops.json"), encoding="utf-8") as f:
        sops = json.load(f)

    elements = {}   # tag text -> (vr, vm, retired, keyword)
    for t, kw, vr, vm in COMMAND_GROUP:
        elements[t] = (vr, vm, False, kw)
    for a in attributes:
        t = parse_tag(a["tag"])
        kw = a["keyword"].strip()
        if t is None or not kw:
            continue
        vr = vr_of(a["valueRepresentation"])
        elements[t] = (vr, a["valueMultiplicity"].strip() or "1", a["retired"] == "Y", kw)

    rows = sorted(elements.items(), key=lambda e: (tag_value(e[0]), e[0]))
    os.makedirs(RES_DIR, exist_ok=True)
    with open(os.path.join(RES_DIR, "elements.dic"), "w", encoding="utf-8", newline="\n") as f:
        f.write("# " + GEN_NOTE + "\n")
        f.write("# tag (x = any hex digit)\tVR (a|b = alternatives, - = none)\tVM\tretired (R or -)\tkeyword\n")
        for t, (vr, vm, ret, kw) in rows:
            f.write("%s\t%s\t%s\t%s\t%s\n" % (t, vr or "-", vm, "R" if ret else "-", kw))

    # Tag.java
    seen = set()
    lines = []
    for t, (vr, vm, ret, kw) in rows:
        if kw in seen:
            continue
        seen.add(kw)
        display = "(%s,%s)" % (t[:4].upper(), t[4:].upper())
        doc = "%s VR=%s VM=%s%s" % (display, (vr or "-").replace("|", " or "), vm, " (retired)" if ret else "")
        lines.append("    /** %s */\n    public static final int %s = 0x%08X;\n" % (doc, kw, tag_value(t)))
    with open(os.path.join(PKG_DIR, "Tag.java"), "w", encoding="utf-8", newline="\n") as f:
        f.write(TAG_TEMPLATE.replace("@NOTE@", GEN_NOTE).replace("@CONSTANTS@", "\n".join(lines)))

    # UIDs
    uids = []
    for uid, kw, name, ret in TRANSFER_SYNTAXES:
        uids.append((uid, kw, "Transfer Syntax", name, ret))
    for uid, kw, name, typ, ret in WELL_KNOWN:
        uids.append((uid, kw, typ, name, ret))
    known = {u[0] for u in uids}
    for s in sops:
        if s["id"] in known:
            continue
        known.add(s["id"])
        uids.append((s["id"], keyword_of(s["name"]), "Storage SOP Class", s["name"], "retired" in s["name"].lower()))
    kws = [u[1] for u in uids]
    assert len(kws) == len(set(kws)), "duplicate UID keyword"
    uids.sort(key=lambda u: [int(p) for p in u[0].split(".")])
    with open(os.path.join(RES_DIR, "uids.dic"), "w", encoding="utf-8", newline="\n") as f:
        f.write("# " + GEN_NOTE + "\n")
        f.write("# uid\tkeyword\ttype\tretired (R or -)\tname\n")
        for uid, kw, typ, name, ret in uids:
            f.write("%s\t%s\t%s\t%s\t%s\n" % (uid, kw, typ, "R" if ret else "-", name))
    lines = []
    for uid, kw, typ, name, ret in uids:
        doc = "%s: %s%s" % (typ, name.replace("*/", "* /"), " (retired)" if ret else "")
        lines.append("    /** %s */\n    public static final String %s = \"%s\";\n" % (doc, kw, uid))
    with open(os.path.join(PKG_DIR, "UID.java"), "w", encoding="utf-8", newline="\n") as f:
        f.write(UID_TEMPLATE.replace("@NOTE@", GEN_NOTE).replace("@CONSTANTS@", "\n".join(lines)))
    print("%d elements, %d UIDs" % (len(rows), len(uids)))


TAG_TEMPLATE = '''package org.mosaicpacs.dicom.data;

/**
 * DICOM data element tags as {@code int} constants ({@code group << 16 | element}), one per keyword of
 * PS3.6 (data elements, file meta elements) and PS3.7 (command elements). Repeating-group elements
 * (50xx, 60xx, 7Fxx, ...) are given with the base group; use {@link ElementDictionary} to resolve
 * any group.
 *
 * <p>@NOTE@
 */
public final class Tag {

    private Tag() {
    }

    /** Returns the group number (upper 16 bits) of a tag. */
    public static int group(int tag) {
        return tag >>> 16;
    }

    /** Returns the element number (lower 16 bits) of a tag. */
    public static int element(int tag) {
        return tag & 0xFFFF;
    }

    /** Returns whether the tag belongs to an odd (private) group other than 0001, 0003, 0005, 0007 and FFFF. */
    public static boolean isPrivate(int tag) {
        int g = tag >>> 16;
        return (g & 1) != 0 && g > 0x0008 && g != 0xFFFF;
    }

    /** Returns whether the tag is a private creator element (gggg,0010-00FF) of a private group. */
    public static boolean isPrivateCreator(int tag) {
        int e = tag & 0xFFFF;
        return isPrivate(tag) && e >= 0x0010 && e <= 0x00FF;
    }

    /** Returns whether the tag is a group length element (gggg,0000). */
    public static boolean isGroupLength(int tag) {
        return (tag & 0xFFFF) == 0;
    }

    /** Formats a tag as {@code (GGGG,EEEE)} in upper-case hexadecimal. */
    public static String toString(int tag) {
        char[] c = {'(', 0, 0, 0, 0, ',', 0, 0, 0, 0, ')'};
        for (int i = 0; i < 4; i++) {
            c[4 - i] = Character.toUpperCase(Character.forDigit((tag >>> (16 + 4 * i)) & 0xF, 16));
            c[9 - i] = Character.toUpperCase(Character.forDigit((tag >>> (4 * i)) & 0xF, 16));
        }
        return new String(c);
    }

    /**
     * Parses {@code (GGGG,EEEE)}, {@code GGGG,EEEE} or {@code GGGGEEEE} (hexadecimal).
     *
     * @throws IllegalArgumentException if the text is not a tag
     */
    public static int parse(String s) {
        String t = s.trim().replace("(", "").replace(")", "").replace(",", "");
        if (t.length() != 8) {
            throw new IllegalArgumentException("not a tag: " + s);
        }
        try {
            return (int) Long.parseLong(t, 16);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a tag: " + s, e);
        }
    }

@CONSTANTS@}
'''

UID_TEMPLATE = '''package org.mosaicpacs.dicom.data;

/**
 * DICOM unique identifiers as {@code String} constants: transfer syntaxes (PS3.5 Annex A), storage SOP
 * classes (PS3.4 Table B.5-1) and well-known service UIDs. {@link UIDDictionary} looks them up by value
 * or keyword.
 *
 * <p>@NOTE@
 */
public final class UID {

    private UID() {
    }

@CONSTANTS@}
'''

if __name__ == "__main__":
    main()
