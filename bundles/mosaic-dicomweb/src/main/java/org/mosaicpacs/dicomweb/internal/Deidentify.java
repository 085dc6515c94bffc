package org.mosaicpacs.dicomweb.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.mosaicpacs.api.deidentify.DeidentificationException;
import org.mosaicpacs.api.deidentify.StudyDeidentifier;
import org.mosaicpacs.api.deidentify.StudyDeidentifier.StudyCopy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST {prefix}/studies/{StudyInstanceUID}/deidentify?profile=NAME} (not a DICOMweb service of PS3.18,
 * an extension of this archive): makes a de-identified copy of the study as a new study with the
 * {@link StudyDeidentifier} of the feature {@code mosaic-deidentify}, and answers (200, JSON) the original and
 * the new Study Instance UID, the instances copied and the problems. 400 without a profile or with an unknown
 * one, 404 for a study the archive does not have, 422 when no instance could be copied, 503 without the feature.
 */
final class Deidentify {

    private static final Logger LOG = LoggerFactory.getLogger(Deidentify.class);

    private final Supplier<StudyDeidentifier> studies;

    Deidentify(Supplier<StudyDeidentifier> studies) {
        this.studies = studies;
    }

    void post(String studyInstanceUID, HttpServletRequest request, HttpServletResponse response) throws IOException {
        StudyDeidentifier s = studies.get();
        if (s == null) {
            throw WebException.unavailable("de-identification is not available (feature mosaic-deidentify)");
        }
        String profile = request.getParameter("profile");
        if (profile == null || profile.isBlank()) {
            throw WebException.badRequest("no profile: POST .../studies/{uid}/deidentify?profile=NAME; profiles: "
                    + s.profiles());
        }
        profile = profile.strip();
        if (!s.profiles().contains(profile)) {
            throw WebException.badRequest("unknown profile '" + profile + "'; profiles: " + s.profiles());
        }
        Optional<StudyCopy> copy;
        try {
            copy = s.deidentifyStudy(studyInstanceUID, profile);
        } catch (DeidentificationException e) {
            throw WebException.unavailable("cannot de-identify now: " + e.getMessage());
        }
        if (copy.isEmpty()) {
            throw WebException.notFound("no study " + studyInstanceUID + " in the archive");
        }
        StudyCopy c = copy.get();
        LOG.info("DICOMweb: study {} de-identified with profile {} as {} ({} instances, {} problems)",
                studyInstanceUID, profile, c.studyInstanceUID(), c.instances(), c.problems().size());
        byte[] body = json(c, profile).getBytes(StandardCharsets.UTF_8);
        response.setStatus(c.instances() == 0 ? 422 : 200);
        response.setContentType("application/json;charset=utf-8");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    static String json(StudyCopy c, String profile) {
        StringBuilder sb = new StringBuilder("{\"OriginalStudyInstanceUID\":").append(string(c.originalStudyInstanceUID()))
                .append(",\"StudyInstanceUID\":").append(string(c.studyInstanceUID()))
                .append(",\"Profile\":").append(string(profile))
                .append(",\"Instances\":").append(c.instances())
                .append(",\"Problems\":[");
        List<String> problems = c.problems();
        for (int i = 0; i < problems.size(); i++) {
            sb.append(i == 0 ? "" : ",").append(string(problems.get(i)));
        }
        return sb.append("]}\n").toString();
    }

    /** A JSON string (RFC 8259): quotes, backslashes and control characters escaped. */
    static String string(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (ch < 0x20) {
                        sb.append(String.format("\\u%04x", (int) ch));
                    } else {
                        sb.append(ch);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
