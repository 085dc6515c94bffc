package org.mosaicpacs.deidentify.internal;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The replacements of one project: keyed hashes (HMAC-SHA-256 with the project's key) of the originals,
 * so the same original always gives the same replacement in a project and an unrelated one in another,
 * with no table needed to make them (the mapping store only keeps them for re-identification).
 */
final class Pseudonyms {

    private final Mac mac;
    private final String prefix;
    private final int length;
    private final int maxShift;

    Pseudonyms(Profile profile) {
        try {
            mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(profile.key(), "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 not available", e);
        }
        prefix = profile.patientIdPrefix();
        length = profile.pseudonymLength();
        maxShift = profile.maxDateShiftDays();
    }

    private byte[] hash(String domain, String value) {
        return mac.doFinal((domain + '\u0000' + value).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A new UID under the {@code 2.25} arc (PS3.5 B.2): the first 128 bits of the keyed hash of the
     * original, with the version (8, custom) and variant bits of a UUID set, as a decimal integer.
     */
    String uid(String original) {
        byte[] h = hash("uid", original.strip());
        byte[] u = new byte[16];
        System.arraycopy(h, 0, u, 0, 16);
        u[6] = (byte) ((u[6] & 0x0F) | 0x80);
        u[8] = (byte) ((u[8] & 0x3F) | 0x80);
        return "2.25." + new BigInteger(1, u);
    }

    /** The pseudonymous Patient ID of a patient, e.g. {@code RESEARCH-A-3F9A0C11D2}. */
    String patientId(String patientKey) {
        String hex = HexFormat.of().formatHex(hash("patient", patientKey)).substring(0, length).toUpperCase(Locale.ROOT);
        return prefix.isEmpty() ? hex : prefix + "-" + hex;
    }

    /** The date shift of a patient for Retain Longitudinal Modified Dates: -1 to -maxDateShiftDays days. */
    int dateOffsetDays(String patientKey) {
        byte[] h = hash("date-offset", patientKey);
        int v = ((h[0] & 0xFF) << 24 | (h[1] & 0xFF) << 16 | (h[2] & 0xFF) << 8 | (h[3] & 0xFF)) & 0x7FFFFFFF;
        return -(1 + v % maxShift);
    }

    /** A short replacement text, e.g. for an AE title: {@code prefix} and 8 hex digits of the keyed hash. */
    String token(String domain, String original, String tokenPrefix) {
        return tokenPrefix + HexFormat.of().formatHex(hash(domain, original)).substring(0, 8).toUpperCase(Locale.ROOT);
    }

    /** A stable key of a project secret, for the mapping store (never the secret itself). */
    static String fingerprint(byte[] key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key)).substring(0, 16);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
