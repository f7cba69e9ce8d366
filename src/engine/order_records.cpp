// PLACEHOLDER (being written): order records and the CSV export.
#include "domain/fail.hpp"
#include "engine/context.hpp"

namespace wo {

Page<OrderRecord> Engine::order_records(const Actor&, const OrderQuery&, const std::string&, int) {
  fail(Code::internal, "order_records: not written yet");
}
void Engine::export_csv(const Actor&, const OrderQuery&, const std::function<void(std::string_view)>&) {
  fail(Code::internal, "export_csv: not written yet");
}

}  // namespace wo
