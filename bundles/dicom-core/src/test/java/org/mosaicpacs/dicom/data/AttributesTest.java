package org.mosaicpacs.dicom.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class AttributesTest {

    @Test
    void stringsAndNumbers() {
        Attributes a = new Attributes();
        a.setString(Tag.PatientName, VR.PN, "Doe^John");
        a.setString(Tag.ImageType, VR.CS, "ORIGINAL", "PRIMARY", "AXIAL");
        a.setInt(Tag.Rows, VR.US, 512);
        a.setInt(Tag.InstanceNumber, VR.IS, 7);
        a.setDouble(Tag.PixelSpacing, VR.DS, 0.5, 0.25);
        a.setFloat(Tag.RecommendedDisplayFrameRateInFloat, VR.FL, 2.5f);
        a.setInt(0x00280106, VR.SS, -12);
        assertEquals("Doe^John", a.getString(Tag.PatientName));
        assertArrayEquals(new String[] {"ORIGINAL", "PRIMARY", "AXIAL"}, a.getStrings(Tag.ImageType));
        assertEquals(512, a.getInt(Tag.Rows, 0));
        assertEquals("512", a.getString(Tag.Rows));
        assertEquals(7, a.getInt(Tag.InstanceNumber, 0));
        assertArrayEquals(new double[] {0.5, 0.25}, a.getDoubles(Tag.PixelSpacing));
        assertEquals(2.5f, a.getFloat(Tag.RecommendedDisplayFrameRateInFloat, 0));
        assertEquals(-12, a.getInt(0x00280106, 0));
        assertEquals(-1, a.getInt(Tag.Columns, -1));
        assertNull(a.getString(Tag.Columns));
        assertEquals(7, a.size());
        assertEquals(Tag.ImageType, a.tagAt(0));
    }

    @Test
    void sortedInsertAndRemove() {
        Attributes a = new Attributes();
        int[] tags = {0x7FE00010, 0x00100010, 0xFFFEE000 - 0x10000, 0x00080016, 0x00200013, 0x00100020};
        for (int t : tags) {
            a.setString(t, VR.LO, "x");
        }
        int[] sorted = a.tags();
        for (int i = 1; i < sorted.length; i++) {
            assertEquals(-1, Integer.compareUnsigned(sorted[i - 1], sorted[i]));
        }
        a.remove(0x00100010);
        assertNull(a.getString(0x00100010));
        assertEquals(5, a.size());
    }

    @Test
    void bigEndianValues() {
        Attributes be = new Attributes(true);
        be.setInt(Tag.Rows, VR.US, 0x0102);
        assertArrayEquals(new byte[] {1, 2}, be.getBytes(Tag.Rows));
        assertArrayEquals(new byte[] {2, 1}, be.getBytes(Tag.Rows, false));
        assertArrayEquals(new byte[] {1, 2}, be.getBytes(Tag.Rows, true));
        Attributes le = new Attributes(false);
        le.addAll(be);
        assertArrayEquals(new byte[] {2, 1}, le.getBytes(Tag.Rows));
        assertEquals(le, be);
    }

    @Test
    void sequencesInheritCharacterSet() {
        Attributes a = new Attributes();
        a.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 192");
        Sequence seq = a.newSequence(Tag.ReferencedStudySequence, 1);
        Attributes item = seq.addNewItem();
        item.setString(Tag.PatientName, VR.PN, "Müller^Jürgen");
        assertSame(a, item.getParent());
        assertEquals(1, item.nestingLevel());
        assertEquals("Müller^Jürgen", item.getString(Tag.PatientName));
        assertEquals(15, item.getBytes(Tag.PatientName).length);
        assertEquals(item, a.getNestedDataset(Tag.ReferencedStudySequence));
        assertThrows(IllegalArgumentException.class, () -> item.newSequence(Tag.ReferencedSeriesSequence, 1).add(a));
    }

    @Test
    void privateElements() {
        Attributes a = new Attributes();
        a.setString(0x00290010, VR.LO, "OTHER");
        int t = a.setString("SIEMENS CSA HEADER", 0x00290008, VR.CS, "IMAGE NUM 4");
        assertEquals(0x00291108, t);
        assertEquals("SIEMENS CSA HEADER", a.getString(0x00290011));
        assertEquals("IMAGE NUM 4", a.getString("SIEMENS CSA HEADER", 0x00290008));
        assertEquals("SIEMENS CSA HEADER", a.getPrivateCreator(0x00291108));
        assertNull(a.getString("NOBODY", 0x00290008));
    }

    @Test
    void equalsIgnoresPadding() {
        Attributes a = new Attributes();
        a.setBytes(Tag.Modality, VR.CS, "CT".getBytes());
        Attributes b = new Attributes();
        b.setBytes(Tag.Modality, VR.CS, "CT".getBytes());
        assertEquals(a, b);
        b.setString(Tag.Modality, VR.CS, "MR");
        assertNotEquals(a, b);
        Attributes c = new Attributes(a);
        assertEquals(a, c);
    }

    @Test
    void decimalStringFormatting() {
        assertEquals("0.3333333333333", ValueCodec.formatDS(1.0 / 3).substring(0, 15));
        Attributes a = new Attributes();
        a.setDouble(Tag.SliceThickness, VR.DS, 1.0 / 3);
        assertEquals(1.0 / 3, a.getDouble(Tag.SliceThickness, 0), 1e-12);
        a.setDouble(Tag.SliceThickness, VR.DS, -1.234567890123e-200);
        assertEquals(true, a.getString(Tag.SliceThickness).length() <= 16);
    }
}
