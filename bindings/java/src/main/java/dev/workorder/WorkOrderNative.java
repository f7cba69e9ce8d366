// SPDX-License-Identifier: MIT
package dev.workorder;

import com.sun.jna.Callback;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;
import java.util.Map;

/**
 * The C ABI of libworkorder ({@code capi/include/workorder.h}), one direct-mapped native per
 * {@code WO_API} function, in the header's order and with the header's names.
 *
 * <p>Type mapping: {@code int}/{@code int32_t} and the enumeration types ({@code wo_channel},
 * {@code wo_view}, {@code wo_dashboard_table}: 32-bit C enums) → {@code int} (pass a Java enum's
 * {@link CodedEnum#code()}), {@code int64_t} → {@code long},
 * opaque handles ({@code wo_db*}, {@code const wo_actor*}, …) → {@link Pointer}, out-parameters
 * {@code int64_t*} / {@code int32_t*} / {@code T**} → {@link LongByReference} /
 * {@link IntByReference} / {@link PointerByReference} (the arrays of {@code wo_record_values}:
 * {@code int[]}, {@code long[]} and memory for the {@code const char*}s), {@code const char*} → {@link String}
 * encoded and decoded as UTF-8 (the library is registered with
 * {@link Library#OPTION_STRING_ENCODING} = UTF-8, whatever {@code jna.encoding} or the JVM's
 * default charset say). Text returned through a {@code const char**} out-parameter is borrowed
 * from its record: decode it with {@code getString(0, "UTF-8")} before freeing the record.
 *
 * <p>The library is loaded by its versioned name ({@link #libraryName()}, e.g. {@code
 * libworkorder.so.0}), so a library of another ABI is never picked up. JNA looks on {@code
 * jna.library.path}, then the system's paths, then the class path, where this binding's jar
 * carries the library under JNA's platform folder ({@code linux-x86-64/libworkorder.so.0}); the
 * system property {@code workorder.library} may name a file instead. This is the
 * raw layer: statuses are plain ints and nothing is freed for you. The rest of the package wraps
 * it ({@link Database}, {@link Actor}, {@link Input}, {@link Record}, {@link RecordCursor}).
 * {@code NativeBindingTest} checks this class against the header, function by function.
 */
public final class WorkOrderNative {
  private WorkOrderNative() {}

  /** The ABI version this binding calls: the library's SOVERSION. */
  public static final int ABI_VERSION = 0;

  /** The library's file name for this platform, versioned where the platform versions it. */
  public static String libraryName() {
    if (Platform.isMac()) {
      return "libworkorder." + ABI_VERSION + ".dylib";
    }
    if (Platform.isWindows()) {
      return "workorder";
    }
    return "libworkorder.so." + ABI_VERSION;
  }

  /** The encoding of every string crossing the C ABI. */
  public static final String ENCODING = "UTF-8";

  // Status codes (stable, never renumbered).
  public static final int WO_OK = 0;
  public static final int WO_ENOTFOUND = 1;
  public static final int WO_EINVALID = 2;
  public static final int WO_ESTATE = 3;
  public static final int WO_EFORBIDDEN = 4;
  public static final int WO_ECONFLICT = 5;
  public static final int WO_ESLOTFULL = 6;
  public static final int WO_ESLOTUNAVAILABLE = 7;
  public static final int WO_EGRABLIMIT = 8;
  public static final int WO_EOUTOFSTOCK = 9;
  public static final int WO_EPAYMENT = 10;
  public static final int WO_ECHANNEL = 11;
  public static final int WO_EBUSY = 12;
  public static final int WO_ESTORAGE = 13;
  public static final int WO_ESCHEMA = 14;
  public static final int WO_EOVERFLOW = 15;
  public static final int WO_EINTERNAL = 16;
  public static final int WO_ESLOTHORIZON = 17;
  public static final int WO_ESLOTTOOEARLY = 18;
  public static final int WO_EABORTED = 19;
  public static final int WO_EINELIGIBLE = 20;
  /** A null field read with wo_record_get_int / _get_text; the binding copies whole records and never sees it. */
  public static final int WO_ENULL = 21;
  public static final int WO_DONE = 100;

