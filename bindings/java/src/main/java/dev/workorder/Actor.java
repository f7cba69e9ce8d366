// SPDX-License-Identifier: MIT
package dev.workorder;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;

/**
 * Who is acting ({@code wo_actor}). Every call names one; anything the actor may not see is
 * {@link NotFoundException}. The staff member or contact is checked on each call, not here.
 * Close it when done; a forgotten one is freed once it is unreachable.
 */
public final class Actor extends Handle {
  private final String description;

  private Actor(Pointer p, String description) {
    super(new Resource(p, WorkOrderNative::wo_actor_free), "actor");
    this.description = description;
  }

  /** The system actor: creates orgs and lists them; runs timers. */
  public static Actor system() {
    PointerByReference out = new PointerByReference();
    WorkOrderException.check(WorkOrderNative.wo_actor_system(out));
    return new Actor(out.getValue(), "system");
  }

  /** Staff member {@code staffId} acting with their roles. InvalidArgumentException if id <= 0. */
  public static Actor staff(long staffId) {
    PointerByReference out = new PointerByReference();
    WorkOrderException.check(WorkOrderNative.wo_actor_staff(out, staffId));
    return new Actor(out.getValue(), "staff " + staffId);
  }

  /** Tenant contact {@code contactId}. InvalidArgumentException if id <= 0. */
  public static Actor contact(long contactId) {
    PointerByReference out = new PointerByReference();
    WorkOrderException.check(WorkOrderNative.wo_actor_contact(out, contactId));
    return new Actor(out.getValue(), "contact " + contactId);
  }

  @Override
  public String toString() {
    return "Actor[" + description + "]";
  }
}
