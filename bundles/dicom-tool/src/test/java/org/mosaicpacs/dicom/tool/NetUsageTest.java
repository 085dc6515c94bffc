package org.mosaicpacs.dicom.tool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.VR;

/** Help, wrong arguments and key parsing of the network commands (no network). */
class NetUsageTest {

    @Test
    void everyNetworkVerbHasHelp() {
        for (String verb : List.of("echo", "store", "find", "get", "move", "listen")) {
            MainTest.Run r = MainTest.run(verb, "--help");
            assertEquals(0, r.status, verb);
            assertTrue(r.out.startsWith("usage: mosaic-dicom " + verb + " "), r.out);
            assertTrue(r.out.contains("--tls") && r.out.contains("--max-pdu"), r.out);
        }
        MainTest.Run all = MainTest.run("--help");
        for (String verb : List.of("echo", "store", "find", "get", "move", "listen")) {
            assertTrue(all.out.contains("  " + verb + " "), all.out);
        }
    }

    private static void usage(String expected, String... args) {
        MainTest.Run r = MainTest.run(args);
        assertEquals(2, r.status, r.err);
        assertEquals(1, r.err.lines().count(), r.err);
        assertTrue(r.err.contains(expected), r.err);
    }

    @Test
    void wrongArgumentsAreOneLine() {
        usage("missing -c AET@host:port", "echo");
        usage("-c needs AET@host:port", "echo", "-c", "host:104");
        usage("-c needs AET@host:port", "echo", "-c", "AET@host");
        usage("bad port", "echo", "-c", "AET@host:70000");
        usage("is not an AE title", "echo", "-c", "ABCDEFGHIJKLMNOPQ@host:104");
        usage("is not an AE title", "echo", "-c", "A@h:1", "-b", "BACK\\SLASH");
        usage("missing FILE|DIR", "store", "-c", "A@h:1");
        usage("missing --directory", "listen", "-b", "A@127.0.0.1:0");
        usage("listen takes -b", "listen", "-c", "A@h:1", "--directory", "x");
        usage("missing --dest", "move", "-c", "A@h:1", "-m", "PatientID=1");
        usage("missing --directory", "get", "-c", "A@h:1");
        usage("-m needs KEY=VALUE", "find", "-c", "A@h:1", "-m", "PatientID");
        usage("needs numbers", "find", "-c", "A@h:1", "-m", "Rows=many");
        usage("option --max-pdu needs a number", "echo", "-c", "A@h:1", "--max-pdu", "big");
        usage("unknown option --frob", "echo", "-c", "A@h:1", "--frob");
    }

    @Test
    void keysByKeywordTagAndPath() throws Exception {
        Args a = new Args(List.of("-L", "series", "-m", "PatientID=P1", "-m", "(0008,0060)=CT\\MR", "-m",
                "0020000D=1.2", "-m", "RequestAttributesSequence.RequestedProcedureID=R1", "-m", "Rows=512",
                "-m", "PatientName=Müller*", "-r", "00080020", "-r", "ReferencedSeriesSequence"),
                Set.of(), Set.of("-L", "-m", "-r"));
        Attributes keys = Keys.identifier(a, true);
        assertEquals("SERIES", keys.getString(Tag.QueryRetrieveLevel));
        assertEquals("P1", keys.getString(Tag.PatientID));
        assertEquals(List.of("CT", "MR"), List.of(keys.getStrings(Tag.Modality)));
        assertEquals("1.2", keys.getString(Tag.StudyInstanceUID));
        assertEquals("R1", keys.getSequence(Tag.RequestAttributesSequence).get(0).getString(Tag.RequestedProcedureID));
        assertEquals(512, keys.getInt(Tag.Rows, 0));
        assertEquals("Müller*", keys.getString(Tag.PatientName));
        assertEquals("ISO_IR 192", keys.getString(Tag.SpecificCharacterSet));
        assertTrue(keys.contains(Tag.StudyDate) && !keys.containsValue(Tag.StudyDate));
        assertEquals(VR.SQ, keys.getVR(Tag.ReferencedSeriesSequence));
        assertTrue(keys.contains(Tag.SeriesInstanceUID), "the unique key of the level");
        assertThrows(UsageException.class, () -> Keys.set(new Attributes(), "PatientID.PatientName", "x"));
    }

    @Test
    void addresses() throws Exception {
        assertEquals(new NetOptions.Address("PACS", "pacs.example", 11112),
                NetOptions.address("-c", "PACS@pacs.example:11112", false));
        assertEquals(new NetOptions.Address("ME", "0.0.0.0", 104), NetOptions.address("-b", "ME:104", true));
        assertEquals(new NetOptions.Address("ME", "0.0.0.0", 0), NetOptions.address("-b", "ME@:0", true));
        assertEquals(new NetOptions.Address("ME", "::1", 104), NetOptions.address("-b", "ME@[::1]:104", true));
        assertThrows(UsageException.class, () -> NetOptions.address("-c", "PACS@:104", false));
        assertThrows(UsageException.class, () -> NetOptions.address("-c", "PACS@h:0", false));
    }
}
