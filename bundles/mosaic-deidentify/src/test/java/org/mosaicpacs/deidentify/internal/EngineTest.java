package org.mosaicpacs.deidentify.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.mosaicpacs.api.deidentify.ConfidentialityOption;
import org.mosaicpacs.api.deidentify.DeidentificationException;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Fragments;
import org.mosaicpacs.dicom.data.Sequence;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.VR;

/** What a user of a de-identified copy notices: the marks, private data, consistency, references, dates, pixels. */
class EngineTest {

    static final String CT = "1.2.840.10008.5.1.4.1.1.2";
    static final String KOS = "1.2.840.10008.5.1.4.1.1.88.59";
    static final String GSPS = "1.2.840.10008.5.1.4.1.1.11.1";
    static final String SEG = "1.2.840.10008.5.1.4.1.1.66.4";
    static final byte[] KEY_A = "project-a-secret-key-000".getBytes(StandardCharsets.US_ASCII);
    static final byte[] KEY_B = "project-b-secret-key-000".getBytes(StandardCharsets.US_ASCII);

    private final Engine engine = new Engine();

    static Attributes image(String study, String series, String sop) {
        Attributes ds = new Attributes();
        ds.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 100");
        ds.setString(Tag.SOPClassUID, VR.UI, CT);
        ds.setString(Tag.SOPInstanceUID, VR.UI, sop);
        ds.setString(Tag.StudyDate, VR.DA, "20210315");
        ds.setString(Tag.StudyTime, VR.TM, "101500");
        ds.setString(Tag.AccessionNumber, VR.SH, "ACC998877");
        ds.setString(Tag.Modality, VR.CS, "CT");
        ds.setString(Tag.Manufacturer, VR.LO, "ACME");
        ds.setString(Tag.InstitutionName, VR.LO, "Saint Elsewhere Hospital");
        ds.setString(Tag.ReferringPhysicianName, VR.PN, "HOUSE^GREGORY");
        ds.setString(Tag.StudyDescription, VR.LO, "CT head for Mueller Hans");
        ds.setString(Tag.PatientName, VR.PN, "MUELLER^HANS");
        ds.setString(Tag.PatientID, VR.LO, "PID-12345");
        ds.setString(Tag.PatientBirthDate, VR.DA, "19600704");
        ds.setString(Tag.PatientSex, VR.CS, "M");
        ds.setString(Tag.StudyInstanceUID, VR.UI, study);
        ds.setString(Tag.SeriesInstanceUID, VR.UI, series);
        ds.setString(Tag.FrameOfReferenceUID, VR.UI, series + ".9");
        ds.setInt(Tag.Rows, VR.US, 4);
        ds.setInt(Tag.Columns, VR.US, 4);
        ds.setInt(Tag.BitsAllocated, VR.US, 16);
        ds.setInt(Tag.SamplesPerPixel, VR.US, 1);
        byte[] pixels = new byte[32];
        java.util.Arrays.fill(pixels, (byte) 0x55);
        ds.setBytes(Tag.PixelData, VR.OW, pixels);
        return ds;
    }

    static Profile profile(String name, byte[] key, ConfidentialityOption... options) {
        return Profile.of(name, options.length == 0 ? EnumSet.noneOf(ConfidentialityOption.class) : EnumSet.of(options[0], options), key);
    }

