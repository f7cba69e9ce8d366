// SPDX-License-Identifier: MIT
package dev.workorder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.sun.jna.Library;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The jar carries the native library where JNA looks for it, under the versioned name. */
class PackagingTest {
  @Test
  void theClassPathCarriesTheLibraryOfThisPlatform() {
    String resource = Platform.RESOURCE_PREFIX + "/" + WorkOrderNative.libraryName();
    assertNotNull(PackagingTest.class.getClassLoader().getResource(resource),
        resource + " is not on the class path: the jar would need -Djna.library.path");
  }

  @Test
  void theBindingLoadsTheVersionedName() {
    if (Platform.isLinux()) {
      assertEquals("libworkorder.so." + WorkOrderNative.ABI_VERSION, WorkOrderNative.libraryName());
    }
    WorkOrder.version(); // loads the library, if no test did yet
    NativeLibrary loaded = NativeLibrary.getInstance(WorkOrderNative.libraryName(),
        Map.of(Library.OPTION_STRING_ENCODING, WorkOrderNative.ENCODING));
    if (System.getProperty("workorder.library", "").isEmpty()) {
      assertEquals(WorkOrderNative.libraryName(), loaded.getFile().getName());
    }
  }
}
