// SPDX-License-Identifier: MIT
package dev.workorder;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Field values for a create, update or list filter ({@code wo_input}), built with chained
 * setters:
 *
 * <pre>{@code
 * try (Input in = new Input().set("name", "李师傅").set("roles", EnumSet.of(Role.TECHNICIAN))) { ... }
 * }</pre>
 *
 * Setting a field again ({@code set}, {@code setNull}) replaces every earlier value of it;
 * {@link #add(String, String)} appends to a list field instead (an order draft's
 * {@code attachments}, one entry per call, in order). Field names and values are checked by the
 * call that uses the input, which names the offending field in its exception. Money is long
 * minor units (fen), quantities long thousandths, times long Unix milliseconds, flags 0/1, and
 * an enumeration's field takes the Java enum ({@link #set(String, CodedEnum)} stores its code;
 * a constant of another enum than the field's is refused with IllegalArgumentException).
 * Close it when done; a forgotten one is freed once it is unreachable.
 */
public final class Input extends Handle {
  public Input() {
    super(new Resource(newInput(), WorkOrderNative::wo_input_free), "input");
  }

  private static Pointer newInput() {
    PointerByReference out = new PointerByReference();
    WorkOrderException.check(WorkOrderNative.wo_input_new(out));
    return out.getValue();
  }

  /**
   * An input holding every entry of {@code fields}: Long/Integer/Short/Byte as integers,
   * Boolean as 0/1, String as text, a {@link CodedEnum} ({@link ChargeMode#FREE}, …) as its
   * code, null as null, a Collection of Strings as a list field (e.g. {@code "attachments",
   * List.of("a.jpg", "b.jpg")}) and a Collection of {@link Role}s as their bit mask. Other value
   * types, and an enum constant of another enum than its field's, throw IllegalArgumentException.
   */
  public static Input from(Map<String, ?> fields) {
    Input in = new Input();
    try {
      for (Map.Entry<String, ?> e : fields.entrySet()) in.setObject(e.getKey(), e.getValue());
      return in;
    } catch (RuntimeException ex) {
      in.close();
      throw ex;
    }
  }

  /** Sets integer field {@code field} (money, quantity, id, enum, flag 0/1, time). */
  public Input set(String field, long value) {
    WorkOrderException.check(WorkOrderNative.wo_input_set_int(pointer(), checkText("field", field), value));
    return this;
  }

  /**
   * The enum of each enumeration-valued field (docs/records.md): a field name means the same
   * enumeration in every record kind. The C side only sees integers, so a constant of another
   * enum (SourceChannel.H5 for "channel") would pass as a valid, wrong value.
   */
  static final Map<String, Class<? extends CodedEnum>> FIELD_ENUMS = Map.ofEntries(
      Map.entry("channel", Channel.class),
      Map.entry("source_channel", SourceChannel.class),
      Map.entry("charge_mode", ChargeMode.class),
      Map.entry("tenant_kind", TenantKind.class),
      Map.entry("movement_kind", MovementKind.class),
      Map.entry("line_kind", LineKind.class),
      Map.entry("payer", Payer.class),
      Map.entry("payment_kind", PaymentKind.class),
      Map.entry("dispatch_strategy", DispatchStrategy.class),
      Map.entry("response_state", ServiceState.class),
      Map.entry("resolution_state", ServiceState.class),
      Map.entry("status", OrderStatus.class),
      Map.entry("from_status", OrderStatus.class),
      Map.entry("to_status", OrderStatus.class),
      Map.entry("action", Action.class),
      Map.entry("concerns", Audience.class),
      Map.entry("actor_kind", ActorKind.class),
      Map.entry("created_by_kind", ActorKind.class),
      Map.entry("recorded_by_kind", ActorKind.class),
      Map.entry("roles", Role.class));

