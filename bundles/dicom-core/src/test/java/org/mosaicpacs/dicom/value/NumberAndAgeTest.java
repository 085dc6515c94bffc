package org.mosaicpacs.dicom.value;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.time.Period;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NumberAndAgeTest {

    // ------------------------------------------------------------ AS

    @Test
    void ages() throws DicomValueException {
        assertEquals(Period.ofYears(18), Age.parse("018Y").toPeriod());
        assertEquals(Period.ofDays(21), Age.parse("003W").toPeriod());
        assertEquals(Period.ofMonths(6), Age.parse("006M").toPeriod());
        assertEquals(Period.ofDays(1), Age.parse("001D").toPeriod());
        assertEquals("018Y", Age.parse(" 18y ").toString());
        assertEquals("018Y", Age.parse("18 Y").toString());
        assertEquals(Age.of(999, Age.Unit.YEARS), Age.parse("999Y"));
        assertEquals(Age.Unit.WEEKS, Age.parse("3w").unit());
        assertEquals(3, Age.parse("3w").value());
        for (String s : new String[] {null, "", "Y", "018", "1000Y", "018X", "-18Y", "18.5Y", "018YY", "O18Y"}) {
            assertTrue(Age.tryParse(s).isEmpty(), String.valueOf(s));
            assertThrows(DicomValueException.class, () -> Age.parse(s));
        }
        assertThrows(IllegalArgumentException.class, () -> Age.of(1000, Age.Unit.DAYS));
        assertThrows(IllegalArgumentException.class, () -> Age.of(-1, Age.Unit.DAYS));
    }

    @Test
    void ageBetweenDates() {
        LocalDate birth = LocalDate.of(2000, 2, 29);
        assertEquals("024Y", Age.between(birth, LocalDate.of(2024, 3, 1)).toString());
        assertEquals("011M", Age.between(birth, LocalDate.of(2001, 2, 28)).toString());
        assertEquals("010D", Age.between(birth, LocalDate.of(2000, 3, 10)).toString());
        assertEquals("000D", Age.between(birth, birth).toString());
        assertThrows(IllegalArgumentException.class, () -> Age.between(birth, LocalDate.of(1999, 1, 1)));
    }

    // ------------------------------------------------------------ DS

    @Test
    void decimalStringParsing() throws DicomValueException {
        assertEquals(1.5, DecimalString.parse("1.5"));
        assertEquals(1.5, DecimalString.parse(" +1.5 "));
        assertEquals(-0.5, DecimalString.parse("-.5"));
        assertEquals(1.0, DecimalString.parse("1."));
        assertEquals(1500.0, DecimalString.parse("1.5E3"));
        assertEquals(0.0015, DecimalString.parse("1.5e-3"));
        assertEquals(1.5, DecimalString.parse("1,5"));
        assertEquals(42.0, DecimalString.parse("0042\u0000"));
        for (String s : new String[] {null, "", " ", "NaN", "Infinity", "-Infinity", "0x1p3", "1.5.5", "1 5", "e5",
            "1e", "1e400", "abc", "1,5,5", "1,5.5", "+-1", "1d", "1f", "."}) {
            assertTrue(DecimalString.tryParse(s).isEmpty(), String.valueOf(s));
            assertThrows(DicomValueException.class, () -> DecimalString.parse(s));
        }
    }

    @Test
    void decimalStringFormatting() {
        assertEquals("0", DecimalString.format(0.0));
        assertEquals("0", DecimalString.format(-0.0));
        assertEquals("1", DecimalString.format(1.0));
        assertEquals("-1.5", DecimalString.format(-1.5));
        assertEquals("0.1", DecimalString.format(0.1));
        assertEquals("0.00001", DecimalString.format(1e-5));
        assertEquals("1.5E-20", DecimalString.format(1.5e-20));
        assertEquals("0.0001", DecimalString.format(1e-4));
        assertEquals("123456789012", DecimalString.format(123456789012.0));
        assertEquals("1E20", DecimalString.format(1e20));
        assertEquals("0.33333333333333", DecimalString.format(1.0 / 3));
        assertEquals("-0.3333333333333", DecimalString.format(-1.0 / 3));
        assertEquals("3.14159265358979", DecimalString.format(Math.PI));
        assertEquals("1.7976931349E308", DecimalString.format(Double.MAX_VALUE));
        assertEquals(Double.MIN_VALUE, Double.parseDouble(DecimalString.format(Double.MIN_VALUE)));
        assertEquals("-2.22507386E-308", DecimalString.format(-Double.MIN_NORMAL));
        assertThrows(IllegalArgumentException.class, () -> DecimalString.format(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> DecimalString.format(Double.POSITIVE_INFINITY));
    }

    @Test
    void decimalStringFormatFitsAndRoundTripsClosely() throws DicomValueException {
        Random rnd = new Random(7);
        for (int i = 0; i < 3000; i++) {
            double d = switch (i % 3) {
                case 0 -> rnd.nextDouble() * Math.pow(10, rnd.nextInt(40) - 20);
                case 1 -> -rnd.nextGaussian() * 1000;
                default -> Double.longBitsToDouble(rnd.nextLong());
            };
            if (!Double.isFinite(d)) {
                continue;
            }
            String s = DecimalString.format(d);
            assertTrue(s.length() <= 16, s);
            double back = DecimalString.parse(s);
            // 16 characters keep at least 9 significant digits, even for "-1.23456789E-308".
            assertEquals(d, back, Math.abs(d) * 1e-8, s);
            if (Double.toString(d).length() <= 10) {
                assertEquals(d, back, 0.0, s);
            }
        }
    }

    // ------------------------------------------------------------ IS

    @Test
    void integerStrings() throws DicomValueException {
        assertEquals(42, IntegerString.parse("42"));
        assertEquals(42, IntegerString.parse(" +0042 "));
        assertEquals(-7, IntegerString.parse("-7"));
        assertEquals(12, IntegerString.parse("12.0"));
        assertEquals(12, IntegerString.parse("12."));
        assertEquals(2147483647L, IntegerString.parse("2147483647"));
        assertEquals(-2147483648L, IntegerString.parse("-2147483648"));
        assertEquals(65535, IntegerString.parse("65535", 0, 65535));
        for (String s : new String[] {null, "", "2147483648", "-2147483649", "99999999999999999999999", "12.5",
            "1e3", "abc", "1 2", "+", "0x10", "--1"}) {
            assertTrue(IntegerString.tryParse(s).isEmpty(), String.valueOf(s));
            assertThrows(DicomValueException.class, () -> IntegerString.parse(s));
        }
        assertThrows(DicomValueException.class, () -> IntegerString.parse("-1", 0, 65535));
        assertEquals("-2147483648", IntegerString.format(Integer.MIN_VALUE));
        assertThrows(IllegalArgumentException.class, () -> IntegerString.format(1L << 31));
    }

    // ------------------------------------------------------------ AT

    @Test
    void attributeTags() throws DicomValueException {
        int pn = 0x00100010;
        assertEquals(pn, AttributeTag.of(0x0010, 0x0010));
        assertEquals(0x7FE0, AttributeTag.group(0x7FE00010));
        assertEquals(0x0010, AttributeTag.element(0x7FE00010));
        assertEquals(0xFFFE, AttributeTag.group(0xFFFEE000));
        assertEquals("(0010,0010)", AttributeTag.toString(pn));
        assertEquals("7FE00010", AttributeTag.toHexString(0x7FE00010));
        for (String s : new String[] {"(0010,0010)", "0010,0010", "00100010", "0x00100010", " ( 0010 , 0010 ) "}) {
            assertEquals(pn, AttributeTag.parse(s), s);
        }
        assertEquals(0xFFFEE000, AttributeTag.parse("(fffe,e000)"));
        for (String s : new String[] {null, "", "0010", "(0010,001G)", "001000100", "PatientName"}) {
            assertTrue(AttributeTag.tryParse(s).isEmpty(), String.valueOf(s));
        }
        assertTrue(AttributeTag.isPrivate(0x00090010));
        assertFalse(AttributeTag.isPrivate(0x00080010));
        assertFalse(AttributeTag.isPrivate(0xFFFEE000));
        int[] tags = {pn, 0xFFFEE000};
        assertArrayEquals(new int[] {0x0010, 0x0010, 0xFFFE, 0xE000}, AttributeTag.toWords(tags));
        assertArrayEquals(tags, AttributeTag.fromWords(AttributeTag.toWords(tags)));
    }
}
