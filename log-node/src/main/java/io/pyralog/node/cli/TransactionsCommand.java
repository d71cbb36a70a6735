package io.pyralog.node.cli;

import io.pyralog.client.PyralogClient;
import io.pyralog.client.TransactionHandle;
import io.pyralog.common.protocol.Actions.TransactionInfo;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code pyralog transactions list|abort}, for operators, like Kafka's kafka-transactions.sh. */
@Command(name = "transactions", mixinStandardHelpOptions = true,
    description = "List transactional ids and abort an open transaction.",
    subcommands = {TransactionsCommand.ListTransactions.class, TransactionsCommand.Abort.class})
final class TransactionsCommand {

  @Command(name = "list", mixinStandardHelpOptions = true,
      description = "One line per transactional id: its producer id, epoch, state, number of "
          + "partitions, timeout and when its transaction started.")
  static final class ListTransactions implements Callable<Integer> {
    @Mixin ClientOptions client;
    @Option(names = "--prefix", description = "Only ids that start with this.")
    String prefix;
    @Option(names = "--open", description = "Only ids with an unfinished transaction (ONGOING "
        + "or PREPARE_*), which hold back read_committed readers.")
    boolean open;

    @Override
    public Integer call() {
      try (PyralogClient c = client.connect()) {
        List<TransactionInfo> all = c.admin().listTransactions(prefix, open);
        System.out.printf("%-40s %12s %6s %-16s %10s %12s  %s%n", "TRANSACTIONAL ID",
            "PRODUCER ID", "EPOCH", "STATE", "PARTITIONS", "TIMEOUT MS", "STARTED");
        for (TransactionInfo t : all) {
          System.out.printf("%-40s %12d %6d %-16s %10d %12d  %s%n", t.transactionalId(),
              t.producerId(), t.producerEpoch(), t.state(), t.partitions(), t.timeoutMs(),
              Instant.ofEpochMilli(t.startedMs()));
        }
      }
      return 0;
    }
  }

  @Command(name = "abort", mixinStandardHelpOptions = true,
      description = "Abort the open transaction of a transactional id and fence its producer, "
          + "for instance one whose application is gone and whose open transaction holds back "
          + "read_committed readers until its timeout.")
  static final class Abort implements Callable<Integer> {
    @Mixin ClientOptions client;
    @Parameters(index = "0", paramLabel = "TRANSACTIONAL_ID") String transactionalId;

    @Override
    public Integer call() {
      try (PyralogClient c = client.connect()) {
        TransactionHandle h = c.admin().fenceTransactionalId(transactionalId, null);
        System.out.println("Transactional id " + transactionalId + " has nothing open now "
            + "(producer id " + h.producerId() + ", epoch " + h.producerEpoch() + ").");
      }
      return 0;
    }
  }
}
