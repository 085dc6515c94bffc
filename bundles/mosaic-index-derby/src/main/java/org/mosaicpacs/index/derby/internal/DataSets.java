package org.mosaicpacs.index.derby.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Set;
import java.util.function.IntPredicate;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

import org.mosaicpacs.api.index.QueryLevel;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Sequence;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.UID;
import org.mosaicpacs.dicom.data.VR;
import org.mosaicpacs.dicom.io.DicomInputStream;
import org.mosaicpacs.dicom.io.DicomOutputStream;

/** Which level an attribute belongs to, and the data sets kept per level (the attrs blobs). */
final class DataSets {

    private DataSets() {
    }

    static final Set<Integer> PATIENT = Set.of(Tag.PatientName, Tag.PatientID, Tag.IssuerOfPatientID,
            Tag.IssuerOfPatientIDQualifiersSequence, Tag.PatientBirthDate, Tag.PatientBirthTime, Tag.PatientSex,
            Tag.OtherPatientIDsSequence, Tag.OtherPatientNames, Tag.EthnicGroup, Tag.PatientComments,
            Tag.PatientSpeciesDescription, Tag.PatientBreedDescription, Tag.ResponsiblePerson,
            Tag.PatientIdentityRemoved, Tag.NumberOfPatientRelatedStudies);

    static final Set<Integer> STUDY = Set.of(Tag.StudyInstanceUID, Tag.StudyDate, Tag.StudyTime,
            Tag.AccessionNumber, Tag.IssuerOfAccessionNumberSequence, Tag.StudyID, Tag.ReferringPhysicianName,
            Tag.ReferringPhysicianIdentificationSequence, Tag.StudyDescription, Tag.ProcedureCodeSequence,
            Tag.AdmittingDiagnosesDescription, Tag.PatientAge, Tag.PatientSize, Tag.PatientWeight, Tag.Occupation,
            Tag.AdditionalPatientHistory, Tag.NameOfPhysiciansReadingStudy, Tag.PhysiciansOfRecord,
            Tag.ModalitiesInStudy, Tag.SOPClassesInStudy, Tag.NumberOfStudyRelatedSeries,
            Tag.NumberOfStudyRelatedInstances);

    static final Set<Integer> SERIES = Set.of(Tag.SeriesInstanceUID, Tag.Modality, Tag.SeriesNumber,
            Tag.SeriesDescription, Tag.SeriesDate, Tag.SeriesTime, Tag.BodyPartExamined, Tag.Laterality,
            Tag.PerformedProcedureStepStartDate, Tag.PerformedProcedureStepStartTime, Tag.PerformedProcedureStepID,
            Tag.PerformedProcedureStepDescription, Tag.RequestAttributesSequence, Tag.ProtocolName,
            Tag.OperatorsName, Tag.PerformingPhysicianName, Tag.Manufacturer, Tag.ManufacturerModelName,
            Tag.InstitutionName, Tag.InstitutionalDepartmentName, Tag.StationName,
            Tag.NumberOfSeriesRelatedInstances);

    /** The level an attribute of a query belongs to; anything not listed is instance level. */
    static QueryLevel levelOf(int tag) {
        if (PATIENT.contains(tag)) {
            return QueryLevel.PATIENT;
        }
        if (STUDY.contains(tag)) {
            return QueryLevel.STUDY;
        }
        if (SERIES.contains(tag)) {
            return QueryLevel.SERIES;
        }
        return QueryLevel.IMAGE;
    }

    /** Whether an element is kept in the blob of {@code level}. */
    static IntPredicate keptAt(QueryLevel level) {
        return switch (level) {
            case PATIENT -> PATIENT::contains;
            case STUDY -> STUDY::contains;
            case SERIES -> SERIES::contains;
            case IMAGE -> tag -> levelOf(tag) == QueryLevel.IMAGE && (tag >>> 16) != 0x0002 && tag != Tag.PixelData
                    && tag != Tag.FloatPixelData && tag != Tag.DoubleFloatPixelData && tag != Tag.SpectroscopyData
                    && tag != Tag.EncapsulatedDocument && (tag >>> 16) != 0x7FE0;
        };
    }

