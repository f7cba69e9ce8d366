/* SPDX-License-Identifier: MIT */
/** \file
 * workorder.h — the C ABI of libworkorder, a work-order engine for property management
 * ("online repair", 在线报修). Pure C99; usable from C++ (extern "C").
 *
 * Conventions (docs/c-abi.md has the long form):
 *  - Every fallible function returns an int status: WO_OK (0) or one of the WO_E* codes
 *    below, which are stable and never renumbered. On failure nothing was changed, out
 *    parameters are set to NULL / 0, and wo_errmsg() names the field and the value. The
 *    one exception is WO_ESTORAGE from a call that writes: the outcome is then unknown
 *    (docs/c-abi.md, "When the outcome is unknown"). Each function's comment ends with
 *    "Returns ..." listing every code it can return (WO_EINTERNAL, a bug or memory running
 *    out, is listed with every one).
 *  - Results come through out-parameters placed first (`out`, `id_out`, ...). Passing NULL
 *    for an out-parameter or a handle fails with WO_EINVALID.
 *  - Handles are opaque and freed by their own wo_*_free, which accepts NULL.
 *  - Strings are UTF-8, NUL-terminated. A `const char*` returned by a getter is borrowed:
 *    it lives until the handle that returned it is freed.
 *  - Money is int64 minor units of the org's currency (fen); quantities are int64
 *    thousandths (1.5 hours = 1500); times are int64 milliseconds since the Unix epoch, UTC.
 *  - Multi-field inputs are wo_input builders (field name -> value); outputs are wo_record
 *    handles with getters by field name or by index (a kind's fields are always in the same
 *    order); lists are wo_iter pull iterators. Field names are those documented per record
 *    kind in docs/records.md; no struct layout is part of the ABI, so fields can be added
 *    forever.
 *  - Every call names an actor (wo_actor). Anything the actor may not see is WO_ENOTFOUND.
 *  - Threads (docs/c-abi.md, "Threads"). A wo_db may be shared by threads: each call is
 *    atomic, and the calls on one handle run one at a time, so a long one (wo_export_csv
 *    streams a whole export from one read transaction) holds back the others on that handle;
 *    open another handle for reads in parallel. A wo_actor, wo_record or wo_dashboard is
 *    immutable once made: any threads may read it at once. A wo_input or wo_iter is not
 *    locked: one thread at a time, though it may pass to another thread between calls (and a
 *    wo_input nobody changes may be read by calls on several threads at once). wo_errmsg is
 *    per thread. Several processes, and on PostgreSQL several hosts, may open one database.
 */
#ifndef WORKORDER_H
#define WORKORDER_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define WO_API __attribute__((visibility("default")))
#else
#define WO_API
#endif

/* ---- versions ------------------------------------------------------------------------ */

#define WO_VERSION_MAJOR 0
#define WO_VERSION_MINOR 3
#define WO_VERSION_PATCH 0
#define WO_VERSION_STRING "0.3.0"
/** The header's version as one number, MAJOR * 1000000 + MINOR * 1000 + PATCH (0.2.0 is 2000). */
#define WO_VERSION_NUMBER (WO_VERSION_MAJOR * 1000000 + WO_VERSION_MINOR * 1000 + WO_VERSION_PATCH)
/** Whether the header compiled against is version major.minor.patch or later, for code that
 * uses a function added since: `#if WO_VERSION_AT_LEAST(0, 2, 0)`. */
#define WO_VERSION_AT_LEAST(major, minor, patch) \
  (WO_VERSION_NUMBER >= (major) * 1000000 + (minor) * 1000 + (patch))
/** The ABI version: the N of the shared library's name libworkorder.so.N. It changes only for a
 * deliberate break of the C ABI, never with the library version; a program built against this
 * header runs with any library of the same ABI version and a WO_VERSION_NUMBER at least its own. */
#define WO_ABI_VERSION 0

/** The library's version as "MAJOR.MINOR.PATCH"; static storage, never NULL. */
WO_API const char* wo_version(void);

/** The version of the library loaded at run time, as WO_VERSION_NUMBER counts it: less than
 * the program's WO_VERSION_NUMBER means an older library than the header it was built with.
 * Any thread, any time. */
WO_API int wo_libversion_number(void);

/* ---- typed enumerations -------------------------------------------------------------------
 * Every enumeration below is a named type: a C enum whose values are 32-bit ints (in C++ its
 * underlying type is int32_t, so any int32_t value may be converted to it). The values are
 * stable and never renumbered. A parameter of an enumeration type takes its constants; a
 * record field of one reads back through wo_record_get_int. (Do not build a caller with
 * -fshort-enums, which would shrink these types.) */
#ifdef __cplusplus
#define WO_ENUM(name) enum name : int32_t
#else
#define WO_ENUM(name) enum name
#endif

/* ---- status codes (stable, never renumbered) ------------------------------------------ */

/** What every fallible function returns (as an int): WO_OK, an error, or WO_DONE. */
typedef WO_ENUM(wo_status) {
  WO_OK = 0,
  WO_ENOTFOUND = 1,        /**< no such record, or the actor may not see it */
  WO_EINVALID = 2,         /**< bad argument: null, too long, bad UTF-8, unknown enum, ... */
  WO_ESTATE = 3,           /**< the record's state does not allow this action */
  WO_EFORBIDDEN = 4,       /**< the actor may see the record but not do this */
  WO_ECONFLICT = 5,        /**< clashes with existing data (duplicate name, phone, ...) */
  WO_ESLOTFULL = 6,        /**< appointment slot is full */
  WO_ESLOTUNAVAILABLE = 7, /**< not a slot of the schedule (misaligned, wrong day or hour) */
  WO_EGRABLIMIT = 8,       /**< the staff member holds the most orders allowed */
  WO_EOUTOFSTOCK = 9,      /**< not enough stock: a requisition is needed */
  WO_EPAYMENT = 10,        /**< payment amount does not match */
  WO_ECHANNEL = 11,        /**< payment channel not enabled */
  WO_EBUSY = 12,           /**< the database stayed locked past the busy timeout */
  WO_ESTORAGE = 13,        /**< I/O or database error; a write's outcome is unknown */
  WO_ESCHEMA = 14,         /**< the database was written by a newer library */
  WO_EOVERFLOW = 15,       /**< an amount or quantity does not fit 64 bits */
  WO_EINTERNAL = 16,       /**< a bug or out of memory */
  WO_ESLOTHORIZON = 17,    /**< appointment slot is beyond the booking horizon */
  WO_ESLOTTOOEARLY = 18,   /**< appointment slot starts before now + the lead time */
  WO_EABORTED = 19,        /**< the host's callback stopped the operation (wo_export_csv) */
  WO_EINELIGIBLE = 20,     /**< the staff member may not take the order: inactive, or without
                                the order type's department and position */
  WO_ENULL = 21,           /**< the record's field is null: it has no value (wo_record_get_*) */
  WO_DONE = 100            /**< not an error: an iterator has no more records */
} wo_status;

/** Static English text for a status code ("not found"); never NULL. */
WO_API const char* wo_strerror(int code);

/** The message of the last failed call on this thread, naming the field and the value;
 * "" after a successful call. Valid until the next wo_* call on this thread. */
WO_API const char* wo_errmsg(void);

/* ---- enumerations ---------------------------------------------------------------------- */

/** Staff roles, bits of a mask: a staff member may have several (staff.roles). */
typedef WO_ENUM(wo_role) {
  WO_ROLE_ADMIN = 1,
  WO_ROLE_DISPATCHER = 2,
  WO_ROLE_TECHNICIAN = 4
} wo_role;

/** tenant.tenant_kind */
typedef WO_ENUM(wo_tenant_kind) {
  WO_TENANT_PERSON = 0,
  WO_TENANT_COMPANY = 1
} wo_tenant_kind;

/** subtype.charge_mode */
typedef WO_ENUM(wo_charge_mode) {
  WO_CHARGE_FREE = 0,
  WO_CHARGE_AFTER_COMPLETION = 1,
  WO_CHARGE_PREPAY_DEPOSIT = 2,
  WO_CHARGE_PREPAY_FULL = 3
} wo_charge_mode;

/** payment_channel.channel, payment.channel */
typedef WO_ENUM(wo_channel) {
  WO_CHANNEL_WECHAT = 0,
  WO_CHANNEL_ALIPAY = 1,
  WO_CHANNEL_CORPORATE = 2,
  WO_CHANNEL_CASH = 3,
  WO_CHANNEL_BANK_TRANSFER = 4,
  WO_CHANNEL_OTHER = 5
} wo_channel;

/** stock_movement.movement_kind */
typedef WO_ENUM(wo_movement_kind) {
  WO_MOVEMENT_REQUISITION = 0,
  WO_MOVEMENT_ADJUSTMENT = 1,
  WO_MOVEMENT_RESERVE = 2,
  WO_MOVEMENT_RELEASE = 3,
  WO_MOVEMENT_CONSUME = 4
} wo_movement_kind;

/** order_type.dispatch_strategy: how the type's orders find an assignee on reaching
 * pending_dispatch (docs/rules.md §4) */
typedef WO_ENUM(wo_dispatch_strategy) {
  WO_DISPATCH_MANUAL = 0,       /**< a dispatcher assigns, or a technician grabs (the default) */
  WO_DISPATCH_ROUND_ROBIN = 1,  /**< the system assigns the next in turn after the type's last */
  WO_DISPATCH_LEAST_LOADED = 2  /**< the system assigns whoever holds fewest, then idle longest */
} wo_dispatch_strategy;

/** order.status */
typedef WO_ENUM(wo_order_status) {
  WO_STATUS_AWAITING_PREPAYMENT = 0,
  WO_STATUS_PENDING_DISPATCH = 1,
  WO_STATUS_PENDING_ACCEPT = 2,
  WO_STATUS_IN_PROGRESS = 3,
  WO_STATUS_AWAITING_PAYMENT = 4,
  WO_STATUS_AWAITING_RATING = 5,
  WO_STATUS_COMPLETED = 6,
  WO_STATUS_CANCELLED = 7
} wo_order_status;

/** order_query.status_mask: one bit per wanted WO_STATUS_* (0 = every status), e.g.
 * WO_STATUS_BIT(WO_STATUS_COMPLETED) | WO_STATUS_BIT(WO_STATUS_CANCELLED) */
#define WO_STATUS_BIT(s) (1 << (s))

/** wo_order_list views: which orders a list starts from, before the query narrows it */
typedef WO_ENUM(wo_view) {
  WO_VIEW_ALL = 0,             /**< every order the actor can see */
  WO_VIEW_TENANT_TODO = 1,     /**< contacts: my orders awaiting prepayment, payment or rating (待我处理) */
  WO_VIEW_SUBMITTED_BY_ME = 2, /**< contacts and staff: orders I reported (我提交的) */
  WO_VIEW_MY_TASKS = 3,        /**< staff: orders I hold (pending_accept, in_progress) */
  WO_VIEW_POOL = 4             /**< technicians: pending_dispatch orders I could grab */
} wo_view;

