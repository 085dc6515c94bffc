package org.mosaicpacs.dicom.value;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Random junk never makes a tryParse throw, and whatever parses prints back to something that parses alike. */
class JunkToleranceTest {

    @Test
    void tryParseNeverThrows() {
        Random rnd = new Random(99);
        String alphabet = "0123456789000111222999.-+:,. ^=\\eEYDWMxX()\u0000";
        for (int i = 0; i < 10000; i++) {
            StringBuilder sb = new StringBuilder();
            int len = rnd.nextInt(24);
            for (int j = 0; j < len; j++) {
                sb.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
            }
            String s = sb.toString();
            DicomDate.tryParse(s).ifPresent(v -> assertEquals(v, DicomDate.tryParse(v.toString()).orElseThrow(), s));
            DicomTime.tryParse(s).ifPresent(v -> assertEquals(v, DicomTime.tryParse(v.toString()).orElseThrow(), s));
            DicomDateTime.tryParse(s).ifPresent(v -> {
                assertEquals(v, DicomDateTime.tryParse(v.toString()).orElseThrow(), s);
                assertNotNull(v.upperBound());
            });
            DateRange.tryParse(s).ifPresent(v -> assertEquals(v, DateRange.tryParse(v.toString()).orElseThrow(), s));
            TimeRange.tryParse(s).ifPresent(v -> assertEquals(v, TimeRange.tryParse(v.toString()).orElseThrow(), s));
            DateTimeRange.tryParse(s).ifPresent(v -> assertNotNull(v.toString()));
            Age.tryParse(s).ifPresent(v -> assertEquals(v, Age.tryParse(v.toString()).orElseThrow(), s));
            DecimalString.tryParse(s).ifPresent(
                    v -> assertEquals(v, DecimalString.tryParse(DecimalString.format(v)).orElseThrow(), Math.abs(v) * 1e-8));
            IntegerString.tryParse(s).ifPresent(
                    v -> assertEquals(v, IntegerString.tryParse(IntegerString.format(v)).orElseThrow(), s));
            AttributeTag.tryParse(s);
            PersonName pn = PersonName.parse(s);
            assertEquals(pn, PersonName.parse(pn.toString()), s);
        }
    }
}
