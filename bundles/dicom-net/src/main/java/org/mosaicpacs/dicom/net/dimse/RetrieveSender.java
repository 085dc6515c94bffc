package org.mosaicpacs.dicom.net.dimse;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.UID;
import org.mosaicpacs.dicom.data.UIDDictionary;
import org.mosaicpacs.dicom.io.DicomInputStream;
import org.mosaicpacs.dicom.io.DicomReadLimits;

/**
 * Sends one instance of a C-MOVE or C-GET as a C-STORE sub-operation, reading it from its source while it
 * is sent: the source is opened here and closed once the data set is out. The data set goes as it is when
 * a presentation context with its transfer syntax was accepted; otherwise an instance in a native syntax
 * (Implicit VR LE, Explicit VR LE, Explicit VR BE, Deflated) is converted by dicom-core into one the peer
 * accepted, preferring Explicit VR LE, then Implicit VR LE; an encapsulated (compressed) instance is
 * decompressed by the {@link PixelDataDecompression} given, if any and if it can decode that syntax, and sent in
 * Explicit VR LE or Implicit VR LE; without one it fails with {@link NoPresentationContextException}, and when
 * decoding fails it fails with an {@link IOException} that says why (the association stays usable: the
 * request goes out only once the data set is ready).
 */
final class RetrieveSender {

    /** The syntaxes dicom-core reads and writes, in the order tried when converting. */
    static final List<String> NATIVE = List.of(UID.ExplicitVRLittleEndian, UID.ImplicitVRLittleEndian,
            UID.ExplicitVRBigEndian, UID.DeflatedExplicitVRLittleEndian);

    private RetrieveSender() {
    }

    private static String name(String tsuid) {
        String name = UIDDictionary.nameOf(tsuid);
        return name != null ? name + " (" + tsuid + ")" : tsuid;
    }

    static boolean isNative(String tsuid) {
        return NATIVE.contains(tsuid);
    }

    /** @return the transfer syntax of the stored instance, from its file meta information if not known */
    static String transferSyntax(RetrieveSCP.Instance inst) throws IOException {
        if (inst.transferSyntaxUid() != null) {
            return inst.transferSyntaxUid();
        }
        try (InputStream in = new BufferedInputStream(inst.source().open(), 8192)) {
            return Part10Header.read(in).getString(Tag.TransferSyntaxUID).trim();
        }
    }

    /**
     * The syntax to send an instance stored in {@code stored} on an association that accepted
     * {@code accepted} for its SOP class.
     *
     * @return {@code stored} if accepted, else an accepted native syntax if {@code stored} is native, else null
     */
    static String select(String stored, List<String> accepted) {
        return select(stored, accepted, null);
    }

    /**
     * As {@link #select(String, List)}, and a compressed {@code stored} syntax the decompression can decode goes
     * as Explicit VR LE, else Implicit VR LE, when the peer accepted one of them.
     */
    static String select(String stored, List<String> accepted, PixelDataDecompression decompression) {
        if (accepted.contains(stored)) {
            return stored;
        }
        if (!isNative(stored)) {
            if (decompression == null || !decompression.canDecompress(stored)) {
                return null;
            }
            for (String ts : List.of(UID.ExplicitVRLittleEndian, UID.ImplicitVRLittleEndian)) {
                if (accepted.contains(ts)) {
                    return ts;
                }
            }
            return null;
        }
        for (String ts : NATIVE) {
            if (accepted.contains(ts)) {
                return ts;
            }
        }
        return null;
    }

    /**
     * Sends the C-STORE-RQ of one sub-operation.
     *
     * @return the future of the C-STORE-RSP, once the data set is sent
     * @throws NoPresentationContextException if the peer accepted the SOP class in no syntax we can send
     * @throws IOException if the source cannot be read or sending fails
     */
    static DimseFuture send(DimseAssociation as, RetrieveSCP.Instance inst, int priority, String moveOriginatorAET,
            int moveOriginatorMsgId) throws IOException {
        return send(as, inst, priority, moveOriginatorAET, moveOriginatorMsgId, null);
    }

    /**
     * Sends the C-STORE-RQ of one sub-operation, decompressing with {@code decompression} (may be null) a
     * compressed instance the peer accepted only uncompressed.
     *
     * @return the future of the C-STORE-RSP, once the data set is sent
     * @throws NoPresentationContextException if the peer accepted the SOP class in no syntax we can send
     * @throws IOException if the source cannot be read or decompressed, or sending fails
     */
    static DimseFuture send(DimseAssociation as, RetrieveSCP.Instance inst, int priority, String moveOriginatorAET,
            int moveOriginatorMsgId, PixelDataDecompression decompression) throws IOException {
        List<String> accepted = as.acceptedTransferSyntaxes(inst.sopClassUid());
        if (accepted.isEmpty()) {
            throw new NoPresentationContextException(inst.sopClassUid(), null);
        }
        try (InputStream in = new BufferedInputStream(inst.source().open(), 64 * 1024)) {
            Attributes fmi = Part10Header.read(in);
            String stored = fmi.getString(Tag.TransferSyntaxUID).trim();
            String ts = select(stored, accepted, decompression);
            if (ts == null) {
                throw new NoPresentationContextException("cannot send " + inst.sopInstanceUid() + ": stored in "
                        + stored + ", the peer accepted only " + accepted + " for " + inst.sopClassUid()
                        + (isNative(stored) ? "" : decompression == null
                        ? ", and there is no codec for a compressed syntax"
                        : ", and there is no decoder for " + name(stored) + " to send it uncompressed"));
            }
            DataWriter writer;
            if (ts.equals(stored)) {
                writer = DataWriter.of(in);
            } else {
                // read before the request goes out: a malformed object then fails alone, the association stays
                DicomInputStream dis = new DicomInputStream(in, stored);
                dis.setLimits(DicomReadLimits.DEFAULT);
                Attributes ds = dis.readDataset();
                if (!isNative(stored)) {
                    try {
                        ds = decompression.decompress(ds, stored);
                    } catch (IOException e) {
                        throw new IOException("cannot send " + inst.sopInstanceUid() + ": stored in " + stored
                                + ", the peer accepted only " + accepted + ", and decompression failed: "
                                + e.getMessage(), e);
                    }
                }
                writer = DataWriter.of(ds);
            }
            return as.cstore(inst.sopClassUid(), inst.sopInstanceUid(), priority, writer, ts, moveOriginatorAET,
                    moveOriginatorMsgId);
        }
    }
}
