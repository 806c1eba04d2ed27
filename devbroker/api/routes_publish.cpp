// POST /v1/publish: a message from a server-side caller, handed to the broker's event loop and
// answered once it is routed and what it left in the store has committed.

#include <future>

#include "devbroker/api/api_server.h"
#include "devbroker/api/body.h"
#include "devbroker/api/routes.h"
#include "devbroker/mqtt/topic.h"

namespace cs::api {
namespace {

// Who may publish where: a full-access caller anywhere but the server's own `$` topics; a
// restricted key where its publish scopes allow.
Result<void> authorize(const Principal& principal, const std::string& topic) {
  if (!topic.empty() && topic.front() == '$') {
    return fail(ErrorCode::forbidden, "topics starting with '$' belong to the server");
  }
  if (principal.full_access) return {};
  if (auth::scope_allows(principal.scopes, auth::Action::publish, topic)) return {};
  return fail(ErrorCode::forbidden, "the API key's scopes do not allow publishing to " + topic);
}

Result<Reply> publish(ApiServer& api, Call& call) {
  const Fields fields(call.body);
  auto topic = fields.required_string("topic", 65535);
  if (!topic) return fail(topic.error());
  const mqtt::TopicLimits limits = api.deps().auth.topic_limits();
  if (auto problem = mqtt::check_topic_name(*topic, limits)) {
    return fail(ErrorCode::invalid_request, "\"topic\" " + *problem);
  }
  auto qos = fields.optional_int("qos", 0, 2);
  if (!qos) return fail(qos.error());
  auto retain = fields.optional_bool("retain");
  if (!retain) return fail(retain.error());
  const auto payload = fields.raw("payload");
  if (auto ok = authorize(*call.principal, *topic); !ok) return fail(ok.error());

  PublishCommand command;
  command.topic = std::move(*topic);
  // A string is sent as its bytes; any other JSON value as its JSON text.
  if (payload)
    command.payload = payload->is_string() ? payload->get<std::string>() : payload->dump();
  command.qos = static_cast<std::uint8_t>(qos->value_or(1));
  command.retain = retain->value_or(false);

  auto promise = std::make_shared<std::promise<Result<void>>>();
  auto future = promise->get_future();
  api.deps().publish(std::move(command),
                     [promise](Result<void> done) { promise->set_value(done); });
  if (future.wait_for(api.options().publish_timeout) != std::future_status::ready) {
    return fail(ErrorCode::unavailable, "the broker did not confirm the message in time");
  }
  if (auto ok = future.get(); !ok) return fail(ok.error());
  return Reply::json(200, {{"status", "published"}});
}

}  // namespace

void add_publish_routes(ApiServer& api) {
  api.router().add({Method::post, "/v1/publish", Access::admin, BodyKind::json},
                   [&api](Call& call) { return publish(api, call); });
}

}  // namespace cs::api