/** wo_dashboard_rows tables */
typedef WO_ENUM(wo_dashboard_table) {
  WO_DASHBOARD_TYPES = 0,    /**< "dashboard_type" records: orders per order type */
  WO_DASHBOARD_SUBTYPES = 1, /**< "dashboard_subtype" records: orders per subtype */
  WO_DASHBOARD_DAYS = 2,     /**< "dashboard_day" records: created and completed per local day */
  WO_DASHBOARD_STAFF = 3     /**< "dashboard_staff" records: figures per staff member */
} wo_dashboard_table;

/** event.action */
typedef WO_ENUM(wo_action) {
  WO_ACTION_SUBMIT = 0,
  WO_ACTION_PAY_PREPAYMENT = 1,
  WO_ACTION_ASSIGN = 2,
  WO_ACTION_GRAB = 3,
  WO_ACTION_ACCEPT = 4,
  WO_ACTION_REJECT = 5,
  WO_ACTION_TRANSFER = 6,
  WO_ACTION_ADD_LINE = 7,
  WO_ACTION_REMOVE_LINE = 8,
  WO_ACTION_FINISH = 9,
  WO_ACTION_PAY = 10,
  WO_ACTION_REFUND = 11,
  WO_ACTION_RATE = 12,
  WO_ACTION_REOPEN = 13,
  WO_ACTION_CANCEL = 14,
  WO_ACTION_MESSAGE = 15,
  WO_ACTION_PREPAYMENT_TIMEOUT = 16,
  WO_ACTION_ACCEPT_TIMEOUT = 17,
  WO_ACTION_RATING_TIMEOUT = 18,
  WO_ACTION_RESCHEDULE = 19,
  WO_ACTION_AUTO_ASSIGN = 20,        /**< the system assigned it by the type's strategy */
  WO_ACTION_DISPATCH_UNMATCHED = 21, /**< the strategy found no one: it waits in the pool */
  WO_ACTION_SLA_WARNING = 22,        /**< a service-level clock used its warning share; details
                                          "response" or "resolution", amount the target (minutes) */
  WO_ACTION_SLA_BREACH = 23          /**< a service-level clock passed its target; details and
                                          amount as for WO_ACTION_SLA_WARNING */
} wo_action;

/** order.response_state and order.resolution_state: where a service-level clock stands
 * (docs/rules.md §11), as of the read */
typedef WO_ENUM(wo_service_state) {
  WO_SERVICE_NONE = 0,    /**< no target, or cancelled within it */
  WO_SERVICE_OPEN = 1,    /**< running or paused, within its target */
  WO_SERVICE_MET = 2,     /**< stopped within its target */
  WO_SERVICE_BREACHED = 3 /**< stopped late, or running past its due instant */
} wo_service_state;

/** event.concerns: whom a history event concerns (event.concerns_id names them) */
typedef WO_ENUM(wo_audience) {
  WO_AUDIENCE_NOBODY = 0,     /**< no one in particular */
  WO_AUDIENCE_STAFF = 1,      /**< the staff member concerns_id (e.g. an assignment reminder) */
  WO_AUDIENCE_CONTACT = 2,    /**< the tenant contact concerns_id (e.g. payment due, a reply) */
  WO_AUDIENCE_DISPATCHERS = 3 /**< the org's dispatchers (e.g. an order to dispatch) */
} wo_audience;

/** order.source_channel */
typedef WO_ENUM(wo_source_channel) {
  WO_SOURCE_TENANT_APP = 0,
  WO_SOURCE_MINI_PROGRAM = 1,
  WO_SOURCE_H5 = 2,
  WO_SOURCE_STAFF_MOBILE = 3,
  WO_SOURCE_STAFF_PC = 4,
  WO_SOURCE_API = 5
} wo_source_channel;

/** order.payer */
typedef WO_ENUM(wo_payer) {
  WO_PAYER_TENANT = 0,
  WO_PAYER_ENTERPRISE = 1
} wo_payer;

/** charge_line.line_kind */
typedef WO_ENUM(wo_line_kind) {
  WO_LINE_LABOR = 0,
  WO_LINE_MATERIAL = 1,
  WO_LINE_SERVICE_ITEM = 2
} wo_line_kind;

/** payment.payment_kind */
typedef WO_ENUM(wo_payment_kind) {
  WO_PAYMENT_PREPAYMENT = 0,
  WO_PAYMENT_PAYMENT = 1,
  WO_PAYMENT_REFUND = 2
} wo_payment_kind;

/** event.actor_kind, order.created_by_kind */
typedef WO_ENUM(wo_actor_kind) {
  WO_ACTOR_SYSTEM = 0,
  WO_ACTOR_STAFF = 1,
  WO_ACTOR_CONTACT = 2
} wo_actor_kind;

/** The type of a record field (wo_record_field_type, wo_record_field_type_at). */
typedef WO_ENUM(wo_field_type) {
  WO_TYPE_NULL = 0,
  WO_TYPE_INT = 1,
  WO_TYPE_TEXT = 2
} wo_field_type;

/** wo_db_open flags, bits of a mask */
typedef WO_ENUM(wo_open_flag) {
  WO_OPEN_SYNC_NORMAL = 1 /**< SQLite synchronous=NORMAL, PostgreSQL synchronous_commit=off:
                               faster, a power loss may drop the last commits */
} wo_open_flag;

/* ---- handles ----------------------------------------------------------------------------- */

typedef struct wo_db wo_db;         /**< an open database */
typedef struct wo_actor wo_actor;   /**< who is acting */
typedef struct wo_input wo_input;   /**< field values for a create, update or filter */
typedef struct wo_record wo_record; /**< one record read back */
typedef struct wo_iter wo_iter;     /**< a pull iterator over records */
typedef struct wo_dashboard wo_dashboard; /**< the figures of wo_dashboard_get */

/** A clock: returns the current time in Unix milliseconds (UTC). It is called inside the
 * library's calls (also inside write transactions), so it must be fast and must not call
 * back into the wo_db it is installed on. */
typedef int64_t (*wo_clock_fn)(void* ctx);

/** A writer for streamed output (wo_export_csv): receives the next `len` bytes at `data`
 * (UTF-8, not NUL-terminated, valid only during the call) and returns 0 to go on, anything
 * else to stop. It is called inside the library's read transaction, so it must not call back
 * into the wo_db it writes from. */
typedef int (*wo_write_fn)(void* ctx, const char* data, int64_t len);

/* ---- database ---------------------------------------------------------------------------- */

/** Opens or creates a database and migrates an older schema. `path` is its location, UTF-8:
 * - a SQLite file path (":memory:" for a private in-memory database): WAL journal,
 *   synchronous=FULL unless flags has WO_OPEN_SYNC_NORMAL (synchronous=NORMAL), foreign keys
 *   on; busy_timeout_ms is how long a call waits for another writer;
 * - a libpq connection URI starting with "postgresql://" or "postgres://" (for example
 *   "postgresql:///dbname?host=/path/to/socket"; "options=-csearch_path%3D<schema>" picks a
 *   schema): one connection per wo_db handle. WO_OPEN_SYNC_NORMAL means synchronous_commit=off
 *   for the connection's transactions (a server crash may lose the last commits, never
 *   consistency); busy_timeout_ms is both the lock wait (lock_timeout) and the budget for
 *   re-running a transaction after a serialisation failure or deadlock. The password comes
 *   from the URI or libpq's usual environment (PGPASSWORD, ~/.pgpass) and never appears in a
 *   message.
 * busy_timeout_ms 0 means 5000. `path` is only read during the call.
 * On success *out is a new handle the caller frees with wo_db_free.
 * Returns WO_OK, WO_EINVALID (NULL out or path, unknown flag, negative timeout),
 * WO_ESCHEMA (database newer than this library; it is left untouched), WO_EBUSY,
 * WO_ESTORAGE (the file cannot be opened, or the server cannot be reached: the message names
 * the host and database), WO_EINTERNAL. */
WO_API int wo_db_open(wo_db** out, const char* path, int32_t flags, int32_t busy_timeout_ms);

/** Frees the handle. NULL is a no-op. Iterators created from it stay usable; the database
 * closes when the handle and the last of its iterators are freed. */
WO_API void wo_db_free(wo_db* db);

/** Replaces the clock every time rule reads; fn == NULL restores the system clock. `ctx` is
 * passed to fn and must stay valid while the clock is installed; fn may be called from any
 * thread that uses db. Returns WO_OK, WO_EINVALID (NULL db), WO_EINTERNAL. */
WO_API int wo_db_set_clock(wo_db* db, wo_clock_fn fn, void* ctx);

/** *out = the current time of db's clock, Unix ms. Returns WO_OK, WO_EINVALID, WO_EINTERNAL. */
WO_API int wo_db_now(int64_t* out, wo_db* db);

/** *out = the database's schema version (the number of the last migration applied to it).
 * Returns WO_OK, WO_EINVALID, WO_ESTORAGE, WO_EBUSY, WO_EINTERNAL. */
WO_API int wo_db_schema_version(int32_t* out, wo_db* db);

/* ---- actors ------------------------------------------------------------------------------- */

/** *out = the system actor (creates orgs, runs timers). Free with wo_actor_free.
 * Returns WO_OK, WO_EINVALID, WO_EINTERNAL. */
WO_API int wo_actor_system(wo_actor** out);

/** *out = staff member `staff_id` acting with their roles; each call that uses the actor checks
 * the staff member (unknown: not found; inactive: forbidden). Free with wo_actor_free.
 * Returns WO_OK, WO_EINVALID (NULL out, id <= 0), WO_EINTERNAL. */
WO_API int wo_actor_staff(wo_actor** out, int64_t staff_id);

/** *out = tenant contact `contact_id`. Free with wo_actor_free.
 * Returns WO_OK, WO_EINVALID (NULL out, id <= 0), WO_EINTERNAL. */
WO_API int wo_actor_contact(wo_actor** out, int64_t contact_id);

/** Frees an actor. NULL is a no-op. */
WO_API void wo_actor_free(wo_actor* actor);

/* ---- inputs ------------------------------------------------------------------------------- */

/** *out = an empty input. Free with wo_input_free. Returns WO_OK, WO_EINVALID, WO_EINTERNAL. */
WO_API int wo_input_new(wo_input** out);

/** Frees an input. NULL is a no-op. */
WO_API void wo_input_free(wo_input* input);

/** Sets integer field `field` (money, quantity, id, enum, flag 0/1, time). Setting a field
 * again replaces its value. The field name and value are checked by the call that uses
 * the input. Returns WO_OK, WO_EINVALID (NULL input or field), WO_EINTERNAL. */
WO_API int wo_input_set_int(wo_input* input, const char* field, int64_t value);

/** Sets text field `field`, replacing any earlier value; the text is copied. Returns WO_OK,
 * WO_EINVALID (NULL input, field or value), WO_EINTERNAL. */
WO_API int wo_input_set_text(wo_input* input, const char* field, const char* value);

/** Appends `value` to list field `field` (an order draft's "attachments"); the text is
 * copied. A call that uses the input refuses appended values for a single-value field with
 * WO_EINVALID. Returns WO_OK, WO_EINVALID (NULL input, field or value), WO_EINTERNAL. */
WO_API int wo_input_add_text(wo_input* input, const char* field, const char* value);

/** Sets field `field` to null (clears an optional field on update). Returns WO_OK,
 * WO_EINVALID (NULL input or field), WO_EINTERNAL. */