  /**
   * Sets an enumeration's field ({@code source_channel}, {@code charge_mode}, …) to the value's
   * C code. IllegalArgumentException if {@code field} is an enumeration field of another enum
   * (e.g. {@code set("channel", SourceChannel.H5)}); a field name the binding does not know is
   * left for the library to check.
   */
  public Input set(String field, CodedEnum value) {
    if (value == null) throw new IllegalArgumentException("field " + field + ": the enum value is null");
    // getDeclaringClass: a constant with a body is an instance of an anonymous subclass
    Class<?> type = value instanceof Enum ? ((Enum<?>) value).getDeclaringClass() : value.getClass();
    requireEnum(field, type, type.getSimpleName() + "." + value);
    return set(field, (long) value.code());
  }

  /**
   * Sets a roles field (staff.roles) to the bit mask of {@code roles}; an empty set is 0.
   * IllegalArgumentException for an enumeration field other than roles.
   */
  public Input set(String field, Set<Role> roles) {
    if (roles == null) throw new IllegalArgumentException("field " + field + ": the role set is null");
    requireEnum(field, Role.class, "Role set " + roles);
    return set(field, (long) Role.mask(roles));
  }

  // Refuses a constant of enum `given` for a field that takes another enum.
  private static void requireEnum(String field, Class<?> given, String value) {
    Class<? extends CodedEnum> expected = FIELD_ENUMS.get(field);
    if (expected == null || expected == given) return;
    throw new IllegalArgumentException("field " + field + " takes a " + expected.getSimpleName() + ", not " + value);
  }

  /** Sets a 0/1 flag. */
  public Input set(String field, boolean value) {
    return set(field, value ? 1L : 0L);
  }

  /** Sets text field {@code field} (copied, sent as UTF-8). A null value fails with InvalidArgumentException. */
  public Input set(String field, String value) {
    WorkOrderException.check(
        WorkOrderNative.wo_input_set_text(pointer(), checkText("field", field), checkText(field, value)));
    return this;
  }

  /**
   * Appends {@code value} to list field {@code field} ({@code wo_input_add_text}); earlier values
   * of the field are kept. For an order draft's {@code attachments} (up to 9). A null value
   * fails with InvalidArgumentException.
   */
  public Input add(String field, String value) {
    WorkOrderException.check(
        WorkOrderNative.wo_input_add_text(pointer(), checkText("field", field), checkText(field, value)));
    return this;
  }

  /** Sets field {@code field} to null (clears an optional field on update). */
  public Input setNull(String field) {
    WorkOrderException.check(WorkOrderNative.wo_input_set_null(pointer(), checkText("field", field)));
    return this;
  }

  /**
   * Sets a field from a boxed value, as {@link #from} does. A non-empty Collection of Strings
   * replaces the field's earlier values with its entries, in iteration order; a non-empty one of
   * Roles sets their mask; an empty one adds nothing (an Input cannot hold an empty list: leave
   * the field out, or give no roles with {@link #set(String, Set)}).
   */
  public Input setObject(String field, Object value) {
    if (value == null) return setNull(field);
    if (value instanceof CodedEnum) return set(field, (CodedEnum) value);
    if (value instanceof Collection) {
      Collection<?> values = (Collection<?>) value;
      if (!values.isEmpty() && values.stream().allMatch(v -> v instanceof Role)) {
        requireEnum(field, Role.class, "Role set " + values);
        long mask = 0;
        for (Object v : values) mask |= ((Role) v).code();
        return set(field, mask);
      }
      for (Object v : values)
        if (!(v instanceof String))
          throw new IllegalArgumentException("field " + field + ": list entries must be String, got "
              + (v == null ? "null" : v.getClass().getName()));
      Iterator<?> it = values.iterator();
      if (it.hasNext()) set(field, (String) it.next());
      while (it.hasNext()) add(field, (String) it.next());
      return this;
    }
    if (value instanceof String) return set(field, (String) value);
    if (value instanceof Boolean) return set(field, ((Boolean) value).booleanValue());
    if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte)
      return set(field, ((Number) value).longValue());
    throw new IllegalArgumentException(
        "field " + field + ": a " + value.getClass().getName() + " is not an integer, text, enum or null");
  }

  // A C string ends at the first NUL: refuse text that C would silently truncate.
  static String checkText(String what, String s) {
    if (s != null && s.indexOf('\0') >= 0)
      throw new IllegalArgumentException(what + " contains a NUL character, which C strings cannot hold");
    return s;
  }

}
