// SPDX-License-Identifier: MIT
package dev.workorder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * The per-test setup every database test shares: a fresh {@link Fixture} (one org and its admin
 * on the run's backend, {@link TestDb}) before each test, closed and removed after it. A test
 * class extends this, or {@link ShopTest} for the order world of {@link Shop}; JUnit runs these
 * methods before a subclass's own {@code @BeforeEach} and after its {@code @AfterEach}.
 */
abstract class FixtureTest {
  @TempDir Path dir;
  Fixture f;
  Database db;

  @BeforeEach
  final void openFixture() {
    f = createFixture(dir);
    db = f.db;
  }

  /** The fixture for one test; ShopTest makes a Shop around it. */
  Fixture createFixture(Path dir) {
    return Fixture.create(dir);
  }

  @AfterEach
  final void closeFixture() {
    if (f != null) f.close();
  }

  /** What a failed call must leave as it was; {@link #fails} compares it before and after. */
  Object snapshot() {
    return f.snapshot();
  }

  /**
   * Runs {@code call}, which must throw exactly {@code type} (whose code maps back to it), with
   * a message mentioning every word, and change nothing ({@link #snapshot()}).
   */
  <E extends WorkOrderException> E fails(Class<E> type, Executable call, String... mentions) {
    Object before = snapshot();
    E e = assertThrows(type, call);
    assertSame(type, e.getClass(), "exactly " + type.getSimpleName() + ": " + e.getMessage());
    assertSame(type, WorkOrderException.of(e.code(), "").getClass(), "code " + e.code() + " maps to " + type.getSimpleName());
    for (String word : mentions) assertTrue(e.getMessage().contains(word), "'" + e.getMessage() + "' should mention " + word);
    assertEquals(before, snapshot(), "a failed call changes nothing");
    return e;
  }
}