  // wo_record_field_type results (wo_field_type).
  public static final int WO_TYPE_NULL = 0;
  public static final int WO_TYPE_INT = 1;
  public static final int WO_TYPE_TEXT = 2;

  // wo_db_open flags (wo_open_flag).
  public static final int WO_OPEN_SYNC_NORMAL = 1;

  /** {@code typedef int64_t (*wo_clock_fn)(void* ctx)}: the current time in Unix ms, UTC. */
  public interface ClockFn extends Callback {
    long invoke(Pointer ctx);
  }

  /**
   * {@code typedef int (*wo_write_fn)(void* ctx, const char* data, int64_t len)}: the next
   * {@code len} bytes of a stream at {@code data} (not NUL-terminated, valid only during the
   * call); return 0 to go on, anything else to stop.
   */
  public interface WriteFn extends Callback {
    int invoke(Pointer ctx, Pointer data, long len);
  }

  static {
    String file = System.getProperty("workorder.library");
    String name = file != null && !file.isEmpty() ? file : libraryName();
    Map<String, Object> options = Map.of(Library.OPTION_STRING_ENCODING, ENCODING);
    Native.register(WorkOrderNative.class, NativeLibrary.getInstance(name, options));
  }

  // ---- versions and errors -----------------------------------------------------------------------
  public static native String wo_version();
  public static native int wo_libversion_number();
  public static native String wo_strerror(int code);
  public static native String wo_errmsg();

  // ---- database ----------------------------------------------------------------------------------
  public static native int wo_db_open(PointerByReference out, String path, int flags, int busyTimeoutMs);
  public static native void wo_db_free(Pointer db);
  public static native int wo_db_set_clock(Pointer db, ClockFn fn, Pointer ctx);
  public static native int wo_db_now(LongByReference out, Pointer db);
  public static native int wo_db_schema_version(IntByReference out, Pointer db);

  // ---- actors ------------------------------------------------------------------------------------
  public static native int wo_actor_system(PointerByReference out);
  public static native int wo_actor_staff(PointerByReference out, long staffId);
  public static native int wo_actor_contact(PointerByReference out, long contactId);
  public static native void wo_actor_free(Pointer actor);

  // ---- inputs ------------------------------------------------------------------------------------
  public static native int wo_input_new(PointerByReference out);
  public static native void wo_input_free(Pointer input);
  public static native int wo_input_set_int(Pointer input, String field, long value);
  public static native int wo_input_set_text(Pointer input, String field, String value);
  public static native int wo_input_add_text(Pointer input, String field, String value);
  public static native int wo_input_set_null(Pointer input, String field);

  // ---- records -----------------------------------------------------------------------------------
  public static native void wo_record_free(Pointer record);
  public static native String wo_record_kind(Pointer record);
  public static native int wo_record_field_count(Pointer record);
  public static native String wo_record_field_name(Pointer record, int index);
  public static native int wo_record_field_type(IntByReference out, Pointer record, String field);
  public static native int wo_record_get_int(LongByReference out, Pointer record, String field);
  public static native int wo_record_get_text(PointerByReference out, Pointer record, String field);
  public static native int wo_record_field_type_at(IntByReference out, Pointer record, int index);
  public static native int wo_record_get_int_at(LongByReference out, Pointer record, int index);
  public static native int wo_record_get_text_at(PointerByReference out, Pointer record, int index);
  /** typesOut and intsOut have room for count entries; textsOut is memory for count pointers. */
  public static native int wo_record_values(int[] typesOut, long[] intsOut, Pointer textsOut, Pointer record,
      int count);

  // ---- iterators ---------------------------------------------------------------------------------
  public static native int wo_iter_next(PointerByReference out, Pointer iter);
  public static native void wo_iter_free(Pointer iter);