    @Test
    void marksTheInstanceAsTheStandardSays() throws Exception {
        Profile p = profile("a", KEY_A, ConfidentialityOption.RETAIN_LONGITUDINAL_MODIFIED_DATES, ConfidentialityOption.CLEAN_DESCRIPTORS);
        Attributes out = engine.deidentify(image("1.2.3", "1.2.3.4", "1.2.3.4.5"), p).dataset();
        assertEquals("YES", out.getString(Tag.PatientIdentityRemoved));
        assertEquals("MODIFIED", out.getString(Tag.LongitudinalTemporalInformationModified));
        List<String> codes = new ArrayList<>();
        for (Attributes item : out.getSequence(Tag.DeidentificationMethodCodeSequence)) {
            assertEquals("DCM", item.getString(Tag.CodingSchemeDesignator));
            codes.add(item.getString(Tag.CodeValue));
        }
        assertEquals(List.of("113100", "113107", "113105"), codes);
        assertEquals("Basic Application Confidentiality Profile", out.getStrings(Tag.DeidentificationMethod)[0]);
        assertEquals(3, out.getStrings(Tag.DeidentificationMethod).length);
        Attributes basic = engine.deidentify(image("1.2.3", "1.2.3.4", "1.2.3.4.5"), profile("a", KEY_A)).dataset();
        assertEquals("REMOVED", basic.getString(Tag.LongitudinalTemporalInformationModified));
        assertEquals(1, basic.getSequence(Tag.DeidentificationMethodCodeSequence).size());
    }

    @Test
    void theInputIsNotChanged() throws Exception {
        Attributes in = image("1.2.3", "1.2.3.4", "1.2.3.4.5");
        Attributes copy = new Attributes(in);
        engine.deidentify(in, profile("a", KEY_A));
        assertEquals(copy, in);
    }

    @Test
    void privateAttributesAreRemovedUnlessWhitelistedWithRetainSafePrivate() throws Exception {
        Attributes in = image("1.2.3", "1.2.3.4", "1.2.3.4.5");
        in.setString(0x00190010, VR.LO, "ACME 1.1");
        in.setString(0x00191010, VR.LO, "safe: kVp curve");
        in.setString(0x00191011, VR.LO, "MUELLER HANS");
        in.setString(0x00290010, VR.LO, "OTHER");
        in.setString(0x00291001, VR.LO, "secret");
        Attributes nested = in.newSequence(Tag.DerivationCodeSequence, 1).addNewItem();
        nested.setString(0x00190010, VR.LO, "ACME 1.1");
        nested.setString(0x00191011, VR.LO, "MUELLER HANS");

        Attributes basic = engine.deidentify(in, profile("a", KEY_A)).dataset();
        for (int tag : basic.tags()) {
            assertFalse(Tag.isPrivate(tag), String.format("private %08X removed", tag));
        }
        assertFalse(basic.getSequence(Tag.DerivationCodeSequence).get(0).contains(0x00191011), "inside sequences too");

        Profile safe = new Profile("a", EnumSet.of(ConfidentialityOption.RETAIN_SAFE_PRIVATE), KEY_A, "A", 10, 365,
                Set.of("ACME 1.1|0019xx10"), List.of(), true);
        Attributes kept = engine.deidentify(in, safe).dataset();
        assertEquals("safe: kVp curve", kept.getString(0x00191010));
        assertEquals("ACME 1.1", kept.getString(0x00190010), "its creator stays");
        assertFalse(kept.contains(0x00191011), "not whitelisted");
        assertFalse(kept.contains(0x00290010), "a creator with nothing left goes");
        assertFalse(kept.contains(0x00291001));
        assertTrue(kept.getSequence(Tag.ContentSequence) == null);
        assertEquals("113111", kept.getSequence(Tag.DeidentificationMethodCodeSequence).get(1).getString(Tag.CodeValue));
    }

