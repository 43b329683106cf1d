package dev.bulwark.dataplane.link;

import dev.bulwark.dataplane.apply.Operation;
import dev.bulwark.dataplane.apply.Step;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The difference between desired and live links as ordered {@link Step}s (each with its undo), in dataplane terms: a
 * pure function, no kernel access. Run the steps with {@link dev.bulwark.dataplane.apply.UndoLog}.
 *
 * <p>Rules:
 * <ul>
 * <li>Links are keyed by name. A desired link that is live is adopted and changed one property per step: MTU (only
 *     when the desired MTU is not null), master, up. A missing one is created with all its properties in one step,
 *     if its kind is creatable (bridge, vlan, veth, dummy); a missing {@link Link.Kind#DEVICE} is an error.</li>
 * <li>Own only what is ours: a live link absent from the desired state is deleted only if its name is in
 *     {@code owned} (the links an earlier apply created) and its kind is creatable. A veth's peer counts as desired
 *     with it. A link whose kind, VLAN parent, VLAN id or veth peer differ from the desired ones is deleted and
 *     recreated if owned, and an error otherwise. A desired {@code DEVICE} accepts a live link of any kind. The
 *     VLANs on a deleted link are deleted with it (the kernel would remove them anyway) and recreated when
 *     desired.</li>
 * <li>Order: deletions first, deepest first (VLANs and ports before what they hang on); surviving ports leave a
 *     bridge ({@code nomaster}) before it is deleted, so the undo can put them back. Then desired links in dependency
 *     order: bridges and VLAN parents before their ports and VLANs.</li>
 * <li>Undo: a creation is undone by deleting (which also undoes later changes to the new link, so those have no
 *     undo of their own); a change by setting the live value again; a deletion by creating the link as it was live
 *     (for a veth pair, the peer's MTU, master and up state too). Addresses and routes on a deleted link are not part
 *     of its undo: plan address and route removals before link deletions.</li>
 * </ul>
 */
public final class LinkState {
    private LinkState() {
    }

    /**
     * The steps that turn {@code live} into {@code desired}. {@code owned} names the live links Bulwark may delete
     * when they are no longer desired.
     */
    public static List<Step> plan(Collection<Link> desired, Collection<Link> live, Set<String> owned) {
        Map<String, Link> want = byName(desired, "desired");
        Map<String, Link> have = new HashMap<>(byName(live, "live"));
        Set<String> keep = new HashSet<>(want.keySet());
        for (Link d : want.values()) {
            // Deleting one end of a veth pair deletes the other: the peer of a desired end stays.
            if (d.kind() == Link.Kind.VETH && d.peer() != null) keep.add(d.peer());
            Link l = have.get(d.name());
            if (l != null && l.kind() == Link.Kind.VETH && l.peer() != null) keep.add(l.peer());
        }

        // Deletions: owned links no longer desired, and owned links whose identity changed (recreated below).
        Map<String, Link> deletions = new LinkedHashMap<>();
        for (Link l : live) {
            if (!keep.contains(l.name()) && owned.contains(l.name()) && l.kind().creatable()) deletions.put(l.name(), l);
        }
        for (Link d : want.values()) {
            Link l = have.get(d.name());
            if (l == null || sameIdentity(d, l)) continue;
            if (owned.contains(l.name()) && l.kind().creatable()) {
                deletions.put(l.name(), l);
            } else {
                throw new IllegalStateException("link " + d.name() + " is live as " + describe(l) + ", but the desired state wants "
                        + describe(d) + "; it is not Bulwark's to delete (remove or rename it, e.g. ip link del " + l.name() + ")");
            }
        }
        // The kernel deletes the VLANs of a deleted link with it: delete them explicitly (their undo recreates them),
        // and recreate them after their parent when they are desired.
        for (boolean more = true; more; ) {
            more = false;
            for (Link l : live) {
                if (l.kind() == Link.Kind.VLAN && l.parent() != null && deletions.containsKey(l.parent()) && !deletions.containsKey(l.name())) {
                    deletions.put(l.name(), l);
                    more = true;
                }
            }
        }
        List<Step> steps = new ArrayList<>();
        Map<String, Integer> liveDepth = depths(have);
        List<Link> deleteOrder = new ArrayList<>(deletions.values());
        deleteOrder.sort(Comparator.comparing((Link l) -> -liveDepth.get(l.name())).thenComparing(Link::name));
        Set<String> gone = new HashSet<>();
        for (Link l : deleteOrder) {
            if (gone.contains(l.name())) continue; // the other end of a veth pair deleted just before
            // Ports that stay leave the master first, so that undoing the deletion can bring them back.
            for (Link port : new ArrayList<>(have.values())) {
                if (l.name().equals(port.master()) && !deletions.containsKey(port.name())) {
                    steps.add(new Step(new Links.SetMaster(port.name(), null), new Links.SetMaster(port.name(), l.name())));
                    have.put(port.name(), port.withMaster(null));
                }
            }
            List<Operation> undo = new ArrayList<>();
            undo.add(new Links.Create(l));
            Link peer = l.kind() == Link.Kind.VETH && l.peer() != null ? have.get(l.peer()) : null;
            if (peer != null) {
                // Deleting one end deletes the pair; recreating brings the peer back with defaults, so restore it.
                if (peer.mtu() != null) undo.add(new Links.SetMtu(peer.name(), peer.mtu()));
                if (peer.master() != null) undo.add(new Links.SetMaster(peer.name(), peer.master()));
                if (peer.up()) undo.add(new Links.SetUp(peer.name(), true));
                gone.add(peer.name());
                have.remove(peer.name());
            }
            steps.add(new Step(new Links.Delete(l.name()), undo));
            gone.add(l.name());
            have.remove(l.name());
        }

        // Creations and changes, parents and masters first.
        Map<String, Integer> wantDepth = depths(want);
        List<Link> order = new ArrayList<>(want.values());
        order.sort(Comparator.comparing((Link d) -> wantDepth.get(d.name())).thenComparing(Link::name));
        Set<String> created = new HashSet<>();
        for (Link d : order) {
            Link l = have.get(d.name());
            if (l != null) {
                changes(d, l, true, steps);
            } else if (created.contains(d.name())) {
                // The peer end of a veth pair created in this plan: as the kernel made it, down, no master.
                changes(d, Link.veth(d.name(), d.peer()), false, steps);
            } else if (!d.kind().creatable()) {
                throw new IllegalStateException("device " + d.name() + " does not exist; Bulwark creates only bridge, vlan, veth and dummy links, "
                        + "and " + d.name() + " is wanted as a " + d.kind());
            } else {
                steps.add(new Step(new Links.Create(d), new Links.Delete(d.name())));
                created.add(d.name());
                if (d.kind() == Link.Kind.VETH && d.peer() != null) created.add(d.peer());
            }
        }
        return steps;
    }

    /** The change steps for a link that exists; with {@code undoable} false they carry no undo (a new link). */
    private static void changes(Link d, Link l, boolean undoable, List<Step> steps) {
        String n = d.name();
        if (d.mtu() != null && !d.mtu().equals(l.mtu())) {
            steps.add(new Step(new Links.SetMtu(n, d.mtu()), undoable && l.mtu() != null ? List.of(new Links.SetMtu(n, l.mtu())) : List.of()));
        }
        if (!Objects.equals(d.master(), l.master())) {
            steps.add(new Step(new Links.SetMaster(n, d.master()), undoable ? List.of(new Links.SetMaster(n, l.master())) : List.of()));
        }
        if (d.up() != l.up()) {
            steps.add(new Step(new Links.SetUp(n, d.up()), undoable ? List.of(new Links.SetUp(n, l.up())) : List.of()));
        }
    }

    /** Same kind, VLAN parent and id, veth peer; a desired DEVICE takes a live link of any kind. */
    static boolean sameIdentity(Link desired, Link live) {
        if (desired.kind() == Link.Kind.DEVICE) return true;
        return desired.kind() == live.kind()
                && Objects.equals(desired.parent(), live.parent())
                && Objects.equals(desired.vlanId(), live.vlanId())
                && (desired.peer() == null || desired.peer().equals(live.peer()));
    }

    private static String describe(Link l) {
        return switch (l.kind()) {
            case VLAN -> "a VLAN " + l.vlanId() + " on " + l.parent();
            case VETH -> "a veth with peer " + l.peer();
            default -> "a " + l.kind().name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    private static Map<String, Link> byName(Collection<Link> links, String what) {
        Map<String, Link> m = new LinkedHashMap<>();
        for (Link l : links) {
            if (m.put(l.name(), l) != null) throw new IllegalArgumentException("the " + what + " links name " + l.name() + " twice");
        }
        return m;
    }

    /** How many master/parent hops lead from each link to one that depends on nothing (in {@code links}). */
    private static Map<String, Integer> depths(Map<String, Link> links) {
        Map<String, Integer> depth = new HashMap<>();
        for (String n : links.keySet()) depth(n, links, depth, new HashSet<>());
        return depth;
    }

    private static int depth(String name, Map<String, Link> links, Map<String, Integer> memo, Set<String> visiting) {
        Integer known = memo.get(name);
        if (known != null) return known;
        Link l = links.get(name);
        if (l == null) return -1;
        if (!visiting.add(name)) throw new IllegalArgumentException("link " + name + " is its own master or parent, through other links");
        int d = 0;
        if (l.master() != null) d = Math.max(d, depth(l.master(), links, memo, visiting) + 1);
        if (l.parent() != null) d = Math.max(d, depth(l.parent(), links, memo, visiting) + 1);
        visiting.remove(name);
        memo.put(name, d);
        return d;
    }
}
