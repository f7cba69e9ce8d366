// SPDX-License-Identifier: MIT
package dev.workorder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * WorkOrderNative and the Java enums against workorder.h: every WO_API function bound with the
 * header's types, every constant (#define or enum entry) with a Java counterpart of its value.
 */
class NativeBindingTest {
  private static String header;
  private static final Map<String, String[]> functions = new LinkedHashMap<>(); // name -> [return, params...]
  private static final Map<String, String[]> paramNames = new LinkedHashMap<>(); // name -> param names
  // typedef'd enum name -> its entries (name -> value), in header order.
  private static final Map<String, Map<String, Integer>> enums = new LinkedHashMap<>();

  /** The Java enum of each C enumeration; the others' constants are ints in WorkOrderNative. */
  private static final Map<String, Class<?>> JAVA_ENUMS = Map.ofEntries(
      Map.entry("wo_role", Role.class),
      Map.entry("wo_tenant_kind", TenantKind.class),
      Map.entry("wo_charge_mode", ChargeMode.class),
      Map.entry("wo_channel", Channel.class),
      Map.entry("wo_movement_kind", MovementKind.class),
      Map.entry("wo_dispatch_strategy", DispatchStrategy.class),
      Map.entry("wo_service_state", ServiceState.class),
      Map.entry("wo_order_status", OrderStatus.class),
      Map.entry("wo_view", OrderView.class),
      Map.entry("wo_dashboard_table", DashboardTable.class),
      Map.entry("wo_action", Action.class),
      Map.entry("wo_audience", Audience.class),
      Map.entry("wo_source_channel", SourceChannel.class),
      Map.entry("wo_payer", Payer.class),
      Map.entry("wo_line_kind", LineKind.class),
      Map.entry("wo_payment_kind", PaymentKind.class),
      Map.entry("wo_actor_kind", ActorKind.class));
  /** The C enumerations whose constants stay ints of the raw layer (statuses, field types, open flags). */
  private static final List<String> NATIVE_ONLY = List.of("wo_status", "wo_field_type", "wo_open_flag");

  /** Array parameters (a pointer to `count` entries, not one out-value): "function parameter" -> Java type. */
  private static final Map<String, Class<?>> ARRAYS = Map.of(
      "wo_record_values types_out", int[].class,
      "wo_record_values ints_out", long[].class,
      "wo_record_values texts_out", Pointer.class);

  @BeforeAll
  static void readHeader() throws IOException {
    String path = System.getProperty("workorder.header", "../../capi/include/workorder.h");
    header = Files.readString(Path.of(path), StandardCharsets.UTF_8);
    String code = header.replaceAll("(?s)/\\*.*?\\*/", " ");
    Matcher e = Pattern.compile("typedef WO_ENUM\\((wo_\\w+)\\)\\s*\\{([^}]*)\\}\\s*(wo_\\w+)\\s*;").matcher(code);
    while (e.find()) {
      assertEquals(e.group(1), e.group(3), "typedef name");
      Map<String, Integer> entries = new LinkedHashMap<>();
      Matcher entry = Pattern.compile("(WO_\\w+)\\s*=\\s*(-?\\d+)").matcher(e.group(2));
      while (entry.find()) entries.put(entry.group(1), Integer.parseInt(entry.group(2)));
      enums.put(e.group(1), entries);
    }
    Matcher m = Pattern.compile("(?m)^WO_API\\s+([^;]*?)\\b(wo_\\w+)\\s*\\(([^)]*)\\)\\s*;").matcher(code);
    while (m.find()) {
      List<String> sig = new ArrayList<>();
      List<String> names = new ArrayList<>();
      sig.add(m.group(1).trim());
      String params = m.group(3).replaceAll("\\s+", " ").trim();
      if (!params.equals("void"))
        for (String p : params.split(",")) {
          sig.add(p.trim().replaceAll("\\s*\\w+$", ""));
          names.add(p.trim().replaceAll("^.*?(\\w+)$", "$1"));
        }
      functions.put(m.group(2), sig.toArray(new String[0]));
      paramNames.put(m.group(2), names.toArray(new String[0]));
    }
  }