WO_API int wo_input_set_null(wo_input* input, const char* field);

/* ---- records ------------------------------------------------------------------------------ */

/** Frees a record and every string borrowed from it. NULL is a no-op. */
WO_API void wo_record_free(wo_record* record);

/** The record's kind ("department", "staff", ...); static storage, NULL if record is NULL. */
WO_API const char* wo_record_kind(const wo_record* record);

/** The number of fields of the record; 0 if record is NULL. Every record of one kind has the
 * same fields in the same order (docs/records.md), so a reader may look the names up once per
 * kind and read each record by index. */
WO_API int32_t wo_record_field_count(const wo_record* record);

/** The name of field `index` (0-based) or NULL if out of range; borrowed from the record. */
WO_API const char* wo_record_field_name(const wo_record* record, int32_t index);

/** *out = the wo_field_type of field `field`: WO_TYPE_NULL, WO_TYPE_INT or WO_TYPE_TEXT.
 * Returns WO_OK, WO_EINVALID (NULL argument, no such field), WO_EINTERNAL. */
WO_API int wo_record_field_type(int32_t* out, const wo_record* record, const char* field);

/** *out = integer field `field`. Returns WO_OK, WO_EINVALID (NULL argument, no such field,
 * a text field), WO_ENULL (the field is null: *out = 0), WO_EINTERNAL. */
WO_API int wo_record_get_int(int64_t* out, const wo_record* record, const char* field);

/** *out = text field `field`, borrowed: valid until the record is freed. Returns WO_OK,
 * WO_EINVALID (NULL argument, no such field, an integer field), WO_ENULL (the field is
 * null: *out = NULL), WO_EINTERNAL. */
WO_API int wo_record_get_text(const char** out, const wo_record* record, const char* field);

/** As wo_record_field_type, for field `index` (0-based, below wo_record_field_count).
 * Returns WO_OK, WO_EINVALID (NULL argument, index out of range), WO_EINTERNAL. */
WO_API int wo_record_field_type_at(int32_t* out, const wo_record* record, int32_t index);

/** As wo_record_get_int, for field `index`. Returns WO_OK, WO_EINVALID (NULL argument, index
 * out of range, a text field), WO_ENULL (*out = 0), WO_EINTERNAL. */
WO_API int wo_record_get_int_at(int64_t* out, const wo_record* record, int32_t index);

/** As wo_record_get_text, for field `index`. Returns WO_OK, WO_EINVALID (NULL argument, index
 * out of range, an integer field), WO_ENULL (*out = NULL), WO_EINTERNAL. */
WO_API int wo_record_get_text_at(const char** out, const wo_record* record, int32_t index);

/** Reads fields 0 .. count-1 of the record in one call (for bindings that copy whole
 * records): for each field i, types_out[i] is its wo_field_type, ints_out[i] its integer (0
 * unless WO_TYPE_INT) and texts_out[i] its text, borrowed from the record (NULL unless
 * WO_TYPE_TEXT). The arrays have room for `count` entries; count may be less than
 * wo_record_field_count (the rest is not read) but not more.
 * Returns WO_OK, WO_EINVALID (a NULL argument, count < 0 or beyond the field count; nothing
 * is written), WO_EINTERNAL. */
WO_API int wo_record_values(int32_t* types_out, int64_t* ints_out, const char** texts_out, const wo_record* record,
                            int32_t count);

/* ---- iterators ---------------------------------------------------------------------------- */

/** Advances the iterator. Returns WO_OK with *out a new record the caller frees with
 * wo_record_free, or WO_DONE with *out = NULL at the end, or an error (the iterator may be
 * advanced again to retry). Records are read in pages, each page in its own read transaction; it
 * keeps its database open until freed, WO_EINVALID, WO_ENOTFOUND, WO_EFORBIDDEN, WO_EBUSY,
 * WO_ESTORAGE, WO_EINTERNAL. */
WO_API int wo_iter_next(wo_record** out, wo_iter* iter);

/** Frees an iterator. NULL is a no-op. */
WO_API void wo_iter_free(wo_iter* iter);

/* ---- organisations ------------------------------------------------------------------------ */

/** Creates an org with its default work-order settings, its payment channels (all disabled) and its
 * first admin. Actor: the system actor only. org fields: name (required), time_zone (required,
 * IANA, e.g. "Asia/Shanghai"), currency (ISO 4217, default "CNY"). admin fields: name, phone
 * (required), roles (the admin role is always added). *org_out and *admin_out receive the new ids.
 * Returns WO_OK, WO_EINVALID, WO_EFORBIDDEN (not the system actor), WO_EBUSY, WO_ESTORAGE,
 * WO_EINTERNAL. */
WO_API int wo_org_create(int64_t* org_out, int64_t* admin_out, wo_db* db, const wo_actor* actor,
                         const wo_input* org, const wo_input* admin);

/** Updates an org's name and/or time_zone (currency is fixed). Actor: an admin of the org.
 * Returns WO_OK, WO_EINVALID, WO_ENOTFOUND, WO_EFORBIDDEN, WO_EBUSY, WO_ESTORAGE, WO_EINTERNAL. */
WO_API int wo_org_update(wo_db* db, const wo_actor* actor, int64_t org_id, const wo_input* fields);

/** *out = the org record (id, name, time_zone, currency, created_at). Actor: anyone of the
 * org, or the system actor. Free with wo_record_free.
 * Returns WO_OK, WO_EINVALID, WO_ENOTFOUND, WO_ESTORAGE, WO_EFORBIDDEN, WO_EBUSY, WO_EINTERNAL. */
WO_API int wo_org_get(wo_record** out, wo_db* db, const wo_actor* actor, int64_t org_id);

/** *out = an iterator over every org by id. Actor: the system actor only. Free with wo_iter_free.
 * Returns WO_OK, WO_EINVALID, WO_EFORBIDDEN, WO_ENOTFOUND, WO_EBUSY, WO_ESTORAGE, WO_EINTERNAL. */
WO_API int wo_org_list(wo_iter** out, wo_db* db, const wo_actor* actor);

/* ---- the settings catalog ------------------------------------------------------------
 * Every record kind below has the same five calls. Visibility: staff of the org see every
 * record; a tenant contact sees order types, subtypes, service specs and items, their own
 * tenant and its contacts; anything else is WO_ENOTFOUND. Lists return records in id order,
 * read lazily in pages. */

/** Creates a department (部门). Actor: an admin of the org.
 * Fields: name (required).
 * *id_out receives the new id. Returns WO_OK, WO_EINVALID (missing, unknown, malformed or
 * out-of-range field; message names it), WO_ENOTFOUND (a referenced id not in the org),
 * WO_ECONFLICT (duplicate), WO_EFORBIDDEN, WO_EBUSY, WO_ESTORAGE, WO_EINTERNAL. */
WO_API int wo_department_create(int64_t* id_out, wo_db* db, const wo_actor* actor, const wo_input* fields);

/** Updates the given fields of department `id` (fields marked fixed cannot change). Actor: an admin.
 * Returns WO_OK, WO_EINVALID, WO_ENOTFOUND, WO_ECONFLICT, WO_ESTATE, WO_EFORBIDDEN, WO_EBUSY,
 * WO_ESTORAGE, WO_EINTERNAL. */
WO_API int wo_department_update(wo_db* db, const wo_actor* actor, int64_t id, const wo_input* fields);

/** Deactivates (active = 0) or reactivates (1) department `id`; history keeps it. Actor: an admin.
 * Returns WO_OK, WO_EINVALID, WO_ENOTFOUND, WO_ESTATE, WO_EFORBIDDEN, WO_EBUSY, WO_ESTORAGE,
 * WO_EINTERNAL. */
WO_API int wo_department_set_active(wo_db* db, const wo_actor* actor, int64_t id, int32_t active);

/** *out = department `id` as a record (free with wo_record_free).
 * Returns WO_OK, WO_EINVALID, WO_ENOTFOUND, WO_ESTORAGE, WO_EFORBIDDEN, WO_EBUSY, WO_EINTERNAL. */
WO_API int wo_department_get(wo_record** out, wo_db* db, const wo_actor* actor, int64_t id);

/** *out = an iterator over the org's department records (free with wo_iter_free). `filter` may be
 * NULL or hold equality filters on: active. Returns WO_OK, WO_EINVALID (unknown filter field),
 * WO_EFORBIDDEN, WO_ENOTFOUND, WO_EBUSY, WO_ESTORAGE, WO_EINTERNAL. */
WO_API int wo_department_list(wo_iter** out, wo_db* db, const wo_actor* actor, const wo_input* filter);

/** Creates a position (岗位). Actor: an admin of the org.
 * Fields: name (required).
 * *id_out receives the new id. Returns WO_OK, WO_EINVALID (missing, unknown, malformed or
 * out-of-range field; message names it), WO_ENOTFOUND (a referenced id not in the org),
 * WO_ECONFLICT (duplicate), WO_EFORBIDDEN, WO_EBUSY, WO_ESTORAGE, WO_EINTERNAL. */
WO_API int wo_position_create(int64_t* id_out, wo_db* db, const wo_actor* actor, const wo_input* fields);

/** Updates the given fields of position `id` (fields marked fixed cannot change). Actor: an admin.
 * Returns WO_OK, WO_EINVALID, WO_ENOTFOUND, WO_ECONFLICT, WO_ESTATE, WO_EFORBIDDEN, WO_EBUSY,
 * WO_ESTORAGE, WO_EINTERNAL. */
WO_API int wo_position_update(wo_db* db, const wo_actor* actor, int64_t id, const wo_input* fields);

/** Deactivates (active = 0) or reactivates (1) position `id`; history keeps it. Actor: an admin.
 * Returns WO_OK, WO_EINVALID, WO_ENOTFOUND, WO_ESTATE, WO_EFORBIDDEN, WO_EBUSY, WO_ESTORAGE,
 * WO_EINTERNAL. */
WO_API int wo_position_set_active(wo_db* db, const wo_actor* actor, int64_t id, int32_t active);

/** *out = position `id` as a record (free with wo_record_free).
 * Returns WO_OK, WO_EINVALID, WO_ENOTFOUND, WO_ESTORAGE, WO_EFORBIDDEN, WO_EBUSY, WO_EINTERNAL. */
WO_API int wo_position_get(wo_record** out, wo_db* db, const wo_actor* actor, int64_t id);

/** *out = an iterator over the org's position records (free with wo_iter_free). `filter` may be
 * NULL or hold equality filters on: active. Returns WO_OK, WO_EINVALID (unknown filter field),
 * WO_EFORBIDDEN, WO_ENOTFOUND, WO_EBUSY, WO_ESTORAGE, WO_EINTERNAL. */
WO_API int wo_position_list(wo_iter** out, wo_db* db, const wo_actor* actor, const wo_input* filter);

/** Creates a staff member. Actor: an admin of the org. Fields: name, phone (required; normalised,
 * unique in the org), department_id, position_id, roles (required, WO_ROLE_* bits). *id_out
 * receives the new id. Returns WO_OK, WO_EINVALID (missing, unknown, malformed or out-of-range
 * field; message names it), WO_ENOTFOUND (a referenced id not in the org), WO_ECONFLICT
 * (duplicate), WO_EFORBIDDEN, WO_EBUSY, WO_ESTORAGE, WO_EINTERNAL. */
