// SPDX-License-Identifier: MIT
package dev.workorder;

/** Library-wide calls and the C ABI's enumerations as named constants. */
public final class WorkOrder {
  private WorkOrder() {}

  /** The library's version, "MAJOR.MINOR.PATCH" ({@code wo_version}). */
  public static String version() {
    return WorkOrderNative.wo_version();
  }

  /** The library's version as MAJOR * 1000000 + MINOR * 1000 + PATCH ({@code wo_libversion_number}). */
  public static int versionNumber() {
    return WorkOrderNative.wo_libversion_number();
  }

  /** Static English text for a status code ({@code wo_strerror}): "not found", …; never null. */
  public static String strerror(int code) {
    return WorkOrderNative.wo_strerror(code);
  }

  /** Staff roles, a bit mask (WO_ROLE_*). */
  public static final int ROLE_ADMIN = 1;
  public static final int ROLE_DISPATCHER = 2;
  public static final int ROLE_TECHNICIAN = 4;

  /** tenant.tenant_kind (WO_TENANT_*). */
  public static final int TENANT_PERSON = 0;
  public static final int TENANT_COMPANY = 1;

  /** subtype.charge_mode (WO_CHARGE_*). */
  public static final int CHARGE_FREE = 0;
  public static final int CHARGE_AFTER_COMPLETION = 1;
  public static final int CHARGE_PREPAY_DEPOSIT = 2;
  public static final int CHARGE_PREPAY_FULL = 3;

  /** payment_channel.channel (WO_CHANNEL_*). */
  public static final int CHANNEL_WECHAT = 0;
  public static final int CHANNEL_ALIPAY = 1;
  public static final int CHANNEL_CORPORATE = 2;
  public static final int CHANNEL_CASH = 3;
  public static final int CHANNEL_BANK_TRANSFER = 4;
  public static final int CHANNEL_OTHER = 5;

  /** stock_movement.movement_kind (WO_MOVEMENT_*). */
  public static final int MOVEMENT_REQUISITION = 0;
  public static final int MOVEMENT_ADJUSTMENT = 1;
  public static final int MOVEMENT_RESERVE = 2;
  public static final int MOVEMENT_RELEASE = 3;
  public static final int MOVEMENT_CONSUME = 4;

  /** order.status (WO_STATUS_*). */
  public static final int STATUS_AWAITING_PREPAYMENT = 0;
  public static final int STATUS_PENDING_DISPATCH = 1;
  public static final int STATUS_PENDING_ACCEPT = 2;
  public static final int STATUS_IN_PROGRESS = 3;
  public static final int STATUS_AWAITING_PAYMENT = 4;
  public static final int STATUS_AWAITING_RATING = 5;
  public static final int STATUS_COMPLETED = 6;
  public static final int STATUS_CANCELLED = 7;

  /** event.action (WO_ACTION_*). */
  public static final int ACTION_SUBMIT = 0;
  public static final int ACTION_PAY_PREPAYMENT = 1;
  public static final int ACTION_ASSIGN = 2;
  public static final int ACTION_GRAB = 3;
  public static final int ACTION_ACCEPT = 4;
  public static final int ACTION_REJECT = 5;
  public static final int ACTION_TRANSFER = 6;
  public static final int ACTION_ADD_LINE = 7;
  public static final int ACTION_REMOVE_LINE = 8;
  public static final int ACTION_FINISH = 9;
  public static final int ACTION_PAY = 10;
  public static final int ACTION_REFUND = 11;
  public static final int ACTION_RATE = 12;
  public static final int ACTION_REOPEN = 13;
  public static final int ACTION_CANCEL = 14;
  public static final int ACTION_MESSAGE = 15;
  public static final int ACTION_PREPAYMENT_TIMEOUT = 16;
  public static final int ACTION_ACCEPT_TIMEOUT = 17;
  public static final int ACTION_RATING_TIMEOUT = 18;
  public static final int ACTION_RESCHEDULE = 19;

  /** order.source_channel (WO_SOURCE_*). */
  public static final int SOURCE_TENANT_APP = 0;
  public static final int SOURCE_MINI_PROGRAM = 1;
  public static final int SOURCE_H5 = 2;
  public static final int SOURCE_STAFF_MOBILE = 3;
  public static final int SOURCE_STAFF_PC = 4;
  public static final int SOURCE_API = 5;

  /** order.payer (WO_PAYER_*). */
  public static final int PAYER_TENANT = 0;
  public static final int PAYER_ENTERPRISE = 1;

  /** charge_line.line_kind (WO_LINE_*). */
  public static final int LINE_LABOR = 0;
  public static final int LINE_MATERIAL = 1;
  public static final int LINE_SERVICE_ITEM = 2;

  /** payment.payment_kind (WO_PAYMENT_*). */
  public static final int PAYMENT_PREPAYMENT = 0;
  public static final int PAYMENT_PAYMENT = 1;
  public static final int PAYMENT_REFUND = 2;

  /** An order query's status_mask bit for {@code status} ({@code WO_STATUS_BIT}); or them together. */
  public static int statusBit(int status) {
    if (status < STATUS_AWAITING_PREPAYMENT || status > STATUS_CANCELLED)
      throw new IllegalArgumentException("status " + status + " is not a WO_STATUS_* value");
    return 1 << status;
  }

  /** The views of {@link Database#orderList} (WO_VIEW_*). */
  public static final int VIEW_ALL = 0;
  public static final int VIEW_TENANT_TODO = 1;
  public static final int VIEW_SUBMITTED_BY_ME = 2;
  public static final int VIEW_MY_TASKS = 3;
  public static final int VIEW_POOL = 4;

  /** The tables of a {@link Dashboard} (WO_DASHBOARD_*). */
  public static final int DASHBOARD_TYPES = 0;
  public static final int DASHBOARD_SUBTYPES = 1;
  public static final int DASHBOARD_DAYS = 2;
  public static final int DASHBOARD_STAFF = 3;

  /** event.concerns: whom a history event concerns (WO_AUDIENCE_*); event.concerns_id names them. */
  public static final int AUDIENCE_NOBODY = 0;
  public static final int AUDIENCE_STAFF = 1;
  public static final int AUDIENCE_CONTACT = 2;
  public static final int AUDIENCE_DISPATCHERS = 3;

  /** event.actor_kind and order.created_by_kind (WO_ACTOR_*). */
  public static final int ACTOR_SYSTEM = 0;
  public static final int ACTOR_STAFF = 1;
  public static final int ACTOR_CONTACT = 2;
}
