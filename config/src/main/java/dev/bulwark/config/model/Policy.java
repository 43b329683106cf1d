package dev.bulwark.config.model;

import dev.bulwark.config.bind.Doc;
import dev.bulwark.config.bind.Required;

/** The verdict for traffic forwarded from one zone to another when no rule matched. */
@Doc("A zone-to-zone forwarding policy")
public record Policy(
        @Doc("Source zone.") @Required String from,
        @Doc("Destination zone.") @Required String to,
        @Doc("accept, drop or reject.") @Required Verdict action,
        @Doc("Log packets that take this policy.") Log log) {
}
