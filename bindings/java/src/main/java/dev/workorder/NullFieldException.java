// SPDX-License-Identifier: MIT
package dev.workorder;

/**
 * WO_ENULL (21): A record field read with {@code wo_record_get_int} / {@code _get_text} (or their
 * {@code _at} forms) is null. Only the raw layer ({@link WorkOrderNative}) can meet this code:
 * the binding copies records whole with {@code wo_record_values}, where a null field is simply
 * null, so no call of the binding throws it. It exists so that {@link WorkOrderException#of}
 * maps every status code of the header.
 */
public class NullFieldException extends WorkOrderException {
  private static final long serialVersionUID = 1L;

  public NullFieldException(String message) {
    super(WorkOrderNative.WO_ENULL, message);
  }
}
