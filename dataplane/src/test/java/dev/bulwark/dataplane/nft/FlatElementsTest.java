package dev.bulwark.dataplane.nft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SortedSet;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Flat element sets behave as the sorted tree sets they stand for: order, equality, membership, diff. */
class FlatElementsTest {

    private static TreeSet<SetElement> random(Random r, int n) {
        TreeSet<SetElement> s = new TreeSet<>();
        while (s.size() < n) {
            Bytes k = Bytes.be(r.nextInt(4096), 4);
            s.add(r.nextInt(4) == 0 ? SetElement.intervalEnd(k) : SetElement.of(k));
        }
        return s;
    }

    @Test
    void sameAsTheTreeItStandsFor() {
        for (long seed = 0; seed < 200; seed++) sameAsTheTree(seed);
    }

    private static void sameAsTheTree(long seed) {
        Random r = new Random(seed);
        int n = 1 + r.nextInt(300), m = r.nextInt(300);
        TreeSet<SetElement> a = random(r, n), b = random(r, Math.max(1, m));
        FlatElements fa = FlatElements.of(a), fb = FlatElements.of(b);
        assertThat(fa).isNotNull();
        assertThat(new ArrayList<>(fa)).containsExactlyElementsOf(a);
        assertThat(fa.equals(a)).isTrue();
        assertThat(a.equals(fa)).isTrue();
        assertThat(fa.hashCode()).isEqualTo(a.hashCode());
        assertThat(fa.sameAs(fb)).isEqualTo(a.equals(b));
        assertThat(fa.first()).isEqualTo(a.first());
        assertThat(fa.last()).isEqualTo(a.last());
        for (SetElement e : b) assertThat(fa.contains(e)).isEqualTo(a.contains(e));
        List<SetElement> onlyA = new ArrayList<>(), onlyB = new ArrayList<>(), treeA = new ArrayList<>(), treeB = new ArrayList<>();
        fa.diff(fb, onlyA, onlyB);
        NftDelta.diff(new TreeSet<>(a), new TreeSet<>(b), treeA, treeB); // the generic walk over trees
        assertThat(onlyA).isEqualTo(treeA);
        assertThat(onlyB).isEqualTo(treeB);
    }

    @Test
    void setsOfMapsAndMixedKeysStayTrees() {
        TreeSet<SetElement> map = new TreeSet<>(List.of(SetElement.jump(Bytes.be(1, 4), "c")));
        assertThat(FlatElements.of(map)).isNull();
        TreeSet<SetElement> mixed = new TreeSet<>(List.of(SetElement.of(Bytes.be(1, 4)), SetElement.of(Bytes.be(1, 16))));
        assertThat(FlatElements.of(mixed)).isNull();
        NftSet s = new NftSet("m", 0, 4, Nft.SET_MAP, Nft.DATA_VERDICT, 0, map);
        assertThat(s.elements()).isNotInstanceOf(FlatElements.class).containsExactlyElementsOf(map);
    }

    @Test
    void anNftSetHoldsItsElementsFlatAndReadOnly() {
        SortedSet<SetElement> e = random(new Random(7), 50);
        NftSet s = new NftSet("s", 7, 4, Nft.SET_INTERVAL, null, 0, e);
        assertThat(s.elements()).isInstanceOf(FlatElements.class);
        assertThat(s).isEqualTo(new NftSet("s", 7, 4, Nft.SET_INTERVAL, null, 0, new TreeSet<>(e)));
        assertThatThrownBy(() -> s.elements().add(SetElement.of(Bytes.be(9999, 4)))).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> s.elements().clear()).isInstanceOf(UnsupportedOperationException.class);
    }
}
