package dev.workorder;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * An open work-order database ({@code wo_db}). Every call is one transaction in the library and
 * is atomic; one Database may be shared by threads (the library serialises the calls), and
 * several processes may open the same file. Close it last: closing closes the cursors still
 * open on it first, as the C ABI requires.
 *
 * <p>Failures throw a {@link WorkOrderException} subclass whose message names the field and the
 * value; a call that throws changed nothing.
 */
public final class Database extends Handle {
  /** The ids {@link #orgCreate} returns: the new org and its first admin. */
  public record NewOrg(long orgId, long adminId) {}

  private final Set<RecordCursor> cursors = Collections.newSetFromMap(new IdentityHashMap<>());
  // Every clock callback ever installed: JNA frees a callback's native trampoline when the Java
  // object is collected, and a call already running on another thread may still be using the
  // previous clock right after it is replaced. They are few and tiny; they go with the Database.
  private final List<WorkOrderNative.ClockFn> clocks = new ArrayList<>();
  private volatile Throwable clockFailure;

  private Database(Pointer db) {
    super(db, "database");
  }

  /** Opens or creates the database at {@code path} (":memory:" for a private in-memory one), synchronous=FULL. */
  public static Database open(String path) {
    return open(path, false, 0);
  }

  /**
   * Opens or creates the database at {@code path} and migrates an older schema.
   *
   * @param syncNormal synchronous=NORMAL: faster, but a power loss may drop the last commits
   * @param busyTimeoutMs how long a call waits for another writer; 0 = the default (5000)
   * @throws SchemaTooNewException the file was written by a newer library (it is left untouched)
   */
  public static Database open(String path, boolean syncNormal, int busyTimeoutMs) {
    PointerByReference out = new PointerByReference();
    int flags = syncNormal ? WorkOrderNative.WO_OPEN_SYNC_NORMAL : 0;
    WorkOrderException.check(WorkOrderNative.wo_db_open(out, path, flags, busyTimeoutMs));
    return new Database(out.getValue());
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
    WorkOrderException.check(ops.create.call(id, pointer(), Handle.of(actor), Handle.of(fields)));
    return id.getValue();
  }

  /** Updates the given fields of record {@code id} of {@code kind}. */
  public void update(String kind, Actor actor, long id, Input fields) {
    Catalog.Ops ops = Catalog.of(kind);
    if (ops.update == null) throw new IllegalArgumentException(kind + " records cannot be updated");
    WorkOrderException.check(ops.update.call(pointer(), Handle.of(actor), id, Handle.of(fields)));
  }

  /** Deactivates ({@code false}) or reactivates ({@code true}) record {@code id}; history keeps it. */
  public void setActive(String kind, Actor actor, long id, boolean active) {
    Catalog.Ops ops = Catalog.of(kind);
    if (ops.setActive == null) throw new IllegalArgumentException(kind + " records cannot be (de)activated");
    WorkOrderException.check(ops.setActive.call(pointer(), Handle.of(actor), id, active ? 1 : 0));
  }

  /** Record {@code id} of {@code kind}; NotFoundException if absent or not visible to the actor. */
  public Record get(String kind, Actor actor, long id) {
    Catalog.Ops ops = Catalog.of(kind);
    PointerByReference out = new PointerByReference();
    WorkOrderException.check(ops.get.call(out, pointer(), Handle.of(actor), id));
    return Record.take(out.getValue());
  }

  /** The org's records of {@code kind} in id order; {@code filter} (may be null) holds equality filters. */
  public RecordCursor list(String kind, Actor actor, Input filter) {
    Catalog.Ops ops = Catalog.of(kind);
    PointerByReference out = new PointerByReference();
    WorkOrderException.check(ops.list.call(out, pointer(), Handle.of(actor), Handle.of(filter)));
    return track(out.getValue());
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
    WorkOrderException.check(
        WorkOrderNative.wo_org_create(orgId, adminId, pointer(), Handle.of(actor), Handle.of(org), Handle.of(admin)));
    return new NewOrg(orgId.getValue(), adminId.getValue());
  }

  /** Updates an org's name and/or time_zone. Actor: an admin of the org. */
  public void orgUpdate(Actor actor, long orgId, Input fields) {
    WorkOrderException.check(WorkOrderNative.wo_org_update(pointer(), Handle.of(actor), orgId, Handle.of(fields)));
  }

