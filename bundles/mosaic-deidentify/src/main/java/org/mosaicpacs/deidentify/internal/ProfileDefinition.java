package org.mosaicpacs.deidentify.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.mosaicpacs.api.deidentify.ConfidentialityOption;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.Designate;

/**
 * One configured profile ({@code etc/org.mosaicpacs.deidentify.profile-NAME.cfg}), checked when it is
 * activated: a wrong option or rectangle keeps the component from activating, with the reason in the log
 * and in the health report.
 */
@Component(service = ProfileDefinition.class, configurationPid = ProfileDefinition.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = ProfileConfiguration.class, factory = true)
public final class ProfileDefinition {

    static final String PID = "org.mosaicpacs.deidentify.profile";

    private final String name;
    private final Set<ConfidentialityOption> options;
    private final String secret;
    private final String prefix;
    private final int pseudonymLength;
    private final int maxShift;
    private final Set<String> safePrivate;
    private final List<PixelCleaner.Rule> rectangles;
    private final boolean refuseBurnedIn;

    @Activate
    public ProfileDefinition(ProfileConfiguration c) {
        this(c.name(), c.options(), c.secret(), c.patientIdPrefix(), c.pseudonymLength(), c.maxDateShiftDays(),
                c.safePrivateAttributes(), c.cleanPixelRectangles(), c.refuseBurnedInAnnotation());
    }

    ProfileDefinition(String name, String[] options, String secret, String prefix, int pseudonymLength, int maxShift,
                      String[] safePrivate, String[] rectangles, boolean refuseBurnedIn) {
        options = splitCommas(options);
        safePrivate = splitCommas(safePrivate);
        rectangles = splitCommas(rectangles);
        if (name == null || name.isBlank() || !name.strip().matches("[A-Za-z0-9._-]{1,64}")) {
            throw new IllegalArgumentException("a profile needs a name of 1 to 64 letters, digits, '.', '_' or '-', not '" + name + "'");
        }
        this.name = name.strip();
        Set<ConfidentialityOption> o = EnumSet.noneOf(ConfidentialityOption.class);
        for (String s : options == null ? new String[0] : options) {
            if (s != null && !s.isBlank()) {
                try {
                    o.add(ConfidentialityOption.valueOf(s.strip().toUpperCase(Locale.ROOT).replace(' ', '_')));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("profile " + name + ": unknown option '" + s + "'");
                }
            }
        }
        this.options = o;
        this.secret = secret == null ? "" : secret;
        this.prefix = prefix == null || prefix.isBlank() ? this.name.toUpperCase(Locale.ROOT) : prefix.strip();
        this.pseudonymLength = pseudonymLength;
        this.maxShift = maxShift;
        Set<String> safe = new LinkedHashSet<>();
        for (String s : safePrivate == null ? new String[0] : safePrivate) {
            if (s != null && !s.isBlank()) {
                if (!s.strip().matches(".+\\|[0-9A-Fa-f]{4}[xX]{2}[0-9A-Fa-f]{2}")) {
                    throw new IllegalArgumentException("profile " + name + ": safe private attribute '" + s
                            + "' is not CREATOR|ggggxxee");
                }
                int bar = s.lastIndexOf('|');
                safe.add(s.substring(0, bar).strip() + "|" + s.substring(bar + 1).strip().toUpperCase(Locale.ROOT).replace("XX", "xx"));
            }
        }
        this.safePrivate = safe;
        List<PixelCleaner.Rule> rules = new ArrayList<>();
        for (String s : rectangles == null ? new String[0] : rectangles) {
            if (s != null && !s.isBlank()) {
                rules.add(PixelCleaner.Rule.parse(s));
            }
        }
        this.rectangles = rules;
        this.refuseBurnedIn = refuseBurnedIn;
        // fail now, not at the first instance, on values the Profile refuses
        toProfile(new byte[32]);
    }

    /** A .cfg file gives a list as one comma separated string; typed configurations give arrays. Both work. */
    private static String[] splitCommas(String[] values) {
        List<String> out = new ArrayList<>();
        for (String v : values == null ? new String[0] : values) {
            if (v != null) {
                for (String part : v.split(",")) {
                    if (!part.isBlank()) {
                        out.add(part.strip());
                    }
                }
            }
        }
        return out.toArray(String[]::new);
    }

    /** The built-in {@code basic} profile: no option, defaults for the rest. */
    static ProfileDefinition basic() {
        return new ProfileDefinition("basic", new String[0], "", "", 10, 365, new String[0], new String[0], true);
    }

    String name() {
        return name;
    }

    Set<ConfidentialityOption> options() {
        return options;
    }

    /** Whether a secret is configured (else the mapping store keeps a random one). */
    boolean hasSecret() {
        return !secret.isEmpty();
    }

    /** The project's key from the configured secret: different for every profile name. */
    byte[] keyFromSecret() {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update(("mosaic-deidentify\u0000" + name + "\u0000").getBytes(StandardCharsets.UTF_8));
            return d.digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    Profile toProfile(byte[] key) {
        return new Profile(name, options, key, prefix, pseudonymLength, maxShift, safePrivate, rectangles, refuseBurnedIn);
    }
}
