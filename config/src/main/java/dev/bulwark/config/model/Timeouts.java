package dev.bulwark.config.model;

import dev.bulwark.config.bind.Doc;

/** Conntrack timeouts in seconds; absent ones keep the kernel's defaults. */
@Doc("Conntrack timeouts in seconds")
public record Timeouts(
        @Doc("TCP established.") Integer tcpEstablished,
        @Doc("TCP SYN sent.") Integer tcpSynSent,
        @Doc("TCP SYN received.") Integer tcpSynRecv,
        @Doc("TCP FIN wait.") Integer tcpFinWait,
        @Doc("TCP CLOSE wait.") Integer tcpCloseWait,
        @Doc("TCP LAST ACK.") Integer tcpLastAck,
        @Doc("TCP TIME wait.") Integer tcpTimeWait,
        @Doc("TCP CLOSE.") Integer tcpClose,
        @Doc("UDP without reply (single packets).") Integer udp,
        @Doc("UDP seen in both directions (streams).") Integer udpStream,
        @Doc("ICMP and ICMPv6.") Integer icmp,
        @Doc("Other protocols.") Integer generic) {
}
