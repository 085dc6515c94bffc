package org.mosaicpacs.dicom.json;

import java.io.IOException;
import java.io.Reader;

/**
 * A minimal strict streaming JSON pull parser (RFC 8259). Rejects anything the grammar does not
 * allow: trailing commas, comments, single quotes, unescaped control characters, leading zeros,
 * NaN, trailing content. Nesting depth, string length and number length are limited. Not thread safe.
 */
final class JsonInput {

    enum Event { BEGIN_OBJECT, END_OBJECT, BEGIN_ARRAY, END_ARRAY, NAME, STRING, NUMBER, TRUE, FALSE, NULL, END }

    private static final int VALUE_OR_END = 0;
    private static final int VALUE = 1;
    private static final int COMMA_OR_END = 2;
    private static final int NAME_OR_END = 3;
    private static final int NAME = 4;
    private static final int DONE = 5;
    private static final int MAX_NUMBER_LENGTH = 512;

    private final Reader in;
    private final int maxDepth;
    private final int maxStringLength;
    private final char[] buf = new char[8192];
    private int pos;
    private int limit;
    private long consumed;
    private boolean[] objects = new boolean[16];
    private int depth;
    private int state = VALUE;
    private final StringBuilder text = new StringBuilder();

    JsonInput(Reader in, int maxDepth, int maxStringLength) {
        this.in = in;
        this.maxDepth = maxDepth;
        this.maxStringLength = maxStringLength;
    }

    /** Returns the text of the last NAME, STRING or NUMBER event. */
    String text() {
        return text.toString();
    }

    /** Returns the number of characters read so far. */
    long offset() {
        return consumed + pos;
    }

    /** Returns the current nesting depth of objects and arrays. */
    int depth() {
        return depth;
    }

    Event next() throws IOException {
        while (true) {
            int c = skipWhitespace();
            switch (state) {
                case DONE:
                    if (c < 0) {
                        return Event.END;
                    }
                    throw error("unexpected content after the end of the JSON text");
                case NAME_OR_END:
                case NAME:
                    if (c == '}' && state == NAME_OR_END) {
                        return pop(Event.END_OBJECT);
                    }
                    if (c != '"') {
                        throw error(c < 0 ? "unexpected end of input" : "expected a member name");
                    }
                    readString();
                    if (skipWhitespace() != ':') {
                        throw error("expected ':' after a member name");
                    }
                    state = VALUE;
                    return Event.NAME;
                case COMMA_OR_END:
                    boolean object = objects[depth - 1];
                    if (c == ',') {
                        state = object ? NAME : VALUE;
                        continue;
                    }
                    if (c == (object ? '}' : ']')) {
                        return pop(object ? Event.END_OBJECT : Event.END_ARRAY);
                    }
                    throw error(c < 0 ? "unexpected end of input" : "expected ',' or '" + (object ? '}' : ']') + "'");
                case VALUE_OR_END:
                    if (c == ']') {
                        return pop(Event.END_ARRAY);
                    }
                    return value(c);
                default:
                    return value(c);
            }
        }
    }

    /** Skips the value that starts with the event just returned (no-op for scalars). */
    void skipValue(Event first) throws IOException {
        if (first != Event.BEGIN_OBJECT && first != Event.BEGIN_ARRAY) {
            return;
        }
        int target = depth - 1;
        while (depth > target) {
            if (next() == Event.END) {
                throw error("unexpected end of input");
            }
        }
    }

    IOException error(String reason) {
        return new DicomJsonException(reason, offset());
    }

    private Event value(int c) throws IOException {
        switch (c) {
            case '{':
                push(true);
                state = NAME_OR_END;
                return Event.BEGIN_OBJECT;
            case '[':
                push(false);
                state = VALUE_OR_END;
                return Event.BEGIN_ARRAY;
            case '"':
                readString();
                afterValue();
                return Event.STRING;
            case 't':
                literal("rue");
                afterValue();
                return Event.TRUE;
            case 'f':
                literal("alse");
                afterValue();
                return Event.FALSE;
            case 'n':
                literal("ull");
                afterValue();
                return Event.NULL;
            case -1:
                throw error("unexpected end of input");
            default:
                if (c == '-' || c >= '0' && c <= '9') {
                    readNumber(c);
                    afterValue();
                    return Event.NUMBER;
                }
                throw error("unexpected character '" + (char) c + "'");
        }
    }

