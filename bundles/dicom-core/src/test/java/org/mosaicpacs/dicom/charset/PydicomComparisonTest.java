package org.mosaicpacs.dicom.charset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compares our decoding with pydicom's {@code pydicom.charset.decode_bytes}, where Debian's pydicom
 * is installed ({@code /usr/bin/python3 -c 'import pydicom'}); skipped otherwise.
 */
class PydicomComparisonTest {

    private static final Path PYTHON = Path.of("/usr/bin/python3");

    private static final String SCRIPT = String.join("\n",
            "import sys, warnings",
            "warnings.simplefilter('ignore')",
            "from pydicom.charset import decode_bytes, convert_encodings, python_encoding",
            "for line in open(sys.argv[1]):",
            "    codes, delims, data = [bytes.fromhex(x) for x in line.split(' ')]",
            "    terms = codes.decode('utf-8').split('\\\\')",
            "    if any(t and t not in python_encoding for t in terms):",
            "        print('SKIP')",
            "        continue",
            "    try:",
            "        encs = convert_encodings(terms)",
            "        s = decode_bytes(data, encs, set(delims))",
            "        print(s.encode('utf-8').hex())",
            "    except Exception as e:",
            "        print('ERR ' + repr(e).encode('utf-8').hex())",
            "");

    private record Case(String[] codes, byte[] data, String delims) { }

