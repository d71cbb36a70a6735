package io.pyralog.flink.sink;

import io.pyralog.common.annotation.Internal;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first failure of a writer's asynchronous sends, kept until the writer's task thread can
 * throw it: at the next element, flush or checkpoint.
 */
@Internal
public final class SendErrors {
  private static final Logger LOG = LoggerFactory.getLogger(SendErrors.class);

  private final String topic;
  private final AtomicReference<Throwable> first = new AtomicReference<>();

  public SendErrors(String topic) {
    this.topic = topic;
  }

  /** Records a failed send; only the first is kept and logged. */
  public void failed(Throwable error) {
    if (first.compareAndSet(null, error)) {
      LOG.error("Writing to topic '{}' failed: {}", topic, error.getMessage());
    }
  }

  /** Throws the first failure, if any. */
  public void check() throws IOException {
    Throwable e = first.get();
    if (e != null) {
      throw new IOException("A record could not be written to topic '" + topic + "': "
          + e.getMessage(), e);
    }
  }
}