    @Test
    void sameProjectSameReplacementsOtherProjectOthers() throws Exception {
        Attributes in = image("1.2.3", "1.2.3.4", "1.2.3.4.5");
        Attributes a1 = engine.deidentify(in, profile("a", KEY_A)).dataset();
        Attributes a2 = engine.deidentify(in, profile("a", KEY_A)).dataset();
        Attributes b = engine.deidentify(in, profile("b", KEY_B)).dataset();
        for (int tag : new int[] {Tag.StudyInstanceUID, Tag.SeriesInstanceUID, Tag.SOPInstanceUID, Tag.FrameOfReferenceUID,
                Tag.PatientID, Tag.PatientName}) {
            assertEquals(a1.getString(tag), a2.getString(tag), String.format("%08X same within a project", tag));
            assertNotEquals(a1.getString(tag), b.getString(tag), String.format("%08X differs across projects", tag));
            assertNotEquals(in.getString(tag), a1.getString(tag), String.format("%08X replaced", tag));
        }
        assertTrue(a1.getString(Tag.PatientID).startsWith("A-"), a1.getString(Tag.PatientID));
        assertTrue(a1.getString(Tag.StudyInstanceUID).matches("2\\.25\\.[1-9][0-9]{0,38}"), a1.getString(Tag.StudyInstanceUID));
        assertEquals(in.getString(Tag.SOPClassUID), a1.getString(Tag.SOPClassUID), "SOP Class kept");
        Attributes other = image("1.2.3", "1.2.3.4", "1.2.3.4.6");
        assertEquals(a1.getString(Tag.SeriesInstanceUID),
                engine.deidentify(other, profile("a", KEY_A)).dataset().getString(Tag.SeriesInstanceUID),
                "two instances of a series stay in one series");
    }

    @Test
    void referencesBetweenInstancesStillResolve() throws Exception {
        String study = "1.2.826.0.1.3680043.2.1143.7";
        String series = study + ".1";
        List<Attributes> images = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            images.add(image(study, series, series + "." + i));
        }
        // Key Object Selection: evidence sequence and content sequence both point at the images
        Attributes kos = image(study, study + ".2", study + ".2.1");
        kos.remove(Tag.PixelData);
        kos.setString(Tag.SOPClassUID, VR.UI, KOS);
        Attributes evidence = kos.newSequence(Tag.CurrentRequestedProcedureEvidenceSequence, 1).addNewItem();
        evidence.setString(Tag.StudyInstanceUID, VR.UI, study);
        Attributes evSeries = evidence.newSequence(Tag.ReferencedSeriesSequence, 1).addNewItem();
        evSeries.setString(Tag.SeriesInstanceUID, VR.UI, series);
        Sequence evSops = evSeries.newSequence(Tag.ReferencedSOPSequence, 3);
        Sequence content = kos.newSequence(Tag.ContentSequence, 3);
        for (Attributes img : images) {
            Attributes ref = evSops.addNewItem();
            ref.setString(Tag.ReferencedSOPClassUID, VR.UI, CT);
            ref.setString(Tag.ReferencedSOPInstanceUID, VR.UI, img.getString(Tag.SOPInstanceUID));
            Attributes item = content.addNewItem();
            item.setString(Tag.ValueType, VR.CS, "IMAGE");
            Attributes r = item.newSequence(Tag.ReferencedSOPSequence, 1).addNewItem();
            r.setString(Tag.ReferencedSOPClassUID, VR.UI, CT);
            r.setString(Tag.ReferencedSOPInstanceUID, VR.UI, img.getString(Tag.SOPInstanceUID));
        }
        // Grayscale presentation state: Referenced Series Sequence > Referenced Image Sequence
        Attributes gsps = image(study, study + ".3", study + ".3.1");
        gsps.remove(Tag.PixelData);
        gsps.setString(Tag.SOPClassUID, VR.UI, GSPS);
        Attributes psSeries = gsps.newSequence(Tag.ReferencedSeriesSequence, 1).addNewItem();
        psSeries.setString(Tag.SeriesInstanceUID, VR.UI, series);
        Attributes psImage = psSeries.newSequence(Tag.ReferencedImageSequence, 1).addNewItem();
        psImage.setString(Tag.ReferencedSOPClassUID, VR.UI, CT);
        psImage.setString(Tag.ReferencedSOPInstanceUID, VR.UI, images.get(0).getString(Tag.SOPInstanceUID));
        // Segmentation: Referenced Series Sequence > Referenced Instance Sequence, and a Source Image Sequence in a functional group
        Attributes seg = image(study, study + ".4", study + ".4.1");
        seg.setString(Tag.SOPClassUID, VR.UI, SEG);
        Attributes segSeries = seg.newSequence(Tag.ReferencedSeriesSequence, 1).addNewItem();
        segSeries.setString(Tag.SeriesInstanceUID, VR.UI, series);
        Attributes segInst = segSeries.newSequence(Tag.ReferencedInstanceSequence, 1).addNewItem();
        segInst.setString(Tag.ReferencedSOPClassUID, VR.UI, CT);
        segInst.setString(Tag.ReferencedSOPInstanceUID, VR.UI, images.get(1).getString(Tag.SOPInstanceUID));
        Attributes derivation = seg.newSequence(Tag.SharedFunctionalGroupsSequence, 1).addNewItem()
                .newSequence(Tag.DerivationImageSequence, 1).addNewItem();
        Attributes source = derivation.newSequence(Tag.SourceImageSequence, 1).addNewItem();
        source.setString(Tag.ReferencedSOPClassUID, VR.UI, CT);
        source.setString(Tag.ReferencedSOPInstanceUID, VR.UI, images.get(2).getString(Tag.SOPInstanceUID));