  // ---- organisations -----------------------------------------------------------------------------
  public static native int wo_org_create(LongByReference orgOut, LongByReference adminOut, Pointer db, Pointer actor,
      Pointer org, Pointer admin);
  public static native int wo_org_update(Pointer db, Pointer actor, long orgId, Pointer fields);
  public static native int wo_org_get(PointerByReference out, Pointer db, Pointer actor, long orgId);
  public static native int wo_org_list(PointerByReference out, Pointer db, Pointer actor);

  // ---- the settings catalog: department ----------------------------------------------------------
  public static native int wo_department_create(LongByReference idOut, Pointer db, Pointer actor, Pointer fields);
  public static native int wo_department_update(Pointer db, Pointer actor, long id, Pointer fields);
  public static native int wo_department_set_active(Pointer db, Pointer actor, long id, int active);
  public static native int wo_department_get(PointerByReference out, Pointer db, Pointer actor, long id);
  public static native int wo_department_list(PointerByReference out, Pointer db, Pointer actor, Pointer filter);

  // ---- the settings catalog: position ------------------------------------------------------------
  public static native int wo_position_create(LongByReference idOut, Pointer db, Pointer actor, Pointer fields);
  public static native int wo_position_update(Pointer db, Pointer actor, long id, Pointer fields);
  public static native int wo_position_set_active(Pointer db, Pointer actor, long id, int active);
  public static native int wo_position_get(PointerByReference out, Pointer db, Pointer actor, long id);
  public static native int wo_position_list(PointerByReference out, Pointer db, Pointer actor, Pointer filter);

  // ---- the settings catalog: staff ---------------------------------------------------------------
  public static native int wo_staff_create(LongByReference idOut, Pointer db, Pointer actor, Pointer fields);
  public static native int wo_staff_update(Pointer db, Pointer actor, long id, Pointer fields);
  public static native int wo_staff_set_active(Pointer db, Pointer actor, long id, int active);
  public static native int wo_staff_get(PointerByReference out, Pointer db, Pointer actor, long id);
  public static native int wo_staff_list(PointerByReference out, Pointer db, Pointer actor, Pointer filter);

  // ---- the settings catalog: tenant --------------------------------------------------------------
  public static native int wo_tenant_create(LongByReference idOut, Pointer db, Pointer actor, Pointer fields);
  public static native int wo_tenant_update(Pointer db, Pointer actor, long id, Pointer fields);
  public static native int wo_tenant_set_active(Pointer db, Pointer actor, long id, int active);
  public static native int wo_tenant_get(PointerByReference out, Pointer db, Pointer actor, long id);
  public static native int wo_tenant_list(PointerByReference out, Pointer db, Pointer actor, Pointer filter);

  // ---- the settings catalog: contact -------------------------------------------------------------
  public static native int wo_contact_create(LongByReference idOut, Pointer db, Pointer actor, Pointer fields);
  public static native int wo_contact_update(Pointer db, Pointer actor, long id, Pointer fields);
  public static native int wo_contact_set_active(Pointer db, Pointer actor, long id, int active);
  public static native int wo_contact_get(PointerByReference out, Pointer db, Pointer actor, long id);
  public static native int wo_contact_list(PointerByReference out, Pointer db, Pointer actor, Pointer filter);

  // ---- the settings catalog: order_type ----------------------------------------------------------
  public static native int wo_order_type_create(LongByReference idOut, Pointer db, Pointer actor, Pointer fields);
  public static native int wo_order_type_update(Pointer db, Pointer actor, long id, Pointer fields);
  public static native int wo_order_type_set_active(Pointer db, Pointer actor, long id, int active);
  public static native int wo_order_type_get(PointerByReference out, Pointer db, Pointer actor, long id);
  public static native int wo_order_type_list(PointerByReference out, Pointer db, Pointer actor, Pointer filter);

  // ---- the settings catalog: subtype -------------------------------------------------------------
  public static native int wo_subtype_create(LongByReference idOut, Pointer db, Pointer actor, Pointer fields);
  public static native int wo_subtype_update(Pointer db, Pointer actor, long id, Pointer fields);
  public static native int wo_subtype_set_active(Pointer db, Pointer actor, long id, int active);
  public static native int wo_subtype_get(PointerByReference out, Pointer db, Pointer actor, long id);
  public static native int wo_subtype_list(PointerByReference out, Pointer db, Pointer actor, Pointer filter);

