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
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** WorkOrderNative against workorder.h: every WO_API function bound, with the header's types. */
class NativeBindingTest {
  private static String header;
  private static final Map<String, String[]> functions = new LinkedHashMap<>(); // name -> [return, params...]

  @BeforeAll
  static void readHeader() throws IOException {
    String path = System.getProperty("workorder.header", "../../capi/include/workorder.h");
    header = Files.readString(Path.of(path), StandardCharsets.UTF_8);
    String code = header.replaceAll("(?s)/\\*.*?\\*/", " ");
    Matcher m = Pattern.compile("(?m)^WO_API\\s+([^;]*?)\\b(wo_\\w+)\\s*\\(([^)]*)\\)\\s*;").matcher(code);
    while (m.find()) {
      List<String> sig = new ArrayList<>();
      sig.add(m.group(1).trim());
      String params = m.group(3).replaceAll("\\s+", " ").trim();
      if (!params.equals("void"))
        for (String p : params.split(",")) sig.add(p.trim().replaceAll("\\s*\\w+$", ""));
      functions.put(m.group(2), sig.toArray(new String[0]));
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
      for (int i = 1; i < sig.length; i++) expected[i - 1] = javaType(sig[i]);
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
  void constantsMatchTheHeaderDefines() throws IllegalAccessException {
    Matcher m = Pattern.compile("(?m)^#define (WO_\\w+) (-?\\d+)").matcher(header);
    int checked = 0;
    while (m.find()) {
      String name = m.group(1);
      int value = Integer.parseInt(m.group(2));
      Field field = find(WorkOrderNative.class, name);
      if (field == null) field = find(WorkOrder.class, name.substring(3)); // WO_ROLE_ADMIN -> ROLE_ADMIN
      if (field == null) field = find(WorkOrderNative.class, name.substring(3)); // WO_ABI_VERSION -> ABI_VERSION
      if (name.startsWith("WO_VERSION_")) continue;
      if (field == null) {
        fail(name + " has no Java constant");
        return;
      }
      assertEquals(value, field.getInt(null), name);
      checked++;
    }
    assertTrue(checked >= 40, "checked only " + checked + " constants");
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
    for (int code = 1; code <= WorkOrderNative.WO_EABORTED; code++) {
      String text = WorkOrder.strerror(code);
      assertFalse(text.isEmpty(), "code " + code);
      assertFalse(text.equals(WorkOrder.strerror(-1)), "code " + code + " has the unknown-code text");
      texts.add(text);
    }
    assertEquals(WorkOrderNative.WO_EABORTED, texts.size(), "each code has its own text: " + texts);
    assertEquals("not found", WorkOrder.strerror(WorkOrderNative.WO_ENOTFOUND));
    assertEquals("unknown status code", WorkOrder.strerror(9999));
  }
}
