package org.mosaicpacs.dicom.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ElementDictionaryTest {

    private final ElementDictionary dict = ElementDictionary.standard();

    @Test
    void standardElements() {
        assertEquals(0x00100010, Tag.PatientName);
        assertEquals(VR.PN, dict.vrOf(0x00100010));
        assertEquals("PatientName", dict.keywordOf(0x00100010));
        assertEquals("1", dict.vmOf(0x00100010));
        assertEquals(Tag.PatientName, dict.tagForKeyword("PatientName"));
        assertEquals(VR.SQ, dict.vrOf(Tag.ReferencedSeriesSequence));
        assertEquals(VR.UI, dict.vrOf(Tag.TransferSyntaxUID));
        assertEquals(0x00020010, Tag.TransferSyntaxUID);
        assertEquals(-1, dict.tagForKeyword("NoSuchKeyword"));
        assertNull(dict.vrOf(0x00091234 & 0xFFFF0000 | 0x7777));
    }

    @Test
    void repeatingGroups() {
        assertEquals(VR.OW, dict.vrOf(0x60023000));
        assertEquals("OverlayData", dict.keywordOf(0x60023000));
        assertArrayEquals(new VR[] {VR.OB, VR.OW}, dict.vrsOf(0x60023000));
        assertEquals(VR.US, dict.vrOf(0x601E0010));
        assertEquals("CurveData", dict.keywordOf(0x50043000));
        assertTrue(dict.isRetired(0x50043000));
        assertNull(dict.keywordOf(0x60033000), "odd group is private");
    }

    @Test
    void commandGroupAndGroupLengths() {
        assertEquals(0x00000900, Tag.Status);
        assertEquals(VR.US, dict.vrOf(Tag.Status));
        assertEquals("Status", dict.keywordOf(0x00000900));
        assertEquals(VR.AE, dict.vrOf(Tag.MoveDestination));
        assertEquals(VR.UL, dict.vrOf(0x00080000));
        assertEquals(VR.UL, dict.vrOf(Tag.FileMetaInformationGroupLength));
        assertEquals(VR.LO, dict.vrOf(0x00290010));
        assertFalse(dict.isRetired(Tag.Status));
    }

    @Test
    void multiVR() {
        assertArrayEquals(new VR[] {VR.US, VR.SS}, dict.vrsOf(Tag.SmallestImagePixelValue));
        assertEquals(VR.US, dict.vrOf(Tag.SmallestImagePixelValue));
        assertEquals(VR.OW, dict.vrOf(Tag.PixelData));
    }

    @Test
    void privateDictionary() {
        ElementDictionary csa = ElementDictionary.forPrivateCreator("SIEMENS CSA HEADER");
        assertEquals(VR.OB, csa.vrOf(0x00291010));
        assertEquals(VR.OB, csa.vrOf(0x00291110));
        assertEquals("CSAImageHeaderInfo", csa.keywordOf(0x00291210));
        assertEquals(VR.UN, ElementDictionary.vrOf(0x00291099, "SIEMENS CSA HEADER"));
        assertEquals(VR.UN, ElementDictionary.vrOf(0x00091001, "UNKNOWN CREATOR"));
        assertTrue(ElementDictionary.privateCreators().contains("GEMS_IDEN_01"));
    }

    @Test
    void uids() {
        assertEquals("1.2.840.10008.1.1", UID.Verification);
        assertEquals("1.2.840.10008.5.1.4.1.1.2", UID.CTImageStorage);
        assertEquals("CT Image Storage", UIDDictionary.nameOf(UID.CTImageStorage));
        assertTrue(UIDDictionary.isStorageSOPClass(UID.CTImageStorage));
        assertEquals(UID.StudyRootQueryRetrieveInformationModelFind, UIDDictionary.forKeyword(
                "StudyRootQueryRetrieveInformationModelFind"));
        assertEquals("Transfer Syntax", UIDDictionary.typeOf(UID.JPEG2000Lossless));
        assertTrue(UIDDictionary.isRetired(UID.ExplicitVRBigEndian));
        assertTrue(TransferSyntax.of(UID.JPEGBaseline8Bit).isEncapsulated());
        assertTrue(TransferSyntax.of(UID.ExplicitVRBigEndian).isBigEndian());
        assertFalse(TransferSyntax.of(UID.ImplicitVRLittleEndian).isExplicitVR());
        assertTrue(TransferSyntax.of(UID.DeflatedExplicitVRLittleEndian).isDeflated());
        assertFalse(TransferSyntax.of(UID.ExplicitVRLittleEndian).isEncapsulated());
    }

    @Test
    void wholeDictionaryLoaded() {
        assertTrue(dict.size() > 5100, "size " + dict.size());
        assertEquals(Tag.FileMetaInformationVersion, dict.tagForKeyword("FileMetaInformationVersion"));
        assertEquals(VR.OB, dict.vrOf(Tag.FileMetaInformationVersion));
        assertEquals(VR.SV, dict.vrOf(dict.tagForKeyword("SelectorSVValue")));
        assertEquals(VR.UV, dict.vrOf(dict.tagForKeyword("SelectorUVValue")));
        assertEquals(VR.OV, dict.vrOf(dict.tagForKeyword("ExtendedOffsetTable")));
        assertEquals(VR.AT, dict.vrOf(Tag.OffendingElement));
        assertEquals("1-n", dict.vmOf(Tag.OffendingElement));
        assertTrue(UIDDictionary.uids().size() > 200);
    }

    @Test
    void vrBehaviour() {
        assertEquals(8, VR.PN.headerLength());
        assertEquals(12, VR.OB.headerLength());
        assertEquals(12, VR.UC.headerLength());
        assertEquals(12, VR.UR.headerLength());
        assertEquals(12, VR.SV.headerLength());
        assertEquals(' ', VR.LO.paddingByte());
        assertEquals(0, VR.UI.paddingByte());
        assertEquals(0, VR.OB.paddingByte());
        assertTrue(VR.DS.isString());
        assertTrue(VR.OL.isBinary());
        assertTrue(VR.SQ.isSequence());
        assertFalse(VR.SQ.isBinary());
        assertEquals(VR.OD, VR.fromCode("OD"));
        assertNull(VR.fromCode("ZZ"));
        assertEquals(8, VR.OV.swapUnit());
        assertEquals(2, VR.AT.swapUnit());
        assertTrue(VR.PN.usesSpecificCharacterSet());
        assertFalse(VR.UI.usesSpecificCharacterSet());
        assertEquals(34, VR.values().length, "the 34 VRs of PS3.5 Table 6.2-1");
    }

    @Test
    void tagFormatting() {
        assertEquals("(7FE0,0010)", Tag.toString(Tag.PixelData));
        assertEquals(Tag.PixelData, Tag.parse("(7fe0,0010)"));
        assertTrue(Tag.isPrivateCreator(0x00290010));
        assertFalse(Tag.isPrivate(0x00280010));
    }
}
