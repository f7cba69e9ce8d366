// SPDX-License-Identifier: MIT
package dev.workorder;

/**
 * A failed call into libworkorder: {@link #code()} is the C ABI's status code (WO_E*) and the
 * message is {@code wo_errmsg()} read right after the failing call on the same thread, naming
 * the field and the value. Each code has its own subclass ({@link NotFoundException},
 * {@link InvalidArgumentException}, …); {@link #of} picks it. Nothing was changed by a call that
 * threw.
 */
public class WorkOrderException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int code;

  public WorkOrderException(int code, String message) {
    super(message);
    this.code = code;
  }

  /** The status code, one of {@code WorkOrderNative.WO_E*}. */
  public final int code() {
    return code;
  }

  /** The static English text of the code ({@code wo_strerror}), e.g. "not found". */
  public final String description() {
    return WorkOrder.strerror(code);
  }

  /** The exception for a status code and message; an unknown code gives this base class. */
  public static WorkOrderException of(int code, String message) {
    switch (code) {
      case WorkOrderNative.WO_ENOTFOUND: return new NotFoundException(message);
      case WorkOrderNative.WO_EINVALID: return new InvalidArgumentException(message);
      case WorkOrderNative.WO_ESTATE: return new InvalidStateException(message);
      case WorkOrderNative.WO_EFORBIDDEN: return new ForbiddenException(message);
      case WorkOrderNative.WO_ECONFLICT: return new ConflictException(message);
      case WorkOrderNative.WO_ESLOTFULL: return new SlotFullException(message);
      case WorkOrderNative.WO_ESLOTUNAVAILABLE: return new SlotUnavailableException(message);
      case WorkOrderNative.WO_EGRABLIMIT: return new GrabLimitException(message);
      case WorkOrderNative.WO_EOUTOFSTOCK: return new OutOfStockException(message);
      case WorkOrderNative.WO_EPAYMENT: return new PaymentMismatchException(message);
      case WorkOrderNative.WO_ECHANNEL: return new ChannelDisabledException(message);
      case WorkOrderNative.WO_EBUSY: return new BusyException(message);
      case WorkOrderNative.WO_ESTORAGE: return new StorageException(message);
      case WorkOrderNative.WO_ESCHEMA: return new SchemaTooNewException(message);
      case WorkOrderNative.WO_EOVERFLOW: return new OverflowException(message);
      case WorkOrderNative.WO_EINTERNAL: return new InternalException(message);
      case WorkOrderNative.WO_ESLOTHORIZON: return new SlotBeyondHorizonException(message);
      case WorkOrderNative.WO_ESLOTTOOEARLY: return new SlotTooEarlyException(message);
      case WorkOrderNative.WO_EABORTED: return new AbortedException(message);
      case WorkOrderNative.WO_EINELIGIBLE: return new IneligibleException(message);
      case WorkOrderNative.WO_ENULL: return new NullFieldException(message);
      default: return new WorkOrderException(code, message);
    }
  }

  /**
   * Throws for a status that is not WO_OK, with wo_errmsg() read now. Call it right after the
   * native call, on the same thread, with no other wo_* call in between.
   */
  static void check(int status) {
    if (status != WorkOrderNative.WO_OK) throw last(status);
  }

  /** The exception for a failed status, with wo_errmsg() read now (same thread, no call between). */
  static WorkOrderException last(int status) {
    String message = WorkOrderNative.wo_errmsg();
    if (message == null || message.isEmpty()) message = WorkOrderNative.wo_strerror(status);
    return of(status, message);
  }
}
