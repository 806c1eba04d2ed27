// GET /healthz, GET /v2/info, GET /v2/me.

#include "common/version.h"
#include "devbroker/api/api_server.h"
#include "devbroker/api/routes.h"

namespace cs::api {

void add_meta_routes(ApiServer& api) {
  auto& router = api.router();
  router.add({Method::get, "/healthz", Access::open, BodyKind::none, Cors::yes},
             [](Call&) -> Result<Reply> {
               return Reply::json(200, {{"status", "ok"}});
             });

  router.add({Method::get, "/v2/info", Access::open, BodyKind::none, Cors::yes},
             [&api](Call&) -> Result<Reply> {
               const auto& urls = api.deps().urls;
               const auto& org = api.deps().auth.org();
               return Reply::json(200, {{"version", k_version},
                                        {"api_url", urls.api},
                                        {"mqtt_url", urls.mqtt},
                                        {"mqtts_url", urls.mqtts},
                                        {"ws_url", urls.ws},
                                        {"wss_url", urls.wss},
                                        {"organization_id", org.id},
                                        {"org_short_id", org.short_id}});
             });

  router.add(
      {Method::get, "/v2/me", Access::admin, BodyKind::none}, [&api](Call& call) -> Result<Reply> {
        const auto& org = api.deps().auth.org();
        const auto& p = *call.principal;
        nlohmann::json user = nullptr;
        if (p.kind == Principal::Kind::session) {
          user = {{"id", p.user_id.value_or("")}, {"email", p.user_email.value_or("")}};
        }
        nlohmann::json credential = {
            {"kind", p.kind == Principal::Kind::session ? "session" : "api_key"},
            {"full_access", p.full_access}};
        return Reply::json(200, {{"user", user},
                                 {"organization",
                                  {{"id", org.id}, {"short_id", org.short_id}, {"name", org.name}}},
                                 {"credential", credential}});
      });
}

}  // namespace cs::api
