package dev.bulwark.dataplane.nft.stmt;

import dev.bulwark.dataplane.nft.Rule;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A rule as statements: its chain, its statements in order and an optional comment. It is both the text nft reads
 * ({@link #render()}) and the kernel rule nft would build from that text ({@link #toRule()}).
 */
public record StatementRule(String chain, List<Stmt> stmts, String comment) {

    public StatementRule {
        stmts = List.copyOf(stmts);
        if (stmts.isEmpty()) throw new IllegalArgumentException("a rule needs a statement");
        if (comment != null) InetText.quoted(comment);
    }

    public static StatementRule of(String chain, Stmt... stmts) {
        return new StatementRule(chain, List.of(stmts), null);
    }

    /** The rule nft builds from {@link #render()}, anonymous sets named {@code __set%d} as nft sends them. */
    public Rule toRule() {
        return toRule(s -> AnonSet.TEMPLATE);
    }

    /** The rule with each anonymous set named by {@code namer}, in the order the rule creates them. */
    public Rule toRule(Function<AnonSet, String> namer) {
        return new Rule(chain, Lowerer.lower(stmts, namer).exprs(), comment);
    }

    /** The anonymous sets the rule creates, in creation order. */
    public List<AnonSet> anonymousSets() {
        return Lowerer.lower(stmts, s -> AnonSet.TEMPLATE).anonSets();
    }

    /** The rule's text inside its chain: {@code tcp dport 22 counter name "rule_ssh" accept comment "ssh"}. */
    public String render() {
        String s = stmts.stream().map(Stmt::render).collect(Collectors.joining(" "));
        return comment == null ? s : s + " comment " + InetText.quoted(comment);
    }
}
