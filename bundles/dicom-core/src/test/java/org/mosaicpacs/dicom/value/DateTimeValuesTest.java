package org.mosaicpacs.dicom.value;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class DateTimeValuesTest {

    static final String[] JUNK = {null, "", " ", "\u0000", "abc", "2024", "202401", "2024013", "20241301",
        "20240230", "2024-13-01", "-", "--", "1", "20240101-", "99999999999999999999", "2024.01-01", "２０２４０１０１"};

    // ------------------------------------------------------------ DA

    @Test
    void dateParsesStandardAndLegacyForms() throws DicomValueException {
        LocalDate d = LocalDate.of(2024, 3, 15);
        assertEquals(d, DicomDate.parse("20240315").toLocalDate());
        assertEquals(d, DicomDate.parse("2024.03.15").toLocalDate());
        assertEquals(d, DicomDate.parse(" 20240315 ").toLocalDate());
        assertEquals(d, DicomDate.parse("20240315\u0000").toLocalDate());
        assertEquals(d, DicomDate.parse("2024-03-15").toLocalDate());
        assertEquals(LocalDate.of(2024, 2, 29), DicomDate.parse("20240229").toLocalDate());
        assertEquals("20240315", DicomDate.parse("2024.03.15").toString());
        assertEquals("00010102", DicomDate.of(LocalDate.of(1, 1, 2)).toString());
        assertEquals(DicomDate.parse("20240315"), DicomDate.of(d));
        assertTrue(DicomDate.parse("20240101").compareTo(DicomDate.parse("20231231")) > 0);
    }

    @Test
    void dateRejectsJunkThroughCheckedPathOnly() {
        for (String s : JUNK) {
            assertTrue(DicomDate.tryParse(s).isEmpty(), String.valueOf(s));
            DicomValueException e = assertThrows(DicomValueException.class, () -> DicomDate.parse(s));
            assertEquals("DA", e.vr());
        }
        assertTrue(DicomDate.tryParse("20230229").isEmpty());
        assertTrue(DicomDate.tryParse("2024.0315").isEmpty());
        assertThrows(IllegalArgumentException.class, () -> DicomDate.of(LocalDate.of(10000, 1, 1)));
    }

    // ------------------------------------------------------------ TM

    @Test
    void timeKeepsPrecision() throws DicomValueException {
        String[] forms = {"10", "1030", "103015", "103015.1", "103015.123456"};
        Precision[] precisions = {Precision.HOUR, Precision.MINUTE, Precision.SECOND, Precision.FRACTION,
            Precision.FRACTION};
        for (int i = 0; i < forms.length; i++) {
            DicomTime t = DicomTime.parse(forms[i]);
            assertEquals(forms[i], t.toString());
            assertEquals(precisions[i], t.precision());
        }
        assertEquals(LocalTime.of(10, 30, 15, 100_000_000), DicomTime.parse("103015.1").toLocalTime());
        assertEquals(3, DicomTime.parse("103015.120").fractionDigits());
        assertEquals("103015.120", DicomTime.parse("103015.120").toString());
    }

    @Test
    void timeToleratesLegacyAndJunkyForms() throws DicomValueException {
        assertEquals(LocalTime.of(10, 30, 15), DicomTime.parse("10:30:15").toLocalTime());
        assertEquals(LocalTime.of(9, 5), DicomTime.parse("9:05").toLocalTime());
        assertEquals(LocalTime.of(10, 30, 15, 500_000_000), DicomTime.parse("10:30:15,5").toLocalTime());
        assertEquals(LocalTime.of(10, 30, 15, 123_456_000), DicomTime.parse("103015.123456789 ").toLocalTime());
        assertEquals("103015", DicomTime.parse("103015.").toString());
        assertEquals(LocalTime.of(23, 59, 59, 999_999_999), DicomTime.parse("235960").toLocalTime());
        String[] junk = {null, "", "1", "123", "2400", "1260", "126161", "10.5", "ab", "10:3", "103015.12a"};
        for (String s : junk) {
            assertTrue(DicomTime.tryParse(s).isEmpty(), String.valueOf(s));
            assertThrows(DicomValueException.class, () -> DicomTime.parse(s));
        }
    }

    @Test
    void timeBoundsFollowPrecision() throws DicomValueException {
        assertEquals(LocalTime.of(10, 0), DicomTime.parse("10").lowerBound());
        assertEquals(LocalTime.of(10, 59, 59, 999_999_999), DicomTime.parse("10").upperBound());
        assertEquals(LocalTime.of(10, 30, 59, 999_999_999), DicomTime.parse("1030").upperBound());
        assertEquals(LocalTime.of(10, 30, 15, 199_999_999), DicomTime.parse("103015.1").upperBound());
        assertEquals(LocalTime.of(10, 30, 15, 123_456_999), DicomTime.parse("103015.123456").upperBound());
        assertEquals(LocalTime.of(23, 59, 59, 999_999_999), DicomTime.parse("23").upperBound());
    }

    @Test
    void timeFromLocalTime() {
        assertEquals("103015", DicomTime.of(LocalTime.of(10, 30, 15)).toString());
        assertEquals("103015.000001", DicomTime.of(LocalTime.of(10, 30, 15, 1000)).toString());
        assertEquals("10", DicomTime.of(LocalTime.of(10, 30, 15), Precision.HOUR).toString());
        assertEquals("1030", DicomTime.of(LocalTime.of(10, 30, 15), Precision.MINUTE).toString());
        assertThrows(IllegalArgumentException.class, () -> DicomTime.of(LocalTime.NOON, Precision.DAY));
    }

    // ------------------------------------------------------------ DT

    @Test
    void dateTimeKeepsPrecisionAndOffset() throws DicomValueException {
        String[] forms = {"2024", "202403", "20240315", "2024031510", "202403151030", "20240315103015",
            "20240315103015.12", "20240315103015.123456+0100", "2024-0500", "20240315+1400", "20240315-1200"};
        for (String f : forms) {
            assertEquals(f, DicomDateTime.parse(f).toString(), f);
        }
        DicomDateTime dt = DicomDateTime.parse("20240315103015.5+0530");
        assertEquals(ZoneOffset.ofHoursMinutes(5, 30), dt.offset().orElseThrow());
        assertEquals(OffsetDateTime.of(2024, 3, 15, 10, 30, 15, 500_000_000, ZoneOffset.ofHoursMinutes(5, 30)),
                dt.toOffsetDateTime(ZoneOffset.UTC));
        assertEquals(OffsetDateTime.of(2024, 3, 15, 0, 0, 0, 0, ZoneOffset.ofHours(2)),
                DicomDateTime.parse("20240315").toOffsetDateTime(ZoneOffset.ofHours(2)));
        assertEquals("20240315+0530", DicomDateTime.parse(" 20240315+05:30 ").toString());
        assertEquals(Precision.FRACTION, dt.precision());
        assertEquals(1, dt.fractionDigits());
    }

    @Test
    void dateTimeBoundsFollowPrecision() throws DicomValueException {
        DicomDateTime year = DicomDateTime.parse("2024");
        assertEquals(LocalDateTime.of(2024, 1, 1, 0, 0), year.lowerBound());
        assertEquals(LocalDateTime.of(2024, 12, 31, 23, 59, 59, 999_999_999), year.upperBound());
        assertEquals(LocalDateTime.of(2024, 2, 29, 23, 59, 59, 999_999_999), DicomDateTime.parse("202402").upperBound());
        assertEquals(LocalDateTime.of(2024, 3, 15, 10, 30, 15, 129_999_999),
                DicomDateTime.parse("20240315103015.12").upperBound());
        assertEquals(OffsetDateTime.of(2024, 12, 31, 23, 59, 59, 999_999_999, ZoneOffset.ofHours(-5)),
                DicomDateTime.parse("2024-0500").upperBound(ZoneOffset.UTC));
    }

    @Test
    void dateTimeRejectsJunk() {
        String[] junk = {null, "", "202", "2024031", "20241301", "20240230", "20240315250000", "20240315+1500",
            "20240315-1300", "20240315+0160", "2024.03.15", "20240315T103015", "2024031510301.5", "x2024"};
        for (String s : junk) {
            assertTrue(DicomDateTime.tryParse(s).isEmpty(), String.valueOf(s));
            assertThrows(DicomValueException.class, () -> DicomDateTime.parse(s));
        }
    }

    @Test
    void dateTimeFactories() throws DicomValueException {
        LocalDateTime t = LocalDateTime.of(2024, 3, 15, 10, 30, 15, 123_456_789);
        assertEquals("20240315103015.123456", DicomDateTime.of(t).toString());
        assertEquals("20240315103015.123456-0400",
                DicomDateTime.of(OffsetDateTime.of(t, ZoneOffset.ofHours(-4))).toString());
        assertEquals("202403", DicomDateTime.of(t, Precision.MONTH, null).toString());
        assertEquals("2024031510+0000", DicomDateTime.of(t, Precision.HOUR, ZoneOffset.UTC).toString());
        assertEquals("20240315103015.12",
                DicomDateTime.of(DicomDate.parse("20240315"), DicomTime.parse("103015.12")).toString());
        assertEquals("20240315", DicomDateTime.of(DicomDate.parse("20240315"), null).toString());
        assertEquals(DicomDateTime.parse("2024"), DicomDateTime.parse("2024 "));
        assertNotEquals(DicomDateTime.parse("2024"), DicomDateTime.parse("202401"));
    }

    // ------------------------------------------------------------ ranges

    @Test
    void dateRanges() throws DicomValueException {
        DateRange r = DateRange.parse("20240101-20240131");
        assertEquals(LocalDate.of(2024, 1, 1), r.lower().orElseThrow());
        assertEquals(LocalDate.of(2024, 1, 31), r.upper().orElseThrow());
        assertTrue(r.contains(LocalDate.of(2024, 1, 31)));
        assertFalse(r.contains(LocalDate.of(2024, 2, 1)));
        assertEquals("20240101-20240131", r.toString());

        DateRange from = DateRange.parse("20240101-");
        assertTrue(from.upper().isEmpty());
        assertTrue(from.contains(LocalDate.of(9999, 1, 1)));
        assertEquals("20240101-", from.toString());
        DateRange until = DateRange.parse("-20240101");
        assertTrue(until.lower().isEmpty());
        assertTrue(until.contains(LocalDate.of(2024, 1, 1)));
        assertFalse(until.contains(LocalDate.of(2024, 1, 2)));
        assertEquals("-20240101", until.toString());

        DateRange single = DateRange.parse("20240315");
        assertTrue(single.contains(LocalDate.of(2024, 3, 15)));
        assertFalse(single.contains(LocalDate.of(2024, 3, 16)));
        assertEquals("20240315", single.toString());

        assertEquals(DateRange.of(LocalDate.of(2023, 1, 1), LocalDate.of(2024, 12, 31)), DateRange.parse("2023-2024"));
        assertEquals(DateRange.of(LocalDate.of(2024, 2, 1), LocalDate.of(2024, 2, 29)), DateRange.parse("202402"));
        assertEquals(DateRange.parse("20240101-20240201"), DateRange.parse("2024.01.01-2024.02.01"));
        assertEquals(DateRange.parse("20240101-20240201"), DateRange.parse("2024-01-01-2024-02-01"));
        assertEquals(DateRange.parse("20240101-20240201"), DateRange.parse(" 20240101 - 20240201 "));
    }

    @Test
    void dateRangeJunk() {
        String[] junk = {null, "", "-", "--", "20240201-20240101", "abc-", "2024013-", "20240101-x", "20240101+0100"};
        for (String s : junk) {
            assertTrue(DateRange.tryParse(s).isEmpty(), String.valueOf(s));
            assertThrows(DicomValueException.class, () -> DateRange.parse(s));
        }
        assertThrows(IllegalArgumentException.class, () -> DateRange.of(null, null));
        assertThrows(IllegalArgumentException.class,
                () -> DateRange.of(LocalDate.of(2024, 2, 1), LocalDate.of(2024, 1, 1)));
    }

    @Test
    void timeRanges() throws DicomValueException {
        TimeRange r = TimeRange.parse("0800-1000");
        assertTrue(r.contains(LocalTime.of(8, 0)));
        assertTrue(r.contains(LocalTime.of(10, 0, 59)));
        assertFalse(r.contains(LocalTime.of(10, 1)));
        assertFalse(r.contains(LocalTime.of(7, 59, 59)));
        assertEquals(LocalTime.of(10, 0, 59, 999_999_999), r.upperBound().orElseThrow());
        assertEquals("0800-1000", r.toString());

        TimeRange hours = TimeRange.parse("-10");
        assertTrue(hours.contains(LocalTime.of(10, 59)));
        assertFalse(hours.contains(LocalTime.of(11, 0)));
        assertEquals("-10", hours.toString());
        assertEquals("10:30", TimeRange.parse("10:30-").lower().orElseThrow().lowerBound().toString());

        TimeRange night = TimeRange.parse("2300-0100");
        assertTrue(night.spansMidnight());
        assertTrue(night.contains(LocalTime.of(23, 30)));
        assertTrue(night.contains(LocalTime.of(0, 30)));
        assertFalse(night.contains(LocalTime.NOON));

        TimeRange single = TimeRange.parse("1030");
        assertEquals("1030", single.toString());
        assertTrue(single.contains(LocalTime.of(10, 30, 45)));
        assertFalse(single.contains(LocalTime.of(10, 31)));

        for (String s : new String[] {null, "", "-", "25-", "10-2a", "1-2"}) {
            assertTrue(TimeRange.tryParse(s).isEmpty(), String.valueOf(s));
        }
        assertEquals(TimeRange.parse("0800-1000"), TimeRange.of(DicomTime.parse("0800"), DicomTime.parse("1000")));
    }

    @Test
    void dateTimeRanges() throws DicomValueException {
        DateTimeRange years = DateTimeRange.parse("2023-2024");
        assertEquals(LocalDateTime.of(2023, 1, 1, 0, 0), years.lowerBound().orElseThrow());
        assertEquals(LocalDateTime.of(2024, 12, 31, 23, 59, 59, 999_999_999), years.upperBound().orElseThrow());
        assertTrue(years.contains(LocalDateTime.of(2024, 12, 31, 23, 59)));
        assertFalse(years.contains(LocalDateTime.of(2025, 1, 1, 0, 0)));

        // '-' both as separator and as the sign of offsets.
        DateTimeRange withOffsets = DateTimeRange.parse("20240101-0500-20240102-0500");
        assertEquals("20240101-0500", withOffsets.lower().orElseThrow().toString());
        assertEquals("20240102-0500", withOffsets.upper().orElseThrow().toString());
        assertEquals(OffsetDateTime.of(2024, 1, 2, 23, 59, 59, 999_999_999, ZoneOffset.ofHours(-5)),
                withOffsets.upperBound(ZoneOffset.UTC).orElseThrow());
        assertTrue(withOffsets.contains(OffsetDateTime.of(2024, 1, 3, 4, 0, 0, 0, ZoneOffset.UTC), ZoneOffset.UTC));
        assertFalse(withOffsets.contains(OffsetDateTime.of(2024, 1, 3, 5, 0, 0, 0, ZoneOffset.UTC), ZoneOffset.UTC));
        assertEquals("20240101-0500-20240102-0500", withOffsets.toString());

        DateTimeRange open = DateTimeRange.parse("20240101-0500-");
        assertEquals("20240101-0500", open.lower().orElseThrow().toString());
        assertTrue(open.upper().isEmpty());
        DateTimeRange until = DateTimeRange.parse("-20240101+0100");
        assertTrue(until.lower().isEmpty());
        assertEquals("-20240101+0100", until.toString());

        // A single value with a negative offset is not mistaken for a range "2024" to "0500".
        DateTimeRange single = DateTimeRange.parse("2024-0500");
        assertEquals("2024-0500", single.toString());
        assertEquals(single.lower(), single.upper());
        // A range of years is not mistaken for an offset: -20:00 is not a valid offset.
        assertEquals(LocalDateTime.of(1990, 1, 1, 0, 0), DateTimeRange.parse("1990-2000").lowerBound().orElseThrow());

        DateTimeRange noOffset = DateTimeRange.parse("20240101120000-20240101130000");
        assertTrue(noOffset.contains(OffsetDateTime.of(2024, 1, 1, 13, 0, 0, 0, ZoneOffset.ofHours(1)),
                ZoneOffset.ofHours(1)));
        assertFalse(noOffset.contains(OffsetDateTime.of(2024, 1, 1, 13, 0, 0, 0, ZoneOffset.UTC),
                ZoneOffset.ofHours(1)));

        for (String s : new String[] {null, "", "-", "2025-2024", "x-2024", "2024-x"}) {
            assertTrue(DateTimeRange.tryParse(s).isEmpty(), String.valueOf(s));
        }
    }
}
