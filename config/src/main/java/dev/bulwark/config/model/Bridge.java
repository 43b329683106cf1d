package dev.bulwark.config.model;

import dev.bulwark.config.bind.Default;
import dev.bulwark.config.bind.Doc;
import java.util.List;

/** A Linux bridge over member devices. */
@Doc("A Linux bridge")
public record Bridge(
        @Doc("Kernel device names enslaved to the bridge.") List<String> members,
        @Doc("Run the spanning tree protocol.") @Default("false") boolean stp) {

    public Bridge {
        members = Values.list(members);
    }
}
