package io.pyralog.examples;

import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.TableResult;

/**
 * A Flink SQL job over Pyralog topics: it reads click events (JSON) from one topic, counts the
 * views of each page in ten-second tumbling windows of event time, and writes one row per window
 * and page to another topic. The click table is bounded (it stops at the end the topic had when
 * the job started), so the job ends once every window has been written.
 */
public final class PageViewsPerWindow {
  private PageViewsPerWindow() {}

  /** Declares the two tables in {@code tables}. */
  public static void createTables(TableEnvironment tables, String bootstrap, String clicksTopic,
      String viewsTopic) {
    tables.executeSql("CREATE TABLE clicks ("
        + "  user_id STRING,"
        + "  page STRING,"
        + "  ts TIMESTAMP(3),"
        + "  WATERMARK FOR ts AS ts - INTERVAL '1' SECOND"
        + ") WITH ("
        + "  'connector' = 'pyralog',"
        + "  'bootstrap' = '" + bootstrap + "',"
        + "  'topic' = '" + clicksTopic + "',"
        + "  'format' = 'json',"
        + "  'scan.startup.mode' = 'earliest-offset',"
        + "  'scan.bounded.mode' = 'latest-offset'"
        + ")");
    tables.executeSql("CREATE TABLE page_views ("
        + "  window_start TIMESTAMP(3),"
        + "  window_end TIMESTAMP(3),"
        + "  page STRING,"
        + "  view_count BIGINT"
        + ") WITH ("
        + "  'connector' = 'pyralog',"
        + "  'bootstrap' = '" + bootstrap + "',"
        + "  'topic' = '" + viewsTopic + "',"
        + "  'format' = 'json'"
        + ")");
  }

  /** Starts the job; it runs until the click table's end. */
  public static TableResult start(TableEnvironment tables) {
    return tables.executeSql("INSERT INTO page_views "
        + "SELECT window_start, window_end, page, COUNT(*) AS view_count "
        + "FROM TABLE(TUMBLE(TABLE clicks, DESCRIPTOR(ts), INTERVAL '10' SECOND)) "
        + "GROUP BY window_start, window_end, page");
  }
}
