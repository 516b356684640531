package org.quicproquo.server.store;

import java.time.Clock;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The {@link Store} every SQL engine shares: the aggregate stores over one {@link Transactions}.
 * An engine contributes only its {@link Connections} and {@link Dialect}.
 */
final class JdbcStore implements Store {
  private final Connections connections;
  private final Transactions tx;
  private final AccountStore accounts;
  private final KeyPackageStore keyPackages;
  private final DeliveryQueue queue;
  private final GroupStore groups;
  private final BlobIndex blobs;
  private final KeyLogStore keyLog;

  JdbcStore(Connections connections, Dialect dialect, StoreLimits limits, Clock clock) {
    this.connections = connections;
    this.tx = Transactions.start(connections, dialect);
    this.accounts = new JdbcAccountStore(tx, limits, clock);
    this.keyPackages = new JdbcKeyPackageStore(tx, limits, clock);
    this.queue = new JdbcDeliveryQueue(tx, limits, clock);
    this.groups = new JdbcGroupStore(tx, limits, clock);
    this.blobs = new JdbcBlobIndex(tx, clock);
    this.keyLog = new JdbcKeyLogStore(tx);
  }

  /** Applies pending migrations; called once, before the store is handed out. */
  void migrate(Clock clock) {
    Migrations.apply(tx, Migrations.load(tx.dialect().migrationLocation()), clock);
  }

  Transactions transactions() {
    return tx;
  }

  @Override
  public AccountStore accounts() {
    return accounts;
  }

  @Override
  public KeyPackageStore keyPackages() {
    return keyPackages;
  }

  @Override
  public DeliveryQueue queue() {
    return queue;
  }

  @Override
  public GroupStore groups() {
    return groups;
  }

  @Override
  public BlobIndex blobs() {
    return blobs;
  }

  @Override
  public KeyLogStore keyLog() {
    return keyLog;
  }

  @Override
  public <T> T atomically(Supplier<T> work) {
    Objects.requireNonNull(work, "work");
    return tx.write(c -> work.get());
  }

  @Override
  public void close() {
    tx.close();
    connections.close();
  }
}
