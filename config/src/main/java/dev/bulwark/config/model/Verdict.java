package dev.bulwark.config.model;

/** What happens to a packet: {@code accept}, {@code drop} (silently) or {@code reject} (with an ICMP error or TCP reset). */
public enum Verdict { ACCEPT, DROP, REJECT }
