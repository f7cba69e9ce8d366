// SPDX-License-Identifier: MIT
package dev.workorder;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One record read back: its kind ("department", "staff", …) and its fields in the library's
 * order, each a {@code Long}, a {@code String} or null. Immutable and plain Java: the C record is
 * copied whole with one {@code wo_record_values} call and freed at once, so a Record needs no
 * closing. A null field reads as null (the C ABI's WO_ENULL never reaches the caller).
 * Enumeration fields read as Java enums with {@link #getEnum}, staff roles with
 * {@link #getRoles}.
 */
public final class Record {
  private final Layout layout;
  private final Object[] values;

  Record(Layout layout, Object[] values) {
    this.layout = layout;
    this.values = values;
  }

  /**
   * The field names of one record kind, in the library's order, looked up once per kind: every
   * record of a kind has the same fields in the same order (workorder.h), so records share them.
   */
  static final class Layout {
    final String kind;
    final String[] names;
    final Map<String, Integer> index;
    final Set<String> nameSet;

    Layout(String kind, String[] names) {
      this.kind = kind;
      this.names = names;
      Map<String, Integer> index = new HashMap<>();
      for (int i = 0; i < names.length; i++) index.putIfAbsent(names[i], i);
      this.index = index;
      this.nameSet = Collections.unmodifiableSet(new LinkedHashSet<>(Arrays.asList(names)));
    }
  }

  // kind -> its Layout; records are read on any thread.
  private static final ConcurrentHashMap<String, Layout> LAYOUTS = new ConcurrentHashMap<>();

  /** The Layout of C record {@code rec} of {@code kind} with {@code count} fields, from the cache. */
  static Layout layout(Pointer rec, String kind, int count) {
    Layout cached = LAYOUTS.get(kind);
    if (cached != null && cached.names.length == count) return cached;
    String[] names = new String[count];
    for (int i = 0; i < count; i++) {
      names[i] = WorkOrderNative.wo_record_field_name(rec, i);
      if (names[i] == null) throw new InternalException("field " + i + " of a " + kind + " record has no name");
    }
    Layout fresh = new Layout(kind, names);
    LAYOUTS.put(kind, fresh); // a count that changed would be a library bug; the newest wins
    return fresh;
  }

  /** Copies the C record {@code rec} (one wo_record_values call) and frees it. */
  static Record take(Pointer rec) {
    return new Reader().take(rec);
  }

  /** Copies the C record {@code rec} and leaves it as it is (a record borrowed from another handle). */
  static Record copy(Pointer rec) {
    return new Reader().copy(rec);
  }

  /**
   * Copies C records with one wo_record_values call each, reusing its buffers between records:
   * a cursor keeps one. Not thread-safe (a cursor is used by one thread at a time).
   */
  static final class Reader {
    private int[] types = new int[0];
    private long[] ints = new long[0];
    private Memory texts;

    /** {@link #copy}, then frees {@code rec} whatever happened. */
    Record take(Pointer rec) {
      try {
        return copy(rec);
      } finally {
        WorkOrderNative.wo_record_free(rec);
      }
    }

    Record copy(Pointer rec) {
      String kind = WorkOrderNative.wo_record_kind(rec);
      if (kind == null) throw new InternalException("a record without a kind");
      int count = WorkOrderNative.wo_record_field_count(rec);
      Layout layout = layout(rec, kind, count);
      Object[] values = new Object[count];
      if (count == 0) return new Record(layout, values);
      if (types.length < count) {
        types = new int[count];
        ints = new long[count];
        texts = new Memory((long) count * Native.POINTER_SIZE);
      }
      WorkOrderException.check(WorkOrderNative.wo_record_values(types, ints, texts, rec, count));
      decode(types, ints, texts, values);
      return new Record(layout, values);
    }
  }

  /**
   * Fills {@code values} from what wo_record_values wrote. A type code this binding does not
   * know (one a newer library added) reads as null, as in the Python binding: one new field
   * must not make every record of its kind unreadable.
   */
  static void decode(int[] types, long[] ints, Pointer texts, Object[] values) {
    for (int i = 0; i < values.length; i++) {
      switch (types[i]) {
        case WorkOrderNative.WO_TYPE_INT:
          values[i] = ints[i];
          break;
        case WorkOrderNative.WO_TYPE_TEXT:
          values[i] = texts.getPointer((long) i * Native.POINTER_SIZE).getString(0, WorkOrderNative.ENCODING);
          break;
        default: // WO_TYPE_NULL, or a type from a newer library
          values[i] = null;
      }
    }
  }

  /** The record's kind: "org", "department", "staff", …, "order_settings", "payment_channel". */
  public String kind() {
    return layout.kind;
  }

  /** A copy of the fields in the library's order: Long, String or null values. */
  public LinkedHashMap<String, Object> fields() {
    LinkedHashMap<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < values.length; i++) m.put(layout.names[i], values[i]);
    return m;
  }

  /** The field names in order (unmodifiable). */
  public Set<String> fieldNames() {
    return layout.nameSet;
  }

  public boolean has(String field) {
    return layout.index.containsKey(field);
  }

  /** The value of {@code field}: Long, String or null. IllegalArgumentException if no such field. */
  public Object get(String field) {
    Integer i = layout.index.get(field);
    if (i == null) throw new IllegalArgumentException(field + " is not a field of " + layout.kind);
    return values[i];
  }

  public boolean isNull(String field) {
    return get(field) == null;
  }

  /** The integer {@code field}. NoSuchElementException if it is null; IllegalArgumentException if text or absent. */
  public long getLong(String field) {
    Object v = nonNull(field);
    if (!(v instanceof Long)) throw new IllegalArgumentException(field + " of " + layout.kind + " is text, not an integer");
    return (Long) v;
  }

  /** The text {@code field}. NoSuchElementException if it is null; IllegalArgumentException if an integer or absent. */
  public String getString(String field) {
    Object v = nonNull(field);
    if (!(v instanceof String)) throw new IllegalArgumentException(field + " of " + layout.kind + " is an integer, not text");
    return (String) v;
  }

  /**
   * The enumeration {@code field} as a constant of {@code type}, e.g.
   * {@code getEnum("status", OrderStatus.class)}. NoSuchElementException if it is null;
   * IllegalArgumentException if text, absent, or a value {@code type} does not have (a value a
   * newer library added: use {@link #findEnum} where that may happen).
   */
  public <E extends Enum<E> & CodedEnum> E getEnum(String field, Class<E> type) {
    return CodedEnum.of(type, getLong(field));
  }

  /**
   * The enumeration {@code field} as a constant of {@code type}, or empty if the field is null
   * or holds a value {@code type} does not have (e.g. one a newer library added; the raw value
   * stays readable with {@link #getLong}). Unlike {@link #getEnum} it does not throw for those;
   * IllegalArgumentException still if the field is text or absent (a programming error).
   */
  public <E extends Enum<E> & CodedEnum> Optional<E> findEnum(String field, Class<E> type) {
    if (type == null) throw new IllegalArgumentException("enum type is null");
    if (get(field) == null) return Optional.empty();
    return CodedEnum.find(type, getLong(field));
  }

  /**
   * The roles of a roles bit-mask {@code field} (staff.roles), as {@link Role#setOf} reads it
   * (a bit of a role this binding does not know is left out).
   */
  public EnumSet<Role> getRoles(String field) {
    return Role.setOf(getLong(field));
  }

  /** The record's id (its "id" field). */
  public long id() {
    return getLong("id");
  }

  private Object nonNull(String field) {
    Object v = get(field);
    if (v == null) throw new NoSuchElementException(field + " of this " + layout.kind + " is null");
    return v;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Record)) return false;
    Record r = (Record) o;
    return r.layout.kind.equals(layout.kind) && Arrays.equals(r.layout.names, layout.names)
        && Arrays.equals(r.values, values);
  }

  @Override
  public int hashCode() {
    return layout.kind.hashCode() * 31 + Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    return layout.kind + fields();
  }
}
