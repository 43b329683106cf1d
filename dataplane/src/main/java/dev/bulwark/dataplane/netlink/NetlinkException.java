package dev.bulwark.dataplane.netlink;

import dev.bulwark.dataplane.ffm.LibC;

/**
 * A kernel refusal or a failed netlink call: the errno, the kernel's extended-ACK message when it sent one, and the
 * operation that failed, e.g. {@code add rule inet bulwark forward: Operation not supported (errno 95): ...}.
 */
public class NetlinkException extends RuntimeException {
    private final int errno;
    private final String kernelMessage;
    private final String operation;
    private final int attributeOffset;

    public NetlinkException(String operation, int errno, String kernelMessage) {
        this(operation, errno, kernelMessage, -1);
    }

    /**
     * @param attributeOffset the kernel's NLMSGERR_ATTR_OFFS: the byte offset, from the start of the failing
     *                        request's netlink header, of the attribute it refused; -1 when it named none
     */
    public NetlinkException(String operation, int errno, String kernelMessage, int attributeOffset) {
        super(format(operation, errno, kernelMessage));
        this.errno = errno;
        this.kernelMessage = kernelMessage;
        this.operation = operation;
        this.attributeOffset = attributeOffset;
    }

    private static String format(String operation, int errno, String kernelMessage) {
        StringBuilder sb = new StringBuilder();
        sb.append(operation).append(": ").append(LibC.strerror(errno)).append(" (errno ").append(errno).append(')');
        if (kernelMessage != null && !kernelMessage.isEmpty()) sb.append(": ").append(kernelMessage);
        return sb.toString();
    }

    /** The positive errno value (ENOENT = 2, ...). */
    public int errno() {
        return errno;
    }

    /** The kernel's extended-ACK text, or null. */
    public String kernelMessage() {
        return kernelMessage;
    }

    /** Byte offset of the refused attribute in the failing request (extended ACK), or -1. */
    public int attributeOffset() {
        return attributeOffset;
    }

    /** What was being done, in the words of the equivalent command. */
    public String operation() {
        return operation;
    }
}