    private void afterValue() {
        state = depth == 0 ? DONE : COMMA_OR_END;
    }

    private void push(boolean object) throws IOException {
        if (depth >= maxDepth) {
            throw error("JSON nesting deeper than " + maxDepth);
        }
        if (depth == objects.length) {
            objects = java.util.Arrays.copyOf(objects, depth * 2);
        }
        objects[depth++] = object;
    }

    private Event pop(Event e) {
        depth--;
        afterValue();
        return e;
    }

    private void literal(String rest) throws IOException {
        for (int i = 0; i < rest.length(); i++) {
            if (read() != rest.charAt(i)) {
                throw error("invalid literal");
            }
        }
        int c = peek();
        if (c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
            throw error("invalid literal");
        }
    }

    private void readString() throws IOException {
        text.setLength(0);
        while (true) {
            if (pos == limit && !fill()) {
                throw error("unterminated string");
            }
            int start = pos;
            while (pos < limit) {
                char c = buf[pos];
                if (c == '"' || c == '\\' || c < 0x20) {
                    break;
                }
                pos++;
            }
            text.append(buf, start, pos - start);
            checkLength();
            if (pos == limit) {
                continue;
            }
            char c = buf[pos++];
            if (c == '"') {
                return;
            }
            if (c < 0x20) {
                throw error("unescaped control character in a string");
            }
            int e = read();
            switch (e) {
                case '"': text.append('"'); break;
                case '\\': text.append('\\'); break;
                case '/': text.append('/'); break;
                case 'b': text.append('\b'); break;
                case 'f': text.append('\f'); break;
                case 'n': text.append('\n'); break;
                case 'r': text.append('\r'); break;
                case 't': text.append('\t'); break;
                case 'u':
                    int v = 0;
                    for (int i = 0; i < 4; i++) {
                        int h = Character.digit(read(), 16);
                        if (h < 0) {
                            throw error("invalid \\u escape");
                        }
                        v = v << 4 | h;
                    }
                    text.append((char) v);
                    break;
                default:
                    throw error("invalid escape in a string");
            }
            checkLength();
        }
    }

    private void checkLength() throws IOException {
        if (text.length() > maxStringLength) {
            throw error("string longer than " + maxStringLength + " characters");
        }
    }

    private void readNumber(int first) throws IOException {
        text.setLength(0);
        text.append((char) first);
        int c = first;
        if (c == '-') {
            c = read();
            if (c < '0' || c > '9') {
                throw error("invalid number");
            }
            text.append((char) c);
        }
        if (c == '0') {
            int p = peek();
            if (p >= '0' && p <= '9') {
                throw error("invalid number: leading zero");
            }
        } else {
            digits(false);
        }
        if (peek() == '.') {
            text.append((char) read());
            digits(true);
        }
        int p = peek();
        if (p == 'e' || p == 'E') {
            text.append((char) read());
            p = peek();
            if (p == '+' || p == '-') {
                text.append((char) read());
            }
            digits(true);
        }
        p = peek();
        if (p >= 'a' && p <= 'z' || p >= 'A' && p <= 'Z' || p == '.' || p == '+' || p == '-') {
            throw error("invalid number");
        }
    }

    private void digits(boolean required) throws IOException {
        int n = 0;
        while (true) {
            int p = peek();
            if (p < '0' || p > '9') {
                break;
            }
            text.append((char) read());
            n++;
            if (text.length() > MAX_NUMBER_LENGTH) {
                throw error("number longer than " + MAX_NUMBER_LENGTH + " characters");
            }
        }
        if (required && n == 0) {
            throw error("invalid number");
        }
    }

    private int skipWhitespace() throws IOException {
        while (true) {
            int c = read();
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return c;
            }
        }
    }

    private int read() throws IOException {
        if (pos == limit && !fill()) {
            return -1;
        }
        return buf[pos++];
    }

    private int peek() throws IOException {
        if (pos == limit && !fill()) {
            return -1;
        }
        return buf[pos];
    }

    private boolean fill() throws IOException {
        consumed += limit;
        pos = 0;
        limit = 0;
        int n;
        do {
            n = in.read(buf, 0, buf.length);
        } while (n == 0);
        if (n < 0) {
            return false;
        }
        limit = n;
        if (consumed == 0 && buf[0] == '\uFEFF') {
            pos = 1;
        }
        return true;
    }
}