  /** The Java type a C type maps to in WorkOrderNative. */
  private static Class<?> javaType(String c) {
    String t = c.replace("const ", "").replaceAll("\\s+", "");
    switch (t) {
      case "void": return void.class;
      case "int": case "int32_t": return int.class;
      case "int64_t": return long.class;
      case "char*": return String.class;
      case "int64_t*": return LongByReference.class;
      case "int32_t*": return IntByReference.class;
      case "void*": return Pointer.class;
      case "wo_clock_fn": return WorkOrderNative.ClockFn.class;
      case "wo_write_fn": return WorkOrderNative.WriteFn.class;
      default:
        if (enums.containsKey(t)) return int.class; // a 32-bit C enum; Java passes its code()
        if (t.matches("wo_\\w+\\*\\*|char\\*\\*")) return PointerByReference.class;
        if (t.matches("wo_\\w+\\*")) return Pointer.class;
        throw new AssertionError("no Java mapping for C type " + c);
    }
  }

  @Test
  void headerDeclaresTheWholeAbi() {
    // A sanity floor, so a broken parser cannot make the other checks vacuous.
    assertTrue(functions.size() >= 126, "parsed only " + functions.size() + " functions");
    assertTrue(functions.containsKey("wo_db_open") && functions.containsKey("wo_channel_list"));
    assertTrue(functions.containsKey("wo_order_timeline") && functions.containsKey("wo_order_reschedule"));
    assertTrue(functions.containsKey("wo_order_list") && functions.containsKey("wo_event_feed"));
  }

  @Test
  void writeCallbackMatchesTheHeaderTypedef() throws NoSuchMethodException {
    Matcher m = Pattern.compile("typedef int \\(\\*wo_write_fn\\)\\(([^)]*)\\);").matcher(header);
    assertTrue(m.find(), "wo_write_fn typedef not found");
    assertEquals("void* ctx, const char* data, int64_t len", m.group(1).replaceAll("\\s+", " ").trim());
    Method invoke = WorkOrderNative.WriteFn.class.getMethod("invoke", Pointer.class, Pointer.class, long.class);
    assertEquals(int.class, invoke.getReturnType());
  }

