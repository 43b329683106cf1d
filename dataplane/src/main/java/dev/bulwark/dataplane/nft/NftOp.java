package dev.bulwark.dataplane.nft;

import java.util.List;

/**
 * One change to our table, as one (or, for many set elements, several) messages of a batch. {@link #describe}
 * names it as the nft command that does the same; errors name the failing operation that way.
 */
public sealed interface NftOp {

    String describe(Table table);

    /** {@code nft add table inet bulwark} (succeeds when it exists). */
    record AddTable() implements NftOp {
        public String describe(Table t) {
            return "add table " + NftWords.table(t);
        }
    }

    /** {@code nft delete table inet bulwark}: everything in it goes too. */
    record DeleteTable() implements NftOp {
        public String describe(Table t) {
            return "delete table " + NftWords.table(t);
        }
    }

    /** {@code nft add chain inet bulwark NAME ...}: creates it, or (same hook) updates a base chain's policy. */
    record AddChain(Chain chain) implements NftOp {
        public String describe(Table t) {
            return "add chain " + NftWords.table(t) + " " + chain.name();
        }
    }

    /** {@code nft flush chain inet bulwark NAME}: deletes all its rules. */
    record FlushChain(String chain) implements NftOp {
        public String describe(Table t) {
            return "flush chain " + NftWords.table(t) + " " + chain;
        }
    }

    /** {@code nft delete chain inet bulwark NAME}. */
    record DeleteChain(String chain) implements NftOp {
        public String describe(Table t) {
            return "delete chain " + NftWords.table(t) + " " + chain;
        }
    }

    /**
     * {@code nft add set|map inet bulwark NAME { ... }}: the definition; elements follow as {@link AddElements}. For an
     * anonymous set ({@link NftSet#isAnonymous}) this is the inline set of the {@link AddRule} or {@link ReplaceRule}
     * that follows its elements: the name is the desired state's, which only ties the three together in the batch (the
     * applier sends {@link NftSet#ANONYMOUS_TEMPLATE} and a set id, and the kernel names the set).
     */
    record AddSet(NftSet set) implements NftOp {
        public String describe(Table t) {
            return "add " + (set.isMap() ? "map " : "set ") + NftWords.table(t) + " " + set.name();
        }
    }

    /** {@code nft delete set inet bulwark NAME}. */
    record DeleteSet(String set) implements NftOp {
        public String describe(Table t) {
            return "delete set " + NftWords.table(t) + " " + set;
        }
    }

    /** {@code nft add element inet bulwark NAME { ... }}. */
    record AddElements(String set, List<SetElement> elements) implements NftOp {
        public AddElements {
            elements = List.copyOf(elements);
        }

        public String describe(Table t) {
            return "add element " + NftWords.table(t) + " " + set;
        }
    }

    /** {@code nft delete element inet bulwark NAME { ... }}. */
    record DeleteElements(String set, List<SetElement> elements) implements NftOp {
        public DeleteElements {
            elements = List.copyOf(elements);
        }

        public String describe(Table t) {
            return "delete element " + NftWords.table(t) + " " + set;
        }
    }

    /** {@code nft add counter|ct helper|ct timeout inet bulwark NAME ...}. */
    record AddObject(NftObject object) implements NftOp {
        public String describe(Table t) {
            return "add " + NftWords.objectType(object.type()) + " " + NftWords.table(t) + " " + object.name();
        }
    }

    /** {@code nft delete counter inet bulwark NAME} (by type and name). */
    record DeleteObject(String name, int type) implements NftOp {
        public String describe(Table t) {
            return "delete " + NftWords.objectType(type) + " " + NftWords.table(t) + " " + name;
        }
    }

    /**
     * {@code nft add rule inet bulwark CHAIN ...} (appended, when {@code before} is null) or
     * {@code nft insert rule inet bulwark CHAIN position BEFORE ...} (placed before the rule with that handle).
     *
     * @param index the rule's 1-based position in its chain in the desired state, for messages
     */
    record AddRule(Rule rule, Long before, int index) implements NftOp {
        public String describe(Table t) {
            return (before == null ? "add rule " : "insert rule ") + NftWords.table(t) + " " + rule.chain()
                    + (before == null ? "" : " position " + before) + " (rule " + index + ")";
        }
    }

    /** {@code nft replace rule inet bulwark CHAIN handle H ...}: same place, new rule (and new handle). */
    record ReplaceRule(Rule rule, long handle, int index) implements NftOp {
        public String describe(Table t) {
            return "replace rule " + NftWords.table(t) + " " + rule.chain() + " handle " + handle + " (rule " + index + ")";
        }
    }

    /** {@code nft delete rule inet bulwark CHAIN handle H}. */
    record DeleteRule(String chain, long handle) implements NftOp {
        public String describe(Table t) {
            return "delete rule " + NftWords.table(t) + " " + chain + " handle " + handle;
        }
    }
}
