// SPDX-License-Identifier: MIT
package dev.workorder;

/** WO_ECHANNEL (11): The payment channel is not enabled. */
public class ChannelDisabledException extends WorkOrderException {
  private static final long serialVersionUID = 1L;

  public ChannelDisabledException(String message) {
    super(WorkOrderNative.WO_ECHANNEL, message);
  }
}
