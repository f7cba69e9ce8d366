// SPDX-License-Identifier: MIT
// The Store seam's contract on calls that return nothing (include/workorder/store.hpp): a
// backend may defer append, update, remove, lock, release_slot and prefetch to the
// transaction's next call or its commit. These cases hold on every backend whether it defers or not: the calls
// take effect in call order, a failure of one is thrown before the transaction commits (from
// a later call or from Store::write), with the code the failure deserves, and nothing of that
// transaction is kept.
#include <doctest/doctest.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "support/org.hpp"
#include "support/test_db.hpp"
#include "workorder/engine.hpp"
#include "workorder/errors.hpp"
#include "workorder/store.hpp"

namespace {

using test_support::TestDb;
using wo::Code;
using wo::Condition;
using wo::Row;
using wo::Value;

const std::vector<std::string_view> department_cols{"org_id", "name"};
const std::vector<std::string_view> name_col{"name"};

struct Fixture {
  TestDb db{"store_seam"};
  std::int64_t org = 0;
  std::unique_ptr<wo::Store> store;
  Fixture() {
    {
      wo::Engine engine(db.open());
      org = test_support::create_org(engine, "Seam", "Asia/Shanghai", "Admin", "13800000000").org.value;
    }
    store = db.open();
  }
  std::int64_t departments(std::string_view name) {
    std::int64_t n = 0;
    store->read([&](wo::Transaction& tx) {
      const Condition where[] = {{"org_id", Value{org}}, {"name", Value{std::string(name)}}};
      n = tx.count("department", where);
    });
    return n;
  }
  // The code of the wo::Error that `fn` run as a write throws, or -1 when it throws none.
  int code_of_write(const std::function<void(wo::Transaction&)>& fn) {
    try {
      store->write(fn);
    } catch (const wo::Error& e) {
      return static_cast<int>(e.code());
    }
    return -1;
  }
};

TEST_CASE("calls that return nothing take effect in call order, before the next call's own statement") {
  Fixture f;
  std::optional<Row> seen;
  std::int64_t counted = -1;
  f.store->write([&](wo::Transaction& tx) {
    const std::int64_t id = tx.insert("department", department_cols, Row{Value{f.org}, Value{std::string("Plumbing")}});
    tx.update("department", id, name_col, Row{Value{std::string("Pipes")}});
    tx.append("department", department_cols, Row{Value{f.org}, Value{std::string("Doors")}});
    tx.lock("department", id);
    seen = tx.find("department", name_col, id);
    const Condition where[] = {{"org_id", Value{f.org}}};
    counted = tx.count("department", where);
    tx.remove("department", id);
  });
  REQUIRE(seen);
  CHECK((*seen)[0] == Value{std::string("Pipes")});
  CHECK(counted == 2);
  CHECK(f.departments("Pipes") == 0);  // removed by the last call, at commit
  CHECK(f.departments("Doors") == 1);
}

TEST_CASE("a unique clash of an appended row is a conflict, thrown before commit, and nothing is kept") {
  Fixture f;
  const int code = f.code_of_write([&](wo::Transaction& tx) {
    tx.append("department", department_cols, Row{Value{f.org}, Value{std::string("Twice")}});
    tx.append("department", department_cols, Row{Value{f.org}, Value{std::string("Other")}});
    tx.append("department", department_cols, Row{Value{f.org}, Value{std::string("Twice")}});
  });
  CHECK(code == static_cast<int>(Code::conflict));
  CHECK(f.departments("Twice") == 0);
  CHECK(f.departments("Other") == 0);
}

TEST_CASE("a failed update surfaces from the next call that returns something, before its result") {
  Fixture f;
  std::int64_t first = 0;
  f.store->write([&](wo::Transaction& tx) {
    first = tx.insert("department", department_cols, Row{Value{f.org}, Value{std::string("First")}});
    tx.insert("department", department_cols, Row{Value{f.org}, Value{std::string("Second")}});
  });
  bool read_returned = false;
  const int code = f.code_of_write([&](wo::Transaction& tx) {
    tx.update("department", first, name_col, Row{Value{std::string("Second")}});  // clashes
    tx.find("department", name_col, first);
    read_returned = true;
  });
  CHECK(code == static_cast<int>(Code::conflict));
  // A backend that runs the update at once throws from it; one that defers it throws from
  // the find. Either way the body never sees a result past the failure.
  CHECK_FALSE(read_returned);
  CHECK(f.departments("First") == 1);
  CHECK(f.departments("Second") == 1);
}

TEST_CASE("a broken foreign key in a deferred write is internal, not a user error, and nothing is kept") {
  Fixture f;
  const int code = f.code_of_write([&](wo::Transaction& tx) {
    tx.append("department", department_cols, Row{Value{f.org}, Value{std::string("Kept?")}});
    tx.append("department", department_cols, Row{Value{f.org + 1000}, Value{std::string("Orphan")}});
  });
  CHECK(code == static_cast<int>(Code::internal));
  CHECK(f.departments("Kept?") == 0);
}

TEST_CASE("after a failed deferred write the store runs the next transaction normally") {
  Fixture f;
  CHECK(f.code_of_write([&](wo::Transaction& tx) {
          tx.append("department", department_cols, Row{Value{f.org + 1000}, Value{std::string("Orphan")}});
        }) == static_cast<int>(Code::internal));
  f.store->write([&](wo::Transaction& tx) {
    tx.append("department", department_cols, Row{Value{f.org}, Value{std::string("After")}});
  });
  CHECK(f.departments("After") == 1);
}

TEST_CASE("a prefetched row answers its find as a plain find would, and a write in between voids it") {
  Fixture f;
  std::int64_t id = 0;
  f.store->write([&](wo::Transaction& tx) {
    id = tx.insert("department", department_cols, Row{Value{f.org}, Value{std::string("Before")}});
  });
  std::optional<Row> plain, after_write, missing, again;
  f.store->write([&](wo::Transaction& tx) {
    tx.prefetch("department", name_col, id);
    tx.prefetch("department", name_col, id + 1000);
    plain = tx.find("department", name_col, id);
    missing = tx.find("department", name_col, id + 1000);
    tx.prefetch("department", name_col, id);
    tx.update("department", id, name_col, Row{Value{std::string("After")}});
    after_write = tx.find("department", name_col, id);
    tx.prefetch("department", name_col, id);  // never followed by its find: harmless
  });
  f.store->read([&](wo::Transaction& tx) { again = tx.find("department", name_col, id); });
  REQUIRE(plain);
  CHECK((*plain)[0] == Value{std::string("Before")});
  CHECK_FALSE(missing);
  REQUIRE(after_write);
  CHECK((*after_write)[0] == Value{std::string("After")});
  REQUIRE(again);
  CHECK((*again)[0] == Value{std::string("After")});
}

}  // namespace
