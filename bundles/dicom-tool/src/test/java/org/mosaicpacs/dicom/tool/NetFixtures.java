package org.mosaicpacs.dicom.tool;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Assumptions;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.VR;
import org.mosaicpacs.dicom.data.UID;
import org.mosaicpacs.dicom.io.DicomInputStream;
import org.mosaicpacs.dicom.io.DicomOutputStream;

/** Test data and helpers for the network commands: small images, external tools, a listener in a thread. */
final class NetFixtures {

    private NetFixtures() {
    }

    static Attributes image(String cuid, String patientId, String studyUid, String seriesUid, String iuid, int rows) {
        Attributes ds = new Attributes();
        ds.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 100");
        ds.setString(Tag.SOPClassUID, VR.UI, cuid);
        ds.setString(Tag.SOPInstanceUID, VR.UI, iuid);
        ds.setString(Tag.StudyDate, VR.DA, "20250102");
        ds.setString(Tag.Modality, VR.CS, cuid.equals(UID.MRImageStorage) ? "MR" : "CT");
        ds.setString(Tag.PatientName, VR.PN, "Tool^" + patientId);
        ds.setString(Tag.PatientID, VR.LO, patientId);
        ds.setString(Tag.StudyInstanceUID, VR.UI, studyUid);
        ds.setString(Tag.SeriesInstanceUID, VR.UI, seriesUid);
        ds.setString(Tag.AccessionNumber, VR.SH, "ACC" + patientId);
        ds.setInt(Tag.SeriesNumber, VR.IS, 1);
        ds.setInt(Tag.InstanceNumber, VR.IS, 1);
        ds.setInt(Tag.SamplesPerPixel, VR.US, 1);
        ds.setString(Tag.PhotometricInterpretation, VR.CS, "MONOCHROME2");
        ds.setInt(Tag.Rows, VR.US, rows);
        ds.setInt(Tag.Columns, VR.US, 32);
        ds.setInt(Tag.BitsAllocated, VR.US, 16);
        ds.setInt(Tag.BitsStored, VR.US, 12);
        ds.setInt(Tag.HighBit, VR.US, 11);
        ds.setInt(Tag.PixelRepresentation, VR.US, 0);
        byte[] pixels = new byte[rows * 32 * 2];
        for (int i = 0; i < pixels.length; i += 2) {
            pixels[i] = (byte) (i * 3 + iuid.length());
            pixels[i + 1] = (byte) ((i >> 8) & 0x0F);
        }
        ds.setBytes(Tag.PixelData, VR.OW, pixels);
        return ds;
    }

    static Path write(Path dir, Attributes ds, String tsuid) throws IOException {
        Path file = dir.resolve(ds.getString(Tag.SOPInstanceUID) + ".dcm");
        DicomOutputStream.writeFile(file, ds, tsuid);
        return file;
    }

    static Attributes read(Path file) throws IOException {
        try (DicomInputStream in = new DicomInputStream(file)) {
            in.readFileMetaInformation();
            return in.readDataset();
        }
    }

    static String transferSyntax(Path file) throws IOException {
        try (DicomInputStream in = new DicomInputStream(file)) {
            return in.readFileMetaInformation().getString(Tag.TransferSyntaxUID);
        }
    }

    /** The differences of two data sets (values compared as little endian bytes), or "". */
    static String diff(Attributes a, Attributes b) {
        StringBuilder sb = new StringBuilder();
        for (int tag : a.tags()) {
            if (Tag.isGroupLength(tag)) {
                continue;
            }
            if (!b.contains(tag)) {
                sb.append("missing ").append(Tag.toString(tag)).append('\n');
            } else if (a.getVR(tag) != VR.SQ && !Arrays.equals(a.getBytes(tag, false), b.getBytes(tag, false))) {
                sb.append("differs ").append(Tag.toString(tag)).append('\n');
            }
        }
        for (int tag : b.tags()) {
            if (!a.contains(tag) && !Tag.isGroupLength(tag)) {
                sb.append("extra ").append(Tag.toString(tag)).append('\n');
            }
        }
        return sb.toString();
    }

    static void assumeTool(String name) {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin", name)), name + " (DCMTK) not installed");
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Starts a process with its output in a log file. */
    static Process start(Path log, String... cmd) throws IOException {
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    static void waitForPort(int port) throws Exception {
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        throw new IOException("nothing listens on port " + port);
    }

    /** Runs a tool to its end (bounded); its output; an exception if its status is not 0. */
    static String run(long timeoutSeconds, String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out;
        try (InputStream in = p.getInputStream()) {
            out = in.readAllBytes();
        }
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timeout: " + String.join(" ", cmd));
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException("exit " + p.exitValue() + ": " + String.join(" ", cmd) + "\n" + text);
        }
        return text;
    }

    /** Whether DCMTK's echoscu was built with OpenSSL (+tls). */
    static boolean dcmtkHasTls() throws IOException, InterruptedException {
        if (!Files.isExecutable(Path.of("/usr/bin/echoscu"))) {
            return false;
        }
        Process p = new ProcessBuilder("/usr/bin/echoscu", "--help").redirectErrorStream(true).start();
        String help;
        try (InputStream in = p.getInputStream()) {
            help = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        p.waitFor(10, TimeUnit.SECONDS);
        return help.contains("+tls");
    }

    /** Runs {@code mosaic-dicom listen ...} in a thread. */
    static Listener listen(String... args) throws Exception {
        Listener l = new Listener(args);
        l.awaitLines("Listening on ", 1);
        return l;
    }

    /** A command running in a thread of this JVM until closed (interrupted). */
    static final class Listener implements AutoCloseable {

        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final ByteArrayOutputStream err = new ByteArrayOutputStream();
        private final Thread thread;
        volatile int status = -1;

        Listener(String... args) {
            PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
            PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
            thread = new Thread(() -> status = Main.run(args, o, e), "listener");
            thread.start();
        }

        String out() {
            synchronized (out) {
                return out.toString(StandardCharsets.UTF_8);
            }
        }

        String err() {
            synchronized (err) {
                return err.toString(StandardCharsets.UTF_8);
            }
        }

        int port() {
            Matcher m = Pattern.compile("Listening on \\S+:(\\d+)").matcher(out());
            if (!m.find()) {
                throw new IllegalStateException(out() + err());
            }
            return Integer.parseInt(m.group(1));
        }

        void awaitLines(String prefix, int count) throws Exception {
            long deadline = System.currentTimeMillis() + 20_000;
            while (System.currentTimeMillis() < deadline) {
                if (out().lines().filter(l -> l.startsWith(prefix)).count() >= count) {
                    return;
                }
                if (!thread.isAlive()) {
                    throw new IllegalStateException("ended with " + status + ": " + out() + err());
                }
                Thread.sleep(20);
            }
            throw new IllegalStateException("not " + count + " lines '" + prefix + "': " + out() + err());
        }

        @Override
        public void close() throws InterruptedException {
            thread.interrupt();
            thread.join(10_000);
        }
    }
}
