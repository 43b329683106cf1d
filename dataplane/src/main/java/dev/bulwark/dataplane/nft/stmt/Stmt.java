package dev.bulwark.dataplane.nft.stmt;

import dev.bulwark.dataplane.nft.expr.Expr;
import java.util.List;

/**
 * One nft statement of a rule, as its text ({@link #render()}) and as the kernel expressions nft 1.0.6 generates for
 * it in an {@code inet} table ({@link #lower()}), including the dependency matches nft inserts: {@code tcp dport 22}
 * lowers to {@code meta l4proto tcp} plus the port compare. Rules lower their statements together
 * ({@link StatementRule#toRule()}) because a dependency already met by an earlier statement is not repeated and
 * adjacent payload compares merge, as in nft.
 */
public sealed interface Stmt permits IfnameMatch, IfnameSetMatch, NfprotoMatch, L4protoMatch, AddrMatch, PortMatch,
        IcmpTypeMatch, CtStateMatch, CtStatusMatch, LimitStmt, LogStmt, CounterStmt, VerdictStmt, VmapStmt, RejectStmt,
        NatStmt, MasqueradeStmt, NotrackStmt, CtHelperSetStmt, CtTimeoutSetStmt {

    /** The statement's nft text, e.g. {@code tcp dport 22}. */
    String render();

    /** The expressions nft generates for this statement alone in an inet table (anonymous sets as {@code __set%d}). */
    default List<Expr> lower() {
        return Lowerer.lower(List.of(this), s -> AnonSet.TEMPLATE).exprs();
    }
}
