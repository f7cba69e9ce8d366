// SPDX-License-Identifier: MIT
package dev.workorder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every status code becomes its own exception subclass, carrying the code and message. */
class ExceptionMappingTest {
  static List<Object[]> codes() {
    return List.of(
        new Object[] {1, NotFoundException.class},
        new Object[] {2, InvalidArgumentException.class},
        new Object[] {3, InvalidStateException.class},
        new Object[] {4, ForbiddenException.class},
        new Object[] {5, ConflictException.class},
        new Object[] {6, SlotFullException.class},
        new Object[] {7, SlotUnavailableException.class},
        new Object[] {8, GrabLimitException.class},
        new Object[] {9, OutOfStockException.class},
        new Object[] {10, PaymentMismatchException.class},
        new Object[] {11, ChannelDisabledException.class},
        new Object[] {12, BusyException.class},
        new Object[] {13, StorageException.class},
        new Object[] {14, SchemaTooNewException.class},
        new Object[] {15, OverflowException.class},
        new Object[] {16, InternalException.class},
        new Object[] {17, SlotBeyondHorizonException.class},
        new Object[] {18, SlotTooEarlyException.class},
        new Object[] {19, AbortedException.class},
        new Object[] {20, IneligibleException.class},
        new Object[] {21, NullFieldException.class});
  }

  @ParameterizedTest(name = "code {0} -> {1}")
  @MethodSource("codes")
  void eachCodeHasItsSubclass(int code, Class<? extends WorkOrderException> type) {
    WorkOrderException e = WorkOrderException.of(code, "field x is bad");
    assertSame(type, e.getClass());
    assertEquals(code, e.code());
    assertEquals("field x is bad", e.getMessage());
    assertEquals(WorkOrder.strerror(code), e.description());
    assertTrue(e instanceof RuntimeException);
  }

  @Test
  void everyHeaderStatusCodeHasItsSubclass() {
    // The codes, not the list above: a code added to WorkOrderNative without a subclass fails here.
    for (int code = WorkOrderNative.WO_ENOTFOUND; code <= WorkOrderNative.WO_ENULL; code++)
      assertTrue(WorkOrderException.of(code, "").getClass() != WorkOrderException.class, "code " + code);
  }

  @Test
  void anUnknownCodeGivesTheBaseClass() {
    WorkOrderException e = WorkOrderException.of(77, "new code");
    assertSame(WorkOrderException.class, e.getClass());
    assertEquals(77, e.code());
  }

  @Test
  void aFailedCallCarriesTheLibrarysMessage() {
    // wo_actor_staff(0) fails in C with WO_EINVALID and a message naming the argument.
    InvalidArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
        InvalidArgumentException.class, () -> Actor.staff(0));
    assertEquals(WorkOrderNative.WO_EINVALID, e.code());
    assertEquals("staff_id 0 is not a valid id", e.getMessage());
  }
}
