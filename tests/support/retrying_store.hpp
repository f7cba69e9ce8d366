// SPDX-License-Identifier: MIT
// A Store that runs every write transaction twice: the first run is rolled back, as a
// backend does after a serialisation failure or deadlock, and the second commits. The engine
// promises (store.hpp, Store::write) that its write functions have no effect outside the
// transaction, so an engine on this store must behave exactly like one on the plain store;
// an output appended to or a counter bumped inside a write would show up twice.
#pragma once
#include <functional>
#include <memory>
#include <utility>

#include "workorder/store.hpp"

namespace test_support {

class RetryingStore final : public wo::Store {
 public:
  explicit RetryingStore(std::unique_ptr<wo::Store> inner) : inner_(std::move(inner)) {}
  void write(const std::function<void(wo::Transaction&)>& fn) override {
    try {
      inner_->write([&](wo::Transaction& tx) {
        fn(tx);
        throw RolledBack{};
      });
    } catch (const RolledBack&) {
      ++retried_;
    }
    inner_->write(fn);
  }
  void read(const std::function<void(wo::Transaction&)>& fn) override { inner_->read(fn); }
  int schema_version() override { return inner_->schema_version(); }
  std::int64_t settled_id(std::string_view table) override { return inner_->settled_id(table); }
  // Write transactions that were run once and rolled back before running for real.
  long retried() const { return retried_; }

 private:
  struct RolledBack {};
  std::unique_ptr<wo::Store> inner_;
  long retried_ = 0;
};

}  // namespace test_support
