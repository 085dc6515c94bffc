package org.mosaicpacs.deidentify.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mosaicpacs.api.deidentify.ConfidentialityOption;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Sequence;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.VR;

/**
 * One test per row of PS3.15 Table E.1-1 and per option column that changes the row, generated from the
 * same resource the engine reads ({@code action-table.tsv}, made from the standard's JSON): a data set
 * holding the attribute at the top level and inside a sequence is de-identified, and what became of the
 * attribute is checked against the row's action (combined actions resolved with the row's Type in the
 * CT Image IOD at the top level, and as unknown inside the sequence).
 */
class ActionTableRowTest {

    private static final String CT = "1.2.840.10008.5.1.4.1.1.2";
    /** A standard sequence that is not in the table: it keeps its items, the table applies inside. */
    private static final int CONTAINER = Tag.DerivationCodeSequence;
    private static final byte[] KEY = "row-test-key-0123456789".getBytes(StandardCharsets.US_ASCII);

    static Stream<Arguments> rows() {
        List<Arguments> cases = new ArrayList<>();
        for (ActionTable.Row row : ActionTable.standard().rows()) {
            if (row.tag() == ActionTable.PRIVATE) {
                continue; // PrivateAttributesTest
            }
            cases.add(Arguments.of(row.name() + " " + hex(row.tag()) + " basic", row, null));
            for (Map.Entry<ConfidentialityOption, Action> e : row.options().entrySet()) {
                cases.add(Arguments.of(row.name() + " " + hex(row.tag()) + " " + e.getKey(), row, e.getKey()));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void rowIsApplied(String name, ActionTable.Row row, ConfidentialityOption option) throws Exception {
        Set<ConfidentialityOption> options = option == null ? EnumSet.noneOf(ConfidentialityOption.class) : EnumSet.of(option);
        Profile profile = Profile.of("rows", options, KEY);
        int tag = concrete(row.tag());
        VR vr = row.vr() == VR.UN && tag != row.tag() ? VR.OB : row.vr();

        Attributes in = new Attributes();
        in.setString(Tag.SOPClassUID, VR.UI, CT);
        in.setString(Tag.SOPInstanceUID, VR.UI, "1.2.826.0.1.3680043.2.1143.1");
        in.setString(Tag.PatientName, VR.PN, "DOE^JOHN");
        in.setString(Tag.PatientID, VR.LO, "PID-4711");
        sample(in, tag, vr);
        Attributes nested = in.newSequence(CONTAINER, 1).addNewItem();
        sample(nested, tag, vr);

        Attributes out = new Engine().deidentify(in, profile).dataset();

        String code = expected(row, option);
        check(in, out, tag, vr, resolve(code, IodTypes.standard().typeOf(tag, CT)), true, option);
        Attributes outItem = out.getSequence(CONTAINER).get(0);
        check(nested, outItem, tag, vr, resolve(code, 0), false, option);
        assertEquals("YES", out.getString(Tag.PatientIdentityRemoved));
    }

    /** The row's code for the chosen option: the option's K or C when it has one, else the basic profile's. */
    private static String expected(ActionTable.Row row, ConfidentialityOption option) {
        Action a = option == null ? null : row.options().get(option);
        return a != null ? a.code() : row.basic().code();
    }

    /** The test's own reading of PS3.15 E.1.1 for combined codes; 0 = Type unknown (the conservative choice). */
    static String resolve(String code, int type) {
        switch (code) {
            case "X/Z": return type == 3 ? "X" : "Z";
            case "X/D": return type == 3 ? "X" : "D";
            case "X/Z/D": return type == 3 ? "X" : type == 2 ? "Z" : "D";
            case "Z/D": return type == 2 ? "Z" : "D";
            case "X/Z/U*": return type == 3 ? "X" : type == 2 ? "Z" : "U*";
            default: return code;
        }
    }

    static void check(Attributes in, Attributes out, int tag, VR vr, String action, boolean top,
                              ConfidentialityOption option) {
        String where = (top ? "top level" : "in a sequence") + ", action " + action;
        boolean pseudonym = tag == Tag.PatientID || tag == Tag.PatientName && top;
        switch (action) {
            case "X" -> assertFalse(out.contains(tag), where + ": removed");
            case "Z" -> {
                assertTrue(out.contains(tag), where + ": present");
                if (pseudonym) {
                    assertTrue(out.getString(tag).startsWith("ROWS-"), where + ": pseudonym, was " + out.getString(tag));
                } else if (vr == VR.SQ) {
                    assertTrue(out.getSequence(tag).isEmpty(), where + ": empty sequence");
                } else {
                    assertEquals(0, out.getBytes(tag).length, where + ": zero length");
                }
            }
            case "D" -> {
                assertTrue(out.contains(tag), where + ": present");
                if (vr == VR.SQ) {
                    Attributes item = out.getSequence(tag).get(0);
                    assertNotEquals(in.getSequence(tag).get(0).getString(Tag.ReferencedSOPInstanceUID),
                            item.getString(Tag.ReferencedSOPInstanceUID), where + ": UIDs in the dummy item replaced");
                } else {
                    assertTrue(out.getBytes(tag).length > 0, where + ": a dummy value");
                    assertFalse(java.util.Arrays.equals(in.getBytes(tag), out.getBytes(tag)), where + ": not the original");
                }
            }
            case "K" -> {
                assertTrue(out.contains(tag), where + ": kept");
                if (vr != VR.SQ) {
                    assertArrayEquals(in.getBytes(tag), out.getBytes(tag), where + ": unchanged");
                } else {
                    assertEquals(1, out.getSequence(tag).size(), where + ": items kept");
                }
            }
            case "C" -> {
                assertTrue(out.contains(tag), where + ": kept, cleaned");
                if (vr == VR.DA || vr == VR.DT) {
                    String v = out.getString(tag);
                    assertNotEquals(in.getString(tag), v, where + ": date shifted");
                    assertTrue(v.startsWith("202"), where + ": shifted by at most a year, was " + v);
                } else if (vr.isString() && vr != VR.CS && vr != VR.UI && vr != VR.TM && vr != VR.AS && vr != VR.DS
                        && vr != VR.IS && vr != VR.UR) {
                    String v = String.join("\\", out.getStrings(tag));
                    assertFalse(v.contains("DOE") || v.contains("JOHN"), where + ": patient's name cleaned out of '" + v + "'");
                }
            }
            case "U" -> {
                String[] v = out.getStrings(tag);
                assertNotNull(v, where + ": present");
                assertNotEquals(in.getString(tag), v[0], where + ": replaced");
                assertTrue(v[0].startsWith("2.25."), where + ": a 2.25 UID, was " + v[0]);
            }
            case "U*" -> {
                Sequence s = out.getSequence(tag);
                assertEquals(1, s.size(), where + ": items kept");
                String uid = s.get(0).getString(Tag.ReferencedSOPInstanceUID);
                if (option == ConfidentialityOption.RETAIN_UIDS) {
                    assertEquals("1.2.826.0.1.3680043.2.1143.99", uid, where);
                } else {
                    assertTrue(uid.startsWith("2.25."), where + ": referenced UID replaced, was " + uid);
                }
            }
            default -> throw new AssertionError("unexpected action " + action);
        }
    }

    /** A value valid for the VR that holds the patient's name where text can. */
    static void sample(Attributes ds, int tag, VR vr) {
        switch (vr) {
            case SQ -> {
                Attributes item = ds.newSequence(tag, 1).addNewItem();
                item.setString(Tag.ReferencedSOPClassUID, VR.UI, CT);
                item.setString(Tag.ReferencedSOPInstanceUID, VR.UI, "1.2.826.0.1.3680043.2.1143.99");
            }
            case AE -> ds.setString(tag, vr, "SECRET_AE");
            case AS -> ds.setString(tag, vr, "045Y");
            case CS -> ds.setString(tag, vr, "SECRET");
            case DA -> ds.setString(tag, vr, "20210315");
            case DT -> ds.setString(tag, vr, "20210315101500");
            case TM -> ds.setString(tag, vr, "101500");
            case DS -> ds.setString(tag, vr, "12.5");
            case IS -> ds.setString(tag, vr, "42");
            case PN -> ds.setString(tag, vr, "DOE^JOHN");
            case SH -> ds.setString(tag, vr, "DOE JOHN 1");
            case LO, LT, ST, UT, UC -> ds.setString(tag, vr, "Seen by DOE JOHN on Monday");
            case UI -> ds.setString(tag, vr, "1.2.826.0.1.3680043.2.1143." + (tag & 0xFFFF));
            case UR -> ds.setString(tag, vr, "http://hospital.example/doe");
            case US, SS -> ds.setInt(tag, vr, 7);
            case UL, SL -> ds.setInt(tag, vr, 7);
            case FL, FD -> ds.setDouble(tag, vr, 7.5);
            case AT -> ds.setBytes(tag, vr, new byte[] {0x10, 0, 0x10, 0});
            case SV, UV -> ds.setLong(tag, vr, 7);
            default -> ds.setBytes(tag, vr, new byte[] {1, 2, 3, 4});
        }
    }

    /** A tag of a repeating group row: the first group, element 0x3000 for curve data. */
    private static int concrete(int tag) {
        if ((tag & 0xFFFF0000) == 0x50000000 && (tag & 0xFFFF) == 0) {
            return 0x50003000;
        }
        return tag;
    }

    private static String hex(int tag) {
        return String.format("(%04X,%04X)", tag >>> 16, tag & 0xFFFF);
    }

    @org.junit.jupiter.api.Test
    void theTableHasEveryRowOfTheStandard() {
        assertEquals(621, ActionTable.standard().rows().size());
        assertNull(ActionTable.standard().lookup(CONTAINER), "the container sequence must not be in the table");
        assertNotNull(ActionTable.standard().lookup(0x60024000), "overlay comments of group 6002");
        assertNull(ActionTable.standard().lookup(0x60224000), "group 6022 is not an overlay group (6000-601E)");
    }
}