WO_API int wo_staff_create(int64_t* id_out, wo_db* db, const wo_actor* actor, const wo_input* fields);

/** Updates the given fields of staff `id` (fields marked fixed cannot change). Actor: an admin.
 * Returns WO_OK, WO_EINVALID, WO_ENOTFOUND, WO_ECONFLICT, WO_ESTATE, WO_EFORBIDDEN, WO_EBUSY,
 * WO_ESTORAGE, WO_EINTERNAL. */
WO_API int wo_staff_update(wo_db* db, const wo_actor* actor, int64_t id, const wo_input* fields);

/** Deactivates (active = 0) or reactivates (1) staff `id`; history keeps it. Actor: an admin.
 * Returns WO_OK, WO_EINVALID, WO_ENOTFOUND, WO_ESTATE, WO_EFORBIDDEN, WO_EBUSY, WO_ESTORAGE,
 * WO_EINTERNAL. */
WO_API int wo_staff_set_active(wo_db* db, const wo_actor* actor, int64_t id, int32_t active);

/** *out = staff `id` as a record (free with wo_record_free).
 * Returns WO_OK, WO_EINVALID, WO_ENOTFOUND, WO_ESTORAGE, WO_EFORBIDDEN, WO_EBUSY, WO_EINTERNAL. */
WO_API int wo_staff_get(wo_record** out, wo_db* db, const wo_actor* actor, int64_t id);

/** *out = an iterator over the org's staff records (free with wo_iter_free). `filter` may be NULL
 * or hold equality filters on: phone, department_id, position_id, active. Returns WO_OK,
 * WO_EINVALID (unknown filter field), WO_EFORBIDDEN, WO_ENOTFOUND, WO_EBUSY, WO_ESTORAGE,
 * WO_EINTERNAL. */
WO_API int wo_staff_list(wo_iter** out, wo_db* db, const wo_actor* actor, const wo_input* filter);

/** Creates a tenant (租客). Actor: an admin or dispatcher of the org.
 * Fields: name (required), tenant_kind (WO_TENANT_*).
 * *id_out receives the new id. Returns WO_OK, WO_EINVALID (missing, unknown, malformed or
 * out-of-range field; message names it), WO_ENOTFOUND (a referenced id not in the org),
 * WO_ECONFLICT (duplicate), WO_EFORBIDDEN, WO_EBUSY, WO_ESTORAGE, WO_EINTERNAL. */
WO_API int wo_tenant_create(int64_t* id_out, wo_db* db, const wo_actor* actor, const wo_input* fields);

/** Updates the given fields of tenant `id` (fields marked fixed cannot change). Actor: an admin or
 * dispatcher. Returns WO_OK, WO_EINVALID, WO_ENOTFOUND, WO_ECONFLICT, WO_ESTATE, WO_EFORBIDDEN,
 * WO_EBUSY, WO_ESTORAGE, WO_EINTERNAL. */
WO_API int wo_tenant_update(wo_db* db, const wo_actor* actor, int64_t id, const wo_input* fields);

/** Deactivates (active = 0) or reactivates (1) tenant `id`; history keeps it. Actor: an admin or
 * dispatcher. Returns WO_OK, WO_EINVALID, WO_ENOTFOUND, WO_ESTATE, WO_EFORBIDDEN, WO_EBUSY,
 * WO_ESTORAGE, WO_EINTERNAL. */
WO_API int wo_tenant_set_active(wo_db* db, const wo_actor* actor, int64_t id, int32_t active);

/** *out = tenant `id` as a record (free with wo_record_free).
 * Returns WO_OK, WO_EINVALID, WO_ENOTFOUND, WO_ESTORAGE, WO_EFORBIDDEN, WO_EBUSY, WO_EINTERNAL. */
WO_API int wo_tenant_get(wo_record** out, wo_db* db, const wo_actor* actor, int64_t id);

/** *out = an iterator over the org's tenant records (free with wo_iter_free). `filter` may be NULL
 * or hold equality filters on: tenant_kind, active. Returns WO_OK, WO_EINVALID (unknown filter
 * field), WO_EFORBIDDEN, WO_ENOTFOUND, WO_EBUSY, WO_ESTORAGE, WO_EINTERNAL. */
WO_API int wo_tenant_list(wo_iter** out, wo_db* db, const wo_actor* actor, const wo_input* filter);

/** Creates a tenant's contact. Actor: an admin or dispatcher of the org. Fields: tenant_id
 * (required, fixed), name, phone (required; normalised, unique among the tenant's contacts).
 * *id_out receives the new id. Returns WO_OK, WO_EINVALID (missing, unknown, malformed or
 * out-of-range field; message names it), WO_ENOTFOUND (a referenced id not in the org),
 * WO_ECONFLICT (duplicate), WO_EFORBIDDEN, WO_EBUSY, WO_ESTORAGE, WO_EINTERNAL. */
WO_API int wo_contact_create(int64_t* id_out, wo_db* db, const wo_actor* actor, const wo_input* fields);

/** Updates the given fields of contact `id` (fields marked fixed cannot change). Actor: an admin or
 * dispatcher. Returns WO_OK, WO_EINVALID, WO_ENOTFOUND, WO_ECONFLICT, WO_ESTATE, WO_EFORBIDDEN,
 * WO_EBUSY, WO_ESTORAGE, WO_EINTERNAL. */
WO_API int wo_contact_update(wo_db* db, const wo_actor* actor, int64_t id, const wo_input* fields);

/** Deactivates (active = 0) or reactivates (1) contact `id`; history keeps it. Actor: an admin or
 * dispatcher. Returns WO_OK, WO_EINVALID, WO_ENOTFOUND, WO_ESTATE, WO_EFORBIDDEN, WO_EBUSY,
 * WO_ESTORAGE, WO_EINTERNAL. */
WO_API int wo_contact_set_active(wo_db* db, const wo_actor* actor, int64_t id, int32_t active);

/** *out = contact `id` as a record (free with wo_record_free).
 * Returns WO_OK, WO_EINVALID, WO_ENOTFOUND, WO_ESTORAGE, WO_EFORBIDDEN, WO_EBUSY, WO_EINTERNAL. */
WO_API int wo_contact_get(wo_record** out, wo_db* db, const wo_actor* actor, int64_t id);

/** *out = an iterator over the org's contact records (free with wo_iter_free). `filter` may be NULL
 * or hold equality filters on: tenant_id, phone, active. Returns WO_OK, WO_EINVALID (unknown
 * filter field), WO_EFORBIDDEN, WO_ENOTFOUND, WO_EBUSY, WO_ESTORAGE, WO_EINTERNAL. */
WO_API int wo_contact_list(wo_iter** out, wo_db* db, const wo_actor* actor, const wo_input* filter);

/** Creates an order type (工单类型), bound to the department and position whose staff are eligible.
 * Actor: an admin of the org. Fields: name, department_id, position_id (required),
 * dispatch_strategy (WO_DISPATCH_*, default manual; the engine keeps last_dispatched_id). *id_out
 * receives the new id. Returns WO_OK, WO_EINVALID (missing, unknown, malformed or out-of-range
 * field; message names it), WO_ENOTFOUND (a referenced id not in the org), WO_ECONFLICT
 * (duplicate), WO_EFORBIDDEN, WO_EBUSY, WO_ESTORAGE, WO_EINTERNAL. */
WO_API int wo_order_type_create(int64_t* id_out, wo_db* db, const wo_actor* actor, const wo_input* fields);

/** Updates the given fields of order_type `id` (fields marked fixed cannot change). Actor: an admin.
 * Returns WO_OK, WO_EINVALID, WO_ENOTFOUND, WO_ECONFLICT, WO_ESTATE, WO_EFORBIDDEN, WO_EBUSY,
 * WO_ESTORAGE, WO_EINTERNAL. */
WO_API int wo_order_type_update(wo_db* db, const wo_actor* actor, int64_t id, const wo_input* fields);

/** Deactivates (active = 0) or reactivates (1) order_type `id`; history keeps it. Actor: an admin.
 * Returns WO_OK, WO_EINVALID, WO_ENOTFOUND, WO_ESTATE, WO_EFORBIDDEN, WO_EBUSY, WO_ESTORAGE,
 * WO_EINTERNAL. */
WO_API int wo_order_type_set_active(wo_db* db, const wo_actor* actor, int64_t id, int32_t active);

/** *out = order_type `id` as a record (free with wo_record_free).
 * Returns WO_OK, WO_EINVALID, WO_ENOTFOUND, WO_ESTORAGE, WO_EFORBIDDEN, WO_EBUSY, WO_EINTERNAL. */
WO_API int wo_order_type_get(wo_record** out, wo_db* db, const wo_actor* actor, int64_t id);

/** *out = an iterator over the org's order_type records (free with wo_iter_free). `filter` may be
 * NULL or hold equality filters on: department_id, position_id, active. Returns WO_OK, WO_EINVALID
 * (unknown filter field), WO_EFORBIDDEN, WO_ENOTFOUND, WO_EBUSY, WO_ESTORAGE, WO_EINTERNAL. */
WO_API int wo_order_type_list(wo_iter** out, wo_db* db, const wo_actor* actor, const wo_input* filter);

/** Creates an order subtype (工单子类). Actor: an admin of the org. Fields: order_type_id (required,
 * fixed), name (required), charge_mode (required, WO_CHARGE_*), deposit_fixed or deposit_bps
 * (exactly one, prepay_deposit only; bps 1..10000; never above a spec price), consumables_enabled
 * (0/1). *id_out receives the new id. Returns WO_OK, WO_EINVALID (missing, unknown, malformed or
 * out-of-range field; message names it), WO_ENOTFOUND (a referenced id not in the org),
 * WO_ECONFLICT (duplicate), WO_EFORBIDDEN, WO_EBUSY, WO_ESTORAGE, WO_EINTERNAL. */
WO_API int wo_subtype_create(int64_t* id_out, wo_db* db, const wo_actor* actor, const wo_input* fields);

/** Updates the given fields of subtype `id` (fields marked fixed cannot change). Actor: an admin.
 * Returns WO_OK, WO_EINVALID, WO_ENOTFOUND, WO_ECONFLICT, WO_ESTATE, WO_EFORBIDDEN, WO_EBUSY,
 * WO_ESTORAGE, WO_EINTERNAL. */
WO_API int wo_subtype_update(wo_db* db, const wo_actor* actor, int64_t id, const wo_input* fields);

/** Deactivates (active = 0) or reactivates (1) subtype `id`; history keeps it. Actor: an admin.
 * Returns WO_OK, WO_EINVALID, WO_ENOTFOUND, WO_ESTATE, WO_EFORBIDDEN, WO_EBUSY, WO_ESTORAGE,
 * WO_EINTERNAL. */
WO_API int wo_subtype_set_active(wo_db* db, const wo_actor* actor, int64_t id, int32_t active);

/** *out = subtype `id` as a record (free with wo_record_free).
 * Returns WO_OK, WO_EINVALID, WO_ENOTFOUND, WO_ESTORAGE, WO_EFORBIDDEN, WO_EBUSY, WO_EINTERNAL. */
