package org.mosaicpacs.dicom.tool;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Set;

import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.TransferSyntax;
import org.mosaicpacs.dicom.data.UID;
import org.mosaicpacs.dicom.data.UIDDictionary;
import org.mosaicpacs.dicom.io.DicomOutputStream;

/**
 * {@code transcode --ts UID IN OUT}: rewrites a file in another uncompressed transfer syntax or
 * Deflated. Compressed pixel data is neither decompressed nor compressed.
 */
final class TranscodeVerb implements Verb {

    @Override
    public String name() {
        return "transcode";
    }

    @Override
    public String summary() {
        return "rewrite a DICOM file in another uncompressed or deflated transfer syntax";
    }

    @Override
    public String help() {
        return "usage: mosaic-dicom transcode --ts UID IN OUT\n"
                + "\n"
                + "Reads the Part 10 file IN and writes OUT in the transfer syntax UID, with new file\n"
                + "meta information. UID is one of (the UID or its keyword):\n"
                + "  1.2.840.10008.1.2        ImplicitVRLittleEndian\n"
                + "  1.2.840.10008.1.2.1      ExplicitVRLittleEndian\n"
                + "  1.2.840.10008.1.2.1.99   DeflatedExplicitVRLittleEndian\n"
                + "  1.2.840.10008.1.2.2      ExplicitVRBigEndian\n"
                + "A file with compressed (encapsulated) pixel data can only be rewritten in its own\n"
                + "transfer syntax: decompression is not supported.\n"
                + "\n"
                + "  --ts UID   the transfer syntax of OUT (required)";
    }

    @Override
    public int run(List<String> args, Console console) throws Exception {
        Args a = new Args(args, Set.of(), Set.of("--ts"));
        if (!a.has("--ts")) {
            throw new UsageException("missing --ts UID");
        }
        String uid = a.get("--ts").trim();
        String byKeyword = UIDDictionary.forKeyword(uid);
        if (byKeyword != null) {
            uid = byKeyword;
        }
        List<String> files = a.operands(2, "IN and OUT");
        Path in = Path.of(files.get(0));
        Path out = Path.of(files.get(1));
        TransferSyntax target = TransferSyntax.of(uid);
        boolean known = uid.equals(UID.ImplicitVRLittleEndian) || uid.equals(UID.ExplicitVRLittleEndian)
                || uid.equals(UID.ExplicitVRBigEndian) || uid.equals(UID.DeflatedExplicitVRLittleEndian);
        DicomFile f = DicomFile.read(in, -1);
        boolean encapsulated = f.dataset.getFragments(Tag.PixelData) != null
                || TransferSyntax.of(f.transferSyntax).isEncapsulated();
        if (encapsulated && !uid.equals(f.transferSyntax)) {
            throw new ToolException(in + ": cannot transcode compressed pixel data (" + name(f.transferSyntax)
                    + ") to " + name(uid) + ": decompression and compression are not supported", null);
        }
        if (!known && !encapsulated) {
            throw new UsageException("unsupported transfer syntax " + uid
                    + " (uncompressed and deflated syntaxes only)");
        }
        Attributes ds = f.dataset;
        Attributes fmi = DicomOutputStream.createFileMetaInformation(
                meta(f, Tag.MediaStorageSOPClassUID, ds.getString(Tag.SOPClassUID)),
                meta(f, Tag.MediaStorageSOPInstanceUID, ds.getString(Tag.SOPInstanceUID)), target.uid());
        Path tmp = Files.createTempFile(out.toAbsolutePath().getParent(), ".transcode", ".tmp");
        try {
            try (DicomOutputStream dos = new DicomOutputStream(
                    new java.io.BufferedOutputStream(Files.newOutputStream(tmp)))) {
                dos.writeFileMetaInformation(fmi);
                dos.writeDataset(ds);
            }
            Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING);
        } catch (Exception e) {
            throw ToolException.of(out, e);
        } finally {
            Files.deleteIfExists(tmp);
        }
        if (console.verbose) {
            console.err.println(Main.NAME + ": " + in + " (" + name(f.transferSyntax) + ") -> " + out + " (" + name(uid) + ")");
        }
        return 0;
    }

    private static String meta(DicomFile f, int tag, String fallback) {
        String v = f.fileMetaInformation == null ? null : f.fileMetaInformation.getString(tag);
        return v != null ? v : fallback;
    }

    private static String name(String uid) {
        String n = UIDDictionary.nameOf(uid);
        return n == null ? uid : n + " " + uid;
    }
}
