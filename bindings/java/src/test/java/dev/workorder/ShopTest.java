// SPDX-License-Identifier: MIT
package dev.workorder;

import java.nio.file.Path;

/** A {@link FixtureTest} whose fixture is a {@link Shop}: the world the order tests share. */
abstract class ShopTest extends FixtureTest {
  Shop s;

  @Override
  final Fixture createFixture(Path dir) {
    s = new Shop(dir);
    return s.f;
  }

  @Override
  Object snapshot() {
    return s.snapshot();
  }
}