    static boolean pydicomAvailable() {
        if (!Files.isExecutable(PYTHON)) {
            return false;
        }
        try {
            Process p = new ProcessBuilder(PYTHON.toString(), "-c", "import pydicom")
                    .redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        String pn = "\\^=";
        Object[][] texts = {
            {new String[] {"ISO_IR 100"}, "Buc^Jérôme", pn},
            {new String[] {"ISO_IR 101"}, "Dvořák^Antonín", pn},
            {new String[] {"ISO_IR 109"}, "Ħaġar^Ġużeppi", pn},
            {new String[] {"ISO_IR 110"}, "Ģirts^Ķēniņš", pn},
            {new String[] {"ISO_IR 144"}, "Люкceмбypг", pn},
            {new String[] {"ISO_IR 127"}, "قباني^لنزار", pn},
            {new String[] {"ISO_IR 126"}, "Διονυσιος", pn},
            {new String[] {"ISO_IR 138"}, "שרון^דבורה", pn},
            {new String[] {"ISO_IR 148"}, "Çavuşoğlu^Ömer", pn},
            {new String[] {"ISO_IR 203"}, "Œuvre^€", pn},
            {new String[] {"ISO_IR 166"}, "ประเทศไทย", pn},
            {new String[] {"ISO_IR 13"}, "ﾔﾏﾀﾞ^ﾀﾛｳ", pn},
            {new String[] {"ISO_IR 192"}, "Wang^XiaoDong=王^小東=", pn},
            {new String[] {"GB18030"}, "Wang^XiaoDong=王^小東=", pn},
            {new String[] {"GBK"}, "Wang^XiaoDong=王^小东=", pn},
            {new String[] {"", "ISO 2022 IR 87"}, "Yamada^Tarou=山田^太郎=やまだ^たろう", pn},
            {new String[] {"ISO 2022 IR 13", "ISO 2022 IR 87"}, "ﾔﾏﾀﾞ^ﾀﾛｳ=山田^太郎=やまだ^たろう", pn},
            {new String[] {"", "ISO 2022 IR 149"}, "Hong^Gildong=洪^吉洞=홍^길동", pn},
            // Not compared: pydicom 2.3 leaves the ESC $ ) A of ISO 2022 IR 58 in its output
            // ("Zhang^XiaoDong=\u001b$)A张..."); SpecificCharacterSetTest checks PS3.5 Annex J instead.
            {new String[] {"ISO 2022 IR 100", "ISO 2022 IR 144"}, "Jé\\Жд\\ü", "\\"},
            {new String[] {"", "ISO 2022 IR 126", "ISO 2022 IR 138"}, "AΔι^שר", pn},
            {new String[] {"", "ISO 2022 IR 87"}, "山\r\n田 abc", ""},
            {new String[] {"", "ISO 2022 IR 87", "ISO 2022 IR 159"}, "\u4E02山", pn},
        };
        for (Object[] t : texts) {
            String[] codes = (String[]) t[0];
            String delims = (String) t[2];
            cases.add(new Case(codes, SpecificCharacterSet.valueOf(codes).encode((String) t[1], delims), delims));
        }
        // Random texts over the repertoires of a few multi-valued declarations, with delimiters.
        Object[][] pools = {
            {new String[] {"ISO 2022 IR 13", "ISO 2022 IR 87"}, "ABC xyz012ｱｲｳｴｵﾔﾏﾀﾞ山田太郎漢字やまだたろうカタカナ"},
            {new String[] {"", "ISO 2022 IR 87", "ISO 2022 IR 159"}, "ABC 山田太郎やまだ\u4E02\u4E04\u4E05"},
            {new String[] {"", "ISO 2022 IR 149"}, "Hong Gildong洪吉洞홍길동한국어"},
            {new String[] {"ISO 2022 IR 100", "ISO 2022 IR 126", "ISO 2022 IR 144"}, "Jeéüß ΑΒΓαβγ ЖДЯждя"},
            {new String[] {"", "ISO 2022 IR 138", "ISO 2022 IR 127"}, "abc שרון דבורה قباني"},
        };
        java.util.Random rnd = new java.util.Random(2024);
        String seps = "^=\\";
        for (Object[] pool : pools) {
            String chars = (String) pool[1];
            for (int n = 0; n < 8; n++) {
                StringBuilder sb = new StringBuilder();
                int len = 1 + rnd.nextInt(20);
                for (int i = 0; i < len; i++) {
                    sb.append(rnd.nextInt(6) == 0 ? seps.charAt(rnd.nextInt(3)) : chars.charAt(rnd.nextInt(chars.length())));
                }
                String[] codes = (String[]) pool[0];
                cases.add(new Case(codes, SpecificCharacterSet.valueOf(codes).encode(sb.toString(), pn), pn));
            }
        }
        // Each single-byte set designated by its escape sequence (checks the final bytes independently).
        String[][] singles = {{"100", "Jérôme"}, {"101", "Dvořák"}, {"109", "Ħaġar"}, {"110", "Ķēniņš"},
            {"144", "Люкс"}, {"127", "قباني"}, {"126", "Διονυσιος"}, {"138", "שרון"}, {"148", "Çavuşoğlu"},
            {"203", "Œuvre€"}, {"166", "ประเทศไทย"}};
        for (String[] one : singles) {
            String[] codes = {"", "ISO 2022 IR " + one[0]};
            String text = "x^" + one[1] + "=y\\" + one[1];
            cases.add(new Case(codes, SpecificCharacterSet.valueOf(codes).encode(text, pn), pn));
        }
        // Bytes not written by us.
        cases.add(new Case(new String[] {""}, "Zoë".getBytes(StandardCharsets.ISO_8859_1), "\\"));
        cases.add(new Case(new String[] {"ISO 2022 IR 149"}, "Hong^Gildong=洪^吉洞".getBytes(Charset.forName("EUC-KR")), pn));
        return cases;
    }

    @Test
    void decodingAgreesWithPydicom(@TempDir Path tmp) throws Exception {
        assumeTrue(pydicomAvailable(), "Debian's pydicom is not installed");
        List<Case> cases = cases();
        HexFormat hex = HexFormat.of();
        StringBuilder in = new StringBuilder();
        for (Case c : cases) {
            in.append(hex.formatHex(String.join("\\", c.codes()).getBytes(StandardCharsets.UTF_8))).append(' ')
                    .append(hex.formatHex(c.delims().getBytes(StandardCharsets.US_ASCII))).append(' ')
                    .append(hex.formatHex(c.data())).append('\n');
        }
        Path input = tmp.resolve("cases.txt");
        Path script = tmp.resolve("compare.py");
        Files.writeString(input, in.toString(), StandardCharsets.US_ASCII);
        Files.writeString(script, SCRIPT, StandardCharsets.US_ASCII);
        Process p = new ProcessBuilder(PYTHON.toString(), script.toString(), input.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        assumeTrue(p.waitFor(120, TimeUnit.SECONDS), "pydicom did not answer in time");
        String[] lines = out.split("\n");
        assertEquals(cases.size(), lines.length, out);
        List<String> mismatches = new ArrayList<>();
        int compared = 0;
        for (int i = 0; i < cases.size(); i++) {
            Case c = cases.get(i);
            String label = String.join("\\", c.codes()) + " " + hex.formatHex(c.data());
            String line = lines[i].trim();
            if (line.equals("SKIP")) {
                continue; // a Defined Term that this pydicom version does not know (e.g. ISO_IR 203)
            }
            if (line.startsWith("ERR ")) {
                throw new AssertionError("pydicom failed on " + label + ": "
                        + new String(hex.parseHex(line.substring(4)), StandardCharsets.UTF_8));
            }
            String theirs = line.isEmpty() ? "" : new String(hex.parseHex(line), StandardCharsets.UTF_8);
            String ours = SpecificCharacterSet.valueOf(c.codes()).decode(c.data(), 0, c.data().length, c.delims());
            compared++;
            if (!theirs.equals(ours)) {
                mismatches.add(label + ": pydicom <" + theirs + "> ours <" + ours + ">");
            }
        }
        assertEquals(List.of(), mismatches);
        assertTrue(compared >= cases.size() - 3, "compared only " + compared);
    }
}
