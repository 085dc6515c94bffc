package org.mosaicpacs.deidentify.internal;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import org.mosaicpacs.api.deidentify.DeidentificationException;
import org.mosaicpacs.api.deidentify.DeidentifiedInstance;
import org.mosaicpacs.api.deidentify.Deidentifier;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Fragments;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.TransferSyntax;
import org.mosaicpacs.dicom.io.DicomInputStream;
import org.mosaicpacs.dicom.io.DicomOutputStream;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PS3.15 Annex E {@link Deidentifier}: the profiles are the configured {@link ProfileDefinition}s
 * (they come and go with their configurations) and the built-in {@code basic}; what each de-identification
 * replaced goes to the {@link MappingStore} when one is present.
 */
@Component(service = Deidentifier.class, property = Deidentifier.TYPE_PROPERTY + "=annex-e")
public final class AnnexEDeidentifier implements Deidentifier {

    private static final Logger LOG = LoggerFactory.getLogger(AnnexEDeidentifier.class);
    static final String BASIC = "basic";

    private final Engine engine = new Engine();
    private final Map<String, ProfileDefinition> definitions = new ConcurrentHashMap<>();
    private final Map<String, Profile> profiles = new ConcurrentHashMap<>();
    private volatile MappingStore store;
    /** Whether a de-identification without a mapping store to record it is refused (the service: yes). */
    private final boolean requireStore;

    public AnnexEDeidentifier() {
        this.requireStore = true;
    }

