package dev.bulwark.config.model;

/** Syslog level of log lines. */
public enum LogLevel { EMERG, ALERT, CRIT, ERR, WARN, NOTICE, INFO, DEBUG }
