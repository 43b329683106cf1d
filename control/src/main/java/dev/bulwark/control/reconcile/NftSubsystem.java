package dev.bulwark.control.reconcile;

import dev.bulwark.dataplane.port.Dataplane;

import dev.bulwark.control.compile.DesiredNft;
import dev.bulwark.config.model.Config;
import dev.bulwark.control.compile.NftCompiler;
import dev.bulwark.dataplane.nft.Chain;
import dev.bulwark.dataplane.nft.Nft;
import dev.bulwark.dataplane.nft.NftDelta;
import dev.bulwark.dataplane.nft.NftOp;
import dev.bulwark.dataplane.nft.NftRuleset;
import dev.bulwark.dataplane.nft.NftSet;
import dev.bulwark.dataplane.nft.NftState;
import dev.bulwark.dataplane.nft.NftUnsupportedException;
import dev.bulwark.dataplane.nft.NftWords;
import dev.bulwark.dataplane.nft.Rule;
import dev.bulwark.dataplane.nft.SetElement;
import dev.bulwark.dataplane.nft.Table;
import dev.bulwark.dataplane.nft.expr.Expr;
import dev.bulwark.dataplane.nft.expr.Lookup;
import dev.bulwark.dataplane.nft.stmt.NftText;
import dev.bulwark.dataplane.port.NftPort;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Our nftables table. The whole change is one atomic batch (principle 4): the delta from what is known
 * ({@link NftDelta#between}: one element, one rule replaced by handle), or the whole table replaced when nothing is
 * known of it or when it cannot be read. The delta the plan computes is the batch the apply sends ({@link NftPort#send}):
 * it is computed once. What the kernel echoes back (rule handles) becomes the reconciler's memory of the table.
 * Undo: the previous table applied back in one batch (a delta from the state the batch left, else whole), or the
 * table deleted when there was none.
 */
final class NftSubsystem implements Subsystem<DesiredNft, NftSubsystem.Live> {

    /**
     * What is known of our table.
     *
     * @param state      the table with rule handles, or null when there is none (or it could not be read)
     * @param unreadable why the table could not be read (content Bulwark cannot represent), or null
     */
    record Live(NftState state, String unreadable) {
    }

    @Override
    public String name() {
        return "nft";
    }

    @Override
    public DesiredNft compile(Config config) {
        return DesiredNft.of(NftCompiler.compile(config).orThrow());
    }

    @Override
    public Live read(Dataplane dp, DesiredNft desired, DesiredNft previous) {
        try {
            return new Live(dp.port(NftPort.KIND).read(), null);
        } catch (NftUnsupportedException e) {
            return new Live(null, e.getMessage());
        }
    }

    @Override
    public Part plan(Live known, DesiredNft desired, DesiredNft previous, String where) {
        NftRuleset want = desired.ruleset();
        Table table = want.table();
        String t = NftWords.table(table);
        NftState have = known.state();
        List<Change> changes = new ArrayList<>();
        NftDelta d;
        int operations;
        String why = "";
        if (have == null) {
            d = NftDelta.full(want);
            operations = d.ops().size();
            if (known.unreadable() == null) {
                changes.add(new Change(Change.ADD, "table " + t, "nft add table " + t));
            } else {
                changes.add(new Change(Change.CHANGE, "table " + t + " replaced whole: its live content cannot be read ("
                        + known.unreadable() + ")", "nft -f (table " + t + "; delete table " + t + "; table " + t + " {...})"));
                why = " (replaces the table whole)";
            }
            List<NftOp> ops = d.ops();
            for (int i = 3; i < ops.size(); i++) changes.add(describe(ops.get(i), table, null, desired, previous));
        } else {
            d = NftDelta.between(have, want);
            if (d.isEmpty()) return new Part(null, List.of(), List.of());
            operations = d.ops().size();
            for (NftOp op : d.ops()) changes.add(describe(op, table, have, desired, previous));
        }
        String summary = "table " + t + ", one atomic batch of " + operations + (operations == 1 ? " operation" : " operations") + why;
        NftRuleset before = have == null ? null : have.ruleset();
        String unreadable = known.unreadable();
        NftDelta delta = d;
        java.util.concurrent.atomic.AtomicReference<Object> learned = new java.util.concurrent.atomic.AtomicReference<>();
        Action.Effect undo = dp -> {
            if (unreadable != null) {
                throw new IllegalStateException("table " + t + " cannot be restored: its previous content could not be read ("
                        + unreadable + ")");
            }
            restore(dp.port(NftPort.KIND), before, (NftState) learned.get());
            return List.of();
        };
        Action batch = Action.of("nft batch of " + operations + " operations on table " + t, operations, dp -> {
            learned.set(dp.port(NftPort.KIND).send(delta, want, before));
            return List.of();
        }, undo);
        return new Part(new Plan.Section(name(), summary, operations, changes), List.of(batch), List.of(), learned);
    }

    /**
     * Puts our table back to {@code before} (null: no table) in one batch: as a delta from {@code now} (the state the
     * failed commit's batch left, when known), else whole.
     */
    static void restore(NftPort nft, NftRuleset before, NftState now) {
        if (before == null) {
            nft.remove();
            return;
        }
        if (now == null) {
            nft.send(NftDelta.full(before), before, null);
            return;
        }
        try {
            NftDelta back = NftDelta.between(now, before);
            if (!back.isEmpty()) nft.send(back, before, now.ruleset());
        } catch (RuntimeException deltaFailed) {
            try {
                nft.send(NftDelta.full(before), before, null);
            } catch (RuntimeException fullFailed) {
                fullFailed.addSuppressed(deltaFailed);
                throw fullFailed;
            }
        }
    }

    @Override
    public Live after(Dataplane dp, Live known, DesiredNft desired, Part part) {
        if (part.isEmpty()) return known;
        NftState now = (NftState) part.learned().get();
        return now == null ? null : new Live(now, null);
    }

    private static Rule ruleByHandle(NftState s, String chain, long handle) {
        List<Rule.LiveRule> rules = s.liveRules(chain);
        for (Rule.LiveRule r : rules) if (r.handle() == handle) return r.rule();
        return null;
    }

    // ---- plan lines

    private static Change describe(NftOp op, Table table, NftState have, DesiredNft desired, DesiredNft previous) {
        String cmd = "nft " + op.describe(table);
        String text = op.describe(table);
        return switch (op) {
            case NftOp.AddTable a -> new Change(Change.ADD, text, cmd);
            case NftOp.DeleteTable a -> new Change(Change.REMOVE, text + " (and everything in it)", cmd);
            case NftOp.AddChain c -> {
                boolean exists = have != null && have.ruleset().chains().containsKey(c.chain().name());
                yield new Change(exists ? Change.CHANGE : Change.ADD, text + chain(c.chain()), cmd);
            }
            case NftOp.FlushChain c -> new Change(Change.REMOVE, text + " (its " + count(have.ruleset().rulesOf(c.chain()).size(), "rule") + ")", cmd);
            case NftOp.DeleteChain c -> new Change(Change.REMOVE, text, cmd);
            case NftOp.AddSet s -> new Change(Change.ADD, text + (s.set().elements().isEmpty() ? "" : " (" + count(s.set().elements().size(), "element") + " follow)"), cmd);
            case NftOp.DeleteSet s -> new Change(Change.REMOVE, text, cmd);
            case NftOp.AddElements e -> new Change(Change.ADD, text + ": " + elements(set(e.set(), desired.ruleset(), have), e.elements()), cmd);
            case NftOp.DeleteElements e -> new Change(Change.REMOVE, text + ": " + elements(set(e.set(), desired.ruleset(), have), e.elements()), cmd);
            case NftOp.AddObject o -> new Change(Change.ADD, text, cmd);
            case NftOp.DeleteObject o -> new Change(Change.REMOVE, text, cmd);
            case NftOp.AddRule r -> new Change(Change.ADD, text + ruleText(desired.ruleText(r.rule().chain(), r.index() - 1), r.rule()), cmd);
            case NftOp.ReplaceRule r -> new Change(Change.CHANGE, text + ruleText(desired.ruleText(r.rule().chain(), r.index() - 1), r.rule()), cmd);
            case NftOp.DeleteRule r -> {
                Rule old = have == null ? null : ruleByHandle(have, r.chain(), r.handle());
                String t = old == null ? null : previous != null && previous.ruleText(old) != null ? previous.ruleText(old) : desired.ruleText(old);
                yield new Change(Change.REMOVE, text + (old == null ? "" : ruleText(t, old)), cmd);
            }
        };
    }

    private static String chain(Chain c) {
        if (!c.isBase()) return "";
        String hook = switch (c.hook()) {
            case Nft.HOOK_PREROUTING -> "prerouting";
            case Nft.HOOK_INPUT -> "input";
            case Nft.HOOK_FORWARD -> "forward";
            case Nft.HOOK_OUTPUT -> "output";
            case Nft.HOOK_POSTROUTING -> "postrouting";
            default -> "hook " + c.hook();
        };
        String policy = c.policy() == null ? "" : c.policy() == Nft.NF_ACCEPT ? "; policy accept" : "; policy drop";
        return " { type " + c.type() + " hook " + hook + " priority " + c.priority() + policy + " }";
    }

    private static String ruleText(String text, Rule r) {
        if (text != null && !text.isEmpty()) return ": " + text;
        return r.comment() == null ? "" : ": comment \"" + r.comment() + "\"";
    }

    private static NftSet set(String name, NftRuleset want, NftState have) {
        NftSet s = want.sets().get(name);
        if (s == null && have != null) s = have.ruleset().sets().get(name);
        return s;
    }

    private static final int SHOWN_ELEMENTS = 8;

    private static String elements(NftSet set, List<SetElement> elements) {
        if (set != null) {
            try {
                List<String> text = NftText.elements(set.withElements(new TreeSet<>(elements)));
                String shown = String.join(", ", text.subList(0, Math.min(SHOWN_ELEMENTS, text.size())));
                return "{ " + shown + (text.size() > SHOWN_ELEMENTS ? ", ... (" + text.size() + " in all)" : "") + " }";
            } catch (RuntimeException cannotRender) {
                // an interval set's half (a start without its end) or a type the text layer does not name
            }
        }
        return count(elements.size(), "element");
    }

    private static String count(int n, String what) {
        return n + " " + what + (n == 1 ? "" : "s");
    }
}
