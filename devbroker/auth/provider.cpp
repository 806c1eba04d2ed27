#include "devbroker/auth/provider.h"

#include <array>
#include <set>

#include "common/http/url.h"

namespace cs::auth {
namespace {

using nlohmann::json;

constexpr std::array<std::pair<ProviderType, std::string_view>, 5> k_names = {{
    {ProviderType::supabase, "supabase"},
    {ProviderType::firebase, "firebase"},
    {ProviderType::auth0, "auth0"},
    {ProviderType::clerk, "clerk"},
    {ProviderType::oidc, "oidc"},
}};

constexpr std::string_view k_firebase_certs =
    "https://www.googleapis.com/robot/v1/metadata/x509/securetoken@system.gserviceaccount.com";

struct FieldSpec {
  std::vector<std::string> required;
  std::vector<std::string> optional;
  std::vector<std::string> urls;  // fields that must be https (or loopback http) URLs
};

FieldSpec spec_for(ProviderType type) {
  // Every type also accepts `issuer` and `jwks_uri` overrides (self-hosted IdPs, tests).
  switch (type) {
    case ProviderType::supabase:
      return {{"project_url"}, {"jwt_secret", "allow_anonymous"}, {"project_url"}};
    case ProviderType::firebase:
      return {{"project_id"}, {}, {}};
    case ProviderType::auth0:
      return {{"domain", "audience"}, {"jwt_secret"}, {}};
    case ProviderType::clerk:
      return {{}, {"frontend_api_dev", "frontend_api_prod", "authorized_parties"}, {}};
    case ProviderType::oidc:
      return {{"issuer", "audience"}, {"algorithms"}, {}};
  }
  return {};
}

auto config_error(std::string message) {
  return fail(ErrorCode::invalid_request, std::move(message),
              "see the provider table in the API documentation");
}

std::string trim_slashes(std::string s) {
  while (!s.empty() && s.back() == '/') s.pop_back();
  return s;
}

// A Clerk frontend API may be given as a host ("clerk.example.com") or a URL.
std::string as_https_url(const std::string& value) {
  if (value.find("://") != std::string::npos) return trim_slashes(value);
  return "https://" + trim_slashes(value);
}

std::string string_field(const json& config, const char* name) {
  auto it = config.find(name);
  return it != config.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

std::optional<ProviderType> provider_type_from_name(std::string_view name) {
  for (const auto& [type, n] : k_names) {
    if (n == name) return type;
  }
  return std::nullopt;
}

std::string_view provider_type_name(ProviderType type) {
  for (const auto& [t, n] : k_names) {
    if (t == type) return n;
  }
  return "oidc";
}

Result<void> validate_provider_config(ProviderType type, const json& config) {
  if (!config.is_object()) return config_error("config must be a JSON object");
  const FieldSpec spec = spec_for(type);
  std::set<std::string> known(spec.required.begin(), spec.required.end());
  known.insert(spec.optional.begin(), spec.optional.end());
  known.insert({"issuer", "jwks_uri"});
  const std::string type_name(provider_type_name(type));

  for (const auto& [key, value] : config.items()) {
    if (!known.contains(key)) {
      return config_error("unknown field '" + key + "' in the config of a " + type_name +
                          " provider");
    }
    if (key == "authorized_parties" || key == "algorithms") {
      if (!value.is_array() || value.empty()) {
        return config_error("'" + key + "' must be a non-empty array of strings");
      }
      for (const auto& v : value) {
        if (!v.is_string() || v.get_ref<const std::string&>().empty()) {
          return config_error("'" + key + "' must be a non-empty array of strings");
        }
        if (key == "algorithms") {
          const auto alg = jwt::alg_from_name(v.get<std::string>());
          if (!alg || jwt::key_type_for(*alg) == jwt::KeyType::hmac) {
            return config_error("unsupported algorithm '" + v.get<std::string>() +
                                "': use RS256/384/512, PS256/384/512, ES256 or ES384");
          }
        }
      }
    } else if (key == "allow_anonymous") {
      if (!value.is_boolean()) return config_error("'allow_anonymous' must be true or false");
    } else if (!value.is_string() || value.get_ref<const std::string&>().empty()) {
      return config_error("'" + key + "' must be a non-empty string");
    }
  }
  for (const auto& field : spec.required) {
    if (!config.contains(field)) {
      return config_error("a provider of type " + type_name + " needs '" + field +
                          "' in its config");
    }
  }
  if (type == ProviderType::clerk && !config.contains("frontend_api_dev") &&
      !config.contains("frontend_api_prod")) {
    return config_error("a clerk provider needs 'frontend_api_dev' and/or 'frontend_api_prod'");
  }
  std::vector<std::string> urls = spec.urls;
  for (const char* field : {"issuer", "jwks_uri"}) urls.emplace_back(field);
  if (type == ProviderType::oidc) urls.emplace_back("issuer");
  for (const auto& field : urls) {
    const std::string value = string_field(config, field.c_str());
    if (value.empty()) continue;
    if (auto url = http::parse_secure_url(value); !url) {
      return config_error("'" + field + "': " + url.error().message);
    }
  }
  for (const char* field : {"frontend_api_dev", "frontend_api_prod"}) {
    const std::string value = string_field(config, field);
    if (value.empty()) continue;
    if (auto url = http::parse_secure_url(as_https_url(value)); !url) {
      return config_error(std::string("'") + field + "': " + url.error().message);
    }
  }
  return {};
}

Result<ProviderRules> rules_for(const Provider& p) {
  if (auto ok = validate_provider_config(p.type, p.config); !ok) return fail(ok.error());
  const json& c = p.config;
  const std::string issuer_override = string_field(c, "issuer");
  const std::string jwks_override = string_field(c, "jwks_uri");
  ProviderRules r;

  auto add_issuer = [&](std::string issuer, std::string keys_url, KeyFormat format) {
    if (!issuer_override.empty()) issuer = issuer_override;
    if (!jwks_override.empty()) {
      keys_url = jwks_override;
      if (format == KeyFormat::discovery) format = KeyFormat::jwks;
    }
    r.issuers.push_back(IssuerRule{issuer, KeyLocation{keys_url, format, issuer}});
  };

  switch (p.type) {
    case ProviderType::supabase: {
      const std::string base = trim_slashes(string_field(c, "project_url"));
      add_issuer(base + "/auth/v1", base + "/auth/v1/.well-known/jwks.json", KeyFormat::jwks);
      r.algs = {jwt::Alg::es256, jwt::Alg::rs256};
      if (c.contains("jwt_secret")) r.hmac_secret = string_field(c, "jwt_secret");
      r.audience = {jwt::AudienceMatch::contains_one_of, {"authenticated"}};
      r.allow_anonymous_users = c.value("allow_anonymous", false);
      break;
    }
    case ProviderType::firebase: {
      const std::string project = string_field(c, "project_id");
      add_issuer("https://securetoken.google.com/" + project, std::string(k_firebase_certs),
                 KeyFormat::x509_map);
      r.algs = {jwt::Alg::rs256};
      r.audience = {jwt::AudienceMatch::equals, {project}};
      r.kid_rule = jwt::KidRule::required;
      break;
    }
    case ProviderType::auth0: {
      std::string domain = string_field(c, "domain");
      if (domain.find("://") != std::string::npos) domain = domain.substr(domain.find("://") + 3);
      domain = trim_slashes(domain);
      add_issuer("https://" + domain + "/", "https://" + domain + "/.well-known/jwks.json",
                 KeyFormat::jwks);
      r.algs = {jwt::Alg::rs256};
      if (c.contains("jwt_secret")) r.hmac_secret = string_field(c, "jwt_secret");
      r.audience = {jwt::AudienceMatch::contains_one_of, {string_field(c, "audience")}};
      break;
    }
    case ProviderType::clerk: {
      for (const char* field : {"frontend_api_dev", "frontend_api_prod"}) {
        const std::string value = string_field(c, field);
        if (value.empty()) continue;
        const std::string url = as_https_url(value);
        add_issuer(url, url + "/.well-known/jwks.json", KeyFormat::jwks);
      }
      r.algs = {jwt::Alg::rs256, jwt::Alg::rs384, jwt::Alg::rs512};
      r.leeway = std::chrono::seconds(5);
      if (c.contains("authorized_parties")) {
        r.authorized_parties = c["authorized_parties"].get<std::vector<std::string>>();
      }
      break;
    }
    case ProviderType::oidc: {
      const std::string issuer = string_field(c, "issuer");
      add_issuer(issuer, trim_slashes(issuer) + "/.well-known/openid-configuration",
                 KeyFormat::discovery);
      r.algs = {jwt::Alg::rs256, jwt::Alg::es256};
      if (c.contains("algorithms")) {
        r.algs.clear();
        for (const auto& name : c["algorithms"])
          r.algs.push_back(*jwt::alg_from_name(name.get<std::string>()));
      }
      r.audience = {jwt::AudienceMatch::contains_one_of, {string_field(c, "audience")}};
      break;
    }
  }
  return r;
}

}  // namespace cs::auth
