package dev.bulwark.config.model;

/** A connection-tracking state. */
public enum CtState { NEW, ESTABLISHED, RELATED, INVALID, UNTRACKED }
