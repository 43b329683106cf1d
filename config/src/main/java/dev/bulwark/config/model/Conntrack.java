package dev.bulwark.config.model;

import dev.bulwark.config.bind.Default;
import dev.bulwark.config.bind.Doc;
import java.util.List;

/** Connection tracking settings. */
@Doc("Connection tracking")
public record Conntrack(
        @Doc("Maximum number of tracked connections (nf_conntrack_max).") Integer max,
        @Doc("Timeouts in seconds per protocol state.") @Default("{}") Timeouts timeouts,
        @Doc("Protocol helpers for protocols that open related connections (ftp, sip, tftp, ...).") List<Helper> helpers,
        @Doc("Traffic that bypasses connection tracking.") List<NoTrack> notrack) {

    public Conntrack {
        helpers = Values.list(helpers);
        notrack = Values.list(notrack);
    }
}
