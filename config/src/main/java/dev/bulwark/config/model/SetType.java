package dev.bulwark.config.model;

/** What a named set holds: IPv4 addresses, IPv6 addresses, or ports. */
public enum SetType { IPV4, IPV6, PORT }