WO_API int wo_subtype_get(wo_record** out, wo_db* db, const wo_actor* actor, int64_t id);

/** *out = an iterator over the org's subtype records (free with wo_iter_free). `filter` may be NULL
 * or hold equality filters on: order_type_id, charge_mode, active. Returns WO_OK, WO_EINVALID
 * (unknown filter field), WO_EFORBIDDEN, WO_ENOTFOUND, WO_EBUSY, WO_ESTORAGE, WO_EINTERNAL. */
WO_API int wo_subtype_list(wo_iter** out, wo_db* db, const wo_actor* actor, const wo_input* filter);

/** Creates a service spec (服务规格) of a subtype. Actor: an admin of the org.
 * Fields: subtype_id (required, fixed), name, price (required, >= the subtype's fixed deposit).
 * *id_out receives the new id. Returns WO_OK, WO_EINVALID (missing, unknown, malformed or
 * out-of-range field; message names it), WO_ENOTFOUND (a referenced id not in the org),
 * WO_ECONFLICT (duplicate), WO_EFORBIDDEN, WO_EBUSY, WO_ESTORAGE, WO_EINTERNAL. */
WO_API int wo_service_spec_create(int64_t* id_out, wo_db* db, const wo_actor* actor, const wo_input* fields);

/** Updates the given fields of service_spec `id` (fields marked fixed cannot change). Actor: an admin.
 * Returns WO_OK, WO_EINVALID, WO_ENOTFOUND, WO_ECONFLICT, WO_ESTATE, WO_EFORBIDDEN, WO_EBUSY,
 * WO_ESTORAGE, WO_EINTERNAL. */
WO_API int wo_service_spec_update(wo_db* db, const wo_actor* actor, int64_t id, const wo_input* fields);

/** Deactivates (active = 0) or reactivates (1) service_spec `id`; history keeps it. Actor: an
 * admin. Returns WO_OK, WO_EINVALID, WO_ENOTFOUND, WO_ESTATE, WO_EFORBIDDEN, WO_EBUSY,
 * WO_ESTORAGE, WO_EINTERNAL. */
WO_API int wo_service_spec_set_active(wo_db* db, const wo_actor* actor, int64_t id, int32_t active);

/** *out = service_spec `id` as a record (free with wo_record_free).
 * Returns WO_OK, WO_EINVALID, WO_ENOTFOUND, WO_ESTORAGE, WO_EFORBIDDEN, WO_EBUSY, WO_EINTERNAL. */
WO_API int wo_service_spec_get(wo_record** out, wo_db* db, const wo_actor* actor, int64_t id);

/** *out = an iterator over the org's service_spec records (free with wo_iter_free). `filter` may be
 * NULL or hold equality filters on: subtype_id, active. Returns WO_OK, WO_EINVALID (unknown filter
 * field), WO_EFORBIDDEN, WO_ENOTFOUND, WO_EBUSY, WO_ESTORAGE, WO_EINTERNAL. */
WO_API int wo_service_spec_list(wo_iter** out, wo_db* db, const wo_actor* actor, const wo_input* filter);

/** Creates a service item (服务项) of a subtype. Actor: an admin of the org.
 * Fields: subtype_id (required, fixed), name, price (required).
 * *id_out receives the new id. Returns WO_OK, WO_EINVALID (missing, unknown, malformed or
 * out-of-range field; message names it), WO_ENOTFOUND (a referenced id not in the org),
 * WO_ECONFLICT (duplicate), WO_EFORBIDDEN, WO_EBUSY, WO_ESTORAGE, WO_EINTERNAL. */
WO_API int wo_service_item_create(int64_t* id_out, wo_db* db, const wo_actor* actor, const wo_input* fields);

/** Updates the given fields of service_item `id` (fields marked fixed cannot change). Actor: an admin.
 * Returns WO_OK, WO_EINVALID, WO_ENOTFOUND, WO_ECONFLICT, WO_ESTATE, WO_EFORBIDDEN, WO_EBUSY,
 * WO_ESTORAGE, WO_EINTERNAL. */
WO_API int wo_service_item_update(wo_db* db, const wo_actor* actor, int64_t id, const wo_input* fields);

/** Deactivates (active = 0) or reactivates (1) service_item `id`; history keeps it. Actor: an
 * admin. Returns WO_OK, WO_EINVALID, WO_ENOTFOUND, WO_ESTATE, WO_EFORBIDDEN, WO_EBUSY,
 * WO_ESTORAGE, WO_EINTERNAL. */
WO_API int wo_service_item_set_active(wo_db* db, const wo_actor* actor, int64_t id, int32_t active);

/** *out = service_item `id` as a record (free with wo_record_free).
 * Returns WO_OK, WO_EINVALID, WO_ENOTFOUND, WO_ESTORAGE, WO_EFORBIDDEN, WO_EBUSY, WO_EINTERNAL. */
WO_API int wo_service_item_get(wo_record** out, wo_db* db, const wo_actor* actor, int64_t id);

/** *out = an iterator over the org's service_item records (free with wo_iter_free). `filter` may be
 * NULL or hold equality filters on: subtype_id, active. Returns WO_OK, WO_EINVALID (unknown filter
 * field), WO_EFORBIDDEN, WO_ENOTFOUND, WO_EBUSY, WO_ESTORAGE, WO_EINTERNAL. */
WO_API int wo_service_item_list(wo_iter** out, wo_db* db, const wo_actor* actor, const wo_input* filter);

/** Creates a labor item (工时), priced per hour. Actor: an admin of the org.
 * Fields: name (required), default_rate.
 * *id_out receives the new id. Returns WO_OK, WO_EINVALID (missing, unknown, malformed or
 * out-of-range field; message names it), WO_ENOTFOUND (a referenced id not in the org),
 * WO_ECONFLICT (duplicate), WO_EFORBIDDEN, WO_EBUSY, WO_ESTORAGE, WO_EINTERNAL. */
WO_API int wo_labor_item_create(int64_t* id_out, wo_db* db, const wo_actor* actor, const wo_input* fields);

/** Updates the given fields of labor_item `id` (fields marked fixed cannot change). Actor: an admin.
 * Returns WO_OK, WO_EINVALID, WO_ENOTFOUND, WO_ECONFLICT, WO_ESTATE, WO_EFORBIDDEN, WO_EBUSY,
 * WO_ESTORAGE, WO_EINTERNAL. */
WO_API int wo_labor_item_update(wo_db* db, const wo_actor* actor, int64_t id, const wo_input* fields);

/** Deactivates (active = 0) or reactivates (1) labor_item `id`; history keeps it. Actor: an admin.
 * Returns WO_OK, WO_EINVALID, WO_ENOTFOUND, WO_ESTATE, WO_EFORBIDDEN, WO_EBUSY, WO_ESTORAGE,
 * WO_EINTERNAL. */
WO_API int wo_labor_item_set_active(wo_db* db, const wo_actor* actor, int64_t id, int32_t active);

/** *out = labor_item `id` as a record (free with wo_record_free).
 * Returns WO_OK, WO_EINVALID, WO_ENOTFOUND, WO_ESTORAGE, WO_EFORBIDDEN, WO_EBUSY, WO_EINTERNAL. */
WO_API int wo_labor_item_get(wo_record** out, wo_db* db, const wo_actor* actor, int64_t id);

/** *out = an iterator over the org's labor_item records (free with wo_iter_free). `filter` may be
 * NULL or hold equality filters on: active. Returns WO_OK, WO_EINVALID (unknown filter field),
 * WO_EFORBIDDEN, WO_ENOTFOUND, WO_EBUSY, WO_ESTORAGE, WO_EINTERNAL. */
WO_API int wo_labor_item_list(wo_iter** out, wo_db* db, const wo_actor* actor, const wo_input* filter);

/** Creates an hourly rate rule of a labor item for a department, optionally narrowed to a position.
 * Actor: an admin of the org. Fields: labor_item_id, department_id (required, fixed), position_id
 * (fixed), rate (required). *id_out receives the new id. Returns WO_OK, WO_EINVALID (missing,
 * unknown, malformed or out-of-range field; message names it), WO_ENOTFOUND (a referenced id not
 * in the org), WO_ECONFLICT (duplicate), WO_EFORBIDDEN, WO_EBUSY, WO_ESTORAGE, WO_EINTERNAL. */
WO_API int wo_labor_rate_create(int64_t* id_out, wo_db* db, const wo_actor* actor, const wo_input* fields);

/** Updates the given fields of labor_rate `id` (fields marked fixed cannot change). Actor: an admin.
 * Returns WO_OK, WO_EINVALID, WO_ENOTFOUND, WO_ECONFLICT, WO_ESTATE, WO_EFORBIDDEN, WO_EBUSY,
 * WO_ESTORAGE, WO_EINTERNAL. */
WO_API int wo_labor_rate_update(wo_db* db, const wo_actor* actor, int64_t id, const wo_input* fields);

/** Deactivates (active = 0) or reactivates (1) labor_rate `id`; history keeps it. Actor: an admin.
 * Returns WO_OK, WO_EINVALID, WO_ENOTFOUND, WO_ESTATE, WO_EFORBIDDEN, WO_EBUSY, WO_ESTORAGE,
 * WO_EINTERNAL. */
WO_API int wo_labor_rate_set_active(wo_db* db, const wo_actor* actor, int64_t id, int32_t active);

/** *out = labor_rate `id` as a record (free with wo_record_free).
 * Returns WO_OK, WO_EINVALID, WO_ENOTFOUND, WO_ESTORAGE, WO_EFORBIDDEN, WO_EBUSY, WO_EINTERNAL. */
WO_API int wo_labor_rate_get(wo_record** out, wo_db* db, const wo_actor* actor, int64_t id);

/** *out = an iterator over the org's labor_rate records (free with wo_iter_free). `filter` may be
 * NULL or hold equality filters on: labor_item_id, department_id, position_id, active. Returns
 * WO_OK, WO_EINVALID (unknown filter field), WO_EFORBIDDEN, WO_ENOTFOUND, WO_EBUSY, WO_ESTORAGE,
 * WO_EINTERNAL. */
WO_API int wo_labor_rate_list(wo_iter** out, wo_db* db, const wo_actor* actor, const wo_input* filter);

/** Creates a material (耗材物料); its stock changes only through stock movements. Actor: an admin of
 * the org. Fields: sku (required, fixed, unique in the org), name, unit, unit_price (required).
 * *id_out receives the new id. Returns WO_OK, WO_EINVALID (missing, unknown, malformed or
 * out-of-range field; message names it), WO_ENOTFOUND (a referenced id not in the org),
 * WO_ECONFLICT (duplicate), WO_EFORBIDDEN, WO_EBUSY, WO_ESTORAGE, WO_EINTERNAL. */
WO_API int wo_material_create(int64_t* id_out, wo_db* db, const wo_actor* actor, const wo_input* fields);

/** Updates the given fields of material `id` (fields marked fixed cannot change). Actor: an admin.
 * Returns WO_OK, WO_EINVALID, WO_ENOTFOUND, WO_ECONFLICT, WO_ESTATE, WO_EFORBIDDEN, WO_EBUSY,
 * WO_ESTORAGE, WO_EINTERNAL. */
WO_API int wo_material_update(wo_db* db, const wo_actor* actor, int64_t id, const wo_input* fields);

