package dev.bulwark.dataplane.ffm;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BOOLEAN;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

/**
 * Raw bindings to libmnl (Debian {@code libmnl0}): netlink sockets, message headers, attributes and batches.
 * Handles are {@code static final} and called with {@code invokeExact}; the ones that can fail capture errno
 * (their first argument is the errno buffer). Resource management lives in {@code dev.bulwark.dataplane.netlink}.
 */
public final class LibMnl {
    private LibMnl() {
    }

    private static final SymbolLookup LIB = Native.library("libmnl.so.0", "libmnl0");

    /** {@code struct mnl_socket *mnl_socket_open(int bus)} */
    public static final MethodHandle SOCKET_OPEN = Native.functionWithErrno(LIB, "mnl_socket_open",
            FunctionDescriptor.of(ADDRESS, JAVA_INT));
    /** {@code int mnl_socket_bind(struct mnl_socket *nl, unsigned int groups, pid_t pid)} */
    public static final MethodHandle SOCKET_BIND = Native.functionWithErrno(LIB, "mnl_socket_bind",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    /** {@code int mnl_socket_close(struct mnl_socket *nl)} */
    public static final MethodHandle SOCKET_CLOSE = Native.function(LIB, "mnl_socket_close",
            FunctionDescriptor.of(JAVA_INT, ADDRESS));
    /** {@code unsigned int mnl_socket_get_portid(const struct mnl_socket *nl)} */
    public static final MethodHandle SOCKET_GET_PORTID = Native.function(LIB, "mnl_socket_get_portid",
            FunctionDescriptor.of(JAVA_INT, ADDRESS));
    /** {@code int mnl_socket_get_fd(const struct mnl_socket *nl)} */
    public static final MethodHandle SOCKET_GET_FD = Native.function(LIB, "mnl_socket_get_fd",
            FunctionDescriptor.of(JAVA_INT, ADDRESS));
    /** {@code ssize_t mnl_socket_sendto(const struct mnl_socket *nl, const void *req, size_t siz)} */
    public static final MethodHandle SOCKET_SENDTO = Native.functionWithErrno(LIB, "mnl_socket_sendto",
            FunctionDescriptor.of(JAVA_LONG, ADDRESS, ADDRESS, JAVA_LONG));
    /** {@code ssize_t mnl_socket_recvfrom(const struct mnl_socket *nl, void *buf, size_t siz)} */
    public static final MethodHandle SOCKET_RECVFROM = Native.functionWithErrno(LIB, "mnl_socket_recvfrom",
            FunctionDescriptor.of(JAVA_LONG, ADDRESS, ADDRESS, JAVA_LONG));
    /** {@code int mnl_socket_setsockopt(const struct mnl_socket *nl, int type, void *buf, socklen_t len)} */
    public static final MethodHandle SOCKET_SETSOCKOPT = Native.functionWithErrno(LIB, "mnl_socket_setsockopt",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT));

    /** {@code struct nlmsghdr *mnl_nlmsg_put_header(void *buf)} */
    public static final MethodHandle NLMSG_PUT_HEADER = Native.function(LIB, "mnl_nlmsg_put_header",
            FunctionDescriptor.of(ADDRESS, ADDRESS));
    /** {@code void *mnl_nlmsg_put_extra_header(struct nlmsghdr *nlh, size_t size)} */
    public static final MethodHandle NLMSG_PUT_EXTRA_HEADER = Native.function(LIB, "mnl_nlmsg_put_extra_header",
            FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG));

    /** {@code void mnl_attr_put(struct nlmsghdr *nlh, uint16_t type, size_t len, const void *data)} */
    public static final MethodHandle ATTR_PUT = Native.function(LIB, "mnl_attr_put",
            FunctionDescriptor.ofVoid(ADDRESS, JAVA_SHORT, JAVA_LONG, ADDRESS));
    /** {@code void mnl_attr_put_u32(struct nlmsghdr *nlh, uint16_t type, uint32_t data)} */
    public static final MethodHandle ATTR_PUT_U32 = Native.function(LIB, "mnl_attr_put_u32",
            FunctionDescriptor.ofVoid(ADDRESS, JAVA_SHORT, JAVA_INT));
    /** {@code void mnl_attr_put_strz(struct nlmsghdr *nlh, uint16_t type, const char *data)} */
    public static final MethodHandle ATTR_PUT_STRZ = Native.function(LIB, "mnl_attr_put_strz",
            FunctionDescriptor.ofVoid(ADDRESS, JAVA_SHORT, ADDRESS));
    /** {@code struct nlattr *mnl_attr_nest_start(struct nlmsghdr *nlh, uint16_t type)} */
    public static final MethodHandle ATTR_NEST_START = Native.function(LIB, "mnl_attr_nest_start",
            FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_SHORT));
    /** {@code void mnl_attr_nest_end(struct nlmsghdr *nlh, struct nlattr *start)} */
    public static final MethodHandle ATTR_NEST_END = Native.function(LIB, "mnl_attr_nest_end",
            FunctionDescriptor.ofVoid(ADDRESS, ADDRESS));

    /** {@code struct mnl_nlmsg_batch *mnl_nlmsg_batch_start(void *buf, size_t limit)} */
    public static final MethodHandle BATCH_START = Native.function(LIB, "mnl_nlmsg_batch_start",
            FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG));
    /** {@code bool mnl_nlmsg_batch_next(struct mnl_nlmsg_batch *b)}: false when the last message did not fit. */
    public static final MethodHandle BATCH_NEXT = Native.function(LIB, "mnl_nlmsg_batch_next",
            FunctionDescriptor.of(JAVA_BOOLEAN, ADDRESS));
    /** {@code void mnl_nlmsg_batch_stop(struct mnl_nlmsg_batch *b)} */
    public static final MethodHandle BATCH_STOP = Native.function(LIB, "mnl_nlmsg_batch_stop",
            FunctionDescriptor.ofVoid(ADDRESS));
    /** {@code size_t mnl_nlmsg_batch_size(struct mnl_nlmsg_batch *b)} */
    public static final MethodHandle BATCH_SIZE = Native.function(LIB, "mnl_nlmsg_batch_size",
            FunctionDescriptor.of(JAVA_LONG, ADDRESS));
    /** {@code void *mnl_nlmsg_batch_head(struct mnl_nlmsg_batch *b)} */
    public static final MethodHandle BATCH_HEAD = Native.function(LIB, "mnl_nlmsg_batch_head",
            FunctionDescriptor.of(ADDRESS, ADDRESS));
    /** {@code void *mnl_nlmsg_batch_current(struct mnl_nlmsg_batch *b)} */
    public static final MethodHandle BATCH_CURRENT = Native.function(LIB, "mnl_nlmsg_batch_current",
            FunctionDescriptor.of(ADDRESS, ADDRESS));
    /** {@code void mnl_nlmsg_batch_reset(struct mnl_nlmsg_batch *b)} */
    public static final MethodHandle BATCH_RESET = Native.function(LIB, "mnl_nlmsg_batch_reset",
            FunctionDescriptor.ofVoid(ADDRESS));
}