  // ---- the settings catalog: service_spec --------------------------------------------------------
  public static native int wo_service_spec_create(LongByReference idOut, Pointer db, Pointer actor, Pointer fields);
  public static native int wo_service_spec_update(Pointer db, Pointer actor, long id, Pointer fields);
  public static native int wo_service_spec_set_active(Pointer db, Pointer actor, long id, int active);
  public static native int wo_service_spec_get(PointerByReference out, Pointer db, Pointer actor, long id);
  public static native int wo_service_spec_list(PointerByReference out, Pointer db, Pointer actor, Pointer filter);

  // ---- the settings catalog: service_item --------------------------------------------------------
  public static native int wo_service_item_create(LongByReference idOut, Pointer db, Pointer actor, Pointer fields);
  public static native int wo_service_item_update(Pointer db, Pointer actor, long id, Pointer fields);
  public static native int wo_service_item_set_active(Pointer db, Pointer actor, long id, int active);
  public static native int wo_service_item_get(PointerByReference out, Pointer db, Pointer actor, long id);
  public static native int wo_service_item_list(PointerByReference out, Pointer db, Pointer actor, Pointer filter);

  // ---- the settings catalog: labor_item ----------------------------------------------------------
  public static native int wo_labor_item_create(LongByReference idOut, Pointer db, Pointer actor, Pointer fields);
  public static native int wo_labor_item_update(Pointer db, Pointer actor, long id, Pointer fields);
  public static native int wo_labor_item_set_active(Pointer db, Pointer actor, long id, int active);
  public static native int wo_labor_item_get(PointerByReference out, Pointer db, Pointer actor, long id);
  public static native int wo_labor_item_list(PointerByReference out, Pointer db, Pointer actor, Pointer filter);

  // ---- the settings catalog: labor_rate ----------------------------------------------------------
  public static native int wo_labor_rate_create(LongByReference idOut, Pointer db, Pointer actor, Pointer fields);
  public static native int wo_labor_rate_update(Pointer db, Pointer actor, long id, Pointer fields);
  public static native int wo_labor_rate_set_active(Pointer db, Pointer actor, long id, int active);
  public static native int wo_labor_rate_get(PointerByReference out, Pointer db, Pointer actor, long id);
  public static native int wo_labor_rate_list(PointerByReference out, Pointer db, Pointer actor, Pointer filter);

  // ---- the settings catalog: material ------------------------------------------------------------
  public static native int wo_material_create(LongByReference idOut, Pointer db, Pointer actor, Pointer fields);
  public static native int wo_material_update(Pointer db, Pointer actor, long id, Pointer fields);
  public static native int wo_material_set_active(Pointer db, Pointer actor, long id, int active);
  public static native int wo_material_get(PointerByReference out, Pointer db, Pointer actor, long id);
  public static native int wo_material_list(PointerByReference out, Pointer db, Pointer actor, Pointer filter);

  // ---- stock movements ---------------------------------------------------------------------------
  public static native int wo_stock_movement_create(LongByReference idOut, Pointer db, Pointer actor, Pointer fields);
  public static native int wo_stock_movement_get(PointerByReference out, Pointer db, Pointer actor, long id);
  public static native int wo_stock_movement_list(PointerByReference out, Pointer db, Pointer actor, Pointer filter);

  // ---- labor rates -------------------------------------------------------------------------------
  public static native int wo_labor_rate_resolve(LongByReference rateOut, Pointer db, Pointer actor,
      long laborItemId, long staffId);

  // ---- work-order settings and payment channels --------------------------------------------------
  public static native int wo_settings_get(PointerByReference out, Pointer db, Pointer actor);
  public static native int wo_settings_update(Pointer db, Pointer actor, Pointer fields);
  public static native int wo_channel_set_enabled(Pointer db, Pointer actor, int channel, int enabled);
  public static native int wo_channel_list(PointerByReference out, Pointer db, Pointer actor);