/** Deactivates (active = 0) or reactivates (1) material `id`; history keeps it. Actor: an admin.
 * Returns WO_OK, WO_EINVALID, WO_ENOTFOUND, WO_ESTATE, WO_EFORBIDDEN, WO_EBUSY, WO_ESTORAGE,
 * WO_EINTERNAL. */
WO_API int wo_material_set_active(wo_db* db, const wo_actor* actor, int64_t id, int32_t active);

/** *out = material `id` as a record (free with wo_record_free).
 * Returns WO_OK, WO_EINVALID, WO_ENOTFOUND, WO_ESTORAGE, WO_EFORBIDDEN, WO_EBUSY, WO_EINTERNAL. */
WO_API int wo_material_get(wo_record** out, wo_db* db, const wo_actor* actor, int64_t id);

/** *out = an iterator over the org's material records (free with wo_iter_free). `filter` may be
 * NULL or hold equality filters on: sku, active. Returns WO_OK, WO_EINVALID (unknown filter
 * field), WO_EFORBIDDEN, WO_ENOTFOUND, WO_EBUSY, WO_ESTORAGE, WO_EINTERNAL. */
WO_API int wo_material_list(wo_iter** out, wo_db* db, const wo_actor* actor, const wo_input* filter);

/* ---- stock movements (requisition, adjustment) --------------------------------------- */

/** Records a stock movement and moves the material's stock in the same transaction.
 * Actor: an admin. Fields: material_id (required), movement_kind (WO_MOVEMENT_REQUISITION,
 * qty > 0; or WO_MOVEMENT_ADJUSTMENT, qty != 0), qty (thousandths), note.
 * *id_out receives the movement id. Returns WO_OK, WO_EINVALID, WO_ENOTFOUND,
 * WO_EOUTOFSTOCK (stock would go negative; nothing changes), WO_EOVERFLOW (stock would not
 * fit 64 bits; nothing changes), WO_EFORBIDDEN, WO_EBUSY, WO_ESTORAGE, WO_EINTERNAL. */
WO_API int wo_stock_movement_create(int64_t* id_out, wo_db* db, const wo_actor* actor, const wo_input* fields);

/** *out = stock movement `id` (free with wo_record_free). Actor: staff of the org.
 * Returns WO_OK, WO_EINVALID, WO_ENOTFOUND, WO_ESTORAGE, WO_EFORBIDDEN, WO_EBUSY, WO_EINTERNAL. */
WO_API int wo_stock_movement_get(wo_record** out, wo_db* db, const wo_actor* actor, int64_t id);

/** *out = an iterator over stock movements; filter may be NULL or hold material_id, movement_kind,
 * order_id. Returns WO_OK, WO_EINVALID, WO_EFORBIDDEN, WO_ENOTFOUND, WO_EBUSY, WO_ESTORAGE,
 * WO_EINTERNAL. */
WO_API int wo_stock_movement_list(wo_iter** out, wo_db* db, const wo_actor* actor, const wo_input* filter);

/* ---- labor rates ------------------------------------------------------------------------- */

/** *rate_out = the hourly rate of labor item `labor_item_id` for staff `staff_id`: the active
 * rule for the staff member's department and position, else for the department alone, else
 * the item's default rate. Actor: staff of the org.
 * Returns WO_OK, WO_EINVALID, WO_ENOTFOUND (unknown ids, or no rule and no default rate),
 * WO_EFORBIDDEN, WO_EBUSY, WO_ESTORAGE, WO_EINTERNAL. */
WO_API int wo_labor_rate_resolve(int64_t* rate_out, wo_db* db, const wo_actor* actor, int64_t labor_item_id,
                                 int64_t staff_id);

/* ---- work-order settings and payment channels --------------------------------------------- */

/** *out = the org's work-order settings (工单设置): grab_enabled, grab_limit (0 = unlimited),
 * prepay_timeout_min, accept_timeout_min, rating_timeout_days, auto_rating_score,
 * reopen_window_days (0 disables a timer). Actor: anyone of the org. Free with wo_record_free.
 * Returns WO_OK, WO_EINVALID, WO_EFORBIDDEN (system actor), WO_ESTORAGE, WO_ENOTFOUND, WO_EBUSY,
 * WO_EINTERNAL. */
WO_API int wo_settings_get(wo_record** out, wo_db* db, const wo_actor* actor);

/** Updates the given settings. Actor: an admin. Values must be >= 0; auto_rating_score 1..5.
 * Returns WO_OK, WO_EINVALID, WO_EFORBIDDEN, WO_EBUSY, WO_ESTORAGE, WO_ENOTFOUND, WO_EINTERNAL. */
WO_API int wo_settings_update(wo_db* db, const wo_actor* actor, const wo_input* fields);

/** Enables (1) or disables (0) a payment channel (WO_CHANNEL_*) for the actor's org.
 * Actor: an admin. Returns WO_OK, WO_EINVALID (unknown channel), WO_EFORBIDDEN, WO_EBUSY,
 * WO_ESTORAGE, WO_ENOTFOUND, WO_EINTERNAL. */
WO_API int wo_channel_set_enabled(wo_db* db, const wo_actor* actor, wo_channel channel, int32_t enabled);

/** *out = an iterator over the org's payment_channel records (channel, enabled), one per
 * channel. Actor: anyone of the org. Free with wo_iter_free.
 * Returns WO_OK, WO_EINVALID, WO_EFORBIDDEN, WO_ENOTFOUND, WO_EBUSY, WO_ESTORAGE, WO_EINTERNAL. */
WO_API int wo_channel_list(wo_iter** out, wo_db* db, const wo_actor* actor);

/* ---- work orders: the life cycle --------------------------------------------------------
 * Every call below is one transition of the life-cycle table (docs/lifecycle.md) and one
 * transaction, and writes one history event. Their status codes mean: WO_ENOTFOUND (no such
 * order, or the actor may not see it), WO_ESTATE (the action is not allowed in the order's
 * status), WO_EFORBIDDEN (allowed, but not for this actor), WO_EINVALID (bad argument; the
 * message names it); the codes specific to a call are explained with it. When an order reaches
 * pending_dispatch (submit, prepayment, reject, accept timeout, reopen) and its type has an
 * automatic dispatch strategy, the system assigns it in the same call (an auto_assign event), or
 * records that no one qualified (dispatch_unmatched, for the dispatchers). */

/** Submits an order (docs/rules.md §3). Actor: a tenant contact (reports for their own tenant) or
 * staff (for a tenant: tenant_id + reporter_phone of one of its contacts; else for the org).
 * Fields: subtype_id, description (1..2000), address, source_channel (WO_SOURCE_*) required;
 * spec_id (required for prepaid subtypes), unit_ref, tenant_id, reporter_phone, payer (WO_PAYER_*,
 * staff only), client_token; attachments: up to 9, one wo_input_add_text each; slot_start (Unix
 * ms; required exactly when the subtype has a slot schedule: the slot is booked in the same
 * transaction — WO_ESLOTUNAVAILABLE, WO_ESLOTTOOEARLY, WO_ESLOTHORIZON, WO_ESLOTFULL, each message
 * naming the slot in the org's local time). *id_out receives the order id; with a client_token
 * already used by this actor it receives the first order's id and nothing changes (WO_ECONFLICT if
 * another actor used the token). The order starts awaiting_prepayment when a prepayment is due,
 * else pending_dispatch. Returns WO_OK, WO_EINVALID, WO_ENOTFOUND, WO_ESTATE, WO_EFORBIDDEN,
 * WO_ECONFLICT, WO_ESLOTUNAVAILABLE, WO_ESLOTTOOEARLY, WO_ESLOTHORIZON, WO_ESLOTFULL, WO_EBUSY,
 * WO_ESTORAGE, WO_EINTERNAL. */
WO_API int wo_order_submit(int64_t* id_out, wo_db* db, const wo_actor* actor, const wo_input* draft);

/** Records the prepayment (amount must equal the prepayment due). Actor: the reporter, or a
 * dispatcher/admin recording an offline payment. Fields: channel (WO_CHANNEL_*), amount,
 * provider_txn_id (a repeat with the same amount is a no-op success). Returns WO_OK, WO_EINVALID,
 * WO_ENOTFOUND, WO_ESTATE, WO_EFORBIDDEN, WO_EPAYMENT (wrong amount), WO_ECHANNEL (channel not
 * enabled), WO_ECONFLICT (the provider_txn_id was recorded with another amount or order),
 * WO_EBUSY, WO_ESTORAGE, WO_EINTERNAL. */
WO_API int wo_order_pay_prepayment(wo_db* db, const wo_actor* actor, int64_t order_id, const wo_input* payment);

/** Assigns a pending_dispatch order to staff_id (→ pending_accept). Actor: dispatcher/admin. The
 * staff member must be active, eligible (the type's department and position) and under the grab
 * limit; force = 1 overrides eligibility and the limit. Returns WO_OK, WO_EINVALID, WO_ENOTFOUND,
 * WO_ESTATE, WO_EFORBIDDEN, WO_EINELIGIBLE, WO_EGRABLIMIT, WO_EBUSY, WO_ESTORAGE, WO_EINTERNAL. */
WO_API int wo_order_assign(wo_db* db, const wo_actor* actor, int64_t order_id, int64_t staff_id, int32_t force);

/** Grabs a pending_dispatch order (→ in_progress). Actor: an eligible technician; grabbing must be
 * enabled; of simultaneous grabs exactly one wins (for the others the order has left the pool they
 * can see: WO_ENOTFOUND). Returns WO_OK, WO_EINVALID, WO_ESTATE, WO_EFORBIDDEN, WO_EGRABLIMIT,
 * WO_ENOTFOUND, WO_EBUSY, WO_ESTORAGE, WO_EINTERNAL. */
WO_API int wo_order_grab(wo_db* db, const wo_actor* actor, int64_t order_id);

/** Accepts an assigned order (pending_accept → in_progress). Actor: the assignee. Returns WO_OK,
 * WO_EINVALID, WO_ENOTFOUND, WO_ESTATE, WO_EFORBIDDEN, WO_EBUSY, WO_ESTORAGE, WO_EINTERNAL. */
WO_API int wo_order_accept(wo_db* db, const wo_actor* actor, int64_t order_id);

/** Rejects an assigned order (→ pending_dispatch, assignee cleared). Actor: the assignee. reason:
 * required, 1..2000 characters. Returns WO_OK, WO_EINVALID, WO_ENOTFOUND, WO_ESTATE,
 * WO_EFORBIDDEN, WO_EBUSY, WO_ESTORAGE, WO_EINTERNAL. */
WO_API int wo_order_reject(wo_db* db, const wo_actor* actor, int64_t order_id, const char* reason);

/** Transfers an order in pending_accept or in_progress to staff_id (→ pending_accept); charge lines
 * stay. Actor: the assignee, or a dispatcher/admin (only they may force = 1). reason required.
 * Returns WO_OK, WO_EINVALID, WO_ENOTFOUND, WO_ESTATE, WO_EFORBIDDEN, WO_EINELIGIBLE,
 * WO_EGRABLIMIT, WO_EBUSY, WO_ESTORAGE, WO_EINTERNAL. */
