package dev.bulwark.dataplane.nft.stmt;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads what {@code nft --debug=netlink} prints: per rule its chain and expression lines ({@code [ ... ]}), and the
 * anonymous sets ({@code __set%d}) declared just before it with their flags and element lines. Works for both
 * {@code nft -f} (requests) and {@code nft list} (the kernel's dump, with real set names and rule handles).
 */
public final class NftDebug {

    public record AnonSetText(String name, int flags, List<String> elements) {
    }

    public record RuleText(String table, String chain, List<String> exprs, List<AnonSetText> anonSets) {
    }

    /** Element lines of a named set in a dump: {@code inet t @name} followed by {@code element ...} lines. */
    public record SetText(String name, List<String> elements) {
    }

    public record Output(List<RuleText> rules, List<SetText> sets) {
    }

    private static final Pattern RULE_HEADER = Pattern.compile("^(inet|ip|ip6) (\\S+) (\\S+)( \\d+)*$");
    private static final Pattern ANON_HEADER = Pattern.compile("^(__(?:set|map)\\S*) (\\S+) ([0-9a-f]+) size \\d+$");
    private static final Pattern SET_DUMP_HEADER = Pattern.compile("^(inet|ip|ip6) (\\S+) @(\\S+)$");
    private static final Pattern ELEMENT = Pattern.compile("element ((?:[0-9a-f]{8} )+) : (.*?)\\[end\\]");

    public static Output parse(String text) {
        List<RuleText> rules = new ArrayList<>();
        List<SetText> sets = new ArrayList<>();
        List<AnonSetText> pending = new ArrayList<>();
        String[] lines = text.split("\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            Matcher anon = ANON_HEADER.matcher(line);
            if (anon.matches()) {
                // "__set%d t 3 size 3" then "__set%d t 0" then one line of tab-separated elements
                List<String> el = new ArrayList<>();
                int j = i + 1;
                if (j < lines.length && lines[j].startsWith(anon.group(1) + " ")) j++;
                if (j < lines.length && lines[j].startsWith("\t")) {
                    el.addAll(elements(lines[j]));
                    i = j;
                } else {
                    i = j - 1;
                }
                pending.add(new AnonSetText(anon.group(1), Integer.parseInt(anon.group(3), 16), el));
                continue;
            }
            Matcher sd = SET_DUMP_HEADER.matcher(line);
            if (sd.matches()) {
                List<String> el = new ArrayList<>();
                while (i + 1 < lines.length && lines[i + 1].startsWith("\telement")) el.addAll(elements(lines[++i]));
                sets.add(new SetText(sd.group(3), el));
                continue;
            }
            Matcher rh = RULE_HEADER.matcher(line);
            if (rh.matches() && i + 1 < lines.length && lines[i + 1].startsWith("  [ ")) {
                List<String> exprs = new ArrayList<>();
                while (i + 1 < lines.length && lines[i + 1].startsWith("  [ ")) exprs.add(lines[++i]);
                rules.add(new RuleText(rh.group(2), rh.group(3), exprs, List.copyOf(pending)));
                pending.clear();
            }
        }
        return new Output(rules, sets);
    }

    /** "element 0a01a8c0  : 0 [end]" items of a line, normalised to "0a01a8c0 : 0". */
    public static List<String> elements(String line) {
        List<String> out = new ArrayList<>();
        Matcher m = ELEMENT.matcher(line);
        while (m.find()) out.add(m.group(1).strip() + " : " + m.group(2).strip());
        return out;
    }
}
