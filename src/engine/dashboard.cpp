// PLACEHOLDER (being written): the dashboard.
#include "domain/fail.hpp"
#include "engine/context.hpp"

namespace wo {

Dashboard Engine::dashboard(const Actor&, Timestamp, Timestamp) { fail(Code::internal, "dashboard: not written yet"); }

}  // namespace wo