        Profile p = profile("a", KEY_A);
        Set<String> newSops = new HashSet<>();
        String newSeries = null;
        String newStudy = null;
        for (Attributes img : images) {
            Attributes out = engine.deidentify(img, p).dataset();
            newSops.add(out.getString(Tag.SOPInstanceUID));
            newSeries = out.getString(Tag.SeriesInstanceUID);
            newStudy = out.getString(Tag.StudyInstanceUID);
        }
        Attributes k = engine.deidentify(kos, p).dataset();
        assertEquals(newStudy, k.getString(Tag.StudyInstanceUID), "one new study");
        Attributes ev = k.getSequence(Tag.CurrentRequestedProcedureEvidenceSequence).get(0);
        assertEquals(newStudy, ev.getString(Tag.StudyInstanceUID));
        Attributes evs = ev.getSequence(Tag.ReferencedSeriesSequence).get(0);
        assertEquals(newSeries, evs.getString(Tag.SeriesInstanceUID));
        Set<String> referenced = new HashSet<>();
        for (Attributes r : evs.getSequence(Tag.ReferencedSOPSequence)) {
            referenced.add(r.getString(Tag.ReferencedSOPInstanceUID));
        }
        assertEquals(newSops, referenced, "KOS evidence resolves");
        Set<String> contentRefs = new HashSet<>();
        for (Attributes item : k.getSequence(Tag.ContentSequence)) {
            contentRefs.add(item.getSequence(Tag.ReferencedSOPSequence).get(0).getString(Tag.ReferencedSOPInstanceUID));
            assertEquals(CT, item.getSequence(Tag.ReferencedSOPSequence).get(0).getString(Tag.ReferencedSOPClassUID));
        }
        assertEquals(newSops, contentRefs, "KOS content resolves");

        Attributes g = engine.deidentify(gsps, p).dataset();
        Attributes gs = g.getSequence(Tag.ReferencedSeriesSequence).get(0);
        assertEquals(newSeries, gs.getString(Tag.SeriesInstanceUID));
        assertTrue(newSops.contains(gs.getSequence(Tag.ReferencedImageSequence).get(0).getString(Tag.ReferencedSOPInstanceUID)),
                "GSPS image reference resolves");

