// SPDX-License-Identifier: MIT
package dev.workorder;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.ref.Reference;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * An open work-order database ({@code wo_db}). Every call is one transaction in the library and
 * is atomic; one Database may be shared by threads (the library serialises the calls), and
 * several processes may open the same database (a SQLite file or a PostgreSQL one). Closing it
 * also closes the cursors still open on it (so a forgotten cursor cannot keep the file open; the
 * C library itself would keep the database alive until its last iterator is freed), each after
 * a page read running on it on another thread, and every one of them even if one fails.
 *
 * <p>Failures throw a {@link WorkOrderException} subclass whose message names the field and the
 * value; a call that throws changed nothing.
 *
 * <p>A Database forgotten without {@link #close()} is closed (with its cursors) once it and its
 * cursors are unreachable; an open cursor keeps its Database from being collected.
 */
public final class Database extends Handle {
  /** The ids {@link #orgCreate} returns: the new org and its first admin. */
  public record NewOrg(long orgId, long adminId) {}

  /**
   * What the C db holds on to, kept apart from the Database so the Cleaner can free it: the
   * cursors still open (closed first) and the installed clock callback (JNA frees a callback's
   * native code once the Java object is collected, so it must live as long as C may call it).
   */
  private static final class DbResource extends Resource {
    final Set<Resource> cursors = ConcurrentHashMap.newKeySet();
    // Written under the DbResource's lock, with wo_db_set_clock.
    WorkOrderNative.ClockFn clock;
    // Shared with the clock callback, which must not refer to the Database.
    final AtomicReference<Throwable> clockFailure = new AtomicReference<>();

    DbResource(Pointer db) {
      super(db, WorkOrderNative::wo_db_free);
    }

    @Override
    void release(Pointer db) {
      RuntimeException failure = null;
      try {
        for (Resource c : cursors) {
          try {
            c.run(); // a cursor removes itself; waits for a read running on it
          } catch (RuntimeException e) { // the other cursors are freed all the same
            if (failure == null) failure = e;
            else failure.addSuppressed(e);
          }
        }
      } finally {
        super.release(db);
        synchronized (this) {
          clock = null;
        }
      }
      if (failure != null) throw failure; // unexpected (a cursor's free does not throw): report it, all freed
    }
  }

  private final DbResource state;

  private Database(DbResource state) {
    super(state, "database");
    this.state = state;
  }

  /** {@link #open(String, boolean, int)} with synchronous=FULL and the default busy timeout. */
  public static Database open(String path) {
    return open(path, false, 0);
  }

  /**
   * Opens or creates a database and migrates an older schema. {@code path} is a SQLite file
   * path (":memory:" for a private in-memory database) or a PostgreSQL connection URI,
   * {@code postgresql://…} or {@code postgres://…} (e.g.
   * {@code postgresql:///repairs?host=/var/run/postgresql}), one connection per Database. The
   * password comes from the URI or libpq's usual environment (PGPASSWORD, ~/.pgpass) and is
   * never part of an exception message.
   *
   * @param syncNormal SQLite synchronous=NORMAL, PostgreSQL synchronous_commit=off: faster, but
   *     a power loss or server crash may drop the last commits
   * @param busyTimeoutMs how long a call waits for another writer (on PostgreSQL the
   *     lock_timeout and the budget for retrying a serialisation failure); 0 = the default (5000)
   * @throws StorageException the file cannot be opened or the server cannot be reached (the
   *     message names the path, or the host and database)
   * @throws SchemaTooNewException the database was written by a newer library (it is left
   *     untouched)
   */
  public static Database open(String path, boolean syncNormal, int busyTimeoutMs) {
    PointerByReference out = new PointerByReference();
    int flags = syncNormal ? WorkOrderNative.WO_OPEN_SYNC_NORMAL : 0;
    WorkOrderException.check(WorkOrderNative.wo_db_open(out, path, flags, busyTimeoutMs));
    return new Database(new DbResource(out.getValue()));
  }

  // ---- the settings catalog and stock movements, by kind ------------------------------------

  /** The kinds the generic calls accept: department, position, staff, …, material, stock_movement. */
  public static Set<String> kinds() {
    return Catalog.kinds();
  }

  /** Creates a record of {@code kind} from {@code fields}; returns its id. */
  public long create(String kind, Actor actor, Input fields) {
    Catalog.Ops ops = Catalog.of(kind);
    LongByReference id = new LongByReference();
    check(ops.create.call(id, pointer(), Handle.of(actor), Handle.of(fields)), this, actor, fields);
    return id.getValue();
  }

  /** Updates the given fields of record {@code id} of {@code kind}. */
  public void update(String kind, Actor actor, long id, Input fields) {
    Catalog.Ops ops = Catalog.of(kind);
    if (ops.update == null) throw new IllegalArgumentException(kind + " records cannot be updated");
    check(ops.update.call(pointer(), Handle.of(actor), id, Handle.of(fields)), this, actor, fields);
  }

  /** Deactivates ({@code false}) or reactivates ({@code true}) record {@code id}; history keeps it. */
  public void setActive(String kind, Actor actor, long id, boolean active) {
    Catalog.Ops ops = Catalog.of(kind);
    if (ops.setActive == null) throw new IllegalArgumentException(kind + " records cannot be (de)activated");
    check(ops.setActive.call(pointer(), Handle.of(actor), id, active ? 1 : 0), this, actor);
  }

  /** Record {@code id} of {@code kind}; NotFoundException if absent or not visible to the actor. */
  public Record get(String kind, Actor actor, long id) {
    Catalog.Ops ops = Catalog.of(kind);
    PointerByReference out = new PointerByReference();
    check(ops.get.call(out, pointer(), Handle.of(actor), id), this, actor);
    return Record.take(out.getValue());
  }

  /** The org's records of {@code kind} in id order; {@code filter} (may be null) holds equality filters. */
  public RecordCursor list(String kind, Actor actor, Input filter) {
    Catalog.Ops ops = Catalog.of(kind);
    PointerByReference out = new PointerByReference();
    check(ops.list.call(out, pointer(), Handle.of(actor), Handle.of(filter)), this, actor, filter);
    return new RecordCursor(out.getValue(), this);
  }

  /** Every record of {@code kind} the actor may see, in id order. */
  public RecordCursor list(String kind, Actor actor) {
    return list(kind, actor, null);
  }

  // ---- organisations ------------------------------------------------------------------------

  /**
   * Creates an org with its default settings, its payment channels (all disabled) and its first
   * admin. Actor: the system actor. org: name, time_zone (IANA), currency (default "CNY");
   * admin: name, phone, roles.
   */
  public NewOrg orgCreate(Actor actor, Input org, Input admin) {
    LongByReference orgId = new LongByReference();
    LongByReference adminId = new LongByReference();
    check(
        WorkOrderNative.wo_org_create(orgId, adminId, pointer(), Handle.of(actor), Handle.of(org), Handle.of(admin)),
        this, actor, org, admin);
    return new NewOrg(orgId.getValue(), adminId.getValue());
  }

  /** Updates an org's name and/or time_zone. Actor: an admin of the org. */
  public void orgUpdate(Actor actor, long orgId, Input fields) {
    check(WorkOrderNative.wo_org_update(pointer(), Handle.of(actor), orgId, Handle.of(fields)), this, actor, fields);
  }

  /** The org record (id, name, time_zone, currency, created_at). */
  public Record orgGet(Actor actor, long orgId) {
    PointerByReference out = new PointerByReference();
    check(WorkOrderNative.wo_org_get(out, pointer(), Handle.of(actor), orgId), this, actor);
    return Record.take(out.getValue());
  }

  /** Every org by id. Actor: the system actor. */
  public RecordCursor orgList(Actor actor) {
    PointerByReference out = new PointerByReference();
    check(WorkOrderNative.wo_org_list(out, pointer(), Handle.of(actor)), this, actor);
    return new RecordCursor(out.getValue(), this);
  }

  // ---- stock movements ----------------------------------------------------------------------

  /** Records a requisition or adjustment and moves the material's stock; returns the movement id. */
  public long stockMovementCreate(Actor actor, Input fields) {
    return create("stock_movement", actor, fields);
  }

  public Record stockMovementGet(Actor actor, long id) {
    return get("stock_movement", actor, id);
  }

  /** Stock movements; filter (may be null) on material_id, movement_kind, order_id. */
  public RecordCursor stockMovementList(Actor actor, Input filter) {
    return list("stock_movement", actor, filter);
  }

  // ---- labor rates, settings, payment channels ----------------------------------------------

  /** The hourly rate of labor item {@code laborItemId} for staff {@code staffId}, in minor units. */
  public long laborRateResolve(Actor actor, long laborItemId, long staffId) {
    LongByReference rate = new LongByReference();
    check(
        WorkOrderNative.wo_labor_rate_resolve(rate, pointer(), Handle.of(actor), laborItemId, staffId), this, actor);
    return rate.getValue();
  }

  /** The actor's org's work-order settings (an "order_settings" record). */
  public Record settingsGet(Actor actor) {
    PointerByReference out = new PointerByReference();
    check(WorkOrderNative.wo_settings_get(out, pointer(), Handle.of(actor)), this, actor);
    return Record.take(out.getValue());
  }

  /** Updates the given work-order settings. Actor: an admin. */
  public void settingsUpdate(Actor actor, Input fields) {
    check(WorkOrderNative.wo_settings_update(pointer(), Handle.of(actor), Handle.of(fields)), this, actor, fields);
  }

  /** Enables or disables payment channel {@code channel}. */
  public void channelSetEnabled(Actor actor, Channel channel, boolean enabled) {
    check(WorkOrderNative.wo_channel_set_enabled(pointer(), Handle.of(actor), code(channel, "channel"),
        enabled ? 1 : 0), this, actor);
  }

  /** The org's payment_channel records (channel, enabled), one per channel. */
  public RecordCursor channelList(Actor actor) {
    PointerByReference out = new PointerByReference();
    check(WorkOrderNative.wo_channel_list(out, pointer(), Handle.of(actor)), this, actor);
    return new RecordCursor(out.getValue(), this);
  }

  // ---- work orders: the life cycle ----------------------------------------------------------
  // Each call is one transition of the life-cycle table (docs/lifecycle.md), one transaction and
  // one history event. Common failures: NotFoundException (no such order, or the actor may not
  // see it), InvalidStateException (not allowed in the order's status), ForbiddenException
  // (allowed, but not for this actor), InvalidArgumentException (the message names the field).

  /**
   * Submits an order; returns its id. Draft fields: subtype_id, description, address,
   * source_channel (required); spec_id (required for prepaid subtypes), unit_ref, tenant_id,
   * reporter_phone, payer (staff only), client_token, slot_start (exactly when the subtype has
   * a schedule) and up to 9 {@code attachments} ({@link Input#add}). A repeat with a
   * client_token this actor already used returns the first order's id and changes nothing.
   *
   * @throws SlotUnavailableException slot_start is not a slot of the schedule
   * @throws SlotTooEarlyException the slot starts before now + the lead time
   * @throws SlotBeyondHorizonException the slot is beyond the booking horizon
   * @throws SlotFullException the slot is full
   */
  public long orderSubmit(Actor actor, Input draft) {
    LongByReference id = new LongByReference();
    check(WorkOrderNative.wo_order_submit(id, pointer(), Handle.of(actor), Handle.of(draft)), this, actor, draft);
    return id.getValue();
  }

  /**
   * Records the prepayment (payment fields: channel, amount = the prepayment due,
   * provider_txn_id). Actor: the reporter, or a dispatcher/admin recording an offline payment.
   *
   * @throws PaymentMismatchException the amount is not the prepayment due
   * @throws ChannelDisabledException the channel is not enabled for the org
   * @throws ConflictException the provider_txn_id was recorded with another amount or order
   */
  public void orderPayPrepayment(Actor actor, long orderId, Input payment) {
    check(
        WorkOrderNative.wo_order_pay_prepayment(pointer(), Handle.of(actor), orderId, Handle.of(payment)),
        this, actor, payment);
  }

  /** {@link #orderPayPrepayment(Actor, long, Input)} with the payment's fields; providerTxnId may be null. */
  public void orderPayPrepayment(Actor actor, long orderId, Channel channel, long amount, String providerTxnId) {
    try (Input payment = payment(channel, amount, providerTxnId)) {
      orderPayPrepayment(actor, orderId, payment);
    }
  }

  /**
   * Assigns a pending_dispatch order to {@code staffId} (→ pending_accept). Actor: a
   * dispatcher or admin. {@code force} overrides eligibility and the grab limit.
   *
   * @throws GrabLimitException the staff member holds the most orders allowed
   */
  public void orderAssign(Actor actor, long orderId, long staffId, boolean force) {
    check(
        WorkOrderNative.wo_order_assign(pointer(), Handle.of(actor), orderId, staffId, force ? 1 : 0), this, actor);
  }

  /**
   * Grabs a pending_dispatch order (→ in_progress). Actor: an eligible technician, with grabbing
   * enabled; of simultaneous grabs one wins and the others get InvalidStateException.
   *
   * @throws GrabLimitException the technician holds the most orders allowed
   */
  public void orderGrab(Actor actor, long orderId) {
    check(WorkOrderNative.wo_order_grab(pointer(), Handle.of(actor), orderId), this, actor);
  }

  /** Accepts an assigned order (pending_accept → in_progress). Actor: the assignee. */
  public void orderAccept(Actor actor, long orderId) {
    check(WorkOrderNative.wo_order_accept(pointer(), Handle.of(actor), orderId), this, actor);
  }

  /** Rejects an assigned order (→ pending_dispatch, assignee cleared). Actor: the assignee; reason required. */
  public void orderReject(Actor actor, long orderId, String reason) {
    check(
        WorkOrderNative.wo_order_reject(pointer(), Handle.of(actor), orderId, Input.checkText("reason", reason)),
        this, actor);
  }

  /**
   * Transfers an order in pending_accept or in_progress to {@code staffId} (→ pending_accept);
   * charge lines stay. Actor: the assignee, or a dispatcher/admin (only they may force).
   */
  public void orderTransfer(Actor actor, long orderId, long staffId, String reason, boolean force) {
    check(WorkOrderNative.wo_order_transfer(
        pointer(), Handle.of(actor), orderId, staffId, Input.checkText("reason", reason), force ? 1 : 0), this, actor);
  }

  /**
   * Adds a charge line to an in_progress order; returns the line id. Line fields: line_kind
   * ({@link LineKind}), item_id, qty (thousandths). Actor: the assignee.
   *
   * @throws OutOfStockException not enough of the material: a requisition is needed
   * @throws OverflowException the amount does not fit 64 bits
   */
  public long orderAddLine(Actor actor, long orderId, Input line) {
    LongByReference id = new LongByReference();
    check(
        WorkOrderNative.wo_order_add_line(id, pointer(), Handle.of(actor), orderId, Handle.of(line)),
        this, actor, line);
    return id.getValue();
  }

  /** {@link #orderAddLine(Actor, long, Input)} with the line's fields; qty in thousandths (1.5 h = 1500). */
  public long orderAddLine(Actor actor, long orderId, LineKind lineKind, long itemId, long qty) {
    try (Input line = new Input().set("line_kind", lineKind).set("item_id", itemId).set("qty", qty)) {
      return orderAddLine(actor, orderId, line);
    }
  }

  /** Removes a charge line of an in_progress order, releasing reserved stock. Actor: the assignee. */
  public void orderRemoveLine(Actor actor, long orderId, long lineId) {
    check(WorkOrderNative.wo_order_remove_line(pointer(), Handle.of(actor), orderId, lineId), this, actor);
  }

  /**
   * Finishes an in_progress order: materials are consumed, the bill is fixed, and it goes to
   * awaiting_payment (a balance is owed), awaiting_rating (tenant reporter) or completed (staff
   * reporter). Actor: the assignee, a dispatcher or an admin.
   */
  public void orderFinish(Actor actor, long orderId) {
    check(WorkOrderNative.wo_order_finish(pointer(), Handle.of(actor), orderId), this, actor);
  }

  /**
   * Records a payment towards the balance of an awaiting_payment order (fields as for the
   * prepayment); partial payments add up. Actor: the reporter, or a dispatcher/admin.
   *
   * @throws PaymentMismatchException more than the balance
   * @throws ChannelDisabledException the channel is not enabled
   */
  public void orderPay(Actor actor, long orderId, Input payment) {
    check(WorkOrderNative.wo_order_pay(pointer(), Handle.of(actor), orderId, Handle.of(payment)), this, actor, payment);
  }

  /** {@link #orderPay(Actor, long, Input)} with the payment's fields; providerTxnId may be null. */
  public void orderPay(Actor actor, long orderId, Channel channel, long amount, String providerTxnId) {
    try (Input payment = payment(channel, amount, providerTxnId)) {
      orderPay(actor, orderId, payment);
    }
  }

  /**
   * Records a refund the host paid out, at most the refund due. Actor: a dispatcher or admin.
   *
   * @throws PaymentMismatchException more than the refund due
   */
  public void orderRefund(Actor actor, long orderId, Input refund) {
    check(WorkOrderNative.wo_order_refund(pointer(), Handle.of(actor), orderId, Handle.of(refund)),
        this, actor, refund);
  }

  /** {@link #orderRefund(Actor, long, Input)} with the refund's fields; providerTxnId may be null. */
  public void orderRefund(Actor actor, long orderId, Channel channel, long amount, String providerTxnId) {
    try (Input refund = payment(channel, amount, providerTxnId)) {
      orderRefund(actor, orderId, refund);
    }
  }

  /** Rates an awaiting_rating order 1..5 (→ completed). Actor: the reporter; comment may be null. */
  public void orderRate(Actor actor, long orderId, int score, String comment) {
    check(WorkOrderNative.wo_order_rate(
        pointer(), Handle.of(actor), orderId, score, Input.checkText("comment", comment)), this, actor);
  }

  /**
   * Reopens an awaiting_rating order, or a completed one within the reopen window
   * (→ pending_dispatch; lines and payments stay). Actor: the reporter; reason required.
   */
  public void orderReopen(Actor actor, long orderId, String reason) {
    check(
        WorkOrderNative.wo_order_reopen(pointer(), Handle.of(actor), orderId, Input.checkText("reason", reason)),
        this, actor);
  }

  /**
   * Cancels an order before work starts (the reporter, a dispatcher or an admin) or in progress
   * (an admin). The slot and reserved stock are released; whatever was paid becomes a refund due.
   */
  public void orderCancel(Actor actor, long orderId, String reason) {
    check(
        WorkOrderNative.wo_order_cancel(pointer(), Handle.of(actor), orderId, Input.checkText("reason", reason)),
        this, actor);
  }

  /** Adds a message (1..2000 characters) to the order's history. Actor: the reporter, the assignee, a dispatcher or an admin. */
  public void orderMessage(Actor actor, long orderId, String text) {
    check(
        WorkOrderNative.wo_order_message(pointer(), Handle.of(actor), orderId, Input.checkText("text", text)),
        this, actor);
  }

  /**
   * The staff member the order type's dispatch strategy would assign the pending_dispatch order
   * to now; empty when the type is dispatched by hand ({@link DispatchStrategy#MANUAL}) or no
   * eligible, active technician under the grab limit is left who has not turned the order down.
   * Changes nothing. Actor: a dispatcher or admin.
   *
   * @throws NotFoundException no such order, or the actor may not see it
   * @throws InvalidStateException the order is not pending_dispatch
   * @throws ForbiddenException the actor is not a dispatcher or admin
   * @throws InvalidArgumentException a bad argument (the message names it)
   * @throws BusyException the database stayed locked past the busy timeout
   * @throws StorageException the database failed
   * @throws InternalException a bug in the library
   */
  public OptionalLong orderDispatchPreview(Actor actor, long orderId) {
    LongByReference staff = new LongByReference();
    check(WorkOrderNative.wo_order_dispatch_preview(staff, pointer(), Handle.of(actor), orderId), this, actor);
    // The C ABI's 0 means "no one": ids start at 1.
    return staff.getValue() == 0 ? OptionalLong.empty() : OptionalLong.of(staff.getValue());
  }

  /**
   * Runs the timers of every org as of {@code nowMs} (prepayment, accept and rating timeouts)
   * and sends the service-level alerts due ({@link Action#SLA_WARNING}, {@link
   * Action#SLA_BREACH}); returns how many orders changed or were alerted. Actor: the system
   * actor. Call it periodically. Each batch of 100 orders is its own transaction: if a later
   * batch fails, the earlier ones stay done.
   */
  public long tick(Actor actor, long nowMs) {
    LongByReference changed = new LongByReference();
    check(WorkOrderNative.wo_tick(changed, pointer(), Handle.of(actor), nowMs), this, actor);
    return changed.getValue();
  }

  /** {@link #tick(Actor, long)} as the system actor. */
  public long tick(long nowMs) {
    try (Actor system = Actor.system()) {
      return tick(system, nowMs);
    }
  }

  /** {@link #tick(Actor, long)} as the system actor at the database clock's {@link #now()}. */
  public long tick() {
    return tick(now());
  }

  /** The order record (docs/records.md "order") with its bill: total, owed, balance, refund_due. */
  public Record orderGet(Actor actor, long orderId) {
    PointerByReference out = new PointerByReference();
    check(WorkOrderNative.wo_order_get(out, pointer(), Handle.of(actor), orderId), this, actor);
    return Record.take(out.getValue());
  }

  /** The order's attachments in submission order ("attachment" records: id, value). */
  public RecordCursor orderAttachments(Actor actor, long orderId) {
    PointerByReference out = new PointerByReference();
    check(WorkOrderNative.wo_order_attachments(out, pointer(), Handle.of(actor), orderId), this, actor);
    return new RecordCursor(out.getValue(), this);
  }

  /** The order's charge lines ("charge_line" records), removed ones included (removed = 1). */
  public RecordCursor orderLines(Actor actor, long orderId) {
    PointerByReference out = new PointerByReference();
    check(WorkOrderNative.wo_order_lines(out, pointer(), Handle.of(actor), orderId), this, actor);
    return new RecordCursor(out.getValue(), this);
  }

  /** The order's prepayments, payments and refunds ("payment" records). */
  public RecordCursor orderPayments(Actor actor, long orderId) {
    PointerByReference out = new PointerByReference();
    check(WorkOrderNative.wo_order_payments(out, pointer(), Handle.of(actor), orderId), this, actor);
    return new RecordCursor(out.getValue(), this);
  }

  /** The order's history events ("event" records) with id > {@code afterEventId}, oldest first. */
  public RecordCursor orderTimeline(Actor actor, long orderId, long afterEventId) {
    PointerByReference out = new PointerByReference();
    check(
        WorkOrderNative.wo_order_timeline(out, pointer(), Handle.of(actor), orderId, afterEventId), this, actor);
    return new RecordCursor(out.getValue(), this);
  }

  /** The order's whole history, oldest first. */
  public RecordCursor orderTimeline(Actor actor, long orderId) {
    return orderTimeline(actor, orderId, 0);
  }

  private static Input payment(Channel channel, long amount, String providerTxnId) {
    Input in = new Input();
    try {
      in.set("channel", channel).set("amount", amount);
      if (providerTxnId != null) in.set("provider_txn_id", providerTxnId);
      return in;
    } catch (RuntimeException e) {
      in.close();
      throw e;
    }
  }

  // ---- appointment slots ----------------------------------------------------------------------

  /**
   * Creates or replaces the slot schedule of subtype {@code subtypeId}. Actor: an admin.
   * Fields: days ("mon,tue,…"), windows ("08:00-12:00,13:30-18:00"), slot_minutes, capacity,
   * horizon_days, lead_minutes. On create all but lead_minutes are required; on replace, fields
   * not given keep their values. Existing bookings are never cancelled.
   */
  public void scheduleSet(Actor actor, long subtypeId, Input fields) {
    check(
        WorkOrderNative.wo_schedule_set(pointer(), Handle.of(actor), subtypeId, Handle.of(fields)),
        this, actor, fields);
  }

  /** The subtype's schedule (a "slot_schedule" record, days and windows normalised); NotFoundException if none. */
  public Record scheduleGet(Actor actor, long subtypeId) {
    PointerByReference out = new PointerByReference();
    check(WorkOrderNative.wo_schedule_get(out, pointer(), Handle.of(actor), subtypeId), this, actor);
    return Record.take(out.getValue());
  }

  /** Removes the subtype's schedule; booked orders keep their slots. Actor: an admin. */
  public void scheduleClear(Actor actor, long subtypeId) {
    check(WorkOrderNative.wo_schedule_clear(pointer(), Handle.of(actor), subtypeId), this, actor);
  }

  /**
   * Every slot of the subtype whose org-local start date is in [{@code from}, {@code to}] (at
   * most 62 days), in time order: "slot" records with start, end (Unix ms), local_start (ISO
   * 8601 with offset), capacity, booked and available (0 when full, too early or beyond the
   * horizon). A null date reaches the library and fails with InvalidArgumentException.
   */
  public RecordCursor slotAvailability(Actor actor, long subtypeId, LocalDate from, LocalDate to) {
    return slotAvailability(actor, subtypeId, from == null ? null : from.toString(), to == null ? null : to.toString());
  }

  /** {@link #slotAvailability(Actor, long, LocalDate, LocalDate)} with "YYYY-MM-DD" dates. */
  public RecordCursor slotAvailability(Actor actor, long subtypeId, String fromDate, String toDate) {
    PointerByReference out = new PointerByReference();
    check(WorkOrderNative.wo_slot_availability(out, pointer(), Handle.of(actor), subtypeId,
        Input.checkText("from_date", fromDate), Input.checkText("to_date", toDate)), this, actor);
    return new RecordCursor(out.getValue(), this);
  }

  /**
   * Moves the order's booking to the slot starting at {@code slotStart} (Unix ms): the new slot
   * is booked and the old released, or nothing changes. Allowed before in_progress, for the
   * reporter, a dispatcher or an admin. Fails like {@link #orderSubmit}'s slot checks, and with
   * InvalidStateException when the order has no slot or work has started.
   */
  public void orderReschedule(Actor actor, long orderId, long slotStart) {
    check(WorkOrderNative.wo_order_reschedule(pointer(), Handle.of(actor), orderId, slotStart), this, actor);
  }

  // ---- views, order records, dashboard and the event feed -------------------------------------
  // Queries are an "order_query" Input (null = no filters): status_mask (OrderStatus.mask),
  // order_type_id, subtype_id, assignee_id, tenant_id, reporter_contact_id, reporter_staff_id,
  // created_from, created_to (Unix ms, [from, to)), text (number prefix or description text).

  /**
   * The orders of {@code view} ({@link OrderView#ALL}, …) narrowed by {@code query}, newest
   * first: "order" records with their bill, as {@link #orderGet} gives them. {@code cursor}
   * (null or "" = from the start) continues after an earlier {@link OrderCursor#cursor()};
   * {@code pageSize} (1..200) orders are read per round trip. Every error is thrown here.
   *
   * @throws ForbiddenException a view the actor may not use (a contact's pool, …)
   * @throws InvalidArgumentException an unknown view, a bad cursor, page size or query field
   */
  public OrderCursor orderList(Actor actor, OrderView view, Input query, String cursor, int pageSize) {
    PointerByReference out = new PointerByReference();
    String start = cursor == null ? "" : cursor;
    check(WorkOrderNative.wo_order_list(out, pointer(), Handle.of(actor), code(view, "view"), Handle.of(query),
        Input.checkText("cursor", start), pageSize), this, actor, query);
    return new OrderCursor(out.getValue(), this, start);
  }

  /** {@link #orderList(Actor, OrderView, Input, String, int)} from the start, unfiltered, 50 per page. */
  public OrderCursor orderList(Actor actor, OrderView view) {
    return orderList(actor, view, null, null, 50);
  }

  /**
   * The order records (订单记录) of {@code query} the actor may see, oldest first: "order_record"
   * records (number, order_type, subtype, content, status, reporter, responsible, created_at,
   * accepted_at, finished_at, completed_at, result, total, paid, refunded, balance). cursor and
   * pageSize as for {@link #orderList}; the cursors of one list are refused by the other.
   */
  public OrderCursor orderRecords(Actor actor, Input query, String cursor, int pageSize) {
    PointerByReference out = new PointerByReference();
    String start = cursor == null ? "" : cursor;
    check(WorkOrderNative.wo_order_records(out, pointer(), Handle.of(actor), Handle.of(query),
        Input.checkText("cursor", start), pageSize), this, actor, query);
    return new OrderCursor(out.getValue(), this, start);
  }

  /** Every order record the actor may see, oldest first, 50 per page. */
  public OrderCursor orderRecords(Actor actor) {
    return orderRecords(actor, null, null, 50);
  }

  /**
   * Streams the order records of {@code query} as RFC 4180 CSV (UTF-8, header line, CRLF,
   * org-local ISO 8601 times, amounts in major units), oldest first, handing each chunk to
   * {@code sink}; returns the number of bytes handed over. A sink that returns false stops the
   * export with {@link AbortedException}; an exception thrown by the sink stops it and is
   * rethrown (with the AbortedException suppressed in it). The sink runs inside the library's
   * read transaction and must not call back into this Database.
   */
  public long exportCsv(Actor actor, Input query, Predicate<byte[]> sink) {
    if (sink == null) throw new IllegalArgumentException("sink is null");
    Throwable[] failure = new Throwable[1];
    long[] written = new long[1];
    WorkOrderNative.WriteFn fn = (ctx, data, len) -> {
      try {
        byte[] chunk = len > 0 ? data.getByteArray(0, Math.toIntExact(len)) : new byte[0];
        if (!sink.test(chunk)) return 1;
        written[0] += len;
        return 0;
      } catch (Throwable t) { // nothing may cross back into C
        failure[0] = t;
        return 2;
      }
    };
    int status = WorkOrderNative.wo_export_csv(pointer(), Handle.of(actor), Handle.of(query), fn, null);
    Reference.reachabilityFence(fn);
    Reference.reachabilityFence(this);
    Reference.reachabilityFence(actor);
    Reference.reachabilityFence(query);
    if (status != WorkOrderNative.WO_OK) {
      WorkOrderException e = WorkOrderException.last(status);
      if (failure[0] == null) throw e;
      failure[0].addSuppressed(e);
      if (failure[0] instanceof RuntimeException) throw (RuntimeException) failure[0];
      if (failure[0] instanceof Error) throw (Error) failure[0];
      throw new RuntimeException(failure[0]);
    }
    return written[0];
  }

  /** {@link #exportCsv(Actor, Input, Predicate)} into {@code out}; an IOException from it stops the export and is rethrown. */
  public long exportCsv(Actor actor, Input query, OutputStream out) throws IOException {
    if (out == null) throw new IllegalArgumentException("out is null");
    IOException[] failure = new IOException[1];
    try {
      return exportCsv(actor, query, chunk -> {
        try {
          out.write(chunk);
          return true;
        } catch (IOException e) {
          failure[0] = e;
          return false;
        }
      });
    } catch (AbortedException e) {
      if (failure[0] == null) throw e;
      failure[0].addSuppressed(e);
      throw failure[0];
    }
  }

  /**
   * The dashboard (数据看板) of orders created in [{@code fromMs}, {@code toMs}), read whole.
   * Actor: an admin or a dispatcher.
   *
   * @throws ForbiddenException not an admin or dispatcher
   * @throws InvalidArgumentException toMs &lt;= fromMs, or a range the dashboard refuses
   */
  public Dashboard dashboard(Actor actor, long fromMs, long toMs) {
    PointerByReference out = new PointerByReference();
    check(WorkOrderNative.wo_dashboard_get(out, pointer(), Handle.of(actor), fromMs, toMs), this, actor);
    Pointer d = out.getValue();
    try {
      WorkOrderException.check(WorkOrderNative.wo_dashboard_summary(out, d));
      Record summary = Record.copy(out.getValue()); // borrowed from the dashboard
      List<List<Record>> tables = new ArrayList<>();
      for (DashboardTable table : DashboardTable.values()) { // in code order: types, subtypes, days, staff
        WorkOrderException.check(WorkOrderNative.wo_dashboard_rows(out, d, table.code()));
        tables.add(List.copyOf(new RecordCursor(out.getValue(), this).toList()));
      }
      return new Dashboard(summary, tables.get(0), tables.get(1), tables.get(2), tables.get(3));
    } finally {
      WorkOrderNative.wo_dashboard_free(d);
    }
  }

  /** The order's messages, oldest first ("event" records with action MESSAGE, the text in details). */
  public RecordCursor orderMessages(Actor actor, long orderId) {
    PointerByReference out = new PointerByReference();
    check(WorkOrderNative.wo_order_messages(out, pointer(), Handle.of(actor), orderId), this, actor);
    return new RecordCursor(out.getValue(), this);
  }

  /**
   * History events with id &gt; {@code afterEventId}, ascending (the event feed, for pushing
   * notifications): every event of the org for admins and dispatchers, of every org for the
   * system actor, those that concern them (concerns / concerns_id, {@link Audience#STAFF}, …) for
   * technicians and contacts; read {@code concerns} with {@code getEnum("concerns", Audience.class)}.
   */
  public RecordCursor eventsAfter(Actor actor, long afterEventId) {
    PointerByReference out = new PointerByReference();
    check(WorkOrderNative.wo_event_feed(out, pointer(), Handle.of(actor), afterEventId), this, actor);
    return new RecordCursor(out.getValue(), this);
  }

  // ---- database ------------------------------------------------------------------------------

  /** The database's schema version (the migrations applied to it). */
  public int schemaVersion() {
    IntByReference out = new IntByReference();
    check(WorkOrderNative.wo_db_schema_version(out, pointer()), this);
    return out.getValue();
  }

  /** The current time of the database's clock, Unix milliseconds (UTC). */
  public long now() {
    LongByReference out = new LongByReference();
    check(WorkOrderNative.wo_db_now(out, pointer()), this);
    return out.getValue();
  }

  /**
   * Replaces the clock every time rule reads; {@code null} restores the system clock. The
   * supplier returns Unix milliseconds and may be called from any thread using this Database.
   * The C clock cannot report a failure: if the supplier throws, that reading falls back to the
   * system clock and the exception is kept for {@link #takeClockFailure()}. Only the installed
   * supplier is kept: replacing or clearing it lets the previous one be collected (the library
   * calls a clock under a lock that wo_db_set_clock also takes, so once this returns, no call
   * is still running the old one).
   */
  public void setClock(LongSupplier clock) {
    WorkOrderNative.ClockFn fn = clock == null ? null : clockFn(clock, state.clockFailure);
    synchronized (state) { // the clock kept is the one installed last
      check(WorkOrderNative.wo_db_set_clock(pointer(), fn, null), this, fn);
      state.clock = fn;
    }
  }

  // Static: the callback refers to the supplier and the failure slot, never to the Database.
  private static WorkOrderNative.ClockFn clockFn(LongSupplier clock, AtomicReference<Throwable> failure) {
    return ctx -> {
      try {
        return clock.getAsLong();
      } catch (Throwable t) { // nothing may cross back into C
        failure.set(t);
        return System.currentTimeMillis();
      }
    };
  }

  /** The last exception thrown by the clock supplier since the previous call, or null. */
  public Throwable takeClockFailure() {
    return state.clockFailure.getAndSet(null);
  }

  /** The callback installed by {@link #setClock}, or null (for the tests). */
  WorkOrderNative.ClockFn installedClock() {
    synchronized (state) {
      return state.clock;
    }
  }

  /** Where a new cursor on this database registers, so closing the database closes it. */
  Set<Resource> openCursors() {
    return state.cursors;
  }

  /** A Java enum's C code; IllegalArgumentException naming {@code what} for null. */
  private static int code(CodedEnum value, String what) {
    if (value == null) throw new IllegalArgumentException(what + " is null");
    return value.code();
  }
}
