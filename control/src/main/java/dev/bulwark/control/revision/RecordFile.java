package dev.bulwark.control.revision;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The text layout shared by revision and pending-confirm files:
 *
 * <pre>
 * MAGIC 1 sha256=HEX          HEX: SHA-256 of every byte after this first line
 * key: value                  header lines; \ newline and carriage return escaped as \\ \n \r
 * ...
 *                             one empty line
 * BODY                        the rest of the file, as is (UTF-8 config text)
 * </pre>
 *
 * A file that was cut short, changed or damaged fails the checksum; {@link #decode} says how.
 */
final class RecordFile {
    static final int FORMAT_VERSION = 1;

    /** The file cannot be read as what it claims to be; the message says why. */
    static final class Damage extends Exception {
        Damage(String message) {
            super(message);
        }
    }

    record Parsed(Map<String, String> header, byte[] body) {

        String require(String key) throws Damage {
            String v = header.get(key);
            if (v == null) throw new Damage("header '" + key + "' is missing");
            return v;
        }
    }

    private RecordFile() {
    }

    static byte[] encode(String magic, Map<String, String> header, byte[] body) {
        ByteArrayOutputStream rest = new ByteArrayOutputStream(body.length + 512);
        StringBuilder h = new StringBuilder();
        header.forEach((k, v) -> h.append(k).append(": ").append(escape(v)).append('\n'));
        h.append('\n');
        rest.writeBytes(h.toString().getBytes(StandardCharsets.UTF_8));
        rest.writeBytes(body);
        byte[] r = rest.toByteArray();
        byte[] first = (magic + " " + FORMAT_VERSION + " sha256=" + sha256(r) + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] out = Arrays.copyOf(first, first.length + r.length);
        System.arraycopy(r, 0, out, first.length, r.length);
        return out;
    }

    static Parsed decode(String magic, byte[] file) throws Damage {
        if (file.length == 0) throw new Damage("the file is empty");
        int nl = indexOf(file, 0);
        if (nl < 0) throw new Damage("the first line is not terminated (the file is " + file.length + " bytes)");
        String first = new String(file, 0, nl, StandardCharsets.UTF_8);
        String[] parts = first.split(" ");
        if (parts.length != 3 || !parts[0].equals(magic) || !parts[2].startsWith("sha256=")) {
            throw new Damage("the first line is not '" + magic + " " + FORMAT_VERSION + " sha256=...': '" + abbreviate(first) + "'");
        }
        if (!parts[1].equals(Integer.toString(FORMAT_VERSION))) {
            throw new Damage("format version " + abbreviate(parts[1]) + " is not known to this Bulwark (it reads version " + FORMAT_VERSION + ")");
        }
        byte[] rest = Arrays.copyOfRange(file, nl + 1, file.length);
        String want = parts[2].substring("sha256=".length());
        String got = sha256(rest);
        if (!got.equals(want)) {
            throw new Damage("checksum mismatch: the file says sha256 " + abbreviate(want) + ", its content hashes to " + got
                    + " (" + rest.length + " bytes after the first line)");
        }
        Map<String, String> header = new LinkedHashMap<>();
        int pos = 0;
        while (true) {
            int end = indexOf(rest, pos);
            if (end < 0) throw new Damage("the header does not end with an empty line");
            if (end == pos) {
                pos++;
                break;
            }
            String line = new String(rest, pos, end - pos, StandardCharsets.UTF_8);
            int colon = line.indexOf(": ");
            if (colon <= 0) throw new Damage("header line '" + abbreviate(line) + "' is not 'key: value'");
            header.put(line.substring(0, colon), unescape(line.substring(colon + 2)));
            pos = end + 1;
        }
        return new Parsed(header, Arrays.copyOfRange(rest, pos, rest.length));
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String sha256(String text) {
        return sha256(text.getBytes(StandardCharsets.UTF_8));
    }

    private static int indexOf(byte[] b, int from) {
        for (int i = from; i < b.length; i++) if (b[i] == '\n') return i;
        return -1;
    }

    static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    static String unescape(String s) throws Damage {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            if (++i == s.length()) throw new Damage("header value ends in a lone '\\'");
            switch (s.charAt(i)) {
                case '\\' -> sb.append('\\');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                default -> throw new Damage("unknown escape '\\" + s.charAt(i) + "' in a header value");
            }
        }
        return sb.toString();
    }

    private static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "…" : s;
    }
}