WO_API int wo_order_transfer(wo_db* db, const wo_actor* actor, int64_t order_id, int64_t staff_id, const char* reason,
                             int32_t force);

/** Adds a charge line to an in_progress order. Actor: the assignee. Fields: line_kind (WO_LINE_*),
 * item_id (labor item, material or service item of the order's subtype), qty (thousandths, > 0).
 * Labor is priced at the assignee's rate and material at its unit price, frozen on the line; labor
 * and material need the subtype's consumables_enabled. Material stock is reserved: WO_EOUTOFSTOCK
 * when not enough (a requisition is needed). *line_out receives the line id. Returns WO_OK,
 * WO_EINVALID, WO_ENOTFOUND, WO_ESTATE, WO_EFORBIDDEN, WO_EOVERFLOW, WO_EOUTOFSTOCK, WO_EBUSY,
 * WO_ESTORAGE, WO_EINTERNAL. */
WO_API int wo_order_add_line(int64_t* line_out, wo_db* db, const wo_actor* actor, int64_t order_id,
                             const wo_input* line);

/** Removes a charge line of an in_progress order, releasing reserved stock. Actor: the assignee.
 * Returns WO_OK, WO_EINVALID, WO_ENOTFOUND, WO_ESTATE, WO_EFORBIDDEN, WO_EBUSY, WO_ESTORAGE,
 * WO_EINTERNAL. */
WO_API int wo_order_remove_line(wo_db* db, const wo_actor* actor, int64_t order_id, int64_t line_id);

/** Finishes an in_progress order: reserved materials are consumed and the bill is fixed; it goes to
 * awaiting_payment if the tenant owes a balance, else awaiting_rating (tenant reporter) or
 * completed (staff reporter). An overpayment becomes a refund due. Actor: the assignee, a
 * dispatcher or an admin. Returns WO_OK, WO_EINVALID, WO_ENOTFOUND, WO_ESTATE, WO_EFORBIDDEN,
 * WO_EBUSY, WO_ESTORAGE, WO_EINTERNAL. */
WO_API int wo_order_finish(wo_db* db, const wo_actor* actor, int64_t order_id);

/** Records a payment towards the balance of an awaiting_payment order; partial payments add up, and
 * the order moves on when the balance reaches 0. Actor: the reporter, or a dispatcher/admin
 * (offline). Fields as for wo_order_pay_prepayment. Returns WO_OK, WO_EINVALID, WO_ENOTFOUND,
 * WO_ESTATE, WO_EFORBIDDEN, WO_EPAYMENT (more than the balance), WO_ECHANNEL, WO_ECONFLICT,
 * WO_EBUSY, WO_ESTORAGE, WO_EINTERNAL. */
WO_API int wo_order_pay(wo_db* db, const wo_actor* actor, int64_t order_id, const wo_input* payment);

/** Records a refund the host paid out, at most the refund due (finished with an overpayment, or
 * cancelled after paying). Actor: dispatcher/admin. Fields as for payments. Returns WO_OK,
 * WO_EINVALID, WO_ENOTFOUND, WO_ESTATE, WO_EFORBIDDEN, WO_EPAYMENT (more than due), WO_ECONFLICT,
 * WO_EBUSY, WO_ESTORAGE, WO_EINTERNAL. */
WO_API int wo_order_refund(wo_db* db, const wo_actor* actor, int64_t order_id, const wo_input* refund);

/** Rates an awaiting_rating order (→ completed). Actor: the reporter. score 1..5; comment may be
 * NULL (else up to 2000 characters). Returns WO_OK, WO_EINVALID, WO_ENOTFOUND, WO_ESTATE,
 * WO_EFORBIDDEN, WO_EBUSY, WO_ESTORAGE, WO_EINTERNAL. */
WO_API int wo_order_rate(wo_db* db, const wo_actor* actor, int64_t order_id, int32_t score, const char* comment);

/** Reopens an awaiting_rating order, or a completed one within reopen_window_days (→
 * pending_dispatch, reopen count + 1; lines and payments stay). Actor: the reporter. reason
 * required. Returns WO_OK, WO_EINVALID, WO_ENOTFOUND, WO_ESTATE, WO_EFORBIDDEN, WO_EBUSY,
 * WO_ESTORAGE, WO_EINTERNAL. */
WO_API int wo_order_reopen(wo_db* db, const wo_actor* actor, int64_t order_id, const char* reason);

/** Cancels an order (awaiting_prepayment, pending_dispatch, pending_accept: the reporter or a
 * dispatcher/admin; in_progress: an admin). The slot and reserved stock are released and whatever
 * was paid becomes a refund due. reason required. Returns WO_OK, WO_EINVALID, WO_ENOTFOUND,
 * WO_ESTATE, WO_EFORBIDDEN, WO_EBUSY, WO_ESTORAGE, WO_EINTERNAL. */
WO_API int wo_order_cancel(wo_db* db, const wo_actor* actor, int64_t order_id, const char* reason);

/** Adds a message (1..2000 characters) to the order's history, in any status. Actor: the reporter,
 * the assignee, a dispatcher or an admin. Returns WO_OK, WO_EINVALID, WO_ENOTFOUND, WO_ESTATE,
 * WO_EFORBIDDEN, WO_EBUSY, WO_ESTORAGE, WO_EINTERNAL. */
WO_API int wo_order_message(wo_db* db, const wo_actor* actor, int64_t order_id, const char* text);

/** *staff_out = the staff member the order type's dispatch strategy would assign the
 * pending_dispatch order to now, or 0 when the type is dispatched by hand or no eligible, active
 * technician under the grab limit is left who has not turned the order down. Changes nothing.
 * Actor: a dispatcher or admin. Returns WO_OK, WO_EINVALID, WO_ENOTFOUND, WO_ESTATE (not
 * pending_dispatch), WO_EFORBIDDEN, WO_EBUSY, WO_ESTORAGE, WO_EINTERNAL. */
WO_API int wo_order_dispatch_preview(int64_t* staff_out, wo_db* db, const wo_actor* actor, int64_t order_id);

/** Runs the timers of every org as of now_ms: prepayment timeout (→ cancelled), accept timeout (→
 * pending_dispatch), rating timeout (→ completed with the auto rating); then sends the
 * service-level alerts due (WO_ACTION_SLA_WARNING, WO_ACTION_SLA_BREACH; docs/rules.md §11).
 * *changed_out receives how many orders changed or were alerted (each counted once). Actor: the system actor. Call it periodically (e.g. every minute). Each
 * batch of up to 100 orders is its own transaction: after a failure, earlier batches stay done and
 * calling again continues. Returns WO_OK, WO_EINVALID, WO_ENOTFOUND, WO_EFORBIDDEN, WO_EBUSY,
 * WO_ESTORAGE, WO_EINTERNAL. */
WO_API int wo_tick(int64_t* changed_out, wo_db* db, const wo_actor* actor, int64_t now_ms);

/** *out = the order record: every field of docs/records.md "order" plus its bill: total, owed,
 * balance, refund_due. Free with wo_record_free. Returns WO_OK, WO_EINVALID, WO_ENOTFOUND,
 * WO_EFORBIDDEN, WO_EBUSY, WO_ESTORAGE, WO_EINTERNAL. */
WO_API int wo_order_get(wo_record** out, wo_db* db, const wo_actor* actor, int64_t order_id);

/** *out = an iterator over the order's attachments (records "attachment": id, value). Returns
 * WO_OK, WO_EINVALID, WO_ENOTFOUND, WO_EFORBIDDEN, WO_EBUSY, WO_ESTORAGE, WO_EINTERNAL. */
WO_API int wo_order_attachments(wo_iter** out, wo_db* db, const wo_actor* actor, int64_t order_id);

/** *out = an iterator over the order's charge lines, removed ones included (removed = 1). Returns
 * WO_OK, WO_EINVALID, WO_ENOTFOUND, WO_EFORBIDDEN, WO_EBUSY, WO_ESTORAGE, WO_EINTERNAL. */
WO_API int wo_order_lines(wo_iter** out, wo_db* db, const wo_actor* actor, int64_t order_id);

/** *out = an iterator over the order's payments, prepayments and refunds. Returns WO_OK,
 * WO_EINVALID, WO_ENOTFOUND, WO_EFORBIDDEN, WO_EBUSY, WO_ESTORAGE, WO_EINTERNAL. */
WO_API int wo_order_payments(wo_iter** out, wo_db* db, const wo_actor* actor, int64_t order_id);

/** *out = an iterator over the order's history events with id > after_event_id, oldest first (0 for
 * all): transitions and messages, each with actor, time, from and to status. Returns WO_OK,
 * WO_EINVALID, WO_ENOTFOUND, WO_EFORBIDDEN, WO_EBUSY, WO_ESTORAGE, WO_EINTERNAL. */
WO_API int wo_order_timeline(wo_iter** out, wo_db* db, const wo_actor* actor, int64_t order_id, int64_t after_event_id);

/* ---- appointment slots (预约时段) ----------------------------------------------------------
 * A subtype's schedule is in the org's time zone: days ("mon,tue,wed,thu,fri"), daily
 * windows ("08:00-12:00,13:30-18:00", each [start, end)), slot_minutes (windows are cut into
 * consecutive slots), capacity (bookings per slot), horizon_days (slots on the next
 * horizon_days local dates, today included) and lead_minutes (the earliest bookable start
 * is now + lead). */

/** Creates or replaces the schedule of subtype_id. Actor: an admin. On create every field but
 * lead_minutes is required; on replace, fields not given keep their values. Existing bookings are
 * never cancelled; a capacity lowered below what is booked makes the slot full. Returns WO_OK,
 * WO_EINVALID (unknown weekday, malformed or overlapping windows, a window shorter than a slot,
 * capacity < 1, ...), WO_ENOTFOUND, WO_EFORBIDDEN, WO_EBUSY, WO_ESTORAGE, WO_EINTERNAL. */
WO_API int wo_schedule_set(wo_db* db, const wo_actor* actor, int64_t subtype_id, const wo_input* fields);

/** *out = the schedule of subtype_id (record "slot_schedule"; free with wo_record_free).
 * Actor: staff or a contact of the org. Returns WO_OK, WO_EINVALID, WO_ENOTFOUND (no such
 * subtype, or it has no schedule), WO_EFORBIDDEN, WO_EBUSY, WO_ESTORAGE, WO_EINTERNAL. */
WO_API int wo_schedule_get(wo_record** out, wo_db* db, const wo_actor* actor, int64_t subtype_id);

/** Removes the schedule of subtype_id; booked orders keep their slots. Actor: an admin.
 * Returns WO_OK, WO_EINVALID, WO_ENOTFOUND, WO_EFORBIDDEN, WO_EBUSY, WO_ESTORAGE, WO_EINTERNAL. */
WO_API int wo_schedule_clear(wo_db* db, const wo_actor* actor, int64_t subtype_id);

/** *out = an iterator over every slot of subtype_id whose local start date is in [from_date,
 * to_date] ("YYYY-MM-DD", at most 62 days), in time order: records "slot" with start and end (Unix
 * ms), local_start (ISO 8601 with offset), capacity, booked and available (0 when full, earlier
 * than now + lead, or beyond the horizon). Local times that do not exist on a DST change are
 * skipped; repeated ones appear once, at their first occurrence. Actor: staff or a contact of the
 * org. Free with wo_iter_free. Returns WO_OK, WO_EINVALID (bad date or range), WO_ENOTFOUND,
 * WO_EFORBIDDEN, WO_EBUSY, WO_ESTORAGE, WO_EINTERNAL. */
