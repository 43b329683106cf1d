package dev.bulwark.config.model;

import dev.bulwark.config.types.Family;

/** Transport protocol a rule matches. */
public enum Protocol {
    TCP, UDP, ICMP, ICMPV6, ANY;

    /** Whether the protocol has ports. */
    public boolean hasPorts() {
        return this == TCP || this == UDP;
    }

    /** The family the protocol implies, or null. */
    public Family family() {
        return this == ICMP ? Family.IPV4 : this == ICMPV6 ? Family.IPV6 : null;
    }
}
