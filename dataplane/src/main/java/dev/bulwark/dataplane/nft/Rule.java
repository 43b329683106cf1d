package dev.bulwark.dataplane.nft;

import dev.bulwark.dataplane.nft.expr.Expr;
import java.util.List;

/**
 * A rule: its chain and its expressions in order. The kernel's handle is not part of the value; a rule read back is a
 * {@link LiveRule} that carries it, so a rule can be replaced or deleted by handle.
 *
 * @param comment the rule's comment (nft userdata), or null
 */
public record Rule(String chain, List<Expr> exprs, String comment) {

    public Rule {
        exprs = List.copyOf(exprs);
    }

    /** A rule as read from the kernel, with the handle that names it there. */
    public record LiveRule(long handle, Rule rule) {
    }
}