  // ---- work orders -------------------------------------------------------------------------------
  public static native int wo_order_submit(LongByReference idOut, Pointer db, Pointer actor, Pointer draft);
  public static native int wo_order_pay_prepayment(Pointer db, Pointer actor, long orderId, Pointer payment);
  public static native int wo_order_assign(Pointer db, Pointer actor, long orderId, long staffId, int force);
  public static native int wo_order_grab(Pointer db, Pointer actor, long orderId);
  public static native int wo_order_accept(Pointer db, Pointer actor, long orderId);
  public static native int wo_order_reject(Pointer db, Pointer actor, long orderId, String reason);
  public static native int wo_order_transfer(Pointer db, Pointer actor, long orderId, long staffId, String reason,
      int force);
  public static native int wo_order_add_line(LongByReference lineOut, Pointer db, Pointer actor, long orderId,
      Pointer line);
  public static native int wo_order_remove_line(Pointer db, Pointer actor, long orderId, long lineId);
  public static native int wo_order_finish(Pointer db, Pointer actor, long orderId);
  public static native int wo_order_pay(Pointer db, Pointer actor, long orderId, Pointer payment);
  public static native int wo_order_refund(Pointer db, Pointer actor, long orderId, Pointer refund);
  public static native int wo_order_rate(Pointer db, Pointer actor, long orderId, int score, String comment);
  public static native int wo_order_reopen(Pointer db, Pointer actor, long orderId, String reason);
  public static native int wo_order_cancel(Pointer db, Pointer actor, long orderId, String reason);
  public static native int wo_order_message(Pointer db, Pointer actor, long orderId, String text);
  public static native int wo_order_dispatch_preview(LongByReference staffOut, Pointer db, Pointer actor, long orderId);
  public static native int wo_tick(LongByReference changedOut, Pointer db, Pointer actor, long nowMs);
  public static native int wo_order_get(PointerByReference out, Pointer db, Pointer actor, long orderId);
  public static native int wo_order_attachments(PointerByReference out, Pointer db, Pointer actor, long orderId);
  public static native int wo_order_lines(PointerByReference out, Pointer db, Pointer actor, long orderId);
  public static native int wo_order_payments(PointerByReference out, Pointer db, Pointer actor, long orderId);
  public static native int wo_order_timeline(PointerByReference out, Pointer db, Pointer actor, long orderId,
      long afterEventId);

  // ---- appointment slots -------------------------------------------------------------------------
  public static native int wo_schedule_set(Pointer db, Pointer actor, long subtypeId, Pointer fields);
  public static native int wo_schedule_get(PointerByReference out, Pointer db, Pointer actor, long subtypeId);
  public static native int wo_schedule_clear(Pointer db, Pointer actor, long subtypeId);
  public static native int wo_slot_availability(PointerByReference out, Pointer db, Pointer actor, long subtypeId,
      String fromDate, String toDate);
  public static native int wo_order_reschedule(Pointer db, Pointer actor, long orderId, long slotStart);

  // ---- views, order records, dashboard and the event feed --------------------------------------
  public static native int wo_order_list(PointerByReference out, Pointer db, Pointer actor, int view, Pointer query,
      String cursor, int pageSize);
  public static native int wo_iter_cursor(PointerByReference out, Pointer iter);
  public static native int wo_order_records(PointerByReference out, Pointer db, Pointer actor, Pointer query,
      String cursor, int pageSize);
  public static native int wo_export_csv(Pointer db, Pointer actor, Pointer query, WriteFn write, Pointer ctx);
  public static native int wo_dashboard_get(PointerByReference out, Pointer db, Pointer actor, long fromMs, long toMs);
  public static native void wo_dashboard_free(Pointer dashboard);
  public static native int wo_dashboard_summary(PointerByReference out, Pointer dashboard);
  public static native int wo_dashboard_rows(PointerByReference out, Pointer dashboard, int table);
  public static native int wo_order_messages(PointerByReference out, Pointer db, Pointer actor, long orderId);
  public static native int wo_event_feed(PointerByReference out, Pointer db, Pointer actor, long afterEventId);
}
