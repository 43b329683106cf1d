package dev.bulwark.dataplane.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.dataplane.apply.Step;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The link planner as a pure function: no kernel. */
class LinkStateTest {

    static final Link ETH0 = new Link("eth0", Link.Kind.DEVICE, true, 1500, null, null, null, null);
    static final Link ETH1 = new Link("eth1", Link.Kind.DEVICE, true, 1500, null, null, null, null);

    @Test
    void equalStatesPlanNothing() {
        assertThat(LinkState.plan(List.of(ETH0), List.of(ETH0, ETH1), Set.of("eth0", "eth1"))).isEmpty();
    }

    @Test
    void aNullMtuLeavesTheMtuAsItIs() {
        assertThat(LinkState.plan(List.of(ETH0.withMtu(null)), List.of(ETH0), Set.of())).isEmpty();
        assertThat(LinkState.plan(List.of(ETH0.withMtu(9000)), List.of(ETH0), Set.of()))
                .containsExactly(new Step(new Links.SetMtu("eth0", 9000), new Links.SetMtu("eth0", 1500)));
    }

    @Test
    void aDesiredDeviceAcceptsAnyLiveKind() {
        Link veth = Link.veth("eth0", "x").withUp(true).withMtu(1500);
        assertThat(LinkState.plan(List.of(Link.device("eth0").withUp(true)), List.of(veth), Set.of())).isEmpty();
    }

    @Test
    void createsMastersAndParentsBeforeWhatHangsOnThem() {
        Link br = Link.bridge("br-lan").withUp(true);
        Link vlan = Link.vlan("eth1.20", "eth1", 20).withUp(true).withMaster("br-lan");
        Link port = ETH0.withMaster("br-lan");
        List<Step> plan = LinkState.plan(List.of(vlan, port, br, ETH1), List.of(ETH0, ETH1), Set.of());
        assertThat(plan).containsExactly(
                new Step(new Links.Create(br), new Links.Delete("br-lan")),
                new Step(new Links.SetMaster("eth0", "br-lan"), new Links.SetMaster("eth0", null)),
                new Step(new Links.Create(vlan), new Links.Delete("eth1.20")));
        assertThat(plan.get(2).operation().command()).isEqualTo("ip link add link eth1 name eth1.20 master br-lan up type vlan id 20");
    }

    @Test
    void aVethPairIsCreatedOnceAndItsOtherEndConfigured() {
        Link a = Link.veth("va", "vb").withUp(true).withMtu(9000);
        Link b = Link.veth("vb", "va").withUp(true).withMtu(9000);
        assertThat(LinkState.plan(List.of(b, a), List.of(), Set.of())).containsExactly(
                new Step(new Links.Create(a), new Links.Delete("va")),
                new Step(new Links.SetMtu("vb", 9000)),
                new Step(new Links.SetUp("vb", true)));
    }

    @Test
    void deletesOnlyOwnedLinksOfCreatableKinds() {
        Link ours = Link.bridge("br-old").withMtu(1500);
        Link foreign = Link.bridge("docker0").withMtu(1500);
        List<Step> plan = LinkState.plan(List.of(), List.of(ETH0, ours, foreign), Set.of("br-old", "eth0"));
        assertThat(plan).containsExactly(new Step(new Links.Delete("br-old"), new Links.Create(ours)));
    }

    @Test
    void thePeerOfADesiredVethEndIsNeverDeleted() {
        Link a = Link.veth("va", "vb").withMtu(1500);
        Link b = Link.veth("vb", "va").withMtu(1500);
        assertThat(LinkState.plan(List.of(Link.device("va")), List.of(a, b), Set.of("va", "vb"))).isEmpty();
    }

    @Test
    void portsThatStayLeaveABridgeBeforeItIsDeleted() {
        Link br = Link.bridge("br0").withUp(true).withMtu(1500);
        Link port = ETH0.withMaster("br0");
        assertThat(LinkState.plan(List.of(ETH0), List.of(br, port), Set.of("br0"))).containsExactly(
                new Step(new Links.SetMaster("eth0", null), new Links.SetMaster("eth0", "br0")),
                new Step(new Links.Delete("br0"), new Links.Create(br)));
    }

