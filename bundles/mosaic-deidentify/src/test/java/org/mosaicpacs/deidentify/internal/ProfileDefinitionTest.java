package org.mosaicpacs.deidentify.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.mosaicpacs.api.deidentify.ConfidentialityOption;

/** A profile's configuration as an admin writes it in etc/org.mosaicpacs.deidentify.profile-NAME.cfg. */
class ProfileDefinitionTest {

    @Test
    void readsTheListsOfACfgFile() {
        ProfileDefinition d = new ProfileDefinition(Configs.config(ProfileConfiguration.class, Map.of(
                "name", "research-a",
                "options", new String[] {"CLEAN_DESCRIPTORS, retain_longitudinal_modified_dates,CLEAN_PIXEL_DATA"},
                "safePrivateAttributes", new String[] {"ACME 1.1|0019xx10, GEMS_ACQU_01|0019XX1b"},
                "cleanPixelRectangles", new String[] {"US|*|640x480: 0 0 640 40, CT|ACME|*: 0 0 200 30; 400 480 112 32"})));
        assertEquals("research-a", d.name());
        assertEquals(EnumSet.of(ConfidentialityOption.CLEAN_DESCRIPTORS, ConfidentialityOption.RETAIN_LONGITUDINAL_MODIFIED_DATES,
                ConfidentialityOption.CLEAN_PIXEL_DATA), d.options());
        Profile p = d.toProfile(new byte[32]);
        assertTrue(p.safePrivate().contains("GEMS_ACQU_01|0019xx1B"), p.safePrivate().toString());
        assertEquals(2, p.rectangles().size());
        assertEquals(2, p.rectangles().get(1).rects().size());
        assertEquals("RESEARCH-A", p.patientIdPrefix());
        assertFalse(d.hasSecret());
    }

    @Test
    void refusesWhatWouldNotWork() {
        Map<String, Object> base = Map.of("name", "x");
        assertThrows(IllegalArgumentException.class, () -> new ProfileDefinition(Configs.config(ProfileConfiguration.class,
                Map.of("name", "x", "options", new String[] {"RETAIN_EVERYTHING"}))));
        assertThrows(IllegalArgumentException.class, () -> new ProfileDefinition(Configs.config(ProfileConfiguration.class,
                Map.of("name", "x", "options", new String[] {"RETAIN_LONGITUDINAL_FULL_DATES,RETAIN_LONGITUDINAL_MODIFIED_DATES"}))));
        assertThrows(IllegalArgumentException.class, () -> new ProfileDefinition(Configs.config(ProfileConfiguration.class,
                Map.of("name", "x", "cleanPixelRectangles", new String[] {"US|640x480: 0 0 1 1"}))));
        assertThrows(IllegalArgumentException.class, () -> new ProfileDefinition(Configs.config(ProfileConfiguration.class,
                Map.of("name", "x", "safePrivateAttributes", new String[] {"ACME 0019,0010"}))));
        assertThrows(IllegalArgumentException.class, () -> new ProfileDefinition(Configs.config(ProfileConfiguration.class,
                Map.of("name", "bad name/with slash"))));
        assertThrows(IllegalArgumentException.class, () -> new ProfileDefinition(Configs.config(ProfileConfiguration.class,
                Map.of("name", "x", "pseudonymLength", 3))));
        new ProfileDefinition(Configs.config(ProfileConfiguration.class, base));
    }

    @Test
    void theSecretGivesAKeyPerProfile() {
        ProfileDefinition a = new ProfileDefinition(Configs.config(ProfileConfiguration.class, Map.of("name", "a", "secret", "s")));
        ProfileDefinition b = new ProfileDefinition(Configs.config(ProfileConfiguration.class, Map.of("name", "b", "secret", "s")));
        assertTrue(a.hasSecret());
        assertNotEquals(java.util.HexFormat.of().formatHex(a.keyFromSecret()), java.util.HexFormat.of().formatHex(b.keyFromSecret()),
                "one secret shared by two profiles still gives two projects");
    }
}
