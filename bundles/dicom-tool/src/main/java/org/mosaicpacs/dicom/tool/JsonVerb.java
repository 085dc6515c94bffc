package org.mosaicpacs.dicom.tool;

import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.mosaicpacs.dicom.json.DicomJsonWriter;

/** {@code json FILE}: the data set as DICOM JSON (PS3.18 Annex F). */
final class JsonVerb implements Verb {

    @Override
    public String name() {
        return "json";
    }

    @Override
    public String summary() {
        return "write the data set of a DICOM file as DICOM JSON (PS3.18 Annex F)";
    }

    @Override
    public String help() {
        return "usage: mosaic-dicom json [--compact] [--bulk-data-threshold N] FILE\n"
                + "\n"
                + "Writes the data set of FILE (not the file meta information) as DICOM JSON on standard\n"
                + "output, UTF-8, indented by two spaces. Binary values are written inline (base64).\n"
                + "\n"
                + "  --compact                  no indentation or line breaks\n"
                + "  --bulk-data-threshold N    values longer than N bytes are not read but written as a\n"
                + "                             BulkDataURI: file:...?offset=O&length=L";
    }

    @Override
    public int run(List<String> args, Console console) throws Exception {
        Args a = new Args(args, Set.of("--compact"), Set.of("--bulk-data-threshold"));
        long threshold = a.getLong("--bulk-data-threshold", -1);
        Path file = Path.of(a.operands(1, "FILE").get(0));
        DicomFile f = DicomFile.read(file, threshold);
        Writer w = new OutputStreamWriter(console.out, StandardCharsets.UTF_8);
        try {
            new DicomJsonWriter(w, a.has("--compact") ? null : "  ").write(f.dataset);
        } catch (Exception e) {
            throw ToolException.of(file, e);
        }
        w.write('\n');
        w.flush();
        return 0;
    }
}
