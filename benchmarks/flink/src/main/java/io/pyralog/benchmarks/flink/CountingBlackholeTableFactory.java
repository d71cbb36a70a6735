package io.pyralog.benchmarks.flink;

import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.table.connector.ChangelogMode;
import org.apache.flink.table.connector.sink.DynamicTableSink;
import org.apache.flink.table.connector.sink.SinkV2Provider;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.factories.DynamicTableSinkFactory;
import org.apache.flink.table.factories.FactoryUtil;

/**
 * {@code 'connector' = 'counting-blackhole'}: Flink's {@code blackhole} sink, which drops every
 * row, except that it counts them, so that a benchmark run can check it read every row. The
 * count is per JVM: the jobs run in a MiniCluster inside the benchmark's own process.
 */
public final class CountingBlackholeTableFactory implements DynamicTableSinkFactory {
  public static final String IDENTIFIER = "counting-blackhole";

  private static final AtomicLong ROWS = new AtomicLong();

  /** Rows dropped since the last call, by every job of this JVM; resets the count. */
  public static long takeCount() {
    return ROWS.getAndSet(0);
  }

  @Override
  public String factoryIdentifier() {
    return IDENTIFIER;
  }

  @Override
  public Set<ConfigOption<?>> requiredOptions() {
    return Set.of();
  }

  @Override
  public Set<ConfigOption<?>> optionalOptions() {
    return Set.of();
  }

  @Override
  public DynamicTableSink createDynamicTableSink(Context context) {
    FactoryUtil.createTableFactoryHelper(this, context).validate();
    return new TableSink();
  }

  private static final class TableSink implements DynamicTableSink {
    @Override
    public ChangelogMode getChangelogMode(ChangelogMode requestedMode) {
      return ChangelogMode.insertOnly();
    }

    @Override
    public SinkRuntimeProvider getSinkRuntimeProvider(Context context) {
      return SinkV2Provider.of(new CountingSink());
    }

    @Override
    public DynamicTableSink copy() {
      return new TableSink();
    }

    @Override
    public String asSummaryString() {
      return IDENTIFIER;
    }
  }

  private static final class CountingSink implements Sink<RowData> {
    private static final long serialVersionUID = 1L;

    @Override
    public SinkWriter<RowData> createWriter(WriterInitContext context) {
      return new CountingWriter();
    }
  }

  /** Counts in a plain field and adds to the JVM's count when the input ends. */
  private static final class CountingWriter implements SinkWriter<RowData> {
    private long rows;

    @Override
    public void write(RowData row, Context context) {
      rows++;
    }

    @Override
    public void flush(boolean endOfInput) {
      ROWS.addAndGet(rows);
      rows = 0;
    }

    @Override
    public void close() {
      ROWS.addAndGet(rows);
      rows = 0;
    }
  }
}
