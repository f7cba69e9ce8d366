// SPDX-License-Identifier: MIT
// Creating an org with its first admin in one call, as the system actor (who alone creates
// orgs), for fixtures and tests that need an org of their own.
#pragma once
#include <string>

#include "workorder/actor.hpp"
#include "workorder/catalog.hpp"
#include "workorder/engine.hpp"

namespace test_support {

inline wo::NewOrg create_org(wo::Engine& engine, const std::string& name, const std::string& time_zone,
                             const std::string& admin_name, const std::string& admin_phone) {
  wo::Patch<wo::Org> org;
  org.set(&wo::Org::name, name).set(&wo::Org::time_zone, time_zone);
  wo::Patch<wo::Staff> admin;
  admin.set(&wo::Staff::name, admin_name).set(&wo::Staff::phone, admin_phone);
  return engine.create_org(wo::Actor::system(), org, admin);
}

}  // namespace test_support
