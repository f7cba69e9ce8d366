// SPDX-License-Identifier: MIT
package dev.workorder;

import com.sun.jna.Pointer;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An owned C handle, freed exactly once by {@link #close()}. Using a closed handle throws
 * {@link IllegalStateException} instead of passing a dangling pointer to C. Closing a handle
 * while another thread is still using it is a caller error.
 */
abstract class Handle implements AutoCloseable {
  private final AtomicReference<Pointer> pointer;
  private final String what;

  Handle(Pointer pointer, String what) {
    if (pointer == null) throw new IllegalArgumentException(what + " handle is NULL");
    this.pointer = new AtomicReference<>(pointer);
    this.what = what;
  }

  /** The live C pointer; IllegalStateException once closed. */
  final Pointer pointer() {
    Pointer p = pointer.get();
    if (p == null) throw new IllegalStateException("this " + what + " is closed");
    return p;
  }

  /** The C pointer of h, or NULL for a null h (the C call then fails with WO_EINVALID). */
  static Pointer of(Handle h) {
    return h == null ? null : h.pointer();
  }

  public final boolean isClosed() {
    return pointer.get() == null;
  }

  /** Frees the C handle; a second close does nothing. */
  @Override
  public void close() {
    Pointer p = pointer.getAndSet(null);
    if (p != null) free(p);
  }

  abstract void free(Pointer p);
}