  /** The org record (id, name, time_zone, currency, created_at). */
  public Record orgGet(Actor actor, long orgId) {
    PointerByReference out = new PointerByReference();
    WorkOrderException.check(WorkOrderNative.wo_org_get(out, pointer(), Handle.of(actor), orgId));
    return Record.take(out.getValue());
  }

  /** Every org by id. Actor: the system actor. */
  public RecordCursor orgList(Actor actor) {
    PointerByReference out = new PointerByReference();
    WorkOrderException.check(WorkOrderNative.wo_org_list(out, pointer(), Handle.of(actor)));
    return track(out.getValue());
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
    WorkOrderException.check(
        WorkOrderNative.wo_labor_rate_resolve(rate, pointer(), Handle.of(actor), laborItemId, staffId));
    return rate.getValue();
  }

  /** The actor's org's work-order settings (an "order_settings" record). */
  public Record settingsGet(Actor actor) {
    PointerByReference out = new PointerByReference();
    WorkOrderException.check(WorkOrderNative.wo_settings_get(out, pointer(), Handle.of(actor)));
    return Record.take(out.getValue());
  }

  /** Updates the given work-order settings. Actor: an admin. */
  public void settingsUpdate(Actor actor, Input fields) {
    WorkOrderException.check(WorkOrderNative.wo_settings_update(pointer(), Handle.of(actor), Handle.of(fields)));
  }

  /** Enables or disables payment channel {@code channel} ({@link WorkOrder#CHANNEL_WECHAT}, …). */
  public void channelSetEnabled(Actor actor, int channel, boolean enabled) {
    WorkOrderException.check(
        WorkOrderNative.wo_channel_set_enabled(pointer(), Handle.of(actor), channel, enabled ? 1 : 0));
  }

  /** The org's payment_channel records (channel, enabled), one per channel. */
  public RecordCursor channelList(Actor actor) {
    PointerByReference out = new PointerByReference();
    WorkOrderException.check(WorkOrderNative.wo_channel_list(out, pointer(), Handle.of(actor)));
    return track(out.getValue());
  }

  // ---- database ------------------------------------------------------------------------------

  /** The schema version of the file (PRAGMA user_version). */
  public int schemaVersion() {
    IntByReference out = new IntByReference();
    WorkOrderException.check(WorkOrderNative.wo_db_schema_version(out, pointer()));
    return out.getValue();
  }

  /** The current time of the database's clock, Unix milliseconds (UTC). */
  public long now() {
    LongByReference out = new LongByReference();
    WorkOrderException.check(WorkOrderNative.wo_db_now(out, pointer()));
    return out.getValue();
  }

  /**
   * Replaces the clock every time rule reads; {@code null} restores the system clock. The
   * supplier returns Unix milliseconds and may be called from any thread using this Database.
   * The C clock cannot report a failure: if the supplier throws, that reading falls back to the
   * system clock and the exception is kept for {@link #takeClockFailure()}.
   */
  public void setClock(LongSupplier clock) {
    Pointer db = pointer();
    if (clock == null) {
      WorkOrderException.check(WorkOrderNative.wo_db_set_clock(db, null, null));
      return;
    }
    WorkOrderNative.ClockFn fn = ctx -> {
      try {
        return clock.getAsLong();
      } catch (Throwable t) {
        clockFailure = t;
        return System.currentTimeMillis();
      }
    };
    synchronized (clocks) {
      clocks.add(fn);
    }
    WorkOrderException.check(WorkOrderNative.wo_db_set_clock(db, fn, null));
  }

  /** The last exception thrown by the clock supplier since the previous call, or null. */
  public Throwable takeClockFailure() {
    Throwable t = clockFailure;
    clockFailure = null;
    return t;
  }

  private RecordCursor track(Pointer iter) {
    RecordCursor cursor = new RecordCursor(iter, this);
    synchronized (cursors) {
      cursors.add(cursor);
    }
    return cursor;
  }

  void forget(RecordCursor cursor) {
    synchronized (cursors) {
      cursors.remove(cursor);
    }
  }

  /** Closes the cursors still open on this database, then the database. */
  @Override
  public void close() {
    List<RecordCursor> open;
    synchronized (cursors) {
      open = new ArrayList<>(cursors);
    }
    for (RecordCursor c : open) c.close();
    super.close();
  }

  @Override
  void free(Pointer p) {
    WorkOrderNative.wo_db_free(p);
    synchronized (clocks) {
      clocks.clear();
    }
  }
}