  @Test
  void everyHeaderFunctionIsBoundWithMatchingTypes() {
    Map<String, Method> natives = new LinkedHashMap<>();
    for (Method method : WorkOrderNative.class.getDeclaredMethods())
      if (Modifier.isNative(method.getModifiers())) natives.put(method.getName(), method);
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, String[]> f : functions.entrySet()) {
      Method method = natives.get(f.getKey());
      if (method == null) {
        problems.add(f.getKey() + " is not bound");
        continue;
      }
      String[] sig = f.getValue();
      Class<?>[] expected = new Class<?>[sig.length - 1];
      for (int i = 1; i < sig.length; i++) {
        Class<?> array = ARRAYS.get(f.getKey() + " " + paramNames.get(f.getKey())[i - 1]);
        expected[i - 1] = array != null ? array : javaType(sig[i]);
      }
      if (method.getReturnType() != javaType(sig[0]))
        problems.add(f.getKey() + " returns " + method.getReturnType().getSimpleName() + ", header: " + sig[0]);
      if (!Arrays.equals(method.getParameterTypes(), expected))
        problems.add(f.getKey() + Arrays.toString(method.getParameterTypes()) + ", header: " + Arrays.toString(sig));
    }
    TreeSet<String> extra = new TreeSet<>(natives.keySet());
    extra.removeAll(functions.keySet());
    for (String name : extra) problems.add(name + " is bound but not in workorder.h");
    if (!problems.isEmpty()) fail(String.join("\n", problems));
  }

  @Test
  void headerEnumsAreParsed() {
    assertTrue(enums.size() >= 18, "parsed only " + enums.keySet());
    assertEquals(Integer.valueOf(4), enums.get("wo_role").get("WO_ROLE_TECHNICIAN"));
    assertEquals(Integer.valueOf(20), enums.get("wo_status").get("WO_EINELIGIBLE"));
    assertEquals(Integer.valueOf(21), enums.get("wo_status").get("WO_ENULL"));
    TreeSet<String> unmapped = new TreeSet<>(enums.keySet());
    unmapped.removeAll(JAVA_ENUMS.keySet());
    unmapped.removeAll(NATIVE_ONLY);
    assertEquals(Set.of(), unmapped, "C enumerations with no Java enum (add one, or list it in NATIVE_ONLY)");
  }

  @Test
  void constantsMatchTheHeaderDefines() throws IllegalAccessException {
    Matcher m = Pattern.compile("(?m)^#define (WO_\\w+) (-?\\d+)").matcher(header);
    int checked = 0;
    while (m.find()) {
      String name = m.group(1);
      if (name.startsWith("WO_VERSION_")) continue;
      Field field = find(WorkOrderNative.class, name);
      if (field == null) field = find(WorkOrderNative.class, name.substring(3)); // WO_ABI_VERSION -> ABI_VERSION
      if (field == null) fail(name + " has no Java constant");
      assertEquals(Integer.parseInt(m.group(2)), field.getInt(null), name);
      checked++;
    }
    assertTrue(checked >= 1, "checked only " + checked + " defines");
  }

  @Test
  void enumEntriesMatchTheJavaEnums() throws IllegalAccessException {
    int checked = 0;
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, Map<String, Integer>> e : enums.entrySet()) {
      Class<?> type = JAVA_ENUMS.get(e.getKey());
      if (type == null) {
        // The raw layer's ints: WO_ENOTFOUND, WO_TYPE_TEXT, WO_OPEN_SYNC_NORMAL, ...
        for (Map.Entry<String, Integer> entry : e.getValue().entrySet()) {
          Field field = find(WorkOrderNative.class, entry.getKey());
          if (field == null) problems.add(entry.getKey() + " has no WorkOrderNative constant");
          else if (field.getInt(null) != entry.getValue()) problems.add(entry.getKey() + " = " + field.getInt(null));
          checked++;
        }
        continue;
      }
      // WO_<PREFIX>_<NAME> -> Type.NAME, the prefix being what every entry of the enum shares.
      String prefix = commonPrefix(e.getValue().keySet());
      Map<String, Integer> java = new LinkedHashMap<>();
      for (Object c : type.getEnumConstants()) java.put(((Enum<?>) c).name(), ((CodedEnum) c).code());
      Map<String, Integer> c = new LinkedHashMap<>();
      for (Map.Entry<String, Integer> entry : e.getValue().entrySet())
        c.put(entry.getKey().substring(prefix.length()), entry.getValue());
      if (!c.equals(java)) problems.add(e.getKey() + " " + c + " but " + type.getSimpleName() + " " + java);
      checked += c.size();
    }
    if (!problems.isEmpty()) fail(String.join("\n", problems));
    assertTrue(checked >= 100, "checked only " + checked + " enum entries");
  }

  /** The longest prefix every name shares, cut after its last '_' (WO_CHANNEL_WECHAT, ... -> WO_CHANNEL_). */
  private static String commonPrefix(Set<String> names) {
    String prefix = null;
    for (String n : names) {
      if (prefix == null) prefix = n;
      int i = 0;
      while (i < prefix.length() && i < n.length() && prefix.charAt(i) == n.charAt(i)) i++;
      prefix = prefix.substring(0, i);
    }
    return prefix.substring(0, prefix.lastIndexOf('_') + 1);
  }

  private static Field find(Class<?> cls, String name) {
    try {
      return cls.getField(name);
    } catch (NoSuchFieldException e) {
      return null;
    }
  }

  @Test
  void versionIsTheHeadersVersionString() {
    Matcher m = Pattern.compile("#define WO_VERSION_STRING \"([^\"]+)\"").matcher(header);
    assertTrue(m.find());
    assertEquals(m.group(1), WorkOrder.version());
    String[] parts = m.group(1).split("\\.");
    int expected = Integer.parseInt(parts[0]) * 1000000 + Integer.parseInt(parts[1]) * 1000 + Integer.parseInt(parts[2]);
    assertEquals(expected, WorkOrder.versionNumber());
  }

  @Test
  void strerrorHasTextForEveryCode() {
    TreeSet<String> texts = new TreeSet<>();
    for (int code = 1; code <= WorkOrderNative.WO_ENULL; code++) {
      String text = WorkOrder.strerror(code);
      assertFalse(text.isEmpty(), "code " + code);
      assertFalse(text.equals(WorkOrder.strerror(-1)), "code " + code + " has the unknown-code text");
      texts.add(text);
    }
    assertEquals(WorkOrderNative.WO_ENULL, texts.size(), "each code has its own text: " + texts);
    assertEquals("not found", WorkOrder.strerror(WorkOrderNative.WO_ENOTFOUND));
    assertEquals("unknown status code", WorkOrder.strerror(9999));
  }
}
