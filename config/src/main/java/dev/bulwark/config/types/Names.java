package dev.bulwark.config.types;

import java.util.Locale;
import java.util.regex.Pattern;

/** Naming rules shared by the config: identifiers for names we define, kernel device names, enum spellings. */
public final class Names {
    private Names() {
    }

    public static final String IDENTIFIER_RULE =
            "names start with a letter and use only letters, digits, '-' and '_' (at most 32 characters)";
    public static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,31}");
    public static final String DEVICE_RULE =
            "device names have 1 to 15 characters and no '/', ':', spaces or quotes";

    /** '0'-'9' only: numbers in configs are ASCII, whatever Unicode calls a digit. */
    public static boolean isAsciiDigit(int c) {
        return c >= '0' && c <= '9';
    }

    /** Whether every character is '0'-'9' (true for ""; callers check for empty first). */
    /**
     * A decimal number as people write it: ASCII digits only (no sign, no other script's digits, which
     * {@code Integer.parseInt} accepts), no leading zero, at most {@code maxDigits}; else null.
     */
    public static Long decimal(String s, int maxDigits) {
        if (s == null || s.isEmpty() || s.length() > maxDigits || !allAsciiDigits(s)) return null;
        if (s.length() > 1 && s.charAt(0) == '0') return null;
        return Long.parseLong(s);
    }

    /** Whether every character is an ASCII hex digit, lowercase ({@code 0-9a-f}). */
    public static boolean lowercaseHex(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) return false;
        }
        return true;
    }

    public static boolean allAsciiDigits(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (!isAsciiDigit(s.charAt(i))) return false;
        }
        return true;
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }

    /** Whether {@code s} matches {@link #IDENTIFIER}, checked without a regex: it runs for every name of a config. */
    public static boolean isIdentifier(String s) {
        if (s == null || s.isEmpty() || s.length() > 32 || !isAsciiLetter(s.charAt(0))) return false;
        for (int i = 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!isAsciiLetter(c) && !isAsciiDigit(c) && c != '_' && c != '-') return false;
        }
        return true;
    }

    /** Linux accepts 1-15 bytes (IFNAMSIZ - 1), not "." or "..", without '/', ':' or white space. */
    public static boolean isDeviceName(String s) {
        if (s == null || s.isEmpty() || s.length() > 15 || s.equals(".") || s.equals("..")) return false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= ' ' || c >= 127 || c == '/' || c == ':' || c == '"' || c == '\'') return false;
        }
        return true;
    }

    /** {@code portForwards} becomes {@code port-forwards}. */
    public static String kebab(String camel) {
        StringBuilder sb = new StringBuilder(camel.length() + 4);
        for (int i = 0; i < camel.length(); i++) {
            char c = camel.charAt(i);
            if (Character.isUpperCase(c)) {
                if (i > 0) sb.append('-');
                sb.append(Character.toLowerCase(c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** {@code READ_ONLY} is written {@code read-only}. */
    public static String enumName(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Edit distance counting a swap of two neighbouring letters as one edit (optimal string alignment). */
    public static int distance(String a, String b) {
        int n = a.length(), m = b.length();
        int[][] d = new int[n + 1][m + 1];
        for (int i = 0; i <= n; i++) d[i][0] = i;
        for (int j = 0; j <= m; j++) d[0][j] = j;
        for (int i = 1; i <= n; i++) {
            for (int j = 1; j <= m; j++) {
                char x = Character.toLowerCase(a.charAt(i - 1));
                char y = Character.toLowerCase(b.charAt(j - 1));
                int cost = x == y ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && x == Character.toLowerCase(b.charAt(j - 2)) && Character.toLowerCase(a.charAt(i - 2)) == y) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[n][m];
    }

    /** The candidate closest to {@code word} when it is close enough to be a likely typo, else null. */
    public static String closest(String word, Iterable<String> candidates) {
        if (word == null || word.length() > 64) return null;
        String w = word.replace('_', '-');
        String best = null;
        int bestD = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = distance(w, c);
            if (d < bestD) {
                bestD = d;
                best = c;
            }
        }
        if (best == null) return null;
        int allowed = Math.max(1, Math.min(3, best.length() / 3));
        return bestD <= allowed ? best : null;
    }
}