    /** The elements of {@code src} that {@code keep} selects (plus Specific Character Set), deep-copied, no bulk data. */
    static Attributes select(Attributes src, IntPredicate keep) {
        Attributes dst = new Attributes();
        copy(src, dst, tag -> tag == Tag.SpecificCharacterSet || keep.test(tag));
        return dst;
    }

    /** Copies selected elements, in tag order, skipping bulk data, fragments and large binary values. */
    static void copy(Attributes src, Attributes dst, IntPredicate keep) {
        for (int i = 0; i < src.size(); i++) {
            int tag = src.tagAt(i);
            if (!keep.test(tag)) {
                continue;
            }
            copyElement(src, i, dst);
        }
    }

    static void copyElement(Attributes src, int i, Attributes dst) {
        int tag = src.tagAt(i);
        VR vr = src.vrAt(i);
        Object value = src.valueAt(i);
        if (value instanceof Sequence seq) {
            Sequence out = dst.newSequence(tag, seq.size());
            for (Attributes item : seq) {
                Attributes copy = out.addNewItem();
                copy(item, copy, t -> true);
            }
        } else if (value == null || value instanceof byte[]) {
            byte[] b = src.getBytes(tag, dst.bigEndian());
            if (b == null || b.length <= 64 * 1024 || vr.isString()) {
                dst.setBytes(tag, vr, b == null ? new byte[0] : b);
            }
        }
        // BulkData and Fragments are not indexed
    }

    static byte[] encode(Attributes ds) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(1024);
        try (DicomOutputStream out = new DicomOutputStream(bytes, UID.DeflatedExplicitVRLittleEndian, 4096)) {
            out.writeDataset(ds);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode a data set in memory", e);
        }
        return bytes.toByteArray();
    }

    /** The largest inflated attrs blob accepted (a blob holds a few query attributes: kilobytes). */
    private static final int MAX_INFLATED = 16 << 20;

    /**
     * One raw-deflate inflater per thread, reset after each blob: a new {@link Inflater} per blob (native zlib
     * state, a cleaner, the reader's buffers) cost about half of the CPU time of a C-FIND that returns a few dozen
     * studies (two blobs per match).
     */
    private static final ThreadLocal<Inflater> INFLATER = ThreadLocal.withInitial(() -> new Inflater(true));

    static Attributes decode(byte[] blob) {
        if (blob == null || blob.length == 0) {
            return new Attributes();
        }
        try (DicomInputStream in = new DicomInputStream(new ByteArrayInputStream(inflate(blob)),
                UID.ExplicitVRLittleEndian)) {
            return in.readDataset();
        } catch (IOException | DataFormatException e) {
            throw new IllegalStateException("corrupt attrs blob in the index", e);
        }
    }

    /** The data set bytes of a Deflated Explicit VR Little Endian blob (raw deflate; zlib-wrapped read too). */
    static byte[] inflate(byte[] blob) throws DataFormatException {
        boolean zlib = blob.length >= 2 && (blob[0] & 0x0F) == 8 && ((blob[0] & 0xFF) << 8 | blob[1] & 0xFF) % 31 == 0;
        Inflater inflater = zlib ? new Inflater(false) : INFLATER.get();
        try {
            inflater.setInput(blob);
            byte[] out = new byte[Math.max(512, blob.length * 4)];
            int n = 0;
            while (!inflater.finished()) {
                if (n == out.length) {
                    if (out.length >= MAX_INFLATED) {
                        throw new DataFormatException("an attrs blob inflates to more than " + MAX_INFLATED + " bytes");
                    }
                    out = Arrays.copyOf(out, Math.min(MAX_INFLATED, out.length * 2));
                }
                int r = inflater.inflate(out, n, out.length - n);
                if (r == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    break; // the end of the input: what was inflated is read (a cut blob fails to parse)
                }
                n += r;
            }
            return n == out.length ? out : Arrays.copyOf(out, n);
        } finally {
            if (zlib) {
                inflater.end();
            } else {
                inflater.reset();
            }
        }
    }
}
