package org.mosaicpacs.dicom.net.dimse;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mosaicpacs.dicom.data.TransferSyntax;
import org.mosaicpacs.dicom.data.UID;
import org.mosaicpacs.dicom.net.Connection;
import org.mosaicpacs.dicom.net.Device;
import org.mosaicpacs.dicom.net.pdu.AAssociateRQ;
import org.mosaicpacs.dicom.net.pdu.AsyncOperationsWindow;
import org.mosaicpacs.dicom.net.pdu.ExtendedNegotiation;
import org.mosaicpacs.dicom.net.pdu.PresentationContextRQ;
import org.mosaicpacs.dicom.net.pdu.RoleSelection;
import org.mosaicpacs.dicom.net.pdu.UserInformation;

/**
 * Builds an A-ASSOCIATE-RQ for an SCU: presentation contexts get odd IDs 1, 3, 5, ... in order.
 *
 * <pre>{@code
 * AAssociateRQ rq = new AssociateRQBuilder("PACS", "MYSCU")
 *         .addVerification()
 *         .addContext(UID.CTImageStorage, UID.ExplicitVRLittleEndian, UID.ImplicitVRLittleEndian)
 *         .build();
 * }</pre>
 */
public final class AssociateRQBuilder {

    /** The uncompressed syntaxes proposed by default: Explicit VR LE, Implicit VR LE. */
    public static final String[] UNCOMPRESSED = {UID.ExplicitVRLittleEndian, UID.ImplicitVRLittleEndian};

    private final String called;
    private final String calling;
    private final List<PresentationContextRQ> contexts = new ArrayList<>();
    private final Map<String, RoleSelection> roles = new LinkedHashMap<>();
    private long maxLength = Connection.DEFAULT_MAX_PDU_LENGTH;
    private AsyncOperationsWindow window;
    private final Map<String, ExtendedNegotiation> extended = new LinkedHashMap<>();

    /**
     * @param calledAETitle the peer's AE title
     * @param callingAETitle our AE title
     */
    public AssociateRQBuilder(String calledAETitle, String callingAETitle) {
        this.called = calledAETitle;
        this.calling = callingAETitle;
    }

    /**
     * @param abstractSyntax a SOP class UID
     * @param transferSyntaxes proposed transfer syntaxes (default {@link #UNCOMPRESSED})
     * @return this
     */
    public AssociateRQBuilder addContext(String abstractSyntax, String... transferSyntaxes) {
        int id = 2 * contexts.size() + 1;
        if (id > 255) {
            throw new IllegalStateException("at most 128 presentation contexts");
        }
        contexts.add(PresentationContextRQ.of(id, abstractSyntax,
                transferSyntaxes.length == 0 ? UNCOMPRESSED : transferSyntaxes));
        return this;
    }

    /**
     * Proposes what is needed to send these Part 10 files with {@link DimseAssociation#cstore(Path, int)}:
     * for each SOP class, one context per transfer syntax of its files (sent as they are when accepted)
     * and, when some are in Explicit VR Big Endian or Deflated, one with Explicit and Implicit VR Little
     * Endian (for conversion). Stops adding at 128 contexts.
     *
     * @param files Part 10 files
     * @return this
     * @throws IOException if a file has no usable file meta information
     */
    public AssociateRQBuilder addStorageContexts(Iterable<Path> files) throws IOException {
        Map<String, Set<String>> syntaxes = new LinkedHashMap<>();
        for (Path f : files) {
            DimseAssociation.StoreFile sf = DimseAssociation.StoreFile.probe(f);
            syntaxes.computeIfAbsent(sf.cuid(), k -> new LinkedHashSet<>()).add(sf.tsuid());
        }
        for (Map.Entry<String, Set<String>> e : syntaxes.entrySet()) {
            boolean convertible = false;
            for (String ts : e.getValue()) {
                if (contexts.size() < 128) {
                    addContext(e.getKey(), ts);
                }
                convertible |= !ts.equals(UID.ExplicitVRLittleEndian) && !ts.equals(UID.ImplicitVRLittleEndian)
                        && !TransferSyntax.of(ts).isEncapsulated();
            }
            if (convertible && contexts.size() < 128) {
                addContext(e.getKey(), UNCOMPRESSED);
            }
        }
        return this;
    }

    /**
     * Proposes what is needed to send these stored instances with {@link DimseAssociation#cstore(RetrieveSCP.Instance,
     * int)}: for each SOP class, one context per transfer syntax the instances are stored in (sent as they are
     * when accepted), a native one together with Explicit and Implicit VR Little Endian (to convert to). The
     * syntax comes from {@link RetrieveSCP.Instance#transferSyntaxUid()}, else from the object's file meta
     * information; an instance that cannot be opened proposes nothing (it fails when it is sent). Stops adding
     * at 127 contexts.
     *
     * @param instances the instances to send
     * @return this
     * @since 0.3.0
     */
    public AssociateRQBuilder addStorageContextsFor(Iterable<RetrieveSCP.Instance> instances) {
        return addStorageContextsFor(instances, null);
    }

