package dev.bulwark.dataplane.link;

import dev.bulwark.dataplane.apply.Step;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The difference between desired and live addresses as ordered {@link Step}s: a pure function, no kernel access.
 * An address is its (device, address, prefix length); a changed prefix length is a removal and an addition.
 *
 * <p>Own only what is ours: addresses are removed only from the devices Bulwark configures, those of the desired
 * addresses and those named in {@code devices} (e.g. devices configured before and no longer). Removals come first,
 * then additions, so that an address moving between devices, or to another prefix length, never exists twice. Note
 * the kernel's own rule: removing a primary IPv4 address also removes the secondaries of its subnet unless the
 * device's {@code promote_secondaries} sysctl is set. Undo: a removal is undone by adding, an addition by removing.
 */
public final class AddressState {
    private AddressState() {
    }

    public static List<Step> plan(Collection<Address> desired, Collection<Address> live, Set<String> devices) {
        Set<Address> want = new LinkedHashSet<>(desired);
        Set<Address> have = new LinkedHashSet<>(live);
        Set<String> ours = new HashSet<>(devices);
        for (Address a : want) ours.add(a.device());
        List<Step> steps = new ArrayList<>();
        for (Address a : have) {
            if (!want.contains(a) && ours.contains(a.device())) steps.add(new Step(new Addresses.Delete(a), new Addresses.Add(a)));
        }
        for (Address a : want) {
            if (!have.contains(a)) steps.add(new Step(new Addresses.Add(a), new Addresses.Delete(a)));
        }
        return steps;
    }
}
