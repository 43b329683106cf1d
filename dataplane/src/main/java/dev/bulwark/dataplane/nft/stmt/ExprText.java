package dev.bulwark.dataplane.nft.stmt;

import dev.bulwark.dataplane.nft.Bytes;
import dev.bulwark.dataplane.nft.Nft;
import dev.bulwark.dataplane.nft.Rule;
import dev.bulwark.dataplane.nft.expr.Bitwise;
import dev.bulwark.dataplane.nft.expr.Cmp;
import dev.bulwark.dataplane.nft.expr.Counter;
import dev.bulwark.dataplane.nft.expr.Ct;
import dev.bulwark.dataplane.nft.expr.Expr;
import dev.bulwark.dataplane.nft.expr.Immediate;
import dev.bulwark.dataplane.nft.expr.Limit;
import dev.bulwark.dataplane.nft.expr.Log;
import dev.bulwark.dataplane.nft.expr.Lookup;
import dev.bulwark.dataplane.nft.expr.Masq;
import dev.bulwark.dataplane.nft.expr.Meta;
import dev.bulwark.dataplane.nft.expr.Nat;
import dev.bulwark.dataplane.nft.expr.Notrack;
import dev.bulwark.dataplane.nft.expr.Objref;
import dev.bulwark.dataplane.nft.expr.Payload;
import dev.bulwark.dataplane.nft.expr.Range;
import dev.bulwark.dataplane.nft.expr.Reject;
import dev.bulwark.dataplane.nft.expr.Verdict;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Expressions in the bracket format libnftnl prints them ({@code nft --debug=netlink}), e.g.
 * {@code [ payload load 2b @ transport header + 2 => reg 1 ]}: data as 32-bit words in host (little-endian) order.
 * Used to compare our lowering with nft's, and to show a rule's kernel form to people.
 */
public final class ExprText {
    private ExprText() {
    }

    public static String rule(Rule r) {
        return lines(r.exprs());
    }

    public static String lines(List<Expr> exprs) {
        return exprs.stream().map(e -> "  " + format(e)).collect(Collectors.joining("\n"));
    }

    public static String format(Expr e) {
        return "[ " + e.kind() + " " + body(e) + "]";
    }

    private static String body(Expr e) {
        return switch (e) {
            case Meta m -> "load " + metaKey(m.key()) + " => reg " + m.dreg() + " ";
            case Payload p -> "load " + p.len() + "b @ " + base(p.base()) + " header + " + p.offset() + " => reg " + p.dreg() + " ";
            case Cmp c -> cmpOp(c.op()) + " reg " + c.sreg() + " " + data(c.data());
            case Bitwise b -> "reg " + b.dreg() + " = ( reg " + b.sreg() + " & " + data(b.mask()) + ") ^ " + data(b.xor());
            case Immediate i -> "reg " + i.dreg() + " " + data(i.data());
            case Verdict v -> "reg 0 " + verdict(v.code()) + " " + (v.chain() != null ? "-> " + v.chain() + " " : "");
            case Lookup l -> "reg " + l.sreg() + " set " + l.set() + " " + (l.dreg() != null ? "dreg " + l.dreg() + " " : "")
                    + (l.flags() != 0 ? "0x" + Integer.toHexString(l.flags()) + " " : "");
            case Objref o -> "type " + o.type() + " name " + o.name() + " ";
            case Limit l -> "rate " + l.rate() + "/" + LimitStmt.unitName(l.unit()) + " burst " + l.burst() + " type "
                    + (l.type() == Nft.LIMIT_PKTS ? "packets" : "bytes") + " flags 0x" + Integer.toHexString(l.flags()) + " ";
            case Log l -> (l.prefix() != null ? "prefix " + l.prefix() + " " : "")
                    + (l.group() != null ? "group " + l.group() + " snaplen 0 qthreshold 0 " : l.level() != null ? "level " + l.level() + " " : "");
            case Reject r -> "type " + r.type() + " code " + r.code() + " ";
            case Nat n -> (n.type() == Nft.NAT_SNAT ? "snat " : "dnat ") + (n.family() == Nft.NFPROTO_IPV6 ? "ip6 " : "ip ")
                    + (n.regAddrMin() != null ? "addr_min reg " + n.regAddrMin() + " " : "")
                    + (n.regAddrMax() != null ? "addr_max reg " + n.regAddrMax() + " " : "")
                    + (n.regProtoMin() != null ? "proto_min reg " + n.regProtoMin() + " " : "")
                    + (n.regProtoMax() != null ? "proto_max reg " + n.regProtoMax() + " " : "")
                    + (n.flags() != 0 ? "flags 0x" + Integer.toHexString(n.flags()) + " " : "");
            case Masq m -> (m.regProtoMin() != null ? "proto_min reg " + m.regProtoMin() + " " : "")
                    + (m.regProtoMax() != null ? "proto_max reg " + m.regProtoMax() + " " : "")
                    + (m.flags() != 0 ? "flags 0x" + Integer.toHexString(m.flags()) + " " : "");
            case Ct c -> "load " + ctKey(c.key()) + " => reg " + c.dreg() + " " + (c.direction() != null ? ", dir " + (c.direction() == 0 ? "original" : "reply") + " " : "");
            case Range r -> (r.op() == Nft.RANGE_EQ ? "eq" : "neq") + " reg " + r.sreg() + " " + data(r.from()) + data(r.to());
            case Notrack n -> "";
            case Counter c -> "pkts 0 bytes 0 ";
        };
    }

