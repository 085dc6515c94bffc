package org.mosaicpacs.deidentify.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mosaicpacs.api.deidentify.ConfidentialityOption;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.VR;

/**
 * One test per row of {@code iod-types.tsv} (generated with the action table by
 * {@code src/build/generate_action_table.py}): an instance of a SOP class of that row (for a row of every other
 * class, one no other row of the tag names) holds the attribute at the top level, and its combined action of
 * PS3.15 Table E.1-1 must be resolved with that Type (X/Z, X/D, X/Z/D, Z/D, X/Z/U* as E.1.1 says). The rows are
 * read from the resource itself, not through {@link IodTypes}, so a wrong lookup fails here. Also: every tag with a
 * combined action that the resource names no Type for is listed in it as resolved conservatively, and is.
 */
class IodTypeRowTest {

    private static final byte[] KEY = "iod-type-key-0123456789".getBytes(StandardCharsets.US_ASCII);
    /** Candidates for "any other class": Secondary Capture, CR, MR, US, XA, NM, PET. */
    private static final List<String> OTHERS = List.of("1.2.840.10008.5.1.4.1.1.7", "1.2.840.10008.5.1.4.1.1.1",
            "1.2.840.10008.5.1.4.1.1.4", "1.2.840.10008.5.1.4.1.1.6.1", "1.2.840.10008.5.1.4.1.1.12.1",
            "1.2.840.10008.5.1.4.1.1.20", "1.2.840.10008.5.1.4.1.1.128");

    record TypeRow(int tag, int type, List<String> sopClasses) {
    }

    static List<TypeRow> typeRows() throws Exception {
        List<TypeRow> rows = new ArrayList<>();
        try (InputStream in = IodTypes.class.getResourceAsStream("iod-types.tsv")) {
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t");
                rows.add(new TypeRow((int) Long.parseLong(f[0], 16), Integer.parseInt(f[1]), List.of(f[2].split(","))));
            }
        }
        return rows;
    }

    static Stream<Arguments> rows() throws Exception {
        List<TypeRow> all = typeRows();
        List<Arguments> cases = new ArrayList<>();
        for (TypeRow row : all) {
            String sopClass;
            if (!row.sopClasses().contains("*")) {
                sopClass = row.sopClasses().get(0);
            } else {
                Set<String> named = new HashSet<>();
                all.stream().filter(o -> o.tag() == row.tag()).forEach(o -> named.addAll(o.sopClasses()));
                sopClass = OTHERS.stream().filter(c -> !named.contains(c)).findFirst().orElseThrow();
            }
            cases.add(Arguments.of(String.format("%08X type %d in %s", row.tag(), row.type(), sopClass), row, sopClass));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void combinedActionResolvedWithTheTypeOfTheRow(String name, TypeRow row, String sopClass) throws Exception {
        ActionTable.Row action = ActionTable.standard().rows().stream().filter(r -> r.tag() == row.tag()).findFirst()
                .orElseThrow(() -> new AssertionError(name + ": not in the action table"));
        String code = action.basic().code();
        assertTrue(code.contains("/"), name + ": has a combined action, not " + code);
        VR vr = action.vr();
        Attributes in = new Attributes();
        in.setString(Tag.SOPClassUID, VR.UI, sopClass);
        in.setString(Tag.SOPInstanceUID, VR.UI, "1.2.826.0.1.3680043.2.1143.2");
        in.setString(Tag.PatientName, VR.PN, "DOE^JOHN");
        in.setString(Tag.PatientID, VR.LO, "PID-4711");
        ActionTableRowTest.sample(in, row.tag(), vr);
        Attributes out = new Engine().deidentify(in, Profile.of("rows", EnumSet.noneOf(ConfidentialityOption.class), KEY))
                .dataset();
        ActionTableRowTest.check(in, out, row.tag(), vr, ActionTableRowTest.resolve(code, row.type()), true, null);
    }

    /** The combined-action tags without a Type are named in the resource's comments and resolved as unknown (0). */
    @Test
    void tagsWithoutATypeAreListedAndResolvedConservatively() throws Exception {
        Set<Integer> typed = new HashSet<>();
        typeRows().forEach(r -> typed.add(r.tag()));
        Set<String> listed = new HashSet<>();
        try (InputStream in = IodTypes.class.getResourceAsStream("iod-types.tsv")) {
            new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines()
                    .filter(l -> l.startsWith("# untyped\t")).forEach(l -> listed.add(l.split("\t")[1]));
        }
        int untyped = 0;
        for (ActionTable.Row row : ActionTable.standard().rows()) {
            if (!row.basic().code().contains("/") || typed.contains(row.tag()) || row.tag() == ActionTable.PRIVATE) {
                continue;
            }
            untyped++;
            String hex = String.format("%08X", row.tag());
            assertTrue(listed.contains(hex), hex + " has a combined action and no Type: the generator lists it");
            assertEquals(0, IodTypes.standard().typeOf(row.tag(), "1.2.840.10008.5.1.4.1.1.2"), hex);
        }
        assertEquals(untyped, listed.size(), "every listed tag is one without a Type");
    }
}
