package org.mosaicpacs.dicom.value;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.mosaicpacs.dicom.value.PersonName.Component;
import org.mosaicpacs.dicom.value.PersonName.Group;

class PersonNameTest {

    @Test
    void parsesAllGroupsAndComponents() {
        PersonName pn = PersonName.parse("Adams^John Robert Quincy^^Rev.^B.A. M.Div.");
        assertEquals("Adams", pn.get(Component.FAMILY));
        assertEquals("John Robert Quincy", pn.get(Component.GIVEN));
        assertEquals("", pn.get(Component.MIDDLE));
        assertEquals("Rev.", pn.get(Component.PREFIX));
        assertEquals("B.A. M.Div.", pn.get(Component.SUFFIX));
        assertEquals("Adams^John Robert Quincy^^Rev.^B.A. M.Div.", pn.toString());

        PersonName jp = PersonName.parse("Yamada^Tarou=山田^太郎=やまだ^たろう");
        assertEquals("山田", jp.get(Group.IDEOGRAPHIC, Component.FAMILY));
        assertEquals("たろう", jp.get(Group.PHONETIC, Component.GIVEN));
        assertEquals("山田^太郎", jp.format(Group.IDEOGRAPHIC));
        assertEquals("Yamada^Tarou=山田^太郎=やまだ^たろう", jp.toString());
    }

    @Test
    void trimsTrailingEmptiesAndSpaces() {
        assertEquals("Doe^John", PersonName.parse("Doe^John^^^").toString());
        assertEquals("Doe^John", PersonName.parse(" Doe ^ John ").toString());
        assertEquals("Hong^Gildong", PersonName.parse("Hong^Gildong==").toString());
        assertEquals("=山田^太郎", PersonName.parse("=山田^太郎=").toString());
        assertEquals("^^^^Jr", PersonName.parse("^^^^Jr").toString());
        assertEquals(PersonName.parse("Doe^John"), PersonName.parse("Doe^John^^^=="));
        assertEquals(PersonName.parse("Doe^John").hashCode(), PersonName.parse("Doe^John^^^==").hashCode());
        assertNotEquals(PersonName.parse("Doe^John"), PersonName.parse("Doe^Jane"));
        assertNotEquals(PersonName.parse("Doe^John"), PersonName.parse("Doe^John=Doe"));
    }

    @Test
    void toleratesJunk() {
        assertSame(PersonName.EMPTY, PersonName.parse(null));
        assertTrue(PersonName.parse("").isEmpty());
        assertTrue(PersonName.parse("^^=^=").isEmpty());
        assertEquals("", PersonName.parse("  ").toString());
        // Extra components go to the suffix, extra groups are dropped.
        PersonName extra = PersonName.parse("A^B^C^D^E^F^G=x=y=z");
        assertEquals("E F G", extra.get(Component.SUFFIX));
        assertEquals("A^B^C^D^E F G=x=y", extra.toString());
        assertEquals("Doe", PersonName.parse("Doe").get(Component.FAMILY));
        assertTrue(PersonName.parse("Doe").isEmpty(Group.IDEOGRAPHIC));
        assertFalse(PersonName.parse("Doe").isEmpty(Group.ALPHABETIC));
    }

    @Test
    void buildsNames() {
        PersonName pn = PersonName.of("Doe", "John");
        assertEquals("Doe^John", pn.toString());
        PersonName more = pn.with(Group.IDEOGRAPHIC, Component.FAMILY, "ドウ").with(Group.ALPHABETIC, Component.GIVEN, null);
        assertEquals("Doe=ドウ", more.toString());
        assertEquals("Doe^John", pn.toString()); // unchanged
        assertThrows(IllegalArgumentException.class, () -> PersonName.of("a^b"));
        assertThrows(IllegalArgumentException.class, () -> PersonName.of("a", "b", "c", "d", "e", "f"));
        assertThrows(IllegalArgumentException.class, () -> pn.with(Group.PHONETIC, Component.GIVEN, "x=y"));
    }

    @Test
    void displayString() {
        assertEquals("Rev. John Robert Adams, B.A.", PersonName.parse("Adams^John^Robert^Rev.^B.A.").toDisplayString());
        assertEquals("太郎 山田", PersonName.parse("=山田^太郎").toDisplayString());
        assertEquals("", PersonName.EMPTY.toDisplayString());
    }
}