    /** Register data as libnftnl prints it: each 4 bytes as a host-order (little-endian) 32-bit word. */
    public static String data(Bytes b) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < b.length(); i += 4) {
            long w = 0;
            for (int k = 0; k < 4 && i + k < b.length(); k++) w |= (long) (b.get(i + k) & 255) << (8 * k);
            sb.append(String.format("0x%08x ", w));
        }
        return sb.toString();
    }

    /** A set element key as nft prints it ({@code element 0a01a8c0 ...}): words without the 0x. */
    public static String key(Bytes b) {
        return data(b).replace("0x", "").strip();
    }

    static String cmpOp(int op) {
        return switch (op) {
            case Nft.CMP_EQ -> "eq";
            case Nft.CMP_NEQ -> "neq";
            case Nft.CMP_LT -> "lt";
            case Nft.CMP_LTE -> "lte";
            case Nft.CMP_GT -> "gt";
            case Nft.CMP_GTE -> "gte";
            default -> "op" + op;
        };
    }

    static String base(int base) {
        return switch (base) {
            case Nft.PAYLOAD_LL_HEADER -> "link";
            case Nft.PAYLOAD_NETWORK_HEADER -> "network";
            case Nft.PAYLOAD_TRANSPORT_HEADER -> "transport";
            default -> "base" + base;
        };
    }

    public static String verdict(int code) {
        return switch (code) {
            case Nft.NF_ACCEPT -> "accept";
            case Nft.NF_DROP -> "drop";
            case Nft.NFT_RETURN -> "return";
            case Nft.NFT_JUMP -> "jump";
            case Nft.NFT_GOTO -> "goto";
            case Nft.NFT_CONTINUE -> "continue";
            case Nft.NFT_BREAK -> "break";
            default -> "unknown";
        };
    }

    static String metaKey(int key) {
        return switch (key) {
            case Nft.META_LEN -> "len";
            case Nft.META_PROTOCOL -> "protocol";
            case Nft.META_MARK -> "mark";
            case Nft.META_IIF -> "iif";
            case Nft.META_OIF -> "oif";
            case Nft.META_IIFNAME -> "iifname";
            case Nft.META_OIFNAME -> "oifname";
            case Nft.META_NFPROTO -> "nfproto";
            case Nft.META_L4PROTO -> "l4proto";
            default -> "unknown";
        };
    }

    static String ctKey(int key) {
        return switch (key) {
            case Nft.CT_STATE -> "state";
            case Nft.CT_DIRECTION -> "direction";
            case Nft.CT_STATUS -> "status";
            case Nft.CT_HELPER -> "helper";
            default -> "unknown";
        };
    }

    /**
     * nft prints the expressions it sends; our value types hold the kernel's form of a few of them, which is what a
     * dump returns and what equality must see (see Nat, Masq, Log). For differential tests against
     * {@code nft --debug=netlink}: a NAT or masquerade range without a maximum
     * register has max = min and NAT flags naming the given ranges; a kernel log without level has level 4.
     */
    public static String kernelForm(String line) {
        String l = line;
        if (l.contains("[ log ") && !l.contains(" level ") && !l.contains(" group ")) l = l.substring(0, l.lastIndexOf(" ]")) + " level 4 ]";
        if (l.contains("[ nat ") || l.contains("[ masq ")) {
            java.util.regex.Matcher am = java.util.regex.Pattern.compile("addr_min reg (\\d+) ").matcher(l);
            java.util.regex.Matcher pm = java.util.regex.Pattern.compile("proto_min reg (\\d+) ").matcher(l);
            int flags = 0;
            java.util.regex.Matcher fm = java.util.regex.Pattern.compile("flags 0x([0-9a-f]+) ").matcher(l);
            if (fm.find()) {
                flags = Integer.parseInt(fm.group(1), 16);
                l = l.replace(fm.group(), "");
            }
            boolean nat = l.contains("[ nat ");
            if (am.find()) {
                if (!l.contains("addr_max")) l = l.replace(am.group(), am.group() + "addr_max reg " + am.group(1) + " ");
                if (nat) flags |= 0x1;
            }
            if (pm.find()) {
                if (!l.contains("proto_max")) l = l.replace(pm.group(), pm.group() + "proto_max reg " + pm.group(1) + " ");
                if (nat) flags |= 0x2;
            }
            if (flags != 0) l = l.replace(" ]", " flags 0x" + Integer.toHexString(flags) + " ]").replace("  flags", " flags");
        }
        return l;
    }
}
