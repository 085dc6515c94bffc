package org.mosaicpacs.dicom.tool;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.mosaicpacs.dicom.xml.DicomXmlWriter;

/** {@code xml FILE}: the data set in the Native DICOM Model (PS3.19 Annex A). */
final class XmlVerb implements Verb {

    @Override
    public String name() {
        return "xml";
    }

    @Override
    public String summary() {
        return "write the data set of a DICOM file as Native DICOM Model XML (PS3.19)";
    }

    @Override
    public String help() {
        return "usage: mosaic-dicom xml [--compact] [--bulk-data-threshold N] FILE\n"
                + "\n"
                + "Writes the data set of FILE (not the file meta information) in the Native DICOM\n"
                + "Model on standard output, UTF-8, indented by two spaces. Binary values are written\n"
                + "inline (InlineBinary, base64).\n"
                + "\n"
                + "  --compact                  no indentation or line breaks\n"
                + "  --bulk-data-threshold N    values longer than N bytes are not read but written as\n"
                + "                             <BulkData uri=\"file:...?offset=O&length=L\"/>";
    }

    @Override
    public int run(List<String> args, Console console) throws Exception {
        Args a = new Args(args, Set.of("--compact"), Set.of("--bulk-data-threshold"));
        long threshold = a.getLong("--bulk-data-threshold", -1);
        Path file = Path.of(a.operands(1, "FILE").get(0));
        DicomFile f = DicomFile.read(file, threshold);
        try {
            new DicomXmlWriter(console.out, a.has("--compact") ? null : "  ").write(f.dataset);
        } catch (Exception e) {
            throw ToolException.of(file, e);
        }
        console.out.println();
        return 0;
    }
}
