package io.pyralog.flink.source.reader;

import io.pyralog.client.ArrowBatch;

/**
 * One row of a fetched batch: the element the split reader hands to the emitter. The fetch reuses
 * one instance for all its rows, so it is valid only until the next row.
 */
public final class PyralogRow {
  private ArrowBatch batch;
  private int row;

  void set(ArrowBatch batch, int row) {
    this.batch = batch;
    this.row = row;
  }

  public ArrowBatch batch() {
    return batch;
  }

  public int row() {
    return row;
  }

  public long offset() {
    return batch.offset(row);
  }
}
