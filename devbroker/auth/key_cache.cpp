#include "devbroker/auth/key_cache.h"

#include <algorithm>
#include <charconv>
#include <nlohmann/json.hpp>

#include "common/http/url.h"
#include "common/jwt/jwk.h"
#include "common/log.h"

namespace cs::auth {
namespace {

bool has_kid(const std::vector<jwt::Key>& keys, const std::string& kid) {
  return std::any_of(keys.begin(), keys.end(), [&](const jwt::Key& k) { return k.kid() == kid; });
}

auto unavailable(const KeyLocation& location, const std::string& why) {
  return fail(ErrorCode::jwks_unavailable,
              "the identity provider's keys at " + location.url + " cannot be fetched: " + why,
              "check the provider's URL and that it is reachable", "jwks_unavailable");
}

}  // namespace

std::optional<std::chrono::seconds> parse_max_age(std::string_view value) {
  std::size_t pos = 0;
  while ((pos = value.find("max-age", pos)) != std::string_view::npos) {
    // Not s-maxage, and not part of another token.
    const bool starts_token = pos == 0 || value[pos - 1] == ' ' || value[pos - 1] == ',';
    pos += 7;
    if (!starts_token || pos >= value.size() || value[pos] != '=') continue;
    ++pos;
    long long seconds = 0;
    const auto [end, ec] =
        std::from_chars(value.data() + pos, value.data() + value.size(), seconds);
    if (ec != std::errc{} || end == value.data() + pos || seconds < 0) return std::nullopt;
    return std::chrono::seconds(std::min<long long>(seconds, 7 * 24 * 3600));
  }
  return std::nullopt;
}

std::shared_ptr<KeyCache::Entry> KeyCache::entry(const KeyLocation& location) {
  // The format and the expected issuer are part of the key: the same URL read as another kind
  // of document, or checked against another issuer, must not share an answer.
  std::string key = location.url;
  key.append("\n")
      .append(std::to_string(static_cast<int>(location.format)))
      .append("\n")
      .append(location.expected_issuer);
  std::lock_guard lock(m_mutex);
  auto& slot = m_entries[key];
  if (!slot) slot = std::make_shared<Entry>();
  return slot;
}

void KeyCache::clear() {
  std::lock_guard lock(m_mutex);
  m_entries.clear();
}

Result<std::pair<std::vector<jwt::Key>, std::chrono::seconds>> KeyCache::load(
    const KeyLocation& location) {
  std::string url = location.url;
  std::optional<std::chrono::seconds> max_age;
  if (location.format == KeyFormat::discovery) {
    auto doc = m_fetcher.fetch(url);
    if (!doc) return unavailable(location, doc.error().message);
    const auto config = nlohmann::json::parse(doc->body, nullptr, false);
    if (!config.is_object() || !config.contains("jwks_uri") || !config["jwks_uri"].is_string()) {
      return unavailable(location, "the discovery document has no jwks_uri");
    }
    // OpenID Connect Discovery 1.0 section 4.3: the document must name the issuer we trust.
    if (config.value("issuer", std::string()) != location.expected_issuer) {
      return unavailable(location, "the discovery document names another issuer");
    }
    url = config["jwks_uri"].get<std::string>();
    if (auto ok = http::parse_secure_url(url); !ok)
      return unavailable(location, ok.error().message);
    max_age = doc->max_age;
  }
  auto doc = m_fetcher.fetch(url);
  if (!doc) return unavailable(location, doc.error().message);
  auto set = location.format == KeyFormat::x509_map ? jwt::parse_x509_map(doc->body)
                                                    : jwt::parse_jwks(doc->body);
  if (!set) return unavailable(location, set.error().message);
  for (const auto& why : set->skipped) log::warn("key at " + url + " skipped: " + why);
  if (doc->max_age && (!max_age || *doc->max_age < *max_age)) max_age = doc->max_age;
  return std::make_pair(std::move(set->keys), max_age.value_or(k_default_key_ttl));
}

void KeyCache::refresh(Entry& e, const KeyLocation& location, SteadyTime now,
                       std::unique_lock<std::mutex>& lock) {
  e.last_attempt = now;
  e.fetching = true;
  lock.unlock();
  auto loaded = load(location);
  lock.lock();
  e.fetching = false;
  if (loaded) {
    e.keys = std::make_shared<const std::vector<jwt::Key>>(std::move(loaded->first));
    e.fresh_until = now + loaded->second;
    e.last_error.reset();
  } else {
    if (e.keys) log::warn(loaded.error().message + "; using the keys fetched before");
    e.last_error = std::move(loaded.error());
  }
  e.fetched.notify_all();
}

Result<std::vector<jwt::Key>> KeyCache::keys(const KeyLocation& location,
                                             const std::optional<std::string>& kid,
                                             SteadyTime now) {
  const auto e = entry(location);
  std::unique_lock lock(e->mutex);
  const bool fresh = e->keys && now < e->fresh_until;
  const bool kid_unknown = e->keys && kid && !has_kid(*e->keys, *kid);
  if (!e->keys || !fresh || kid_unknown) {
    if (e->fetching) {
      // Stale keys serve while another thread refreshes them; a caller whose answer depends on
      // that fetch waits for it rather than starting another.
      if (!e->keys || kid_unknown) e->fetched.wait(lock, [&] { return !e->fetching; });
    } else if (!e->last_attempt || now - *e->last_attempt >= k_refetch_interval) {
      // A missing kid or a failing endpoint refetches at most once per interval, so a flood of
      // bad tokens never becomes a flood of requests.
      refresh(*e, location, now, lock);
    }
  }
  if (!e->keys) {
    if (e->last_error) return fail(*e->last_error);
    return unavailable(location, "no keys have been fetched yet");
  }
  return *e->keys;
}

}  // namespace cs::auth
