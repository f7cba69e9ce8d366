// SPDX-License-Identifier: MIT
// A Store wrapper that counts what the engine asks of it, so a test can prove a read takes
// one transaction and never one query per order. Every call is passed on unchanged.
#pragma once
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "workorder/store.hpp"

namespace test_support {

struct StoreCalls {
  int reads = 0, writes = 0;
  int select_orders = 0, scans = 0, held = 0;  // held: count_by of work_order (held now)
  int other_order_reads = 0;  // counts of work_order rows
  std::map<std::string, int> finds, selects;  // by table
  std::vector<wo::OrderFilter> filters;       // of the scans
};

class CountingTx : public wo::Transaction {
 public:
  CountingTx(wo::Transaction& inner, StoreCalls& calls) : in_(inner), n_(calls) {}
  std::int64_t insert(std::string_view t, std::span<const std::string_view> c, const wo::Row& v) override {
    return in_.insert(t, c, v);
  }
  void update(std::string_view t, std::int64_t id, std::span<const std::string_view> c, const wo::Row& v) override {
    in_.update(t, id, c, v);
  }
  void remove(std::string_view t, std::int64_t id) override { in_.remove(t, id); }
  std::optional<wo::Row> find(std::string_view t, std::span<const std::string_view> c, std::int64_t id) override {
    ++n_.finds[std::string(t)];
    return in_.find(t, c, id);
  }
  std::vector<wo::Row> select(std::string_view t, std::span<const std::string_view> c, std::span<const wo::Condition> w,
                              std::int64_t after, int limit) override {
    ++n_.selects[std::string(t)];
    return in_.select(t, c, w, after, limit);
  }
  bool add_bounded(std::string_view t, std::int64_t id, std::string_view c, std::int64_t d, std::int64_t m) override {
    return in_.add_bounded(t, id, c, d, m);
  }
  bool update_where(std::string_view t, std::int64_t id, std::span<const std::string_view> c, const wo::Row& v,
                    std::span<const wo::Condition> w) override {
    return in_.update_where(t, id, c, v, w);
  }
  void lock(std::string_view t, std::int64_t id) override { in_.lock(t, id); }
  std::int64_t count(std::string_view t, std::span<const wo::Condition> w) override {
    if (t == "work_order") ++n_.other_order_reads;
    return in_.count(t, w);
  }
  std::vector<std::pair<std::int64_t, std::int64_t>> count_by(std::string_view t, std::string_view c,
                                                              std::span<const wo::Condition> w) override {
    if (t == "work_order") ++n_.held;
    return in_.count_by(t, c, w);
  }
  std::int64_t next_order_sequence(std::int64_t org, std::string_view day) override {
    return in_.next_order_sequence(org, day);
  }
  bool book_slot(std::int64_t org, std::int64_t sub, std::int64_t start, std::int32_t cap) override {
    return in_.book_slot(org, sub, start, cap);
  }
  void release_slot(std::int64_t sub, std::int64_t start) override { in_.release_slot(sub, start); }
  std::vector<std::pair<std::int64_t, std::int32_t>> slot_bookings(std::int64_t sub, std::int64_t from,
                                                                   std::int64_t to) override {
    return in_.slot_bookings(sub, from, to);
  }
  std::vector<wo::Row> select_orders(const wo::OrderFilter& f, std::span<const std::string_view> c,
                                     const std::optional<wo::OrderKey>& after, bool newest_first, int limit) override {
    ++n_.select_orders;
    return in_.select_orders(f, c, after, newest_first, limit);
  }
  void scan_orders(const wo::OrderFilter& f, std::span<const std::string_view> c,
                   const std::function<bool(const wo::Row&)>& fn) override {
    ++n_.scans;
    n_.filters.push_back(f);
    in_.scan_orders(f, c, fn);
  }
 private:
  wo::Transaction& in_;
  StoreCalls& n_;
};

class CountingStore : public wo::Store {
 public:
  CountingStore(std::unique_ptr<wo::Store> inner, StoreCalls& calls) : in_(std::move(inner)), n_(calls) {}
  void write(const std::function<void(wo::Transaction&)>& fn) override {
    ++n_.writes;
    in_->write([&](wo::Transaction& tx) {
      CountingTx counting(tx, n_);
      fn(counting);
    });
  }
  void read(const std::function<void(wo::Transaction&)>& fn) override {
    ++n_.reads;
    in_->read([&](wo::Transaction& tx) {
      CountingTx counting(tx, n_);
      fn(counting);
    });
  }
  int schema_version() override { return in_->schema_version(); }
  std::int64_t settled_id(std::string_view table) override { return in_->settled_id(table); }

 private:
  std::unique_ptr<wo::Store> in_;
  StoreCalls& n_;
};

}  // namespace test_support
