#include "common/jwt/strict_json.h"

#include <string>
#include <vector>

namespace cs::jwt {
namespace {

using json = nlohmann::json;

enum class Problem { none, syntax, duplicate, too_deep };

// One pass that builds the document and watches member names and nesting as it goes, stopping
// at the first problem. A repeated name is found by looking it up in the object being built.
class StrictBuilder final : public nlohmann::json_sax<json> {
 public:
  explicit StrictBuilder(std::size_t max_depth) : m_max_depth(max_depth) {}

  Problem problem() const { return m_problem; }
  json& root() { return m_root; }

  bool null() override { return add(nullptr); }
  bool boolean(bool value) override { return add(value); }
  bool number_integer(number_integer_t value) override { return add(value); }
  bool number_unsigned(number_unsigned_t value) override { return add(value); }
  bool number_float(number_float_t value, const string_t&) override { return add(value); }
  bool string(string_t& value) override { return add(std::move(value)); }
  bool binary(binary_t& value) override { return add(json::binary(std::move(value))); }

  bool start_object(std::size_t) override { return enter(json::object()); }
  bool key(string_t& name) override {
    auto& object = m_open.back()->get_ref<json::object_t&>();
    auto [it, inserted] = object.try_emplace(std::move(name));
    if (!inserted) {
      m_problem = Problem::duplicate;
      return false;
    }
    m_member = &it->second;
    return true;
  }
  bool end_object() override { return leave(); }
  bool start_array(std::size_t) override { return enter(json::array()); }
  bool end_array() override { return leave(); }

  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override {
    if (m_problem == Problem::none) m_problem = Problem::syntax;
    return false;
  }

 private:
  // Puts `value` where the document is at: the root, the end of an array, or the member whose
  // name came last; returns where it went.
  json* place(json value) {
    if (m_open.empty()) {
      m_root = std::move(value);
      return &m_root;
    }
    if (m_open.back()->is_array()) {
      auto& array = m_open.back()->get_ref<json::array_t&>();
      array.push_back(std::move(value));
      return &array.back();
    }
    *m_member = std::move(value);
    return m_member;
  }
  bool add(json value) {
    place(std::move(value));
    return true;
  }
  bool enter(json container) {
    if (m_open.size() >= m_max_depth) {
      m_problem = Problem::too_deep;
      return false;
    }
    m_open.push_back(place(std::move(container)));
    return true;
  }
  bool leave() {
    m_open.pop_back();
    return true;
  }

  std::size_t m_max_depth;
  json m_root;
  std::vector<json*> m_open;  // the arrays and objects being filled, innermost last
  json* m_member = nullptr;   // the value slot of the member named last
  Problem m_problem = Problem::none;
};

}  // namespace

Result<json> parse_strict_json(std::string_view text, std::size_t max_depth) {
  StrictBuilder builder(max_depth);
  const bool ok = json::sax_parse(text, &builder, json::input_format_t::json, true);
  switch (builder.problem()) {
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
  return std::move(builder.root());
}

}  // namespace cs::jwt