    @Test
    void deletingAVethPairRestoresBothEndsOnUndo() {
        Link a = Link.veth("va", "vb").withUp(true).withMtu(1400).withMaster("br0");
        Link b = Link.veth("vb", "va").withUp(true).withMtu(1400).withMaster("br1");
        Link br0 = Link.bridge("br0").withMtu(1400);
        Link br1 = Link.bridge("br1").withMtu(1400);
        assertThat(LinkState.plan(List.of(br0, br1), List.of(br0, br1, a, b), Set.of("va", "vb"))).containsExactly(
                new Step(new Links.Delete("va"), new Links.Create(a), new Links.SetMtu("vb", 1400),
                        new Links.SetMaster("vb", "br1"), new Links.SetUp("vb", true)));
    }

    @Test
    void theVlansOfADeletedLinkGoFirstAndComeBackWhenDesired() {
        Link br = Link.bridge("br0").withMtu(1500);
        Link vlan = Link.vlan("br0.5", "br0", 5).withMtu(1500);
        Link dummy = Link.dummy("br0").withMtu(1500);
        // br0 becomes a dummy: recreated; its VLAN is deleted first and recreated after it.
        List<Step> plan = LinkState.plan(List.of(dummy, vlan), List.of(br, vlan), Set.of("br0"));
        assertThat(plan).extracting(Step::operation).containsExactly(
                new Links.Delete("br0.5"), new Links.Delete("br0"), new Links.Create(dummy), new Links.Create(vlan));
    }

    @Test
    void aChangedVlanIdRecreatesAnOwnedVlanAndRefusesAForeignOne() {
        Link live = Link.vlan("eth0.20", "eth0", 20).withMtu(1500);
        Link want = Link.vlan("eth0.20", "eth0", 30).withMtu(1500);
        assertThat(LinkState.plan(List.of(ETH0, want), List.of(ETH0, live), Set.of("eth0.20"))).extracting(Step::operation)
                .containsExactly(new Links.Delete("eth0.20"), new Links.Create(want));
        assertThatThrownBy(() -> LinkState.plan(List.of(ETH0, want), List.of(ETH0, live), Set.of()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("link eth0.20 is live as a VLAN 20 on eth0, but the desired state wants a VLAN 30 on eth0; it is not Bulwark's "
                        + "to delete (remove or rename it, e.g. ip link del eth0.20)");
    }

    @Test
    void aMissingDeviceIsAnError() {
        assertThatThrownBy(() -> LinkState.plan(List.of(Link.device("eth9")), List.of(ETH0), Set.of()))
                .hasMessageContaining("device eth9 does not exist");
    }

    @Test
    void cyclesAndDuplicatesAreErrors() {
        assertThatThrownBy(() -> LinkState.plan(List.of(Link.bridge("a").withMaster("b"), Link.bridge("b").withMaster("a")), List.of(), Set.of()))
                .hasMessageContaining("its own master or parent");
        assertThatThrownBy(() -> LinkState.plan(List.of(ETH0, ETH0), List.of(), Set.of())).hasMessageContaining("name eth0 twice");
    }

    @Test
    void linkValuesCheckTheirFields() {
        assertThatThrownBy(() -> Link.bridge("a-name-that-is-too-long")).hasMessageContaining("not a valid interface name");
        assertThatThrownBy(() -> Link.bridge("a/b")).hasMessageContaining("not a valid interface name");
        assertThatThrownBy(() -> Link.vlan("v", "eth0", 4095)).hasMessageContaining("0 to 4094");
        assertThatThrownBy(() -> new Link("x", Link.Kind.BRIDGE, false, null, null, "eth0", 3, null)).hasMessageContaining("only a VLAN");
        assertThatThrownBy(() -> Link.bridge("x").withMtu(0)).hasMessageContaining("MTU must be positive");
        assertThat(Link.bridge("x").withUp(true)).isEqualTo(Link.bridge("x").withUp(true)).isNotEqualTo(Link.bridge("x"));
        assertThat(Link.Kind.of("macvlan")).isEqualTo(Link.Kind.OTHER);
        assertThat(Link.Kind.of(null)).isEqualTo(Link.Kind.DEVICE);
    }
}