WO_API int wo_slot_availability(wo_iter** out, wo_db* db, const wo_actor* actor, int64_t subtype_id,
                                const char* from_date, const char* to_date);

/** Moves the order's booking to the slot starting at slot_start (Unix ms), atomically: the new slot
 * is booked and the old released, or nothing changes. Allowed before in_progress
 * (awaiting_prepayment, pending_dispatch, pending_accept). Actor: the reporter, a dispatcher or an
 * admin. Returns WO_OK, WO_EINVALID, WO_ENOTFOUND, WO_ESTATE (no slot, or work has started),
 * WO_EFORBIDDEN, the slot codes of wo_order_submit (WO_ESLOTUNAVAILABLE, WO_ESLOTTOOEARLY,
 * WO_ESLOTHORIZON, WO_ESLOTFULL), WO_EBUSY, WO_ESTORAGE, WO_EINTERNAL. */
WO_API int wo_order_reschedule(wo_db* db, const wo_actor* actor, int64_t order_id, int64_t slot_start);

/* ---- views, order records, dashboard and the event feed (rules §8) -----------------------
 * Queries are a wo_input of kind "order_query" (docs/records.md), or NULL for no filters:
 * status_mask (WO_STATUS_BIT bits; 0 = every status), order_type_id, subtype_id, assignee_id,
 * tenant_id, reporter_contact_id, reporter_staff_id, created_from (inclusive, Unix ms),
 * created_to (exclusive), text (an order number prefix or a substring of the description,
 * up to 200 characters). Every set filter must hold. Ids must name records of the actor's org
 * (else WO_ENOTFOUND). Everything is scoped by what the actor may see (rules §7).
 *
 * Order lists and order records are keyset-paged with opaque cursors: constant time at any
 * depth. Their iterators read page_size (1..200) orders per page, each page in its own read
 * transaction, and can report where they stand (wo_iter_cursor), so a host can show 50
 * orders, keep the cursor, and continue later with a new call from it. A cursor belongs to
 * its list's direction (newest first for wo_order_list, oldest first for wo_order_records);
 * any other, damaged or hand-made cursor is WO_EINVALID naming "cursor". */

/** `*out` = an iterator over the orders of `view` (WO_VIEW_*) narrowed by `query` (may be
 * NULL), newest first (created_at, then id): records of kind "order" with the fields of
 * wo_order_get (the order's fields and its bill: total, owed, balance, refund_due).
 * The list continues after `cursor` (NULL or "" = from the start; else a cursor from
 * wo_iter_cursor of an earlier wo_order_list). page_size: orders per page, 1..200.
 * Views: WO_VIEW_ALL for anyone of the org; WO_VIEW_TENANT_TODO for contacts;
 * WO_VIEW_SUBMITTED_BY_ME for contacts and staff; WO_VIEW_MY_TASKS for staff;
 * WO_VIEW_POOL for technicians (the system actor may use none).
 * The first page is read in this call, so every error surfaces here. Free with wo_iter_free.
 * Returns WO_OK, WO_EINVALID (NULL out, db or actor; unknown view; page_size out of range;
 * a bad cursor; an unknown, mistyped or out-of-range query field, or created_to <=
 * created_from), WO_ENOTFOUND (a query id not of the org), WO_EFORBIDDEN (a view the actor
 * may not use), WO_EBUSY, WO_ESTORAGE, WO_EINTERNAL. */
WO_API int wo_order_list(wo_iter** out, wo_db* db, const wo_actor* actor, wo_view view, const wo_input* query,
                         const char* cursor, int32_t page_size);

/** *out = the cursor that continues `iter`'s list right after the last record wo_iter_next
 * handed out; pass it to a new wo_order_list / wo_order_records call (with the same view and
 * query) to resume there. Before the first record it is the cursor the iterator started from
 * ("" when it started at the beginning). Once the last record of the list has been handed
 * out it is "": nothing is left (passing "" starts over from the beginning). Borrowed from
 * the iterator: valid until the next call on it (wo_iter_next, wo_iter_free).
 * Only iterators of wo_order_list and wo_order_records have cursors.
 * Returns WO_OK, WO_EINVALID (NULL out or iter, an iterator without cursors), WO_EINTERNAL. */
WO_API int wo_iter_cursor(const char** out, wo_iter* iter);

/** *out = an iterator over the order records (订单记录) of `query` (may be NULL) the actor
 * may see, oldest first (created_at, then id): records of kind "order_record" (id, number,
 * order_type, subtype, content, status, reporter, responsible, created_at, accepted_at,
 * finished_at, completed_at, result, total, paid, refunded, balance; docs/records.md).
 * cursor and page_size as for wo_order_list (cursors of this oldest-first list only). The
 * first page is read in this call. Free with wo_iter_free.
 * Returns WO_OK, WO_EINVALID, WO_ENOTFOUND (a query id not of the org), WO_EFORBIDDEN (the
 * system actor), WO_EBUSY, WO_ESTORAGE, WO_EINTERNAL. */
WO_API int wo_order_records(wo_iter** out, wo_db* db, const wo_actor* actor, const wo_input* query,
                            const char* cursor, int32_t page_size);

/** Streams the order records of `query` (may be NULL) as RFC 4180 CSV: UTF-8, a header line,
 * CRLF line ends, org-local ISO 8601 times, amounts in major units (docs/export.md); oldest
 * first, from one read transaction, calling write(ctx, data, len) for each chunk. Memory stays
 * bounded whatever the number of orders. A nonzero return from write stops the export at
 * once: the call returns WO_EABORTED and wo_errmsg() names the value write returned (what was
 * written before stays written). The access rules are those of wo_order_records.
 * Returns WO_OK, WO_EINVALID (NULL db, actor or write; a bad query), WO_ENOTFOUND,
 * WO_EFORBIDDEN, WO_EABORTED, WO_EBUSY, WO_ESTORAGE, WO_EINTERNAL. */
WO_API int wo_export_csv(wo_db* db, const wo_actor* actor, const wo_input* query, wo_write_fn write, void* ctx);

/** *out = the dashboard (数据看板) of the actor's org for orders created in [from_ms, to_ms)
 * (Unix ms), read in one transaction; its figures are defined in docs/dashboard.md. Actor: an
 * admin or a dispatcher. Read it with wo_dashboard_summary and wo_dashboard_rows; free it with
 * wo_dashboard_free. Returns WO_OK, WO_EINVALID (NULL out, db or actor; to_ms <= from_ms, or
 * a range the dashboard refuses: the message says why), WO_ENOTFOUND (unknown actor),
 * WO_EFORBIDDEN (not an admin or dispatcher, or inactive), WO_EOVERFLOW (a money sum beyond
 * int64), WO_EBUSY, WO_ESTORAGE, WO_EINTERNAL. */
WO_API int wo_dashboard_get(wo_dashboard** out, wo_db* db, const wo_actor* actor, int64_t from_ms, int64_t to_ms);

/** Frees a dashboard and its summary record. NULL is a no-op. */
WO_API void wo_dashboard_free(wo_dashboard* dashboard);

/** `*out` = the dashboard's summary, a record of kind "dashboard" borrowed from it: do not free
 * it; it is valid until wo_dashboard_free. Integer fields: from, to (Unix ms); orders;
 * status_<status> per status (status_awaiting_prepayment ... status_cancelled, as
 * WO_STATUS_*); completion_rate_bp, reopen_rate_bp (basis points); rated, rating_mean_x100
 * (the mean score x 100, rounded half up; 0 when none), rating_1 ... rating_5 (how many of
 * each score); for each of submit_to_accept, accept_to_finish and submit_to_complete:
 * `<name>_count`, `<name>_mean_ms`, `<name>_median_ms`, `<name>_p90_ms`; money in minor units:
 * billed, collected, refunded, org_borne; service-level attainment over the range's orders
 * (docs/dashboard.md): response_met, response_breached, response_open, resolution_met,
 * resolution_breached, resolution_open.
 * Returns WO_OK, WO_EINVALID (NULL out or dashboard), WO_EINTERNAL. */
WO_API int wo_dashboard_summary(const wo_record** out, const wo_dashboard* dashboard);

/** `*out` = an iterator over one table of the dashboard (WO_DASHBOARD_*):
 *  WO_DASHBOARD_TYPES     "dashboard_type" records {id, orders, and the six attainment counts
 *                         of the summary}, by ascending order type id;
 *  WO_DASHBOARD_SUBTYPES  "dashboard_subtype" records {id, orders}, by ascending subtype id;
 *  WO_DASHBOARD_DAYS      "dashboard_day" records {date (org-local "YYYY-MM-DD"), created,
 *                         completed}, one per consecutive local day of the range;
 *  WO_DASHBOARD_STAFF     "dashboard_staff" records {staff_id, finished, handling_mean_ms,
 *                         rated, rating_mean_x100, held_now, and the six attainment counts of
 *                         the orders they are assignee of}, by ascending staff id.
 * The iterator holds its own copy: it stays valid after wo_dashboard_free. Free it with
 * wo_iter_free. Returns WO_OK, WO_EINVALID (NULL out or dashboard, unknown table), WO_EINTERNAL. */
WO_API int wo_dashboard_rows(wo_iter** out, const wo_dashboard* dashboard, wo_dashboard_table table);

/** *out = an iterator over the order's messages (wo_order_message), oldest first: records of
 * kind "event" with action WO_ACTION_MESSAGE, the text in details. Read in one transaction
 * with the order. Actor: anyone who may see the order. Free with wo_iter_free.
 * Returns WO_OK, WO_EINVALID, WO_ENOTFOUND (no such order, or the actor may not see it),
 * WO_EBUSY, WO_ESTORAGE, WO_EFORBIDDEN, WO_EINTERNAL. */
WO_API int wo_order_messages(wo_iter** out, wo_db* db, const wo_actor* actor, int64_t order_id);

/** `*out` = an iterator over history events with id > after_event_id (0 for all), ascending by
 * id, for hosts that push notifications: keep the id of the last event handled and continue
 * from it. Records of kind "event" (as wo_order_timeline) whose concerns (WO_AUDIENCE_*) and
 * concerns_id say whom the event concerns. An admin or dispatcher reads every event of the
 * org, the system actor those of every org, a technician or contact the events that concern
 * them (WO_AUDIENCE_STAFF / WO_AUDIENCE_CONTACT with their id). Pages of 200 events, each
 * read in its own transaction; the first is read in this call. Free with wo_iter_free.
 * Returns WO_OK, WO_EINVALID (NULL out, db or actor; after_event_id < 0), WO_ENOTFOUND
 * (unknown actor), WO_EFORBIDDEN (inactive actor), WO_EBUSY, WO_ESTORAGE, WO_EINTERNAL. */
WO_API int wo_event_feed(wo_iter** out, wo_db* db, const wo_actor* actor, int64_t after_event_id);

#ifdef __cplusplus
}
#endif

#endif /* WORKORDER_H */
