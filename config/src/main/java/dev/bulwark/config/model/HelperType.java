package dev.bulwark.config.model;

import dev.bulwark.config.types.PortRange;

/** Conntrack helpers with the kernel helper name, protocol and well-known port. */
public enum HelperType {
    FTP("ftp", Protocol.TCP, 21),
    TFTP("tftp", Protocol.UDP, 69),
    SIP("sip", Protocol.UDP, 5060),
    IRC("irc", Protocol.TCP, 6667),
    H323("RAS", Protocol.UDP, 1719),
    PPTP("pptp", Protocol.TCP, 1723),
    SNMP("snmp", Protocol.UDP, 161),
    AMANDA("amanda", Protocol.UDP, 10080),
    NETBIOS_NS("netbios-ns", Protocol.UDP, 137),
    SANE("sane", Protocol.TCP, 6566);

    private final String kernelName;
    private final Protocol protocol;
    private final int port;

    HelperType(String kernelName, Protocol protocol, int port) {
        this.kernelName = kernelName;
        this.protocol = protocol;
        this.port = port;
    }

    /** The name the kernel's nf_conntrack helper registers. */
    public String kernelName() {
        return kernelName;
    }

    public Protocol protocol() {
        return protocol;
    }

    public PortRange defaultPort() {
        return PortRange.of(port);
    }
}
