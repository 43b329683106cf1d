package dev.bulwark.config.model;

import dev.bulwark.config.bind.Default;
import dev.bulwark.config.bind.Doc;
import java.util.List;

/** Zone-to-zone policies, ordered rules and the stateful defaults. */
@Doc("The firewall")
public record Firewall(
        @Doc("Accept packets of established and related connections before any rule.") @Default("true") boolean acceptEstablished,
        @Doc("Drop packets that conntrack marks invalid before any rule.") @Default("true") boolean dropInvalid,
        @Doc("Zone-to-zone forwarding policies; they override the source zone's forward policy.") List<Policy> policies,
        @Doc("Ordered rules; the first match decides.") List<Rule> rules) {

    public Firewall {
        policies = Values.list(policies);
        rules = Values.list(rules);
    }
}
