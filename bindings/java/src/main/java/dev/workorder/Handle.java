// SPDX-License-Identifier: MIT
package dev.workorder;

import com.sun.jna.Pointer;
import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * An owned C handle, freed exactly once: by {@link #close()}, or by a {@link Cleaner} once the
 * Handle is unreachable if the caller forgot to close it. Using a closed handle throws
 * {@link IllegalStateException} instead of passing a dangling pointer to C. Closing a handle
 * while another thread is still using it is a caller error.
 */
abstract class Handle implements AutoCloseable {
  // One daemon thread for the whole binding frees what callers forgot to close.
  private static final Cleaner CLEANER = Cleaner.create();

  /**
   * The C pointer and how to free it: both what close() runs and the Cleaner's action. It must
   * never refer to its Handle (a subclass may not capture one either): a reference would keep
   * the Handle reachable, and the Cleaner would never run.
   */
  static class Resource implements Runnable {
    private final AtomicReference<Pointer> pointer;
    private final Consumer<Pointer> free;
    private volatile boolean released;

    /** {@code free} must be a static function (e.g. {@code WorkOrderNative::wo_actor_free}). */
    Resource(Pointer pointer, Consumer<Pointer> free) {
      this.pointer = new AtomicReference<>(pointer);
      this.free = free;
    }

    /** The live pointer, or null once released. */
    final Pointer get() {
      return pointer.get();
    }

    /** Frees the C handle the first time; later calls (close again, the Cleaner) do nothing. */
    @Override
    public final void run() {
      Pointer p = pointer.getAndSet(null);
      if (p == null) return;
      try {
        release(p);
      } finally {
        released = true;
      }
    }

    /** Frees {@code p}; subclasses free what hangs on the handle too. Runs once. */
    void release(Pointer p) {
      free.accept(p);
    }

    /** Whether the C handle was freed (tests watch this to see the Cleaner at work). */
    final boolean isReleased() {
      return released;
    }
  }

  private final Resource resource;
  private final Cleaner.Cleanable cleanable;
  private final String what;

  Handle(Resource resource, String what) {
    if (resource.get() == null) throw new IllegalArgumentException(what + " handle is NULL");
    this.resource = resource;
    this.what = what;
    this.cleanable = CLEANER.register(this, resource);
  }

  /** The live C pointer; IllegalStateException once closed. */
  final Pointer pointer() {
    Pointer p = resource.get();
    if (p == null) throw new IllegalStateException("this " + what + " is closed");
    return p;
  }

  /** The C pointer of h, or NULL for a null h (the C call then fails with WO_EINVALID). */
  static Pointer of(Handle h) {
    return h == null ? null : h.pointer();
  }

  /** What close() and the Cleaner run; package-private for the tests and for Database. */
  final Resource resource() {
    return resource;
  }

  public final boolean isClosed() {
    return resource.get() == null;
  }

  /** Frees the C handle; a second close does nothing. */
  @Override
  public void close() {
    cleanable.clean(); // runs the resource at most once, and unregisters it from the Cleaner
  }

  /**
   * Throws for a failed status of a native call that used the handles {@code used} (nulls
   * allowed). Passing them here keeps them reachable until the call has returned: a handle the
   * caller never touches again could otherwise be collected, and freed by the Cleaner, while C
   * is still using it.
   */
  static void check(int status, Object... used) {
    try {
      WorkOrderException.check(status);
    } finally {
      Reference.reachabilityFence(used);
      for (Object o : used) Reference.reachabilityFence(o);
    }
  }
}
