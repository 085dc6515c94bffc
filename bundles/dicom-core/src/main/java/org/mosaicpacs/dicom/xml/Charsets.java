package org.mosaicpacs.dicom.xml;

import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.VR;

/** The character set rule shared with the JSON parser: declare UTF-8 rather than lose characters. */
final class Charsets {

    private Charsets() {
    }

    /**
     * Adds Specific Character Set "ISO_IR 192" to the root data set when none is declared (in the
     * data set or its ancestors) and a text value needs more than ASCII.
     */
    static void declareUTF8IfNeeded(Attributes ds, VR vr, String[] values) {
        if (!vr.usesSpecificCharacterSet()) {
            return;
        }
        boolean ascii = true;
        for (String v : values) {
            for (int i = 0; ascii && i < v.length(); i++) {
                ascii = v.charAt(i) < 0x80;
            }
        }
        if (ascii) {
            return;
        }
        Attributes root = ds;
        for (Attributes a = ds; a != null; a = a.getParent()) {
            if (a.contains(Tag.SpecificCharacterSet)) {
                return;
            }
            root = a;
        }
        root.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 192");
    }
}
