// SPDX-License-Identifier: MIT
package dev.workorder;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fresh, empty database on the backend of the run, and the only place the tests learn which
 * backend that is: SQLite (a file in the test's temp directory) unless the environment variable
 * {@code WO_TEST_POSTGRES} holds a PostgreSQL server URI (ctest's {@code java_binding:pg} sets
 * it). On PostgreSQL it is a schema of its own on that server, made and dropped by running
 * {@code psql}, and {@link #location} is the URI with {@code search_path} set to it.
 */
final class TestDb implements AutoCloseable {
  static final String SERVER = System.getenv().getOrDefault("WO_TEST_POSTGRES", "");
  private static final AtomicInteger COUNTER = new AtomicInteger();

  /** What {@link Database#open} takes: a file path or a URI. */
  final String location;
  private final Path file; // SQLite
  private final String schema; // PostgreSQL
  private boolean dropped;

  static boolean onPostgres() {
    return !SERVER.isEmpty();
  }

  /** A new database; {@code dir} holds it on SQLite. */
  static TestDb create(Path dir) {
    int n = COUNTER.getAndIncrement();
    if (!onPostgres()) return new TestDb(dir.resolve("wo" + n + ".db").toString(), dir.resolve("wo" + n + ".db"), null);
    // Digits, lower-case letters and _ only: the name needs no quoting in SQL or in the URI.
    String schema = "t_java_" + ProcessHandle.current().pid() + "_" + n;
    psql(SERVER, "CREATE SCHEMA " + schema);
    String uri = SERVER + (SERVER.contains("?") ? "&" : "?") + "options=-csearch_path%3D" + schema;
    return new TestDb(uri, null, schema);
  }

  /** A new SQLite file in {@code dir}, whatever the run's backend (the benchmark's). */
  static TestDb sqlite(Path dir) {
    Path file = dir.resolve("wo" + COUNTER.getAndIncrement() + ".db");
    return new TestDb(file.toString(), file, null);
  }

  private TestDb(String location, Path file, String schema) {
    this.location = location;
    this.file = file;
    this.schema = schema;
  }

  /** Whether anything of the database exists yet: the file, or a table in the schema. */
  boolean exists() {
    if (file != null) return Files.exists(file);
    return !sql("SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()").equals("0");
  }

  /** PostgreSQL only: runs {@code sql} in this database's schema and returns psql's output. */
  String sql(String sql) {
    if (schema == null) throw new IllegalStateException("not a PostgreSQL test database");
    return psql(location, sql);
  }

  /**
   * PostgreSQL only: another client (a psql process) runs {@code lockSql} in a transaction of its
   * own and keeps that transaction, with every lock it took, open until the returned handle is
   * closed. Returns once the locks are held.
   */
  AutoCloseable holdLocks(String lockSql) throws InterruptedException {
    if (schema == null) throw new IllegalStateException("not a PostgreSQL test database");
    // The marker finds the holder's session in pg_stat_activity (whose query is the whole string).
    String marker = "wo_lock_holder_" + schema;
    String busy = "SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'PgSleep' AND query LIKE '%" + marker
        + "%' AND pid <> pg_backend_pid()";
    Process p;
    try {
      p = new ProcessBuilder("psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", location, "-c",
          "BEGIN; " + lockSql + "; SELECT pg_sleep(120) AS " + marker + "; COMMIT")
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot run psql (Debian: postgresql-client)", e);
    }
    for (int i = 0; !psql(location, busy).equals("1"); i++) {
      if (!p.isAlive() || i > 600) {
        p.destroyForcibly();
        throw new IllegalStateException("psql did not take the locks of " + lockSql);
      }
      Thread.sleep(50);
    }
    return () -> {
      // Ending the session is what releases the locks; killing psql alone would leave the
      // server sleeping until it next writes to the socket.
      psql(location, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE '%" + marker
          + "%' AND pid <> pg_backend_pid()");
      p.waitFor(60, TimeUnit.SECONDS);
      p.destroyForcibly();
    };
  }

  /** Removes the database (the Database handles on it must be closed). Idempotent. */
  @Override
  public void close() {
    if (dropped) return;
    dropped = true;
    if (schema != null) {
      psql(SERVER, "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    } else {
      for (String suffix : List.of("", "-wal", "-shm", "-journal")) {
        try {
          Files.deleteIfExists(Path.of(file + suffix));
        } catch (IOException e) {
          throw new IllegalStateException("cannot remove " + file + suffix, e);
        }
      }
    }
  }

  /**
   * Runs one statement with psql on the database {@code location} names; returns its output
   * (unaligned, tuples only, trimmed) or throws with psql's message.
   */
  static String psql(String location, String sql) {
    ProcessBuilder pb = new ProcessBuilder("psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", location, "-c", sql)
        .redirectErrorStream(true); // the error message, if any, is what to report
    try {
      Process p = pb.start();
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("psql did not finish: " + sql);
      }
      if (p.exitValue() != 0) throw new IllegalStateException("psql failed (" + p.exitValue() + ") on " + sql + ": " + out);
      return out;
    } catch (IOException e) {
      throw new IllegalStateException("cannot run psql (Debian: postgresql-client) for " + sql, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted running psql", e);
    }
  }
}
