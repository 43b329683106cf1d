package dev.bulwark.dataplane.ffm;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BOOLEAN;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

/**
 * Raw bindings to libnftnl (Debian {@code libnftnl11}, soname libnftnl.so.11): nftables objects (table, chain, rule,
 * expression, set, set element, stateful object, generation), their netlink encoding and parsing, and the batch
 * begin/end messages. Handles are {@code static final} and called with {@code invokeExact}; none of these functions
 * reports through errno (allocation failure returns NULL, parsing returns -1). Attribute numbers are libnftnl's
 * {@code NFTNL_*} enums (libnftnl 1.2.4 public headers), not the kernel's {@code NFTA_*}: libnftnl translates.
 * Resource management lives in {@code dev.bulwark.dataplane.nft.wire}.
 */
public final class LibNftnl {
    private LibNftnl() {
    }

    private static final SymbolLookup LIB = Native.library("libnftnl.so.11", "libnftnl11");

    private static MethodHandle fn(String name, FunctionDescriptor fd) {
        return Native.function(LIB, name, fd);
    }

    // ---- common.h -------------------------------------------------------------------------------------------------

    /** {@code struct nlmsghdr *nftnl_nlmsg_build_hdr(char *buf, uint16_t type, uint16_t family, uint16_t flags, uint32_t seq)} */
    public static final MethodHandle NLMSG_BUILD_HDR = fn("nftnl_nlmsg_build_hdr",
            FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_SHORT, JAVA_SHORT, JAVA_SHORT, JAVA_INT));
    /** {@code struct nlmsghdr *nftnl_batch_begin(char *buf, uint32_t seq)} */
    public static final MethodHandle BATCH_BEGIN = fn("nftnl_batch_begin", FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_INT));
    /** {@code struct nlmsghdr *nftnl_batch_end(char *buf, uint32_t seq)} */
    public static final MethodHandle BATCH_END = fn("nftnl_batch_end", FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_INT));

    // ---- table.h --------------------------------------------------------------------------------------------------

    public static final short TABLE_NAME = 0;
    public static final short TABLE_FAMILY = 1;
    public static final short TABLE_FLAGS = 2;
    public static final short TABLE_HANDLE = 4;

    /** {@code struct nftnl_table *nftnl_table_alloc(void)} */
    public static final MethodHandle TABLE_ALLOC = fn("nftnl_table_alloc", FunctionDescriptor.of(ADDRESS));
    /** {@code void nftnl_table_free(const struct nftnl_table *)} */
    public static final MethodHandle TABLE_FREE = fn("nftnl_table_free", FunctionDescriptor.ofVoid(ADDRESS));
    /** {@code bool nftnl_table_is_set(const struct nftnl_table *t, uint16_t attr)} */
    public static final MethodHandle TABLE_IS_SET = fn("nftnl_table_is_set", FunctionDescriptor.of(JAVA_BOOLEAN, ADDRESS, JAVA_SHORT));
    /** {@code void nftnl_table_set_u32(struct nftnl_table *t, uint16_t attr, uint32_t data)} */
    public static final MethodHandle TABLE_SET_U32 = fn("nftnl_table_set_u32", FunctionDescriptor.ofVoid(ADDRESS, JAVA_SHORT, JAVA_INT));
    /** {@code int nftnl_table_set_str(struct nftnl_table *t, uint16_t attr, const char *str)} */
    public static final MethodHandle TABLE_SET_STR = fn("nftnl_table_set_str", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_SHORT, ADDRESS));
    /** {@code uint32_t nftnl_table_get_u32(const struct nftnl_table *t, uint16_t attr)} */
    public static final MethodHandle TABLE_GET_U32 = fn("nftnl_table_get_u32", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_SHORT));
    /** {@code const char *nftnl_table_get_str(const struct nftnl_table *t, uint16_t attr)} */
    public static final MethodHandle TABLE_GET_STR = fn("nftnl_table_get_str", FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_SHORT));
    /** {@code void nftnl_table_nlmsg_build_payload(struct nlmsghdr *nlh, const struct nftnl_table *t)} */
    public static final MethodHandle TABLE_NLMSG_BUILD_PAYLOAD = fn("nftnl_table_nlmsg_build_payload", FunctionDescriptor.ofVoid(ADDRESS, ADDRESS));
    /** {@code int nftnl_table_nlmsg_parse(const struct nlmsghdr *nlh, struct nftnl_table *t)} */
    public static final MethodHandle TABLE_NLMSG_PARSE = fn("nftnl_table_nlmsg_parse", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));

    // ---- chain.h --------------------------------------------------------------------------------------------------

    public static final short CHAIN_NAME = 0;
    public static final short CHAIN_FAMILY = 1;
    public static final short CHAIN_TABLE = 2;
    public static final short CHAIN_HOOKNUM = 3;
    public static final short CHAIN_PRIO = 4;
    public static final short CHAIN_POLICY = 5;
    public static final short CHAIN_USE = 6;
    public static final short CHAIN_HANDLE = 9;
    public static final short CHAIN_TYPE = 10;
    public static final short CHAIN_DEV = 11;
    public static final short CHAIN_FLAGS = 13;

    /** {@code struct nftnl_chain *nftnl_chain_alloc(void)} */
    public static final MethodHandle CHAIN_ALLOC = fn("nftnl_chain_alloc", FunctionDescriptor.of(ADDRESS));
    /** {@code void nftnl_chain_free(const struct nftnl_chain *)} */
    public static final MethodHandle CHAIN_FREE = fn("nftnl_chain_free", FunctionDescriptor.ofVoid(ADDRESS));
    /** {@code bool nftnl_chain_is_set(const struct nftnl_chain *c, uint16_t attr)} */
    public static final MethodHandle CHAIN_IS_SET = fn("nftnl_chain_is_set", FunctionDescriptor.of(JAVA_BOOLEAN, ADDRESS, JAVA_SHORT));
    /** {@code void nftnl_chain_set_u32(struct nftnl_chain *t, uint16_t attr, uint32_t data)} */
    public static final MethodHandle CHAIN_SET_U32 = fn("nftnl_chain_set_u32", FunctionDescriptor.ofVoid(ADDRESS, JAVA_SHORT, JAVA_INT));
    /** {@code void nftnl_chain_set_s32(struct nftnl_chain *t, uint16_t attr, int32_t data)} */
    public static final MethodHandle CHAIN_SET_S32 = fn("nftnl_chain_set_s32", FunctionDescriptor.ofVoid(ADDRESS, JAVA_SHORT, JAVA_INT));
    /** {@code void nftnl_chain_set_u64(struct nftnl_chain *t, uint16_t attr, uint64_t data)} */
    public static final MethodHandle CHAIN_SET_U64 = fn("nftnl_chain_set_u64", FunctionDescriptor.ofVoid(ADDRESS, JAVA_SHORT, JAVA_LONG));
    /** {@code int nftnl_chain_set_str(struct nftnl_chain *t, uint16_t attr, const char *str)} */
    public static final MethodHandle CHAIN_SET_STR = fn("nftnl_chain_set_str", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_SHORT, ADDRESS));
    /** {@code const void *nftnl_chain_get_data(const struct nftnl_chain *c, uint16_t attr, uint32_t *data_len)} */
    public static final MethodHandle CHAIN_GET_DATA = fn("nftnl_chain_get_data", FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_SHORT, ADDRESS));
    /** {@code const char *nftnl_chain_get_str(const struct nftnl_chain *c, uint16_t attr)} */
    public static final MethodHandle CHAIN_GET_STR = fn("nftnl_chain_get_str", FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_SHORT));
    /** {@code void nftnl_chain_nlmsg_build_payload(struct nlmsghdr *nlh, const struct nftnl_chain *t)} */
    public static final MethodHandle CHAIN_NLMSG_BUILD_PAYLOAD = fn("nftnl_chain_nlmsg_build_payload", FunctionDescriptor.ofVoid(ADDRESS, ADDRESS));
    /** {@code int nftnl_chain_nlmsg_parse(const struct nlmsghdr *nlh, struct nftnl_chain *t)} */
    public static final MethodHandle CHAIN_NLMSG_PARSE = fn("nftnl_chain_nlmsg_parse", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));

    // ---- rule.h ---------------------------------------------------------------------------------------------------

    public static final short RULE_FAMILY = 0;
    public static final short RULE_TABLE = 1;
    public static final short RULE_CHAIN = 2;
    public static final short RULE_HANDLE = 3;
    public static final short RULE_POSITION = 6;
    public static final short RULE_USERDATA = 7;
    public static final short RULE_ID = 8;
    public static final short RULE_POSITION_ID = 9;

    /** {@code struct nftnl_rule *nftnl_rule_alloc(void)} */
    public static final MethodHandle RULE_ALLOC = fn("nftnl_rule_alloc", FunctionDescriptor.of(ADDRESS));
    /** {@code void nftnl_rule_free(const struct nftnl_rule *)}: also frees the rule's expressions. */
    public static final MethodHandle RULE_FREE = fn("nftnl_rule_free", FunctionDescriptor.ofVoid(ADDRESS));
    /** {@code bool nftnl_rule_is_set(const struct nftnl_rule *r, uint16_t attr)} */
    public static final MethodHandle RULE_IS_SET = fn("nftnl_rule_is_set", FunctionDescriptor.of(JAVA_BOOLEAN, ADDRESS, JAVA_SHORT));
    /** {@code void nftnl_rule_set_u32(struct nftnl_rule *r, uint16_t attr, uint32_t val)} */
    public static final MethodHandle RULE_SET_U32 = fn("nftnl_rule_set_u32", FunctionDescriptor.ofVoid(ADDRESS, JAVA_SHORT, JAVA_INT));
    /** {@code void nftnl_rule_set_u64(struct nftnl_rule *r, uint16_t attr, uint64_t val)} */
    public static final MethodHandle RULE_SET_U64 = fn("nftnl_rule_set_u64", FunctionDescriptor.ofVoid(ADDRESS, JAVA_SHORT, JAVA_LONG));
    /** {@code int nftnl_rule_set_str(struct nftnl_rule *r, uint16_t attr, const char *str)} */
    public static final MethodHandle RULE_SET_STR = fn("nftnl_rule_set_str", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_SHORT, ADDRESS));
    /** {@code int nftnl_rule_set_data(struct nftnl_rule *r, uint16_t attr, const void *data, uint32_t data_len)}: copies. */
    public static final MethodHandle RULE_SET_DATA = fn("nftnl_rule_set_data", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_SHORT, ADDRESS, JAVA_INT));
    /** {@code const void *nftnl_rule_get_data(const struct nftnl_rule *r, uint16_t attr, uint32_t *data_len)} */
    public static final MethodHandle RULE_GET_DATA = fn("nftnl_rule_get_data", FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_SHORT, ADDRESS));
    /** {@code const char *nftnl_rule_get_str(const struct nftnl_rule *r, uint16_t attr)} */
    public static final MethodHandle RULE_GET_STR = fn("nftnl_rule_get_str", FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_SHORT));
    /** {@code void nftnl_rule_add_expr(struct nftnl_rule *r, struct nftnl_expr *expr)}: the rule takes ownership. */
    public static final MethodHandle RULE_ADD_EXPR = fn("nftnl_rule_add_expr", FunctionDescriptor.ofVoid(ADDRESS, ADDRESS));
    /** {@code void nftnl_rule_nlmsg_build_payload(struct nlmsghdr *nlh, struct nftnl_rule *t)} */
    public static final MethodHandle RULE_NLMSG_BUILD_PAYLOAD = fn("nftnl_rule_nlmsg_build_payload", FunctionDescriptor.ofVoid(ADDRESS, ADDRESS));
    /** {@code int nftnl_rule_nlmsg_parse(const struct nlmsghdr *nlh, struct nftnl_rule *t)} */
    public static final MethodHandle RULE_NLMSG_PARSE = fn("nftnl_rule_nlmsg_parse", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    /** {@code int nftnl_rule_snprintf(char *buf, size_t size, const struct nftnl_rule *t, uint32_t type, uint32_t flags)} */
    public static final MethodHandle RULE_SNPRINTF = fn("nftnl_rule_snprintf", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS, JAVA_INT, JAVA_INT));
    /** {@code struct nftnl_expr_iter *nftnl_expr_iter_create(const struct nftnl_rule *r)} */
    public static final MethodHandle EXPR_ITER_CREATE = fn("nftnl_expr_iter_create", FunctionDescriptor.of(ADDRESS, ADDRESS));
    /** {@code struct nftnl_expr *nftnl_expr_iter_next(struct nftnl_expr_iter *iter)}: NULL at the end; borrowed. */
    public static final MethodHandle EXPR_ITER_NEXT = fn("nftnl_expr_iter_next", FunctionDescriptor.of(ADDRESS, ADDRESS));
    /** {@code void nftnl_expr_iter_destroy(struct nftnl_expr_iter *iter)} */
    public static final MethodHandle EXPR_ITER_DESTROY = fn("nftnl_expr_iter_destroy", FunctionDescriptor.ofVoid(ADDRESS));

    // ---- expr.h ---------------------------------------------------------------------------------------------------

    public static final short EXPR_NAME = 0;
    public static final short EXPR_PAYLOAD_DREG = 1, EXPR_PAYLOAD_BASE = 2, EXPR_PAYLOAD_OFFSET = 3, EXPR_PAYLOAD_LEN = 4,
            EXPR_PAYLOAD_SREG = 5;
    public static final short EXPR_META_KEY = 1, EXPR_META_DREG = 2, EXPR_META_SREG = 3;
    public static final short EXPR_CMP_SREG = 1, EXPR_CMP_OP = 2, EXPR_CMP_DATA = 3;
    public static final short EXPR_RANGE_SREG = 1, EXPR_RANGE_OP = 2, EXPR_RANGE_FROM_DATA = 3, EXPR_RANGE_TO_DATA = 4;
    public static final short EXPR_IMM_DREG = 1, EXPR_IMM_DATA = 2, EXPR_IMM_VERDICT = 3, EXPR_IMM_CHAIN = 4;
    public static final short EXPR_CTR_PACKETS = 1, EXPR_CTR_BYTES = 2;
    public static final short EXPR_BITWISE_SREG = 1, EXPR_BITWISE_DREG = 2, EXPR_BITWISE_LEN = 3, EXPR_BITWISE_MASK = 4,
            EXPR_BITWISE_XOR = 5, EXPR_BITWISE_OP = 6;
    public static final short EXPR_NAT_TYPE = 1, EXPR_NAT_FAMILY = 2, EXPR_NAT_REG_ADDR_MIN = 3, EXPR_NAT_REG_ADDR_MAX = 4,
            EXPR_NAT_REG_PROTO_MIN = 5, EXPR_NAT_REG_PROTO_MAX = 6, EXPR_NAT_FLAGS = 7;
    public static final short EXPR_LOOKUP_SREG = 1, EXPR_LOOKUP_DREG = 2, EXPR_LOOKUP_SET = 3, EXPR_LOOKUP_SET_ID = 4,
            EXPR_LOOKUP_FLAGS = 5;
    public static final short EXPR_LOG_PREFIX = 1, EXPR_LOG_GROUP = 2, EXPR_LOG_SNAPLEN = 3, EXPR_LOG_QTHRESHOLD = 4,
            EXPR_LOG_LEVEL = 5, EXPR_LOG_FLAGS = 6;
    public static final short EXPR_CT_DREG = 1, EXPR_CT_KEY = 2, EXPR_CT_DIR = 3, EXPR_CT_SREG = 4;
    public static final short EXPR_LIMIT_RATE = 1, EXPR_LIMIT_UNIT = 2, EXPR_LIMIT_BURST = 3, EXPR_LIMIT_TYPE = 4,
            EXPR_LIMIT_FLAGS = 5;
    public static final short EXPR_REJECT_TYPE = 1, EXPR_REJECT_CODE = 2;
    public static final short EXPR_MASQ_FLAGS = 1, EXPR_MASQ_REG_PROTO_MIN = 2, EXPR_MASQ_REG_PROTO_MAX = 3;
    public static final short EXPR_OBJREF_IMM_TYPE = 1, EXPR_OBJREF_IMM_NAME = 2, EXPR_OBJREF_SET_SREG = 3,
            EXPR_OBJREF_SET_NAME = 4, EXPR_OBJREF_SET_ID = 5;

    /** {@code struct nftnl_expr *nftnl_expr_alloc(const char *name)}: NULL for an unknown expression name. */
    public static final MethodHandle EXPR_ALLOC = fn("nftnl_expr_alloc", FunctionDescriptor.of(ADDRESS, ADDRESS));
    /** {@code void nftnl_expr_free(const struct nftnl_expr *expr)} */
    public static final MethodHandle EXPR_FREE = fn("nftnl_expr_free", FunctionDescriptor.ofVoid(ADDRESS));
    /** {@code bool nftnl_expr_is_set(const struct nftnl_expr *expr, uint16_t type)} */
    public static final MethodHandle EXPR_IS_SET = fn("nftnl_expr_is_set", FunctionDescriptor.of(JAVA_BOOLEAN, ADDRESS, JAVA_SHORT));
    /** {@code int nftnl_expr_set(struct nftnl_expr *expr, uint16_t type, const void *data, uint32_t data_len)}: copies. */
    public static final MethodHandle EXPR_SET = fn("nftnl_expr_set", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_SHORT, ADDRESS, JAVA_INT));
    /** {@code void nftnl_expr_set_u8(struct nftnl_expr *expr, uint16_t type, uint8_t data)} */
    public static final MethodHandle EXPR_SET_U8 = fn("nftnl_expr_set_u8", FunctionDescriptor.ofVoid(ADDRESS, JAVA_SHORT, JAVA_BYTE));
    /** {@code void nftnl_expr_set_u16(struct nftnl_expr *expr, uint16_t type, uint16_t data)} */
    public static final MethodHandle EXPR_SET_U16 = fn("nftnl_expr_set_u16", FunctionDescriptor.ofVoid(ADDRESS, JAVA_SHORT, JAVA_SHORT));
    /** {@code void nftnl_expr_set_u32(struct nftnl_expr *expr, uint16_t type, uint32_t data)} */
    public static final MethodHandle EXPR_SET_U32 = fn("nftnl_expr_set_u32", FunctionDescriptor.ofVoid(ADDRESS, JAVA_SHORT, JAVA_INT));
    /** {@code void nftnl_expr_set_u64(struct nftnl_expr *expr, uint16_t type, uint64_t data)} */
    public static final MethodHandle EXPR_SET_U64 = fn("nftnl_expr_set_u64", FunctionDescriptor.ofVoid(ADDRESS, JAVA_SHORT, JAVA_LONG));
    /** {@code int nftnl_expr_set_str(struct nftnl_expr *expr, uint16_t type, const char *str)} */
    public static final MethodHandle EXPR_SET_STR = fn("nftnl_expr_set_str", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_SHORT, ADDRESS));
    /** {@code const void *nftnl_expr_get(const struct nftnl_expr *expr, uint16_t type, uint32_t *data_len)} */
    public static final MethodHandle EXPR_GET = fn("nftnl_expr_get", FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_SHORT, ADDRESS));
    /** {@code const char *nftnl_expr_get_str(const struct nftnl_expr *expr, uint16_t type)} */
    public static final MethodHandle EXPR_GET_STR = fn("nftnl_expr_get_str", FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_SHORT));
    /** {@code int nftnl_expr_snprintf(char *buf, size_t buflen, const struct nftnl_expr *expr, uint32_t type, uint32_t flags)} */
    public static final MethodHandle EXPR_SNPRINTF = fn("nftnl_expr_snprintf", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS, JAVA_INT, JAVA_INT));

    // ---- set.h ----------------------------------------------------------------------------------------------------

    public static final short SET_TABLE = 0;
    public static final short SET_NAME = 1;
    public static final short SET_FLAGS = 2;
    public static final short SET_KEY_TYPE = 3;
    public static final short SET_KEY_LEN = 4;
    public static final short SET_DATA_TYPE = 5;
    public static final short SET_DATA_LEN = 6;
    public static final short SET_FAMILY = 7;
    public static final short SET_ID = 8;
    public static final short SET_POLICY = 9;
    public static final short SET_DESC_SIZE = 10;
    public static final short SET_TIMEOUT = 11;
    public static final short SET_USERDATA = 13;
    public static final short SET_OBJ_TYPE = 14;
    public static final short SET_HANDLE = 15;

    public static final short SET_ELEM_FLAGS = 0;
    public static final short SET_ELEM_KEY = 1;
    public static final short SET_ELEM_VERDICT = 2;
    public static final short SET_ELEM_CHAIN = 3;
    public static final short SET_ELEM_DATA = 4;
    public static final short SET_ELEM_TIMEOUT = 5;
    public static final short SET_ELEM_USERDATA = 7;
    public static final short SET_ELEM_OBJREF = 9;
    public static final short SET_ELEM_KEY_END = 10;

    /** {@code struct nftnl_set *nftnl_set_alloc(void)} */
    public static final MethodHandle SET_ALLOC = fn("nftnl_set_alloc", FunctionDescriptor.of(ADDRESS));
    /** {@code void nftnl_set_free(const struct nftnl_set *s)}: also frees the set's elements. */
    public static final MethodHandle SET_FREE = fn("nftnl_set_free", FunctionDescriptor.ofVoid(ADDRESS));
    /** {@code bool nftnl_set_is_set(const struct nftnl_set *s, uint16_t attr)} */
    public static final MethodHandle SET_IS_SET = fn("nftnl_set_is_set", FunctionDescriptor.of(JAVA_BOOLEAN, ADDRESS, JAVA_SHORT));
    /** {@code void nftnl_set_set_u32(struct nftnl_set *s, uint16_t attr, uint32_t val)} */
    public static final MethodHandle SET_SET_U32 = fn("nftnl_set_set_u32", FunctionDescriptor.ofVoid(ADDRESS, JAVA_SHORT, JAVA_INT));
    /** {@code void nftnl_set_set_u64(struct nftnl_set *s, uint16_t attr, uint64_t val)} */
    public static final MethodHandle SET_SET_U64 = fn("nftnl_set_set_u64", FunctionDescriptor.ofVoid(ADDRESS, JAVA_SHORT, JAVA_LONG));
    /** {@code int nftnl_set_set_str(struct nftnl_set *s, uint16_t attr, const char *str)} */
    public static final MethodHandle SET_SET_STR = fn("nftnl_set_set_str", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_SHORT, ADDRESS));
    /** {@code int nftnl_set_set_data(struct nftnl_set *s, uint16_t attr, const void *data, uint32_t data_len)}: copies. */
    public static final MethodHandle SET_SET_DATA = fn("nftnl_set_set_data", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_SHORT, ADDRESS, JAVA_INT));
    /** {@code const void *nftnl_set_get_data(const struct nftnl_set *s, uint16_t attr, uint32_t *data_len)} */
    public static final MethodHandle SET_GET_DATA = fn("nftnl_set_get_data", FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_SHORT, ADDRESS));
    /** {@code const char *nftnl_set_get_str(const struct nftnl_set *s, uint16_t attr)} */
    public static final MethodHandle SET_GET_STR = fn("nftnl_set_get_str", FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_SHORT));
    /** {@code void nftnl_set_nlmsg_build_payload(struct nlmsghdr *nlh, struct nftnl_set *s)} */
    public static final MethodHandle SET_NLMSG_BUILD_PAYLOAD = fn("nftnl_set_nlmsg_build_payload", FunctionDescriptor.ofVoid(ADDRESS, ADDRESS));
    /** {@code int nftnl_set_nlmsg_parse(const struct nlmsghdr *nlh, struct nftnl_set *s)} */
    public static final MethodHandle SET_NLMSG_PARSE = fn("nftnl_set_nlmsg_parse", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    /** {@code void nftnl_set_elems_nlmsg_build_payload(struct nlmsghdr *nlh, struct nftnl_set *s)}: all elements of s. */
    public static final MethodHandle SET_ELEMS_NLMSG_BUILD_PAYLOAD = fn("nftnl_set_elems_nlmsg_build_payload", FunctionDescriptor.ofVoid(ADDRESS, ADDRESS));
    /** {@code int nftnl_set_elems_nlmsg_parse(const struct nlmsghdr *nlh, struct nftnl_set *s)}: appends to s. */
    public static final MethodHandle SET_ELEMS_NLMSG_PARSE = fn("nftnl_set_elems_nlmsg_parse", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    /** {@code void nftnl_set_elem_add(struct nftnl_set *s, struct nftnl_set_elem *elem)}: the set takes ownership. */
    public static final MethodHandle SET_ELEM_ADD = fn("nftnl_set_elem_add", FunctionDescriptor.ofVoid(ADDRESS, ADDRESS));
    /** {@code struct nftnl_set_elems_iter *nftnl_set_elems_iter_create(const struct nftnl_set *s)} */
    public static final MethodHandle SET_ELEMS_ITER_CREATE = fn("nftnl_set_elems_iter_create", FunctionDescriptor.of(ADDRESS, ADDRESS));
    /** {@code struct nftnl_set_elem *nftnl_set_elems_iter_next(struct nftnl_set_elems_iter *iter)}: NULL at the end. */
    public static final MethodHandle SET_ELEMS_ITER_NEXT = fn("nftnl_set_elems_iter_next", FunctionDescriptor.of(ADDRESS, ADDRESS));
    /** {@code void nftnl_set_elems_iter_destroy(struct nftnl_set_elems_iter *iter)} */
    public static final MethodHandle SET_ELEMS_ITER_DESTROY = fn("nftnl_set_elems_iter_destroy", FunctionDescriptor.ofVoid(ADDRESS));

    /** {@code struct nftnl_set_elem *nftnl_set_elem_alloc(void)} */
    public static final MethodHandle SET_ELEM_ALLOC = fn("nftnl_set_elem_alloc", FunctionDescriptor.of(ADDRESS));
    /** {@code void nftnl_set_elem_free(struct nftnl_set_elem *s)} */
    public static final MethodHandle SET_ELEM_FREE = fn("nftnl_set_elem_free", FunctionDescriptor.ofVoid(ADDRESS));
    /** {@code bool nftnl_set_elem_is_set(const struct nftnl_set_elem *s, uint16_t attr)} */
    public static final MethodHandle SET_ELEM_IS_SET = fn("nftnl_set_elem_is_set", FunctionDescriptor.of(JAVA_BOOLEAN, ADDRESS, JAVA_SHORT));
    /** {@code int nftnl_set_elem_set(struct nftnl_set_elem *s, uint16_t attr, const void *data, uint32_t data_len)}: copies. */
    public static final MethodHandle SET_ELEM_SET = fn("nftnl_set_elem_set", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_SHORT, ADDRESS, JAVA_INT));
    /** {@code void nftnl_set_elem_set_u32(struct nftnl_set_elem *s, uint16_t attr, uint32_t val)} */
    public static final MethodHandle SET_ELEM_SET_U32 = fn("nftnl_set_elem_set_u32", FunctionDescriptor.ofVoid(ADDRESS, JAVA_SHORT, JAVA_INT));
    /** {@code int nftnl_set_elem_set_str(struct nftnl_set_elem *s, uint16_t attr, const char *str)} */
    public static final MethodHandle SET_ELEM_SET_STR = fn("nftnl_set_elem_set_str", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_SHORT, ADDRESS));
    /** {@code const void *nftnl_set_elem_get(struct nftnl_set_elem *s, uint16_t attr, uint32_t *data_len)} */
    public static final MethodHandle SET_ELEM_GET = fn("nftnl_set_elem_get", FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_SHORT, ADDRESS));
    /** {@code const char *nftnl_set_elem_get_str(struct nftnl_set_elem *s, uint16_t attr)} */
    public static final MethodHandle SET_ELEM_GET_STR = fn("nftnl_set_elem_get_str", FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_SHORT));

    // ---- object.h -------------------------------------------------------------------------------------------------

    public static final short OBJ_TABLE = 0;
    public static final short OBJ_NAME = 1;
    public static final short OBJ_TYPE = 2;
    public static final short OBJ_FAMILY = 3;
    public static final short OBJ_USE = 4;
    public static final short OBJ_HANDLE = 5;
    public static final short OBJ_CTR_PKTS = 16, OBJ_CTR_BYTES = 17;
    public static final short OBJ_CT_HELPER_NAME = 16, OBJ_CT_HELPER_L3PROTO = 17, OBJ_CT_HELPER_L4PROTO = 18;
    public static final short OBJ_CT_TIMEOUT_L3PROTO = 16, OBJ_CT_TIMEOUT_L4PROTO = 17, OBJ_CT_TIMEOUT_ARRAY = 18;
    /** NFTNL_CTTIMEOUT_ARRAY_MAX: the timeout array always has this many uint32 slots (the TCP state count). */
    public static final int CTTIMEOUT_ARRAY_MAX = 11;

    /** {@code struct nftnl_obj *nftnl_obj_alloc(void)} */
    public static final MethodHandle OBJ_ALLOC = fn("nftnl_obj_alloc", FunctionDescriptor.of(ADDRESS));
    /** {@code void nftnl_obj_free(const struct nftnl_obj *ne)} */
    public static final MethodHandle OBJ_FREE = fn("nftnl_obj_free", FunctionDescriptor.ofVoid(ADDRESS));
    /** {@code bool nftnl_obj_is_set(const struct nftnl_obj *ne, uint16_t attr)} */
    public static final MethodHandle OBJ_IS_SET = fn("nftnl_obj_is_set", FunctionDescriptor.of(JAVA_BOOLEAN, ADDRESS, JAVA_SHORT));
    /** {@code void nftnl_obj_set_data(struct nftnl_obj *ne, uint16_t attr, const void *data, uint32_t data_len)}: copies. */
    public static final MethodHandle OBJ_SET_DATA = fn("nftnl_obj_set_data", FunctionDescriptor.ofVoid(ADDRESS, JAVA_SHORT, ADDRESS, JAVA_INT));
    /** {@code void nftnl_obj_set_u8(struct nftnl_obj *ne, uint16_t attr, uint8_t val)} */
    public static final MethodHandle OBJ_SET_U8 = fn("nftnl_obj_set_u8", FunctionDescriptor.ofVoid(ADDRESS, JAVA_SHORT, JAVA_BYTE));
    /** {@code void nftnl_obj_set_u16(struct nftnl_obj *ne, uint16_t attr, uint16_t val)} */
    public static final MethodHandle OBJ_SET_U16 = fn("nftnl_obj_set_u16", FunctionDescriptor.ofVoid(ADDRESS, JAVA_SHORT, JAVA_SHORT));
    /** {@code void nftnl_obj_set_u32(struct nftnl_obj *ne, uint16_t attr, uint32_t val)} */
    public static final MethodHandle OBJ_SET_U32 = fn("nftnl_obj_set_u32", FunctionDescriptor.ofVoid(ADDRESS, JAVA_SHORT, JAVA_INT));
    /** {@code void nftnl_obj_set_u64(struct nftnl_obj *obj, uint16_t attr, uint64_t val)} */
    public static final MethodHandle OBJ_SET_U64 = fn("nftnl_obj_set_u64", FunctionDescriptor.ofVoid(ADDRESS, JAVA_SHORT, JAVA_LONG));
    /** {@code void nftnl_obj_set_str(struct nftnl_obj *ne, uint16_t attr, const char *str)} */
    public static final MethodHandle OBJ_SET_STR = fn("nftnl_obj_set_str", FunctionDescriptor.ofVoid(ADDRESS, JAVA_SHORT, ADDRESS));
    /** {@code const void *nftnl_obj_get_data(struct nftnl_obj *ne, uint16_t attr, uint32_t *data_len)} */
    public static final MethodHandle OBJ_GET_DATA = fn("nftnl_obj_get_data", FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_SHORT, ADDRESS));
    /** {@code const char *nftnl_obj_get_str(struct nftnl_obj *ne, uint16_t attr)} */
    public static final MethodHandle OBJ_GET_STR = fn("nftnl_obj_get_str", FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_SHORT));
    /** {@code void nftnl_obj_nlmsg_build_payload(struct nlmsghdr *nlh, const struct nftnl_obj *ne)} */
    public static final MethodHandle OBJ_NLMSG_BUILD_PAYLOAD = fn("nftnl_obj_nlmsg_build_payload", FunctionDescriptor.ofVoid(ADDRESS, ADDRESS));
    /** {@code int nftnl_obj_nlmsg_parse(const struct nlmsghdr *nlh, struct nftnl_obj *ne)} */
    public static final MethodHandle OBJ_NLMSG_PARSE = fn("nftnl_obj_nlmsg_parse", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));

    // ---- gen.h ----------------------------------------------------------------------------------------------------

    public static final short GEN_ID = 0;

    /** {@code struct nftnl_gen *nftnl_gen_alloc(void)} */
    public static final MethodHandle GEN_ALLOC = fn("nftnl_gen_alloc", FunctionDescriptor.of(ADDRESS));
    /** {@code void nftnl_gen_free(const struct nftnl_gen *)} */
    public static final MethodHandle GEN_FREE = fn("nftnl_gen_free", FunctionDescriptor.ofVoid(ADDRESS));
    /** {@code bool nftnl_gen_is_set(const struct nftnl_gen *gen, uint16_t attr)} */
    public static final MethodHandle GEN_IS_SET = fn("nftnl_gen_is_set", FunctionDescriptor.of(JAVA_BOOLEAN, ADDRESS, JAVA_SHORT));
    /** {@code uint32_t nftnl_gen_get_u32(const struct nftnl_gen *gen, uint16_t attr)} */
    public static final MethodHandle GEN_GET_U32 = fn("nftnl_gen_get_u32", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_SHORT));
    /** {@code int nftnl_gen_nlmsg_parse(const struct nlmsghdr *nlh, struct nftnl_gen *gen)} */
    public static final MethodHandle GEN_NLMSG_PARSE = fn("nftnl_gen_nlmsg_parse", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
}
