#include "common/jwt/strict_json.h"

#include <set>
#include <string>
#include <vector>

namespace cs::jwt {
namespace {

using json = nlohmann::json;

enum class Problem { none, syntax, duplicate, too_deep };

// A first pass that builds nothing: it only watches member names and nesting, and stops at the
// first problem.
class StrictChecker final : public nlohmann::json_sax<json> {
 public:
  explicit StrictChecker(std::size_t max_depth) : m_max_depth(max_depth) {}

  Problem problem() const { return m_problem; }

  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool string(string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }

  bool start_object(std::size_t) override {
    m_names.emplace_back();
    return enter();
  }
  bool key(string_t& name) override {
    if (m_names.back().insert(name).second) return true;
    m_problem = Problem::duplicate;
    return false;
  }
  bool end_object() override {
    m_names.pop_back();
    --m_depth;
    return true;
  }
  bool start_array(std::size_t) override { return enter(); }
  bool end_array() override {
    --m_depth;
    return true;
  }

  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override {
    if (m_problem == Problem::none) m_problem = Problem::syntax;
    return false;
  }

 private:
  bool enter() {
    if (++m_depth <= m_max_depth) return true;
    m_problem = Problem::too_deep;
    return false;
  }

  std::size_t m_max_depth;
  std::size_t m_depth = 0;
  std::vector<std::set<std::string>> m_names;
  Problem m_problem = Problem::none;
};

}  // namespace

Result<json> parse_strict_json(std::string_view text, std::size_t max_depth) {
  StrictChecker checker(max_depth);
  const bool ok = json::sax_parse(text, &checker, json::input_format_t::json, true);
  switch (checker.problem()) {
    case Problem::duplicate:
      return fail(ErrorCode::invalid_request, "The JSON repeats a member name in one object.");
    case Problem::too_deep:
      return fail(ErrorCode::invalid_request, "The JSON is nested too deeply.");
    case Problem::syntax:
      return fail(ErrorCode::invalid_request, "The text is not valid JSON.");
    case Problem::none:
      break;
  }
  if (!ok) return fail(ErrorCode::invalid_request, "The text is not valid JSON.");
  json value = json::parse(text, nullptr, false);
  if (value.is_discarded()) return fail(ErrorCode::invalid_request, "The text is not valid JSON.");
  return value;
}

}  // namespace cs::jwt
