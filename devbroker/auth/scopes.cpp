#include "devbroker/auth/scopes.h"

#include <algorithm>

#include "devbroker/auth/acl_internal.h"
#include "devbroker/auth/filter_relations.h"

namespace cs::auth {
namespace {

constexpr std::string_view k_publish_prefix = "publish:";
constexpr std::string_view k_subscribe_prefix = "subscribe:";
constexpr std::string_view k_tokens_create = "tokens:create";
constexpr std::string_view k_tokens_exchange = "tokens:exchange";
constexpr std::string_view k_read = "read";

Result<Scope> bad_filter(std::string_view text, std::string_view reason) {
  std::string message = "the topic filter of scope '";
  message.append(text).append("' is not valid: ").append(reason);
  return fail(ErrorCode::invalid_request, std::move(message));
}

Result<Scope> topic_scope(ScopeKind kind, std::string_view text, std::string_view filter,
                          const mqtt::TopicLimits& limits) {
  if (const auto reason = mqtt::check_topic_filter(filter, limits))
    return bad_filter(text, *reason);
  if (filter.starts_with("$share/"))
    return bad_filter(text, "a scope cannot name a shared subscription ($share/...)");
  if (filter.find('%') != std::string_view::npos)
    return bad_filter(text, "scopes take no placeholders, so '%' is not allowed");
  return Scope{kind, std::string(filter)};
}

}  // namespace

Result<Scope> parse_scope(std::string_view text, const mqtt::TopicLimits& limits) {
  if (text.starts_with(k_publish_prefix))
    return topic_scope(ScopeKind::publish, text, text.substr(k_publish_prefix.size()), limits);
  if (text.starts_with(k_subscribe_prefix))
    return topic_scope(ScopeKind::subscribe, text, text.substr(k_subscribe_prefix.size()), limits);
  if (text == k_tokens_create) return Scope{ScopeKind::tokens_create, {}};
  if (text == k_tokens_exchange) return Scope{ScopeKind::tokens_exchange, {}};
  if (text == k_read) return Scope{ScopeKind::read, {}};
  std::string message = "unknown scope '";
  message.append(text).append(
      "'; scopes are publish:<topic filter>, subscribe:<topic filter>, tokens:create, "
      "tokens:exchange and read");
  return fail(ErrorCode::invalid_request, std::move(message));
}

Result<std::vector<Scope>> parse_scopes(const std::vector<std::string>& texts,
                                        const mqtt::TopicLimits& limits) {
  std::vector<Scope> scopes;
  scopes.reserve(texts.size());
  for (const std::string& text : texts) {
    auto scope = parse_scope(text, limits);
    if (!scope) return fail(scope.error());
    scopes.push_back(std::move(*scope));
  }
  return scopes;
}

std::string scope_text(const Scope& scope) {
  switch (scope.kind) {
    case ScopeKind::publish:
      return std::string(k_publish_prefix).append(scope.filter);
    case ScopeKind::subscribe:
      return std::string(k_subscribe_prefix).append(scope.filter);
    case ScopeKind::tokens_create:
      return std::string(k_tokens_create);
    case ScopeKind::tokens_exchange:
      return std::string(k_tokens_exchange);
    case ScopeKind::read:
      return std::string(k_read);
  }
  return std::string(k_read);
}

bool has_scope(const std::vector<Scope>& scopes, ScopeKind kind) {
  return std::any_of(scopes.begin(), scopes.end(),
                     [kind](const Scope& scope) { return scope.kind == kind; });
}

bool scope_allows(const std::vector<Scope>& scopes, Action action,
                  std::string_view topic_or_filter) {
  const auto request = detail::acl_request(topic_or_filter, action);
  if (!request) return false;
  const ScopeKind wanted = action == Action::publish ? ScopeKind::publish : ScopeKind::subscribe;
  return std::any_of(scopes.begin(), scopes.end(), [&](const Scope& scope) {
    if (scope.kind != wanted) return false;
    return action == Action::publish ? mqtt::topic_matches(scope.filter, *request)
                                     : filter_covers(scope.filter, *request);
  });
}

}  // namespace cs::auth