        Attributes s = engine.deidentify(seg, p).dataset();
        Attributes ss = s.getSequence(Tag.ReferencedSeriesSequence).get(0);
        assertEquals(newSeries, ss.getString(Tag.SeriesInstanceUID));
        assertTrue(newSops.contains(ss.getSequence(Tag.ReferencedInstanceSequence).get(0).getString(Tag.ReferencedSOPInstanceUID)));
        String src = s.getSequence(Tag.SharedFunctionalGroupsSequence).get(0).getSequence(Tag.DerivationImageSequence).get(0)
                .getSequence(Tag.SourceImageSequence).get(0).getString(Tag.ReferencedSOPInstanceUID);
        assertTrue(newSops.contains(src), "SEG source image resolves");
    }

    /**
     * A Comprehensive SR: its evidence, an IMAGE content item nested two containers deep and its Predecessor
     * Documents Sequence still name the new UIDs of the images and of the earlier report, de-identified one by one.
     */
    @Test
    void srReferencesStillResolve() throws Exception {
        String study = "1.2.826.0.1.3680043.2.1143.8";
        String series = study + ".1";
        Attributes img = image(study, series, series + ".1");
        Attributes earlier = image(study, study + ".5", study + ".5.1");
        earlier.remove(Tag.PixelData);
        earlier.setString(Tag.SOPClassUID, VR.UI, "1.2.840.10008.5.1.4.1.1.88.33");
        Attributes sr = image(study, study + ".5", study + ".5.2");
        sr.remove(Tag.PixelData);
        sr.setString(Tag.SOPClassUID, VR.UI, "1.2.840.10008.5.1.4.1.1.88.33");
        Attributes ev = sr.newSequence(Tag.CurrentRequestedProcedureEvidenceSequence, 1).addNewItem();
        ev.setString(Tag.StudyInstanceUID, VR.UI, study);
        Attributes evSeries = ev.newSequence(Tag.ReferencedSeriesSequence, 1).addNewItem();
        evSeries.setString(Tag.SeriesInstanceUID, VR.UI, series);
        Attributes evSop = evSeries.newSequence(Tag.ReferencedSOPSequence, 1).addNewItem();
        evSop.setString(Tag.ReferencedSOPClassUID, VR.UI, CT);
        evSop.setString(Tag.ReferencedSOPInstanceUID, VR.UI, img.getString(Tag.SOPInstanceUID));
        Attributes pred = sr.newSequence(Tag.PredecessorDocumentsSequence, 1).addNewItem();
        pred.setString(Tag.StudyInstanceUID, VR.UI, study);
        Attributes predSeries = pred.newSequence(Tag.ReferencedSeriesSequence, 1).addNewItem();
        predSeries.setString(Tag.SeriesInstanceUID, VR.UI, study + ".5");
        Attributes predSop = predSeries.newSequence(Tag.ReferencedSOPSequence, 1).addNewItem();
        predSop.setString(Tag.ReferencedSOPClassUID, VR.UI, "1.2.840.10008.5.1.4.1.1.88.33");
        predSop.setString(Tag.ReferencedSOPInstanceUID, VR.UI, earlier.getString(Tag.SOPInstanceUID));
        sr.setString(Tag.ValueType, VR.CS, "CONTAINER");
        Attributes findings = sr.newSequence(Tag.ContentSequence, 1).addNewItem();
        findings.setString(Tag.RelationshipType, VR.CS, "CONTAINS");
        findings.setString(Tag.ValueType, VR.CS, "CONTAINER");
        Attributes imageItem = findings.newSequence(Tag.ContentSequence, 1).addNewItem();
        imageItem.setString(Tag.RelationshipType, VR.CS, "CONTAINS");
        imageItem.setString(Tag.ValueType, VR.CS, "IMAGE");
        Attributes ref = imageItem.newSequence(Tag.ReferencedSOPSequence, 1).addNewItem();
        ref.setString(Tag.ReferencedSOPClassUID, VR.UI, CT);
        ref.setString(Tag.ReferencedSOPInstanceUID, VR.UI, img.getString(Tag.SOPInstanceUID));

        for (Set<ConfidentialityOption> options : List.of(Set.<ConfidentialityOption>of(),
                Set.of(ConfidentialityOption.CLEAN_STRUCTURED_CONTENT))) {
            Profile p = profile("a", KEY_A, options.toArray(new ConfidentialityOption[0]));
            Attributes newImg = engine.deidentify(img, p).dataset();
            Attributes newEarlier = engine.deidentify(earlier, p).dataset();
            Attributes out = engine.deidentify(sr, p).dataset();
            String what = "options " + options + ": ";
            Attributes evs = out.getSequence(Tag.CurrentRequestedProcedureEvidenceSequence).get(0)
                    .getSequence(Tag.ReferencedSeriesSequence).get(0);
            assertEquals(newImg.getString(Tag.SeriesInstanceUID), evs.getString(Tag.SeriesInstanceUID), what + "evidence series");
            assertEquals(newImg.getString(Tag.SOPInstanceUID), evs.getSequence(Tag.ReferencedSOPSequence).get(0)
                    .getString(Tag.ReferencedSOPInstanceUID), what + "SR evidence resolves");
            Attributes ps = out.getSequence(Tag.PredecessorDocumentsSequence).get(0);
            assertEquals(newEarlier.getString(Tag.StudyInstanceUID), ps.getString(Tag.StudyInstanceUID));
            assertEquals(newEarlier.getString(Tag.SOPInstanceUID), ps.getSequence(Tag.ReferencedSeriesSequence).get(0)
                    .getSequence(Tag.ReferencedSOPSequence).get(0).getString(Tag.ReferencedSOPInstanceUID),
                    what + "predecessor document resolves");
            if (out.contains(Tag.ContentSequence) && !out.getSequence(Tag.ContentSequence).isEmpty()) {
                Attributes nested = out.getSequence(Tag.ContentSequence).get(0).getSequence(Tag.ContentSequence).get(0);
                assertEquals(newImg.getString(Tag.SOPInstanceUID), nested.getSequence(Tag.ReferencedSOPSequence).get(0)
                        .getString(Tag.ReferencedSOPInstanceUID), what + "IMAGE content item two levels deep resolves");
            } else {
                assertTrue(options.isEmpty(), what + "content kept with Clean Structured Content");
            }
        }
    }

    @Test
    void modifiedDatesKeepIntervalsPerPatient() throws Exception {
        Profile p = profile("a", KEY_A, ConfidentialityOption.RETAIN_LONGITUDINAL_MODIFIED_DATES);
        Attributes first = image("1.2.3", "1.2.3.4", "1.2.3.4.5");
        Attributes later = image("1.2.9", "1.2.9.4", "1.2.9.4.5");
        later.setString(Tag.StudyDate, VR.DA, "20210415");
        later.setString(Tag.ContentDate, VR.DA, "20210415");
        Engine.Result r1 = engine.deidentify(first, p);
        Engine.Result r2 = engine.deidentify(later, p);
        assertEquals(r1.dateOffsetDays(), r2.dateOffsetDays(), "one offset per patient");
        assertTrue(r1.dateOffsetDays() < 0 && r1.dateOffsetDays() >= -365);
        LocalDate d1 = LocalDate.parse(r1.dataset().getString(Tag.StudyDate), DateTimeFormatter.BASIC_ISO_DATE);
        LocalDate d2 = LocalDate.parse(r2.dataset().getString(Tag.StudyDate), DateTimeFormatter.BASIC_ISO_DATE);
        assertEquals(31, ChronoUnit.DAYS.between(d1, d2), "the interval between the studies is kept");
        assertNotEquals("20210315", r1.dataset().getString(Tag.StudyDate));
        Attributes otherPatient = image("1.2.3", "1.2.3.4", "1.2.3.4.5");
        otherPatient.setString(Tag.PatientID, VR.LO, "PID-99999");
        assertNotEquals(r1.patientId(), engine.deidentify(otherPatient, p).patientId());

        Attributes full = engine.deidentify(first, profile("a", KEY_A, ConfidentialityOption.RETAIN_LONGITUDINAL_FULL_DATES)).dataset();
        assertEquals("20210315", full.getString(Tag.StudyDate));
        assertEquals("UNMODIFIED", full.getString(Tag.LongitudinalTemporalInformationModified));
        Attributes basic = engine.deidentify(first, profile("a", KEY_A)).dataset();
        assertEquals(0, basic.getBytes(Tag.StudyDate).length, "basic: Study Date zero length (Type 2)");
        assertFalse(basic.contains(Tag.PatientBirthDate) && basic.getBytes(Tag.PatientBirthDate).length > 0);
        assertThrows(IllegalArgumentException.class, () -> profile("a", KEY_A,
                ConfidentialityOption.RETAIN_LONGITUDINAL_FULL_DATES, ConfidentialityOption.RETAIN_LONGITUDINAL_MODIFIED_DATES));
    }

    @Test
    void cleanDescriptorsKeepsTextButNotTheIdentity() throws Exception {
        Attributes in = image("1.2.3", "1.2.3.4", "1.2.3.4.5");
        in.setString(Tag.ImageComments, VR.LT, "Patient Mueller (PID-12345) seen at Saint Elsewhere Hospital on 20210315");
        Attributes out = engine.deidentify(in, profile("a", KEY_A, ConfidentialityOption.CLEAN_DESCRIPTORS)).dataset();
        String comments = out.getString(Tag.ImageComments);
        assertTrue(comments.startsWith("Patient "), comments);
        for (String secret : new String[] {"Mueller", "PID-12345", "Saint Elsewhere Hospital", "20210315"}) {
            assertFalse(comments.contains(secret), secret + " cleaned out of: " + comments);
        }
        assertEquals("CT head for ******* ****", out.getString(Tag.StudyDescription));
        Attributes basic = engine.deidentify(in, profile("a", KEY_A)).dataset();
        assertNull(basic.getString(Tag.ImageComments), "basic: removed");
        assertNull(basic.getString(Tag.StudyDescription), "basic: removed");
    }

    @Test
    void retainOptionsKeepWhatTheyName() throws Exception {
        Attributes in = image("1.2.3", "1.2.3.4", "1.2.3.4.5");
        in.setString(Tag.DeviceSerialNumber, VR.LO, "SN-42");
        in.setString(Tag.StationName, VR.SH, "CT01");
        in.setString(Tag.PatientAge, VR.AS, "060Y");
        assertEquals("Saint Elsewhere Hospital", engine.deidentify(in,
                profile("a", KEY_A, ConfidentialityOption.RETAIN_INSTITUTION_IDENTITY)).dataset().getString(Tag.InstitutionName));
        Attributes dev = engine.deidentify(in, profile("a", KEY_A, ConfidentialityOption.RETAIN_DEVICE_IDENTITY)).dataset();
        assertEquals("SN-42", dev.getString(Tag.DeviceSerialNumber));
        assertEquals("CT01", dev.getString(Tag.StationName));
        assertEquals("060Y", engine.deidentify(in,
                profile("a", KEY_A, ConfidentialityOption.RETAIN_PATIENT_CHARACTERISTICS)).dataset().getString(Tag.PatientAge));
        assertEquals("1.2.3", engine.deidentify(in,
                profile("a", KEY_A, ConfidentialityOption.RETAIN_UIDS)).dataset().getString(Tag.StudyInstanceUID));
        Attributes basic = engine.deidentify(in, profile("a", KEY_A)).dataset();
        assertNull(basic.getString(Tag.InstitutionName), "Type 3 in the CT Image IOD: X");
        assertNull(basic.getString(Tag.DeviceSerialNumber), "Type 3 in the CT Image IOD: X");
        assertNull(basic.getString(Tag.PatientAge));
    }

    @Test
    void combinedActionsFollowTheTypeInTheIod() throws Exception {
        Attributes ct = image("1.2.3", "1.2.3.4", "1.2.3.4.5");
        ct.setString(Tag.ContentDate, VR.DA, "20210315");
        ct.setString(Tag.DeviceSerialNumber, VR.LO, "SN-42");
        Attributes outCt = engine.deidentify(ct, profile("a", KEY_A)).dataset();
        assertEquals(0, outCt.getBytes(Tag.ContentDate).length, "Z/D, Type 2 in General Image: Z");
        assertFalse(outCt.contains(Tag.DeviceSerialNumber), "X/Z/D, Type 3 in General Equipment: X");
        Attributes kos = new Attributes(ct);
        kos.setString(Tag.SOPClassUID, VR.UI, KOS);
        Attributes outKos = engine.deidentify(kos, profile("a", KEY_A)).dataset();
        assertEquals(Engine.DUMMY_DATE, outKos.getString(Tag.ContentDate), "Z/D, Type 1 in Key Object Document: D");
        Attributes enhanced = new Attributes(ct);
        enhanced.setString(Tag.SOPClassUID, VR.UI, "1.2.840.10008.5.1.4.1.1.2.1");
        assertEquals(Engine.DUMMY_TEXT, engine.deidentify(enhanced, profile("a", KEY_A)).dataset().getString(Tag.DeviceSerialNumber),
                "X/Z/D, Type 1 in Enhanced General Equipment: D");
    }

    @Test
    void cleanPixelDataBlanksTheRectanglesOfMatchingImages() throws Exception {
        Attributes in = image("1.2.3", "1.2.3.4", "1.2.3.4.5");
        in.setString(Tag.BurnedInAnnotation, VR.CS, "YES");
        Profile p = new Profile("a", EnumSet.of(ConfidentialityOption.CLEAN_PIXEL_DATA), KEY_A, "A", 10, 365, Set.of(),
                List.of(PixelCleaner.Rule.parse("MR|*|4x4: 0 0 4 4"), PixelCleaner.Rule.parse("CT|acme|4x4: 1 0 2 1")), true);
        Attributes out = engine.deidentify(in, p).dataset();
        byte[] px = out.getBytes(Tag.PixelData);
        byte[] expected = new byte[32];
        java.util.Arrays.fill(expected, (byte) 0x55);
        for (int b = 2; b < 6; b++) {
            expected[b] = 0; // row 0, columns 1 and 2, 16 bits each
        }
        assertArrayEquals(expected, px);
        assertEquals("NO", out.getString(Tag.BurnedInAnnotation));
        assertEquals("113101", out.getSequence(Tag.DeidentificationMethodCodeSequence).get(1).getString(Tag.CodeValue));

        Attributes compressed = new Attributes(in);
        Fragments f = new Fragments(VR.OB, false, 2);
        f.add(new byte[0]);
        f.add(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xD9});
        compressed.setFragments(Tag.PixelData, f);
        DeidentificationException e = assertThrows(DeidentificationException.class, () -> engine.deidentify(compressed, p));
        assertTrue(e.getMessage().contains("compressed"), e.getMessage());

        Attributes unmatched = new Attributes(in);
        unmatched.setString(Tag.Modality, VR.CS, "US");
        e = assertThrows(DeidentificationException.class, () -> engine.deidentify(unmatched, p));
        assertTrue(e.getMessage().contains("Burned In Annotation"), e.getMessage());
        e = assertThrows(DeidentificationException.class, () -> engine.deidentify(in, profile("a", KEY_A)));
        assertTrue(e.getMessage().contains("Burned In Annotation"), e.getMessage());
    }

    @Test
    void overlaysAndCurvesAreRemovedUnlessCleanGraphics() throws Exception {
        Attributes in = image("1.2.3", "1.2.3.4", "1.2.3.4.5");
        in.setBytes(0x60003000, VR.OW, new byte[] {1, 0, 0, 0});
        in.setString(0x60004000, VR.LT, "MUELLER annotation");
        in.setBytes(0x50003000, VR.OW, new byte[] {1, 0});
        Attributes basic = engine.deidentify(in, profile("a", KEY_A)).dataset();
        assertFalse(basic.contains(0x60003000));
        assertFalse(basic.contains(0x60004000));
        assertFalse(basic.contains(0x50003000));
        Attributes graphics = engine.deidentify(in, profile("a", KEY_A, ConfidentialityOption.CLEAN_GRAPHICS)).dataset();
        assertTrue(graphics.contains(0x60003000));
        assertEquals("******* annotation", graphics.getString(0x60004000));
    }
}
