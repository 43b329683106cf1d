package dev.bulwark.config.model;

/** What an API token may do. */
public enum Role { ADMIN, READ_ONLY }