    /** For tests and embedders: with a store (or null: nothing recorded, nothing refused for it) and these definitions. */
    AnnexEDeidentifier(MappingStore store, ProfileDefinition... definitions) {
        this.requireStore = false;
        this.store = store;
        for (ProfileDefinition d : definitions) {
            addProfile(d);
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addProfile(ProfileDefinition d) {
        ProfileDefinition old = definitions.put(d.name(), d);
        if (old != null) {
            LOG.warn("two de-identification profiles are named {}: the last one configured is used", d.name());
        }
        profiles.remove(d.name());
    }

    void removeProfile(ProfileDefinition d) {
        definitions.remove(d.name(), d);
        profiles.remove(d.name());
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void setStore(MappingStore s) {
        store = s;
        profiles.clear();
    }

    void unsetStore(MappingStore s) {
        if (store == s) {
            store = null;
            profiles.clear();
        }
    }

    @Override
    public Set<String> profiles() {
        Set<String> names = new TreeSet<>(definitions.keySet());
        names.add(BASIC);
        return names;
    }

    /** Whether the mappings are kept (a mapping store is present). */
    boolean keepsMappings() {
        return store != null;
    }

    @Override
    public Attributes deidentify(Attributes dataset, String profile) throws DeidentificationException {
        return deidentifyWithResult(dataset, profile).dataset();
    }

    Engine.Result deidentifyWithResult(Attributes dataset, String profileName) throws DeidentificationException {
        Profile profile = profile(profileName);
        Engine.Result result = deidentifyUnrecorded(dataset, profile);
        MappingStore s = store;
        if (s != null) {
            try {
                s.record(profile.name(), result);
            } catch (SQLException e) {
                throw new DeidentificationException("the mapping store failed, so the instance was not de-identified "
                        + "(its mapping would be lost): " + e.getMessage(), e);
            }
        }
        return result;
    }

    /** The engine's result, not recorded yet; refused when the store is required and absent. */
    private Engine.Result deidentifyUnrecorded(Attributes dataset, Profile profile) throws DeidentificationException {
        Engine.Result result;
        try {
            result = engine.deidentify(dataset, profile);
        } catch (RuntimeException e) {
            // a value the engine cannot handle (an unreadable bulk data file, a malformed value): a refusal, not a crash
            LOG.warn("cannot de-identify {} with profile {}", dataset.getString(Tag.SOPInstanceUID, "an instance"),
                    profile.name(), e);
            throw new DeidentificationException("cannot de-identify this instance: " + e, e);
        }
        if (store == null && requireStore) {
            throw new DeidentificationException("the mapping store (the index database) is not available: "
                    + "no de-identified copy is made without its mapping");
        }
        return result;
    }

    /**
     * Several instances de-identified with one profile whose mappings are recorded together, in one transaction, by
     * {@link Batch#commit()}: the caller releases none of the outputs before the commit succeeded (no copy without
     * its mapping). Abandoned before the commit (a crash), nothing is recorded and nothing was released; the same
     * inputs give the same outputs the next time, since the replacements depend only on the project's secret, which
     * is committed when the profile is first used. Not thread safe.
     */
    final class Batch {
        private final Profile profile;
        private final List<Engine.Result> results = new ArrayList<>();

        private Batch(Profile profile) {
            this.profile = profile;
        }

        /** De-identifies one Part 10 instance into {@code out}; its mappings wait for {@link #commit()}. */
        DeidentifiedInstance deidentify(InputStream part10, OutputStream out) throws DeidentificationException, IOException {
            return writePart10(part10, out, ds -> {
                Engine.Result r = deidentifyUnrecorded(ds, profile);
                results.add(r);
                return r.dataset();
            });
        }

        /** How many instances wait for the commit. */
        int size() {
            return results.size();
        }

        /** Records the mappings of every instance of the batch in one transaction; the batch is then empty. */
        void commit() throws DeidentificationException {
            MappingStore s = store;
            if (s == null) {
                if (requireStore) {
                    throw new DeidentificationException("the mapping store (the index database) is not available: "
                            + "no de-identified copy is made without its mapping");
                }
                results.clear();
                return;
            }
            try {
                s.recordAll(profile.name(), results);
            } catch (SQLException e) {
                throw new DeidentificationException("the mapping store failed, so the batch of " + results.size()
                        + " instances was not de-identified (their mappings would be lost): " + e.getMessage(), e);
            }
            results.clear();
        }
    }

    /** A batch of de-identifications with {@code profile}, recorded together. */
    Batch batch(String profile) throws DeidentificationException {
        return new Batch(profile(profile));
    }

    private interface DatasetStep {
        Attributes apply(Attributes dataset) throws DeidentificationException;
    }

    @Override
    public DeidentifiedInstance deidentify(InputStream part10, OutputStream out, String profile)
            throws DeidentificationException, IOException {
        return writePart10(part10, out, ds -> deidentify(ds, profile));
    }

    private static DeidentifiedInstance writePart10(InputStream part10, OutputStream out, DatasetStep step)
            throws DeidentificationException, IOException {
        Attributes dataset;
        String ts;
        try (DicomInputStream in = new DicomInputStream(new FilterInputStream(part10) {
            @Override
            public void close() {
                // the caller's stream stays open
            }
        })) {
            in.readFileMetaInformation();
            ts = in.getTransferSyntax();
            dataset = in.readDataset();
        } catch (IOException | RuntimeException e) {
            throw new DeidentificationException("not a readable DICOM Part 10 instance: " + e.getMessage(), e);
        }
        Object pixels = dataset.getValue(Tag.PixelData);
        if (pixels != null && TransferSyntax.of(ts).isEncapsulated() && !(pixels instanceof Fragments)) {
            // written in the same transfer syntax it would stay unreadable to other readers (dcmdump refuses it)
            throw new DeidentificationException("malformed instance: its transfer syntax " + ts + " is compressed but "
                    + "its Pixel Data is not encapsulated");
        }
        Attributes result = step.apply(dataset);
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(8192);
        try (DicomOutputStream dos = new DicomOutputStream(buffer)) {
            dos.writeFileMetaInformation(DicomOutputStream.createFileMetaInformation(
                    result.getString(Tag.SOPClassUID), result.getString(Tag.SOPInstanceUID), ts));
            dos.writeDataset(result);
        } catch (RuntimeException e) {
            throw new DeidentificationException("the de-identified instance cannot be written: " + e.getMessage(), e);
        }
        buffer.writeTo(out);
        return new DeidentifiedInstance(dataset.getString(Tag.StudyInstanceUID, ""), result.getString(Tag.StudyInstanceUID, ""),
                dataset.getString(Tag.SOPInstanceUID, ""), result.getString(Tag.SOPInstanceUID, ""));
    }

    /** The profile of a name, with its key (from its secret, or from the mapping store). */
    Profile profile(String name) throws DeidentificationException {
        if (name == null || name.isBlank()) {
            throw new DeidentificationException("no profile given; profiles: " + profiles());
        }
        Profile p = profiles.get(name);
        if (p != null) {
            return p;
        }
        ProfileDefinition d = definitions.get(name);
        if (d == null) {
            if (!BASIC.equals(name)) {
                throw new DeidentificationException("unknown profile '" + name + "'; profiles: " + profiles());
            }
            d = ProfileDefinition.basic();
        }
        byte[] key;
        if (d.hasSecret()) {
            key = d.keyFromSecret();
        } else {
            MappingStore s = store;
            if (s == null) {
                throw new DeidentificationException("profile '" + name + "' has no secret configured and the mapping "
                        + "store (the index database) is not available to keep one");
            }
            try {
                key = s.projectSecret(name);
            } catch (SQLException e) {
                throw new DeidentificationException("the mapping store failed: " + e.getMessage(), e);
            }
        }
        p = d.toProfile(key);
        profiles.put(name, p);
        return p;
    }
}
