package org.quicproquo.client.files;

/** Receives progress of a transfer; called from transfer threads, so it must be quick. */
@FunctionalInterface
public interface TransferProgress {
  /** Ignores progress. */
  TransferProgress NONE = (done, total, rate) -> { };

  /**
   * @param bytesDone plaintext bytes confirmed (uploaded and acknowledged, or downloaded and
   *     verified), including those done before a resume
   * @param bytesTotal the file's size
   * @param bytesPerSecond the average rate of this run so far
   */
  void update(long bytesDone, long bytesTotal, double bytesPerSecond);
}
