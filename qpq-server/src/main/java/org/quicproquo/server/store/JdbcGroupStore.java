package org.quicproquo.server.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/** {@link GroupStore} on the shared JDBC schema. */
final class JdbcGroupStore implements GroupStore {
  private final Transactions tx;
  private final StoreLimits limits;
  private final Clock clock;

  JdbcGroupStore(Transactions tx, StoreLimits limits, Clock clock) {
    this.tx = tx;
    this.limits = limits;
    this.clock = clock;
  }

  @Override
  public CommitDecision acceptCommit(GroupId group, Epoch epoch, MessageId commitId) {
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(commitId, "commitId");
    Epoch next = epoch.next();
    long now = clock.millis();
    return tx.write(c -> {
      // a group seen for the first time starts at its first Commit; ON CONFLICT makes two
      // concurrent first Commits on an engine with row locks safe too
      try (PreparedStatement p = c.prepareStatement("INSERT INTO mls_groups (group_id, epoch, "
          + "last_commit_id, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (group_id) DO NOTHING")) {
        p.setBytes(1, group.unsafeBytes());
        p.setLong(2, next.value());
        p.setBytes(3, commitId.unsafeBytes());
        p.setLong(4, now);
        if (p.executeUpdate() == 1) {
          return new CommitDecision.Accepted(next);
        }
      }
      long current;
      byte[] lastCommit;
      try (PreparedStatement p = c.prepareStatement("SELECT epoch, last_commit_id FROM mls_groups "
          + "WHERE group_id = ?" + tx.dialect().forUpdate())) {
        p.setBytes(1, group.unsafeBytes());
        try (ResultSet r = p.executeQuery()) {
          r.next();
          current = r.getLong(1);
          lastCommit = r.getBytes(2);
        }
      }
      if (current == next.value() && Arrays.equals(lastCommit, commitId.unsafeBytes())) {
        return new CommitDecision.Accepted(next);
      }
      if (current != epoch.value()) {
        return new CommitDecision.Rejected(new Epoch(current));
      }
      try (PreparedStatement p = c.prepareStatement("UPDATE mls_groups SET epoch = ?, "
          + "last_commit_id = ?, updated_at = ? WHERE group_id = ? AND epoch = ?")) {
        p.setLong(1, next.value());
        p.setBytes(2, commitId.unsafeBytes());
        p.setLong(3, now);
        p.setBytes(4, group.unsafeBytes());
        p.setLong(5, epoch.value());
        p.executeUpdate();
      }
      return new CommitDecision.Accepted(next);
    });
  }

  @Override
  public Optional<Epoch> currentEpoch(GroupId group) {
    Objects.requireNonNull(group, "group");
    return tx.read(c -> {
      try (PreparedStatement p = c.prepareStatement(
          "SELECT epoch FROM mls_groups WHERE group_id = ?")) {
        p.setBytes(1, group.unsafeBytes());
        try (ResultSet r = p.executeQuery()) {
          return r.next() ? Optional.of(new Epoch(r.getLong(1))) : Optional.empty();
        }
      }
    });
  }

  @Override
  public boolean publishGroupInfo(GroupId group, Epoch epoch, byte[] groupInfo) {
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(epoch, "epoch");
    InvalidValueException.checkLength("GroupInfo", groupInfo, 1, limits.maxGroupInfoBytes());
    long now = clock.millis();
    return tx.write(c -> {
      try (PreparedStatement p = c.prepareStatement("INSERT INTO group_infos (group_id, epoch, "
          + "group_info, published_at) VALUES (?, ?, ?, ?) ON CONFLICT (group_id) DO UPDATE "
          + "SET epoch = excluded.epoch, group_info = excluded.group_info, "
          + "published_at = excluded.published_at WHERE group_infos.epoch <= excluded.epoch")) {
        p.setBytes(1, group.unsafeBytes());
        p.setLong(2, epoch.value());
        p.setBytes(3, groupInfo);
        p.setLong(4, now);
        return p.executeUpdate() == 1;
      }
    });
  }

  @Override
  public Optional<PublishedGroupInfo> fetchGroupInfo(GroupId group) {
    Objects.requireNonNull(group, "group");
    return tx.read(c -> {
      try (PreparedStatement p = c.prepareStatement(
          "SELECT epoch, group_info, published_at FROM group_infos WHERE group_id = ?")) {
        p.setBytes(1, group.unsafeBytes());
        try (ResultSet r = p.executeQuery()) {
          return r.next()
              ? Optional.of(new PublishedGroupInfo(group, new Epoch(r.getLong(1)), r.getBytes(2),
                  Instant.ofEpochMilli(r.getLong(3))))
              : Optional.empty();
        }
      }
    });
  }
}
