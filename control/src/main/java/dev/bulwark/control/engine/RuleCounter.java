package dev.bulwark.control.engine;

/**
 * The packets and bytes a named counter of our table has counted, with the config entry it belongs to.
 *
 * @param name    the rule's or port-forward's name in the config
 * @param kind    {@code rule} (firewall.rules) or {@code port-forward} (nat.port-forwards); {@code unknown} for a
 *                counter of our table the running config does not name
 * @param pointer the entry's JSON pointer in the running config ({@code /firewall/rules/1}), or null
 * @param counter the nft counter object's name ({@code rule_ping})
 */
public record RuleCounter(String name, String kind, String pointer, String counter, long packets, long bytes) {
}
