// SPDX-License-Identifier: MIT
package dev.workorder;

import java.util.List;

/**
 * The dashboard (数据看板) of {@link Database#dashboard}, read whole. {@code summary} is the
 * "dashboard" record (from, to, orders, status_&lt;status&gt;, completion_rate_bp,
 * reopen_rate_bp, rated, rating_mean_x100, rating_1..rating_5, the submit_to_accept,
 * accept_to_finish and submit_to_complete count / mean_ms / median_ms / p90_ms, and billed,
 * collected, refunded, org_borne in minor units, and the service-level attainment counts
 * response_met, response_breached, response_open, resolution_met, resolution_breached,
 * resolution_open); the lists are its tables' records: "dashboard_type" {id, orders, and the six
 * attainment counts}, "dashboard_subtype" {id, orders}, "dashboard_day" {date, created,
 * completed} and "dashboard_staff" {staff_id, finished, handling_mean_ms, rated,
 * rating_mean_x100, held_now, and the six attainment counts of the orders they are assignee
 * of}.
 */
public record Dashboard(Record summary, List<Record> types, List<Record> subtypes, List<Record> days,
    List<Record> staff) {
  /** The records of one table. */
  public List<Record> rows(DashboardTable table) {
    switch (table) {
      case TYPES: return types;
      case SUBTYPES: return subtypes;
      case DAYS: return days;
      case STAFF: return staff;
      default: throw new IllegalArgumentException("unknown dashboard table " + table);
    }
  }
}
