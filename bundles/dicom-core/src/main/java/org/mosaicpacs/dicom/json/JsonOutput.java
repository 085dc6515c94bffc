package org.mosaicpacs.dicom.json;

import java.io.IOException;
import java.io.Writer;

/**
 * A minimal streaming JSON generator (RFC 8259): the caller emits names and values in order, this
 * class adds separators, escapes strings and, optionally, indents. Numbers are written as given
 * (the caller checks their syntax). Not thread safe.
 */
final class JsonOutput {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final Writer out;
    private final String indent;
    private boolean[] first = new boolean[32];
    private int depth;
    private boolean afterName;

    JsonOutput(Writer out, String indent) {
        this.out = out;
        this.indent = indent == null || indent.isEmpty() ? null : indent;
        first[0] = true;
    }

    void beginObject() throws IOException {
        open('{');
    }

    void endObject() throws IOException {
        close('}');
    }

    void beginArray() throws IOException {
        open('[');
    }

    void endArray() throws IOException {
        close(']');
    }

    void name(String name) throws IOException {
        separate();
        quote(name);
        out.write(indent == null ? ":" : ": ");
        afterName = true;
    }

    void string(String s) throws IOException {
        separate();
        quote(s);
    }

    /** Writes a number given as valid JSON number text. */
    void number(String lexeme) throws IOException {
        separate();
        out.write(lexeme);
    }

    void nullValue() throws IOException {
        separate();
        out.write("null");
    }

    void flush() throws IOException {
        out.flush();
    }

    private void open(char c) throws IOException {
        separate();
        out.write(c);
        depth++;
        if (depth == first.length) {
            first = java.util.Arrays.copyOf(first, depth * 2);
        }
        first[depth] = true;
    }

    private void close(char c) throws IOException {
        boolean empty = first[depth];
        depth--;
        if (!empty) {
            newline();
        }
        out.write(c);
    }

    private void separate() throws IOException {
        if (afterName) {
            afterName = false;
            return;
        }
        if (!first[depth]) {
            out.write(',');
        }
        first[depth] = false;
        if (depth > 0) {
            newline();
        }
    }

    private void newline() throws IOException {
        if (indent != null) {
            out.write('\n');
            for (int i = 0; i < depth; i++) {
                out.write(indent);
            }
        }
    }

    private void quote(String s) throws IOException {
        out.write('"');
        int start = 0;
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            String esc = null;
            if (c == '"') {
                esc = "\\\"";
            } else if (c == '\\') {
                esc = "\\\\";
            } else if (c == '\n') {
                esc = "\\n";
            } else if (c == '\r') {
                esc = "\\r";
            } else if (c == '\t') {
                esc = "\\t";
            } else if (c < 0x20 || c == 0x7F || c == '\u2028' || c == '\u2029') {
                esc = "\\u00" + HEX[c >> 4 & 0xF] + HEX[c & 0xF];
                if (c > 0xFF) {
                    esc = "\\u" + HEX[c >> 12 & 0xF] + HEX[c >> 8 & 0xF] + HEX[c >> 4 & 0xF] + HEX[c & 0xF];
                }
            }
            if (esc != null) {
                out.write(s, start, i - start);
                out.write(esc);
                start = i + 1;
            }
        }
        out.write(s, start, n - start);
        out.write('"');
    }
}
