package org.quicproquo.kt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicproquo.kt.NaiveTree.indexData;
import static org.quicproquo.kt.NaiveTree.leaf;
import static org.quicproquo.kt.NaiveTree.node;

import org.junit.jupiter.api.Test;

class MerkleLogTest {
  private static MerkleLog logOf(int n) {
    MerkleLog log = new MerkleLog();
    for (int i = 0; i < n; i++) {
      assertThat(log.append(indexData(i))).isEqualTo(i);
    }
    return log;
  }

  @Test
  void smallTreesMatchHandWrittenShapes() {
    byte[][] l = new byte[8][];
    for (int i = 0; i < 8; i++) {
      l[i] = leaf(indexData(i));
    }
    byte[] n01 = node(l[0], l[1]);
    byte[] n23 = node(l[2], l[3]);
    byte[] n45 = node(l[4], l[5]);
    byte[] n67 = node(l[6], l[7]);
    byte[] n0123 = node(n01, n23);
    MerkleLog log = logOf(8);
    assertThat(log.rootHash(1)).isEqualTo(l[0]);
    assertThat(log.rootHash(2)).isEqualTo(n01);
    assertThat(log.rootHash(3)).isEqualTo(node(n01, l[2]));
    assertThat(log.rootHash(4)).isEqualTo(n0123);
    assertThat(log.rootHash(5)).isEqualTo(node(n0123, l[4]));
    assertThat(log.rootHash(6)).isEqualTo(node(n0123, n45));
    assertThat(log.rootHash(7)).isEqualTo(node(n0123, node(n45, l[6])));
    assertThat(log.rootHash(8)).isEqualTo(node(n0123, node(n45, n67)));
  }

  @Test
  void rootEqualsNaiveMthForEverySizeUpTo1000() {
    NaiveTree naive = NaiveTree.memoized(NaiveTree::indexData);
    MerkleLog log = new MerkleLog();
    for (int n = 1; n <= 1000; n++) {
      log.append(indexData(n - 1));
      assertThat(log.rootHash()).as("root of %d leaves", n).isEqualTo(naive.mth(0, n));
    }
    // Earlier sizes are still answerable after the log grew.
    for (int m = 0; m <= 1000; m += 37) {
      assertThat(log.rootHash(m)).as("historic root %d", m).isEqualTo(naive.mth(0, m));
    }
  }

  @Test
  void reopeningFromTheLeafStoreRebuildsTheSameTree() {
    LeafHashStore store = LeafHashStore.inMemory();
    MerkleLog log = new MerkleLog(store);
    for (int i = 0; i < 777; i++) {
      log.append(indexData(i));
    }
    MerkleLog reopened = new MerkleLog(store);
    assertThat(reopened.size()).isEqualTo(777);
    assertThat(reopened.rootHash()).isEqualTo(log.rootHash());
    assertThat(reopened.inclusionProof(300, 777)).isEqualTo(log.inclusionProof(300, 777));
    reopened.append(indexData(777));
    assertThat(reopened.rootHash()).isEqualTo(new NaiveTree(NaiveTree::indexData).mth(0, 778));
  }

  @Test
  void appendingAnEntryRequiresItsSequenceToBeTheNextIndex() {
    MerkleLog log = new MerkleLog();
    LogEntry first = LogEntry.register(0, 1, "alice@example.org", new byte[32]);
    assertThat(log.append(first)).isEqualTo(0);
    assertThat(log.leafHash(0)).isEqualTo(leaf(first.encode()));
    assertThatThrownBy(() -> log.append(LogEntry.deleted(5, 2, "alice@example.org")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void outOfRangeRequestsAreRejected() {
    MerkleLog log = logOf(10);
    assertThatThrownBy(() -> log.inclusionProof(10, 10)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> log.inclusionProof(0, 11)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> log.inclusionProof(-1, 5)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> log.consistencyProof(6, 5)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> log.consistencyProof(1, 11)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> log.rootHash(11)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> log.appendLeafHash(new byte[31])).isInstanceOf(IllegalArgumentException.class);
  }
}
