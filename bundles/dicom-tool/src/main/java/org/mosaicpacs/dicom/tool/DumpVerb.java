package org.mosaicpacs.dicom.tool;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.BulkData;
import org.mosaicpacs.dicom.data.ElementDictionary;
import org.mosaicpacs.dicom.data.Fragments;
import org.mosaicpacs.dicom.data.Sequence;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.UIDDictionary;
import org.mosaicpacs.dicom.data.VR;

/**
 * {@code dump FILE}: one line per element, like dcmdump: tag, VR, value length, keyword and the value
 * (cut at {@code --width} characters); items of sequences and fragments indented below their element.
 */
final class DumpVerb implements Verb {

    private static final int DEFAULT_WIDTH = 64;

    @Override
    public String name() {
        return "dump";
    }

    @Override
    public String summary() {
        return "list the elements of a DICOM file, one a line";
    }

    @Override
    public String help() {
        return "usage: mosaic-dicom dump [--width N] FILE\n"
                + "\n"
                + "Lists the file meta information and the data set of FILE: tag, VR, value length in\n"
                + "bytes, keyword, value. Items of sequences and fragments of encapsulated pixel data\n"
                + "are indented below their element; long values are cut.\n"
                + "\n"
                + "  --width N   cut values after N characters (default " + DEFAULT_WIDTH + ", 0: never)";
    }

    @Override
    public int run(List<String> args, Console console) throws Exception {
        Args a = new Args(args, Set.of(), Set.of("--width"));
        long width = a.getLong("--width", DEFAULT_WIDTH);
        Path file = Path.of(a.operands(1, "FILE").get(0));
        DicomFile f = DicomFile.read(file, 64 * 1024);
        PrintStream out = console.out;
        String tsName = UIDDictionary.nameOf(f.transferSyntax);
        out.println("# " + f.path + ": " + f.transferSyntax + (tsName == null ? "" : " (" + tsName + ")"));
        try {
            if (f.fileMetaInformation != null) {
                dump(out, f.fileMetaInformation, "", width);
            }
            dump(out, f.dataset, "", width);
        } catch (RuntimeException e) {
            throw ToolException.of(file, e);
        }
        return 0;
    }

    static void dump(PrintStream out, Attributes ds, String indent, long width) {
        for (int i = 0; i < ds.size(); i++) {
            int tag = ds.tagAt(i);
            VR vr = ds.vrAt(i);
            Object v = ds.valueAt(i);
            String keyword = keyword(ds, tag);
            if (v instanceof Sequence) {
                Sequence seq = (Sequence) v;
                line(out, indent, tag, vr.name(), "-", keyword, "(" + seq.size() + (seq.size() == 1 ? " item)" : " items)"));
                for (int k = 0; k < seq.size(); k++) {
                    out.println(indent + "  (FFFE,E000) item #" + (k + 1));
                    dump(out, seq.get(k), indent + "    ", width);
                }
            } else if (v instanceof Fragments) {
                Fragments f = (Fragments) v;
                line(out, indent, tag, vr.name(), "-", keyword, "(encapsulated, " + f.size() + " fragments)");
                for (int k = 0; k < f.size(); k++) {
                    out.println(indent + "  (FFFE,E000) " + (k == 0 ? "offset table" : "fragment #" + k)
                            + ", " + f.lengthOf(k) + " bytes");
                }
            } else if (v instanceof BulkData) {
                BulkData b = (BulkData) v;
                line(out, indent, tag, vr.name(), Long.toString(b.length()), keyword,
                        cut("(not loaded: " + b.length() + " bytes at offset " + b.offset() + ")", width));
            } else {
                byte[] b = (byte[]) v;
                line(out, indent, tag, vr.name(), Integer.toString(b.length), keyword, cut(value(ds, vr, b), width));
            }
        }
    }

    private static String value(Attributes ds, VR vr, byte[] b) {
        if (b.length == 0) {
            return "(empty)";
        }
        if (vr == VR.OB || vr == VR.UN) {
            StringBuilder sb = new StringBuilder();
            for (int k = 0; k < b.length && k < 64; k++) {
                sb.append(k > 0 ? "\\" : "").append(String.format("%02X", b[k] & 0xFF));
            }
            return sb.append(b.length > 64 ? "..." : "").toString();
        }
        String[] s = vr.toStrings(b.length > 4096 ? java.util.Arrays.copyOf(b, 4096 - 4096 % 8) : b,
                ds.bigEndian(), ds.getSpecificCharacterSet());
        String text = "[" + String.join("\\", s) + "]";
        return text.replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t");
    }

    private static String keyword(Attributes ds, int tag) {
        if (Tag.isPrivate(tag) && !Tag.isPrivateCreator(tag)) {
            String creator = ds.getPrivateCreator(tag);
            if (creator == null) {
                return "?";
            }
            ElementDictionary d = ElementDictionary.forPrivateCreator(creator);
            String k = d.keywordOf(tag & 0xFFFF00FF);
            return k != null ? k : "?";
        }
        String k = ElementDictionary.standard().keywordOf(tag);
        return k != null ? k : "?";
    }

    private static void line(PrintStream out, String indent, int tag, String vr, String length, String keyword, String value) {
        out.println(String.format("%s%s %s %8s %-32s %s", indent, Tag.toString(tag), vr, "#" + length, keyword, value));
    }

    private static String cut(String s, long width) {
        return width > 0 && s.length() > width ? s.substring(0, (int) Math.max(0, width - 3)) + "..." : s;
    }
}
