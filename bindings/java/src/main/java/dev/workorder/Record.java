// SPDX-License-Identifier: MIT
package dev.workorder;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * One record read back: its kind ("department", "staff", …) and its fields in the library's
 * order, each a {@code Long}, a {@code String} or null. Immutable and plain Java: the C record is
 * copied field by field and freed at once, so a Record needs no closing.
 */
public final class Record {
  private final String kind;
  private final Map<String, Object> fields;

  private Record(String kind, LinkedHashMap<String, Object> fields) {
    this.kind = kind;
    this.fields = Collections.unmodifiableMap(fields);
  }

  /** Copies the C record {@code rec} (walking field_count / field_name / field_type) and frees it. */
  static Record take(Pointer rec) {
    try {
      return copy(rec);
    } finally {
      WorkOrderNative.wo_record_free(rec);
    }
  }

  /** Copies the C record {@code rec} and leaves it as it is (a record borrowed from another handle). */
  static Record copy(Pointer rec) {
    String kind = WorkOrderNative.wo_record_kind(rec);
    int count = WorkOrderNative.wo_record_field_count(rec);
    LinkedHashMap<String, Object> fields = new LinkedHashMap<>();
    IntByReference type = new IntByReference();
    LongByReference number = new LongByReference();
    PointerByReference text = new PointerByReference();
    for (int i = 0; i < count; i++) {
      String name = WorkOrderNative.wo_record_field_name(rec, i);
      if (name == null) throw new InternalException("field " + i + " of a " + kind + " record has no name");
      WorkOrderException.check(WorkOrderNative.wo_record_field_type(type, rec, name));
      switch (type.getValue()) {
        case WorkOrderNative.WO_TYPE_NULL:
          fields.put(name, null);
          break;
        case WorkOrderNative.WO_TYPE_INT:
          WorkOrderException.check(WorkOrderNative.wo_record_get_int(number, rec, name));
          fields.put(name, number.getValue());
          break;
        case WorkOrderNative.WO_TYPE_TEXT:
          WorkOrderException.check(WorkOrderNative.wo_record_get_text(text, rec, name));
          fields.put(name, text.getValue().getString(0, WorkOrderNative.ENCODING));
          break;
        default:
          throw new InternalException(
              "field " + name + " of a " + kind + " record has unknown type " + type.getValue());
      }
    }
    return new Record(kind, fields);
  }

  /** The record's kind: "org", "department", "staff", …, "order_settings", "payment_channel". */
  public String kind() {
    return kind;
  }

  /** A copy of the fields in the library's order: Long, String or null values. */
  public LinkedHashMap<String, Object> fields() {
    return new LinkedHashMap<>(fields);
  }

  /** The field names in order. */
  public Set<String> fieldNames() {
    return fields.keySet();
  }

  public boolean has(String field) {
    return fields.containsKey(field);
  }

  /** The value of {@code field}: Long, String or null. IllegalArgumentException if no such field. */
  public Object get(String field) {
    if (!fields.containsKey(field)) throw new IllegalArgumentException(field + " is not a field of " + kind);
    return fields.get(field);
  }

  public boolean isNull(String field) {
    return get(field) == null;
  }

  /** The integer {@code field}. NoSuchElementException if it is null; IllegalArgumentException if text or absent. */
  public long getLong(String field) {
    Object v = nonNull(field);
    if (!(v instanceof Long)) throw new IllegalArgumentException(field + " of " + kind + " is text, not an integer");
    return (Long) v;
  }

  /** The text {@code field}. NoSuchElementException if it is null; IllegalArgumentException if an integer or absent. */
  public String getString(String field) {
    Object v = nonNull(field);
    if (!(v instanceof String)) throw new IllegalArgumentException(field + " of " + kind + " is an integer, not text");
    return (String) v;
  }

  /** The record's id (its "id" field). */
  public long id() {
    return getLong("id");
  }

  private Object nonNull(String field) {
    Object v = get(field);
    if (v == null) throw new NoSuchElementException(field + " of this " + kind + " is null");
    return v;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Record && ((Record) o).kind.equals(kind) && ((Record) o).fields.equals(fields);
  }

  @Override
  public int hashCode() {
    return kind.hashCode() * 31 + fields.hashCode();
  }

  @Override
  public String toString() {
    return kind + fields;
  }
}
