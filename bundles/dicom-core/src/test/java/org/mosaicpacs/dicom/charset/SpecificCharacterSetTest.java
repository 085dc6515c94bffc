package org.mosaicpacs.dicom.charset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SpecificCharacterSetTest {

    static final String PN = "\\^=";

    /** Concatenates byte fragments: a String is ASCII, a byte[] is taken as is. */
    static byte[] bytes(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object p : parts) {
            if (p instanceof String s) {
                out.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
            } else {
                out.writeBytes((byte[]) p);
            }
        }
        return out.toByteArray();
    }

    static byte[] in(String charset, String s) {
        return s.getBytes(Charset.forName(charset));
    }

    /** JIS X 0208 bytes in their 7-bit ISO 2022 form. */
    static byte[] jis(String s) {
        return in("x-JIS0208", s);
    }

    static final String ESC = "\u001b";
    static final String JIS_X0208 = ESC + "$B";
    static final String ASCII_G0 = ESC + "(B";
    static final String ROMAJI = ESC + "(J";
    static final String KSX1001 = ESC + "$)C";
    static final String GB2312 = ESC + "$)A";

    static void assertRoundTrip(SpecificCharacterSet cs, String text, byte[] expected, String delims) {
        assertEquals(text, cs.decode(expected, 0, expected.length, delims), "decode");
        assertArrayEquals(expected, cs.encode(text, delims), "encode");
    }

    // ------------------------------------------------------------ declarations

    @Test
    void blankDeclarationsAreAscii() {
        assertSame(SpecificCharacterSet.ASCII, SpecificCharacterSet.valueOf());
        assertSame(SpecificCharacterSet.ASCII, SpecificCharacterSet.valueOf((String[]) null));
        assertSame(SpecificCharacterSet.ASCII, SpecificCharacterSet.valueOf((String) null));
        assertSame(SpecificCharacterSet.ASCII, SpecificCharacterSet.valueOf("", " "));
        assertSame(SpecificCharacterSet.ASCII, SpecificCharacterSet.valueOf("ISO_IR 6"));
        assertSame(SpecificCharacterSet.ASCII, SpecificCharacterSet.valueOf("ISO 2022 IR 6"));
        assertSame(SpecificCharacterSet.ASCII, SpecificCharacterSet.valueOf("", "ISO 2022 IR 6"));
        assertTrue(SpecificCharacterSet.ASCII.isASCII());
        assertEquals(0, SpecificCharacterSet.ASCII.codes().length);
    }

    @Test
    void sloppyDeclarationsAreRecognised() {
        String[] latin1 = {"ISO_IR 100", "ISO_IR 100 ", " iso_ir 100", "ISO-IR 100", "ISO_IR100",
            "ISO IR 100", "ISO-8859-1", "latin1"};
        for (String s : latin1) {
            SpecificCharacterSet cs = SpecificCharacterSet.valueOf(s);
            assertArrayEquals(new String[] {"ISO_IR 100"}, cs.codes(), s);
            assertFalse(cs.isASCII());
            assertEquals("Müller", cs.decode(new byte[] {'M', (byte) 0xFC, 'l', 'l', 'e', 'r'}, 0, 6, "\\"));
        }
        assertArrayEquals(new String[] {"ISO_IR 192"}, SpecificCharacterSet.valueOf("UTF-8").codes());
        assertArrayEquals(new String[] {"ISO_IR 192"}, SpecificCharacterSet.valueOf("utf8").codes());
        assertArrayEquals(new String[] {"", "ISO 2022 IR 87"},
                SpecificCharacterSet.valueOf("", "ISO_IR 87").codes());
        // Single-byte terms without "2022" in a list are read with code extensions.
        assertArrayEquals(new String[] {"ISO 2022 IR 100", "ISO 2022 IR 144"},
                SpecificCharacterSet.valueOf("ISO_IR 100", "ISO_IR 144").codes());
        assertEquals("ISO 2022 IR 13\\ISO 2022 IR 87",
                SpecificCharacterSet.valueOf("ISO 2022 IR 13", "ISO 2022 IR 87").toString());
    }

    @Test
    void unknownDeclarationsNeverThrow() {
        String[][] junk = {{"FOO"}, {"ISO_IR 999"}, {"\u0000"}, {"IR"}, {"ISO_IR 1000000000000"},
            {"FOO", "ISO 2022 IR 87"}, {"\\"}, {"ISO 2022 IR 100", null, "BAR"}};
        byte[] data = {'A', (byte) 0xE9, 0x1B, '$', 'B', 0x3B, 0x33, 0x1B, '(', 'B'};
        for (String[] j : junk) {
            SpecificCharacterSet cs = SpecificCharacterSet.valueOf(j);
            assertNotNull(cs.decode(data, 0, data.length, "\\"));
            assertNotNull(cs.encode("Aé山\\x", "\\"));
        }
        assertSame(SpecificCharacterSet.ASCII, SpecificCharacterSet.valueOf("FOO"));
    }

    @Test
    void equalityFollowsNormalisedCodes() {
        assertEquals(SpecificCharacterSet.valueOf("ISO_IR 100"), SpecificCharacterSet.valueOf("iso-ir 100"));
        assertEquals(SpecificCharacterSet.valueOf("ISO_IR 100").hashCode(),
                SpecificCharacterSet.valueOf("ISO_IR100").hashCode());
        assertFalse(SpecificCharacterSet.valueOf("ISO_IR 100").equals(SpecificCharacterSet.valueOf("ISO_IR 101")));
    }

    // ------------------------------------------------------------ single-byte sets

    @Test
    void everySingleByteTerm() {
        String[][] cases = {
            {"ISO_IR 100", "ISO-8859-1", "Buc^Jérôme"},
            {"ISO_IR 101", "ISO-8859-2", "Dvořák^Antonín"},
            {"ISO_IR 109", "ISO-8859-3", "Ħaġar^Ġużeppi"},
            {"ISO_IR 110", "ISO-8859-4", "Ģirts^Ķēniņš"},
            {"ISO_IR 144", "ISO-8859-5", "Люкceмбypг"},
            {"ISO_IR 127", "ISO-8859-6", "قباني^لنزار"},
            {"ISO_IR 126", "ISO-8859-7", "Διονυσιος"},
            {"ISO_IR 138", "ISO-8859-8", "שרון^דבורה"},
            {"ISO_IR 148", "ISO-8859-9", "Çavuşoğlu^Ömer"},
            {"ISO_IR 203", "ISO-8859-15", "Œuvre^€"},
            {"ISO_IR 166", "x-iso-8859-11", "ประเทศไทย"},
        };
        for (String[] c : cases) {
            SpecificCharacterSet cs = SpecificCharacterSet.valueOf(c[0]);
            assertFalse(cs.usesCodeExtensions(), c[0]);
            assertRoundTrip(cs, c[2], in(c[1], c[2]), PN);
            // The same repertoire with code extensions: single value, so no escape sequence needed.
            SpecificCharacterSet ext = SpecificCharacterSet.valueOf(c[0].replace("ISO_IR", "ISO 2022 IR"));
            assertTrue(ext.usesCodeExtensions(), c[0]);
            assertRoundTrip(ext, c[2], in(c[1], c[2]), PN);
        }
    }

    @Test
    void katakanaWithoutExtensions() {
        SpecificCharacterSet cs = SpecificCharacterSet.valueOf("ISO_IR 13");
        assertRoundTrip(cs, "ﾔﾏﾀﾞ^ﾀﾛｳ", bytes(new byte[] {(byte) 0xD4, (byte) 0xCF, (byte) 0xC0, (byte) 0xDE},
                "^", new byte[] {(byte) 0xC0, (byte) 0xDB, (byte) 0xB3}), PN);
    }

    @Test
    void unencodableCharactersBecomeQuestionMarks() {
        assertArrayEquals("a?b".getBytes(StandardCharsets.US_ASCII), SpecificCharacterSet.ASCII.encode("a山b", "\\"));
        assertArrayEquals(new byte[] {'?', (byte) 0xE9}, SpecificCharacterSet.valueOf("ISO_IR 100").encode("Жé", "\\"));
    }

    @Test
    void highBytesWithoutDeclarationReadAsLatin1() {
        assertEquals("Zoë", SpecificCharacterSet.ASCII.decode(new byte[] {'Z', 'o', (byte) 0xEB}, 0, 3, "\\"));
    }

    // ------------------------------------------------------------ code extensions, single-byte

    @Test
    void escapeSequenceOfEachSingleByteSet() {
        String[][] cases = {
            {"100", "A", "ISO-8859-1", "é"}, {"101", "B", "ISO-8859-2", "ř"}, {"109", "C", "ISO-8859-3", "ħ"},
            {"110", "D", "ISO-8859-4", "ķ"}, {"144", "L", "ISO-8859-5", "Ж"}, {"127", "G", "ISO-8859-6", "ق"},
            {"126", "F", "ISO-8859-7", "Δ"}, {"138", "H", "ISO-8859-8", "ש"}, {"148", "M", "ISO-8859-9", "ğ"},
            {"203", "b", "ISO-8859-15", "€"}, {"166", "T", "x-iso-8859-11", "ก"},
        };
        for (String[] c : cases) {
            SpecificCharacterSet cs = SpecificCharacterSet.valueOf("", "ISO 2022 IR " + c[0]);
            assertRoundTrip(cs, "a" + c[3] + "\\" + c[3],
                    bytes("a", ESC + "-" + c[1], in(c[2], c[3]), "\\", ESC + "-" + c[1], in(c[2], c[3])), "\\");
        }
    }

    @Test
    void latin1AndCyrillicWithEscapes() {
        SpecificCharacterSet cs = SpecificCharacterSet.valueOf("ISO 2022 IR 100", "ISO 2022 IR 144");
        // G1 starts as Latin-1 (value 1), switches to Cyrillic, and returns to Latin-1 after "\".
        byte[] expected = bytes(in("ISO-8859-1", "Jé"), ESC + "-L", in("ISO-8859-5", "Жд"), "\\",
                in("ISO-8859-1", "ü"));
        assertRoundTrip(cs, "JéЖд\\ü", expected, "\\");
    }

    @Test
    void greekAndHebrewWithoutInitialG1() {
        SpecificCharacterSet cs = SpecificCharacterSet.valueOf("", "ISO 2022 IR 126", "ISO 2022 IR 138");
        byte[] expected = bytes("A", ESC + "-F", in("ISO-8859-7", "Δι"), "^", ESC + "-H", in("ISO-8859-8", "שר"));
        assertRoundTrip(cs, "AΔι^שר", expected, PN);
    }

    @Test
    void runStaysInCurrentSetWhenPossible() {
        // "á" is in both Latin-1 and Latin-2: once Latin-2 is designated, stay there.
        SpecificCharacterSet cs = SpecificCharacterSet.valueOf("ISO 2022 IR 100", "ISO 2022 IR 101");
        byte[] expected = bytes("Dvo", ESC + "-B", in("ISO-8859-2", "řák"));
        assertRoundTrip(cs, "Dvořák", expected, PN);
    }

    // ------------------------------------------------------------ Japanese (PS3.5 Annex H)

    @Test
    void japaneseIr87AnnexH() {
        SpecificCharacterSet cs = SpecificCharacterSet.valueOf("", "ISO 2022 IR 87");
        String text = "Yamada^Tarou=山田^太郎=やまだ^たろう";
        byte[] expected = bytes("Yamada^Tarou=",
                JIS_X0208, jis("山田"), ASCII_G0, "^", JIS_X0208, jis("太郎"), ASCII_G0, "=",
                JIS_X0208, jis("やまだ"), ASCII_G0, "^", JIS_X0208, jis("たろう"), ASCII_G0);
        // The literal bytes of PS3.5 H.3.1 for the first ideographic component.
        assertArrayEquals(new byte[] {0x3B, 0x33, 0x45, 0x44}, jis("山田"));
        assertRoundTrip(cs, text, expected, PN);
    }

    @Test
    void japaneseIr13WithIr87AnnexH() {
        SpecificCharacterSet cs = SpecificCharacterSet.valueOf("ISO 2022 IR 13", "ISO 2022 IR 87");
        String text = "ﾔﾏﾀﾞ^ﾀﾛｳ=山田^太郎=やまだ^たろう";
        byte[] expected = bytes(new byte[] {(byte) 0xD4, (byte) 0xCF, (byte) 0xC0, (byte) 0xDE}, "^",
                new byte[] {(byte) 0xC0, (byte) 0xDB, (byte) 0xB3}, "=",
                JIS_X0208, jis("山田"), ROMAJI, "^", JIS_X0208, jis("太郎"), ROMAJI, "=",
                JIS_X0208, jis("やまだ"), ROMAJI, "^", JIS_X0208, jis("たろう"), ROMAJI);
        assertRoundTrip(cs, text, expected, PN);
    }

    @Test
    void katakanaAfterKanjiReturnsToSingleByteG0First() {
        SpecificCharacterSet cs = SpecificCharacterSet.valueOf("ISO 2022 IR 13", "ISO 2022 IR 87");
        byte[] expected = bytes(JIS_X0208, jis("山"), ROMAJI, new byte[] {(byte) 0xB1}, JIS_X0208, jis("田"), ROMAJI);
        assertRoundTrip(cs, "山ｱ田", expected, PN);
        // Decoding the shorter, equally valid form without the intermediate escape works too.
        byte[] compact = bytes(JIS_X0208, jis("山"), new byte[] {(byte) 0xB1}, jis("田"), ROMAJI);
        assertEquals("山ｱ田", cs.decode(compact, 0, compact.length, PN));
    }

    @Test
    void japaneseJisX0212() {
        SpecificCharacterSet cs = SpecificCharacterSet.valueOf("", "ISO 2022 IR 87", "ISO 2022 IR 159");
        // U+4E02 is in JIS X 0212 (row 0x30, cell 0x21) but not in JIS X 0208.
        byte[] expected = bytes(ESC + "$(D", new byte[] {0x30, 0x21}, JIS_X0208, jis("山"), ASCII_G0);
        assertRoundTrip(cs, "\u4E02山", expected, PN);
    }

    @Test
    void japaneseLegacyEscapeJisC6226() {
        SpecificCharacterSet cs = SpecificCharacterSet.valueOf("", "ISO 2022 IR 87");
        byte[] legacy = bytes(ESC + "$@", jis("山田"), ASCII_G0);
        assertEquals("山田", cs.decode(legacy, 0, legacy.length, PN));
    }

    // ------------------------------------------------------------ Korean (PS3.5 Annex I)

    @Test
    void koreanAnnexI() {
        SpecificCharacterSet cs = SpecificCharacterSet.valueOf("", "ISO 2022 IR 149");
        String text = "Hong^Gildong=洪^吉洞=홍^길동";
        byte[] expected = bytes("Hong^Gildong=", KSX1001, in("EUC-KR", "洪"), "^", KSX1001, in("EUC-KR", "吉洞"),
                "=", KSX1001, in("EUC-KR", "홍"), "^", KSX1001, in("EUC-KR", "길동"));
        assertArrayEquals(new byte[] {(byte) 0xFB, (byte) 0xF3}, in("EUC-KR", "洪"));
        assertRoundTrip(cs, text, expected, PN);
    }

    @Test
    void koreanWithoutEscapesIsRecovered() {
        SpecificCharacterSet cs = SpecificCharacterSet.valueOf("", "ISO 2022 IR 149");
        byte[] b = bytes("Hong^Gildong=", in("EUC-KR", "洪^吉洞"));
        assertEquals("Hong^Gildong=洪^吉洞", cs.decode(b, 0, b.length, PN));
        SpecificCharacterSet single = SpecificCharacterSet.valueOf("ISO 2022 IR 149");
        assertEquals("Hong^Gildong=洪^吉洞", single.decode(b, 0, b.length, PN));
    }

    // ------------------------------------------------------------ Chinese (PS3.5 Annex J, K)

    @Test
    void chineseGb18030() {
        SpecificCharacterSet cs = SpecificCharacterSet.valueOf("GB18030");
        String text = "Wang^XiaoDong=王^小東=";
        assertRoundTrip(cs, text, in("GB18030", text), PN);
        assertFalse(cs.usesCodeExtensions());
        // A character that needs the four-byte form of GB18030.
        assertRoundTrip(cs, "𠀀€", in("GB18030", "𠀀€"), PN);
    }

    @Test
    void chineseGbk() {
        SpecificCharacterSet cs = SpecificCharacterSet.valueOf("GBK");
        String text = "Wang^XiaoDong=王^小东=";
        assertRoundTrip(cs, text, in("GBK", text), PN);
        // 0x5C as second byte of a GBK character must not be read as a delimiter.
        char trail5C = 0;
        for (char c = '\u4E00'; c < '\u9FA5' && trail5C == 0; c++) {
            byte[] g = in("GBK", String.valueOf(c));
            if (g.length == 2 && g[1] == 0x5C) {
                trail5C = c;
            }
        }
        assertTrue(trail5C != 0);
        String value = trail5C + "\\x";
        byte[] b = in("GBK", value);
        assertEquals(value, cs.decode(b, 0, b.length, "\\"));
    }

    @Test
    void chineseGb2312WithEscapes() {
        SpecificCharacterSet cs = SpecificCharacterSet.valueOf("", "ISO 2022 IR 58");
        String text = "Zhang^XiaoDong=张^小东=";
        byte[] expected = bytes("Zhang^XiaoDong=", GB2312, in("GB2312", "张"), "^", GB2312, in("GB2312", "小东"), "=");
        assertRoundTrip(cs, text, expected, PN);
    }

    // ------------------------------------------------------------ UTF-8

    @Test
    void utf8AndLatin1Fallback() {
        SpecificCharacterSet cs = SpecificCharacterSet.valueOf("ISO_IR 192");
        assertSame(SpecificCharacterSet.UTF_8, cs);
        String text = "Wang^XiaoDong=王^小東=Ελληνικά";
        assertRoundTrip(cs, text, text.getBytes(StandardCharsets.UTF_8), PN);
        byte[] latin1 = {'M', (byte) 0xFC, 'l', 'l', 'e', 'r'};
        assertEquals("Müller", cs.decode(latin1, 0, latin1.length, PN));
        // The fallback applies to the invalid value only.
        byte[] mixed = bytes("Gr".getBytes(StandardCharsets.UTF_8), "ü".getBytes(StandardCharsets.UTF_8), "n\\",
                latin1, "\\", "王".getBytes(StandardCharsets.UTF_8));
        assertEquals("Grün\\Müller\\王", cs.decode(mixed, 0, mixed.length, "\\"));
        assertEquals(new String(mixed, StandardCharsets.ISO_8859_1), cs.decode(mixed, 0, mixed.length, ""));
    }

    @Test
    void utf8MixedIntoIso2022List() {
        SpecificCharacterSet cs = SpecificCharacterSet.valueOf("ISO 2022 IR 100", "ISO_IR 192");
        byte[] utf8 = "Jérôme".getBytes(StandardCharsets.UTF_8);
        assertEquals("Jérôme", cs.decode(utf8, 0, utf8.length, PN));
        byte[] withEsc = bytes("a", ESC + "-L", in("ISO-8859-5", "Ж"));
        SpecificCharacterSet cs2 = SpecificCharacterSet.valueOf("ISO 2022 IR 100", "ISO_IR 192", "ISO 2022 IR 144");
        assertEquals("aЖ", cs2.decode(withEsc, 0, withEsc.length, PN));
    }

    // ------------------------------------------------------------ delimiters and control characters

    @Test
    void controlCharactersResetState() {
        SpecificCharacterSet cs = SpecificCharacterSet.valueOf("", "ISO 2022 IR 87");
        byte[] expected = bytes(JIS_X0208, jis("山"), ASCII_G0, "\r\n", JIS_X0208, jis("田"), ASCII_G0);
        assertRoundTrip(cs, "山\r\n田", expected, "");
        // A decoder that forgot to switch back still recovers at the line end.
        byte[] sloppy = bytes(JIS_X0208, jis("山"), "\n", "AB");
        assertEquals("山\nAB", cs.decode(sloppy, 0, sloppy.length, ""));
    }

    @Test
    void delimiterNotInListDoesNotReset() {
        SpecificCharacterSet cs = SpecificCharacterSet.valueOf("", "ISO 2022 IR 149");
        byte[] b = bytes(KSX1001, in("EUC-KR", "洪"), "^", in("EUC-KR", "吉"));
        assertEquals("洪^吉", cs.decode(b, 0, b.length, "\\"));
        assertArrayEquals(b, cs.encode("洪^吉", "\\"));
    }

    @Test
    void offsetAndLengthAreHonoured() {
        byte[] b = bytes("xx", "abc", "yy");
        assertEquals("abc", SpecificCharacterSet.ASCII.decode(b, 2, 3, "\\"));
        assertEquals("", SpecificCharacterSet.ASCII.decode(b, 2, 0, "\\"));
    }

    @Test
    void randomBytesNeverThrow() {
        Random rnd = new Random(42);
        SpecificCharacterSet[] sets = {
            SpecificCharacterSet.ASCII,
            SpecificCharacterSet.valueOf("ISO 2022 IR 13", "ISO 2022 IR 87", "ISO 2022 IR 159"),
            SpecificCharacterSet.valueOf("", "ISO 2022 IR 149"),
            SpecificCharacterSet.valueOf("", "ISO 2022 IR 58", "ISO 2022 IR 100"),
            SpecificCharacterSet.UTF_8,
            SpecificCharacterSet.valueOf("GB18030"),
        };
        byte[] b = new byte[64];
        for (int i = 0; i < 1000; i++) {
            rnd.nextBytes(b);
            if (i % 2 == 0) {
                b[rnd.nextInt(60)] = 0x1B;
            }
            for (SpecificCharacterSet cs : sets) {
                String s = cs.decode(b, 0, b.length, PN);
                assertNotNull(cs.encode(s, PN));
            }
        }
    }

    @Test
    void encodeChoosesFirstDeclaredSet() {
        // 'é' is in Latin-1 and Latin-9; Latin-9 is declared first.
        SpecificCharacterSet cs = SpecificCharacterSet.valueOf("", "ISO 2022 IR 203", "ISO 2022 IR 100");
        assertArrayEquals(bytes(ESC + "-b", new byte[] {(byte) 0xE9}), cs.encode("é", "\\"));
        // Mixed Japanese / Korean / Hebrew in one list. (JIS X 0208 also has Cyrillic and Greek,
        // so those would be written in JIS X 0208 when it is declared first.)
        SpecificCharacterSet multi = SpecificCharacterSet.valueOf("", "ISO 2022 IR 87", "ISO 2022 IR 149",
                "ISO 2022 IR 138", "ISO 2022 IR 144");
        String text = "山\\홍\\ש\\Ж";
        byte[] expected = bytes(JIS_X0208, jis("山"), ASCII_G0, "\\", KSX1001, in("EUC-KR", "홍"), "\\",
                ESC + "-H", in("ISO-8859-8", "ש"), "\\", JIS_X0208, jis("Ж"), ASCII_G0);
        assertRoundTrip(multi, text, expected, "\\");
    }
}