    /**
     * As {@link #addStorageContextsFor(Iterable)}, and for a SOP class whose instances are all stored compressed
     * in syntaxes {@code decompression} can decode, one more context with the uncompressed syntaxes, so that a
     * peer that takes only those still receives them (decompressed when sent).
     *
     * @param decompression what can be decompressed when sending, or null for nothing
     * @return this
     */
    public AssociateRQBuilder addStorageContextsFor(Iterable<RetrieveSCP.Instance> instances,
            PixelDataDecompression decompression) {
        Map<String, List<String>> syntaxes = new LinkedHashMap<>();
        for (RetrieveSCP.Instance inst : instances) {
            List<String> ts = syntaxes.computeIfAbsent(inst.sopClassUid(), k -> new ArrayList<>());
            String stored;
            try {
                stored = RetrieveSender.transferSyntax(inst);
            } catch (IOException e) {
                continue; // its C-STORE fails when it is sent
            }
            if (!ts.contains(stored)) {
                ts.add(stored);
            }
        }
        for (Map.Entry<String, List<String>> e : syntaxes.entrySet()) {
            boolean nativeProposed = false;
            boolean decompressible = false;
            for (String ts : e.getValue()) {
                if (contexts.size() < 127) {
                    // the stored syntax first, then what a native one can be converted into
                    boolean isNative = RetrieveSender.isNative(ts);
                    addContext(e.getKey(), isNative ? withUncompressed(ts) : new String[] {ts});
                    nativeProposed |= isNative;
                    decompressible |= !isNative && decompression != null && decompression.canDecompress(ts);
                }
            }
            if (decompressible && !nativeProposed && contexts.size() < 127) {
                // a context of its own, so that a peer that takes the compressed syntax still gets it as stored
                addContext(e.getKey(), new String[] {UID.ExplicitVRLittleEndian, UID.ImplicitVRLittleEndian});
            }
        }
        return this;
    }

    private static String[] withUncompressed(String ts) {
        List<String> list = new ArrayList<>(List.of(ts));
        for (String u : UNCOMPRESSED) {
            if (!list.contains(u)) {
                list.add(u);
            }
        }
        return list.toArray(String[]::new);
    }

    /** Proposes Verification with Implicit VR Little Endian. @return this */
    public AssociateRQBuilder addVerification() {
        return addContext(UID.Verification, UID.ImplicitVRLittleEndian);
    }

    /**
     * Proposes a storage SOP class with the SCP role (SCU and SCP role selection), for C-GET.
     *
     * @return this
     */
    public AssociateRQBuilder addStorageForGet(String sopClass, String... transferSyntaxes) {
        addContext(sopClass, transferSyntaxes);
        roles.put(sopClass, new RoleSelection(sopClass, false, true));
        return this;
    }

    /** @param sopClass a SOP class @param scu SCU role @param scp SCP role @return this */
    public AssociateRQBuilder addRoleSelection(String sopClass, boolean scu, boolean scp) {
        roles.put(sopClass, new RoleSelection(sopClass, scu, scp));
        return this;
    }

    /** @param length the largest P-DATA-TF we accept (0: no limit, which we cap anyway) @return this */
    public AssociateRQBuilder maxPduLength(long length) {
        this.maxLength = length;
        return this;
    }

    /**
     * @param invoked operations we want to invoke at once (0 unlimited)
     * @param performed operations we perform at once (0 unlimited)
     * @return this
     */
    public AssociateRQBuilder asyncOperationsWindow(int invoked, int performed) {
        this.window = new AsyncOperationsWindow(invoked, performed);
        return this;
    }

    /**
     * Proposes SOP Class Extended Negotiation options, e.g. {@code (StudyRootFind, 1)} for relational
     * queries (PS3.4 C.5.1.1).
     *
     * @param sopClass the SOP class
     * @param options one byte per option as the service class defines them
     * @return this
     */
    public AssociateRQBuilder extendedNegotiation(String sopClass, byte... options) {
        extended.put(sopClass, new ExtendedNegotiation(sopClass, options));
        return this;
    }

    /** @return the number of contexts proposed so far */
    public int size() {
        return contexts.size();
    }

    /** @return the request */
    public AAssociateRQ build() {
        UserInformation.Builder info = UserInformation.builder().maxLength(maxLength)
                .implementationClassUid(Device.IMPLEMENTATION_CLASS_UID)
                .implementationVersionName(Device.IMPLEMENTATION_VERSION_NAME);
        if (window != null) {
            info.asyncOperationsWindow(window);
        }
        roles.values().forEach(info::addRoleSelection);
        extended.values().forEach(info::addExtendedNegotiation);
        return AAssociateRQ.of(called, calling, contexts, info.build());
    }
}
