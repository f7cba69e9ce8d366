// SPDX-License-Identifier: MIT
// Forward migrations. PRAGMA user_version is the index of the last one applied. Column names
// are the record types' field names (include/workorder/catalog.hpp). Never edit a shipped
// migration: append a new one.
#include "store/sqlite/schema.hpp"

namespace wo::sqlite {

const std::vector<std::string_view>& migrations() {
  static const std::vector<std::string_view> list = {
      // 1: organisation and people
      R"sql(
CREATE TABLE org (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  time_zone TEXT NOT NULL,
  currency TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE TABLE department (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES org(id),
  name TEXT NOT NULL,
  active INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX department_name ON department(org_id, name);
CREATE TABLE position (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES org(id),
  name TEXT NOT NULL,
  active INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX position_name ON position(org_id, name);
CREATE TABLE staff (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES org(id),
  name TEXT NOT NULL,
  phone TEXT NOT NULL,
  department_id INTEGER REFERENCES department(id),
  position_id INTEGER REFERENCES position(id),
  roles INTEGER NOT NULL CHECK (roles BETWEEN 0 AND 7),
  active INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX staff_phone ON staff(org_id, phone);
CREATE INDEX staff_eligible ON staff(org_id, department_id, position_id);
CREATE TABLE tenant (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES org(id),
  name TEXT NOT NULL,
  tenant_kind INTEGER NOT NULL,
  active INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX tenant_org ON tenant(org_id);
CREATE TABLE contact (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES org(id),
  tenant_id INTEGER NOT NULL REFERENCES tenant(id),
  name TEXT NOT NULL,
  phone TEXT NOT NULL,
  active INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX contact_phone ON contact(tenant_id, phone);
CREATE INDEX contact_org_phone ON contact(org_id, phone);
)sql",
      // 2: settings catalog; every existing org gets default settings and channel rows
      R"sql(
CREATE TABLE order_type (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES org(id),
  name TEXT NOT NULL,
  department_id INTEGER NOT NULL REFERENCES department(id),
  position_id INTEGER NOT NULL REFERENCES position(id),
  active INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX order_type_name ON order_type(org_id, name);
CREATE TABLE subtype (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES org(id),
  order_type_id INTEGER NOT NULL REFERENCES order_type(id),
  name TEXT NOT NULL,
  charge_mode INTEGER NOT NULL CHECK (charge_mode BETWEEN 0 AND 3),
  deposit_fixed INTEGER CHECK (deposit_fixed >= 0),
  deposit_bps INTEGER CHECK (deposit_bps BETWEEN 1 AND 10000),
  consumables_enabled INTEGER NOT NULL DEFAULT 0,
  active INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX subtype_name ON subtype(order_type_id, name);
CREATE TABLE service_spec (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES org(id),
  subtype_id INTEGER NOT NULL REFERENCES subtype(id),
  name TEXT NOT NULL,
  price INTEGER NOT NULL CHECK (price >= 0),
  active INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX service_spec_subtype ON service_spec(subtype_id);
CREATE TABLE service_item (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES org(id),
  subtype_id INTEGER NOT NULL REFERENCES subtype(id),
  name TEXT NOT NULL,
  price INTEGER NOT NULL CHECK (price >= 0),
  active INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX service_item_subtype ON service_item(subtype_id);
CREATE TABLE labor_item (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES org(id),
  name TEXT NOT NULL,
  default_rate INTEGER CHECK (default_rate >= 0),
  active INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX labor_item_name ON labor_item(org_id, name);
CREATE TABLE labor_rate (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES org(id),
  labor_item_id INTEGER NOT NULL REFERENCES labor_item(id),
  department_id INTEGER NOT NULL REFERENCES department(id),
  position_id INTEGER REFERENCES position(id),
  rate INTEGER NOT NULL CHECK (rate >= 0),
  active INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX labor_rate_key ON labor_rate(labor_item_id, department_id, ifnull(position_id, 0));
CREATE TABLE material (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES org(id),
  sku TEXT NOT NULL,
  name TEXT NOT NULL,
  unit TEXT NOT NULL,
  unit_price INTEGER NOT NULL CHECK (unit_price >= 0),
  stock INTEGER NOT NULL DEFAULT 0 CHECK (stock >= 0),
  active INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX material_sku ON material(org_id, sku);
CREATE TABLE stock_movement (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES org(id),
  material_id INTEGER NOT NULL REFERENCES material(id),
  movement_kind INTEGER NOT NULL,
  qty INTEGER NOT NULL,
  order_id INTEGER,
  note TEXT,
  staff_id INTEGER REFERENCES staff(id),
  created_at INTEGER NOT NULL
);
CREATE INDEX stock_movement_material ON stock_movement(material_id);
CREATE TABLE order_settings (
  id INTEGER PRIMARY KEY REFERENCES org(id),
  grab_enabled INTEGER NOT NULL,
  grab_limit INTEGER NOT NULL CHECK (grab_limit >= 0),
  prepay_timeout_min INTEGER NOT NULL,
  accept_timeout_min INTEGER NOT NULL,
  rating_timeout_days INTEGER NOT NULL,
  auto_rating_score INTEGER NOT NULL CHECK (auto_rating_score BETWEEN 1 AND 5),
  reopen_window_days INTEGER NOT NULL
);
CREATE TABLE payment_channel (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES org(id),
  channel INTEGER NOT NULL,
  enabled INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX payment_channel_key ON payment_channel(org_id, channel);
INSERT INTO order_settings SELECT id, 1, 0, 30, 60, 7, 5, 7 FROM org;
INSERT INTO payment_channel(org_id, channel, enabled)
  SELECT org.id, c.value, 0 FROM org, json_each('[0,1,2,3,4,5]') AS c;
)sql",
      // 3: work orders, charge lines, payments, history
      R"sql(
CREATE TABLE order_counter (
  org_id INTEGER NOT NULL REFERENCES org(id),
  day TEXT NOT NULL,
  last INTEGER NOT NULL,
  PRIMARY KEY (org_id, day)
) WITHOUT ROWID;
CREATE TABLE work_order (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES org(id),
  number TEXT NOT NULL,
  order_type_id INTEGER NOT NULL REFERENCES order_type(id),
  subtype_id INTEGER NOT NULL REFERENCES subtype(id),
  spec_id INTEGER REFERENCES service_spec(id),
  charge_mode INTEGER NOT NULL,
  description TEXT NOT NULL,
  address TEXT NOT NULL,
  unit_ref TEXT,
  tenant_id INTEGER REFERENCES tenant(id),
  reporter_contact_id INTEGER REFERENCES contact(id),
  reporter_staff_id INTEGER REFERENCES staff(id),
  source_channel INTEGER NOT NULL,
  created_by_kind INTEGER NOT NULL,
  created_by_id INTEGER NOT NULL,
  payer INTEGER NOT NULL,
  client_token TEXT,
  assignee_id INTEGER REFERENCES staff(id),
  status INTEGER NOT NULL CHECK (status BETWEEN 0 AND 7),
  status_since INTEGER NOT NULL,
  spec_price INTEGER NOT NULL CHECK (spec_price >= 0),
  lines_total INTEGER NOT NULL CHECK (lines_total >= 0),
  prepay_due INTEGER NOT NULL CHECK (prepay_due >= 0),
  paid INTEGER NOT NULL CHECK (paid >= 0),
  refunded INTEGER NOT NULL CHECK (refunded >= 0 AND refunded <= paid),
  rating INTEGER CHECK (rating BETWEEN 1 AND 5),
  rating_comment TEXT,
  reopen_count INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  prepaid_at INTEGER,
  assigned_at INTEGER,
  accepted_at INTEGER,
  finished_at INTEGER,
  settled_at INTEGER,
  completed_at INTEGER,
  cancelled_at INTEGER
);
CREATE UNIQUE INDEX work_order_number ON work_order(org_id, number);
CREATE UNIQUE INDEX work_order_client_token ON work_order(org_id, client_token) WHERE client_token IS NOT NULL;
CREATE INDEX work_order_status ON work_order(org_id, status, created_at);
CREATE INDEX work_order_created ON work_order(org_id, created_at);
CREATE INDEX work_order_assignee ON work_order(assignee_id, status);
CREATE INDEX work_order_reporter ON work_order(reporter_contact_id, created_at);
CREATE INDEX work_order_timer ON work_order(status, org_id, status_since);
CREATE TABLE order_attachment (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES org(id),
  order_id INTEGER NOT NULL REFERENCES work_order(id),
  value TEXT NOT NULL
);
CREATE INDEX order_attachment_order ON order_attachment(order_id);
CREATE TABLE order_holder (
  id INTEGER PRIMARY KEY,
  order_id INTEGER NOT NULL REFERENCES work_order(id),
  staff_id INTEGER NOT NULL REFERENCES staff(id)
);
CREATE UNIQUE INDEX order_holder_key ON order_holder(order_id, staff_id);
CREATE TABLE charge_line (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES org(id),
  order_id INTEGER NOT NULL REFERENCES work_order(id),
  line_kind INTEGER NOT NULL,
  item_id INTEGER NOT NULL,
  staff_id INTEGER REFERENCES staff(id),
  name TEXT NOT NULL,
  unit_price INTEGER NOT NULL CHECK (unit_price >= 0),
  qty INTEGER NOT NULL CHECK (qty > 0),
  amount INTEGER NOT NULL CHECK (amount >= 0),
  removed INTEGER NOT NULL DEFAULT 0,
  consumed INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL
);
CREATE INDEX charge_line_order ON charge_line(order_id);
CREATE TABLE payment (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES org(id),
  order_id INTEGER NOT NULL REFERENCES work_order(id),
  payment_kind INTEGER NOT NULL,
  channel INTEGER NOT NULL,
  amount INTEGER NOT NULL CHECK (amount > 0),
  provider_txn_id TEXT,
  recorded_by_kind INTEGER NOT NULL,
  recorded_by_id INTEGER NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX payment_order ON payment(order_id);
CREATE UNIQUE INDEX payment_txn ON payment(org_id, provider_txn_id, payment_kind = 2) WHERE provider_txn_id IS NOT NULL;
CREATE TABLE event (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES org(id),
  order_id INTEGER NOT NULL REFERENCES work_order(id),
  action INTEGER NOT NULL,
  actor_kind INTEGER NOT NULL,
  actor_id INTEGER NOT NULL,
  at INTEGER NOT NULL,
  from_status INTEGER,
  to_status INTEGER,
  staff_id INTEGER,
  amount INTEGER,
  details TEXT
);
CREATE INDEX event_order ON event(order_id);
CREATE INDEX event_org ON event(org_id, id);
)sql",
      // 4: appointment slots
      R"sql(
CREATE TABLE slot_schedule (
  id INTEGER PRIMARY KEY REFERENCES subtype(id),
  org_id INTEGER NOT NULL REFERENCES org(id),
  days TEXT NOT NULL,
  windows TEXT NOT NULL,
  slot_minutes INTEGER NOT NULL CHECK (slot_minutes > 0),
  capacity INTEGER NOT NULL CHECK (capacity > 0),
  horizon_days INTEGER NOT NULL CHECK (horizon_days > 0),
  lead_minutes INTEGER NOT NULL CHECK (lead_minutes >= 0)
);
CREATE TABLE slot_booking (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES org(id),
  subtype_id INTEGER NOT NULL REFERENCES subtype(id),
  slot_start INTEGER NOT NULL,
  booked INTEGER NOT NULL CHECK (booked >= 0)
);
CREATE UNIQUE INDEX slot_booking_key ON slot_booking(subtype_id, slot_start);
ALTER TABLE work_order ADD COLUMN slot_start INTEGER;
CREATE INDEX work_order_slot ON work_order(subtype_id, slot_start) WHERE slot_start IS NOT NULL;
)sql",
      // 5: views and the event feed. Every list filter has an index ending in created_at,
      // so a page is one index range at any depth. Older events get the audience the
      // rules can tell from the event alone (assignments); the rest concern nobody.
      R"sql(
ALTER TABLE event ADD COLUMN concerns INTEGER NOT NULL DEFAULT 0;
ALTER TABLE event ADD COLUMN concerns_id INTEGER;
UPDATE event SET concerns = 1, concerns_id = staff_id WHERE action IN (2, 6) AND staff_id IS NOT NULL;
CREATE INDEX event_concerns ON event(concerns, concerns_id, id);
DROP INDEX work_order_assignee;
CREATE INDEX work_order_assignee ON work_order(assignee_id, status, created_at);
CREATE INDEX work_order_type ON work_order(order_type_id, status, created_at);
CREATE INDEX work_order_subtype ON work_order(subtype_id, created_at);
CREATE INDEX work_order_tenant ON work_order(tenant_id, created_at);
CREATE INDEX work_order_reporter_staff ON work_order(reporter_staff_id, created_at);
CREATE INDEX work_order_reporter_status ON work_order(reporter_contact_id, status, created_at);
-- "Orders I hold or held" pages through one index range too: the holder row carries its
-- order's creation instant.
ALTER TABLE order_holder ADD COLUMN order_created_at INTEGER NOT NULL DEFAULT 0;
UPDATE order_holder SET order_created_at = (SELECT created_at FROM work_order WHERE work_order.id = order_holder.order_id);
CREATE INDEX order_holder_staff ON order_holder(staff_id, order_created_at, order_id);
-- The dashboard reads its columns from one covering index instead of the table.
CREATE INDEX work_order_figures ON work_order(org_id, created_at, order_type_id, subtype_id, status, assignee_id,
  accepted_at, finished_at, completed_at, rating, reopen_count, payer, charge_mode, spec_price, lines_total, paid, refunded);
)sql",
      // 6: every org-owned table carries org_id (the path to an org-sharded deployment,
      // docs/scaling.md); order_holder was the one without.
      R"sql(
ALTER TABLE order_holder ADD COLUMN org_id INTEGER NOT NULL DEFAULT 0;
UPDATE order_holder SET org_id = (SELECT org_id FROM work_order WHERE work_order.id = order_holder.order_id);
)sql",
      // 7: automatic dispatch: each order type's strategy and round-robin position, and when
      // each staff member was last handed an order (least_loaded breaks ties by it).
      R"sql(
ALTER TABLE order_type ADD COLUMN dispatch_strategy INTEGER NOT NULL DEFAULT 0;
ALTER TABLE order_type ADD COLUMN last_dispatched_id INTEGER REFERENCES staff(id);
ALTER TABLE staff ADD COLUMN last_assigned_at INTEGER;
)sql",
      // 8: service levels: each subtype's targets, the org's business hours and warning share,
      // and each order's two clocks. The lists' "breached" and "due before" filters page
      // through (org, state, created_at); the tick finds alerts due through sla_alert_at; the
      // dashboard's covering index gains the clocks.
      R"sql(
ALTER TABLE subtype ADD COLUMN response_target_min INTEGER;
ALTER TABLE subtype ADD COLUMN resolution_target_min INTEGER;
ALTER TABLE order_settings ADD COLUMN business_hours TEXT NOT NULL DEFAULT '';
ALTER TABLE order_settings ADD COLUMN business_exceptions TEXT NOT NULL DEFAULT '';
ALTER TABLE order_settings ADD COLUMN sla_warning_percent INTEGER NOT NULL DEFAULT 80;
ALTER TABLE work_order ADD COLUMN response_target_min INTEGER;
ALTER TABLE work_order ADD COLUMN response_due INTEGER;
ALTER TABLE work_order ADD COLUMN response_state INTEGER NOT NULL DEFAULT 0;
ALTER TABLE work_order ADD COLUMN response_used_ms INTEGER NOT NULL DEFAULT 0;
ALTER TABLE work_order ADD COLUMN response_alerts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE work_order ADD COLUMN resolution_target_min INTEGER;
ALTER TABLE work_order ADD COLUMN resolution_due INTEGER;
ALTER TABLE work_order ADD COLUMN resolution_state INTEGER NOT NULL DEFAULT 0;
ALTER TABLE work_order ADD COLUMN resolution_used_ms INTEGER NOT NULL DEFAULT 0;
ALTER TABLE work_order ADD COLUMN resolution_alerts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE work_order ADD COLUMN sla_as_of INTEGER;
ALTER TABLE work_order ADD COLUMN sla_alert_at INTEGER;
CREATE INDEX work_order_response ON work_order(org_id, response_state, created_at);
CREATE INDEX work_order_resolution ON work_order(org_id, resolution_state, created_at);
CREATE INDEX work_order_sla_alert ON work_order(org_id, sla_alert_at) WHERE sla_alert_at IS NOT NULL;
DROP INDEX work_order_figures;
CREATE INDEX work_order_figures ON work_order(org_id, created_at, order_type_id, subtype_id, status, assignee_id,
  accepted_at, finished_at, completed_at, rating, reopen_count, payer, charge_mode, spec_price, lines_total, paid, refunded,
  response_state, response_due, resolution_state, resolution_due);
)sql",
  };
  return list;
}

}  // namespace wo::sqlite
