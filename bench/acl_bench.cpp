// Times access-list decisions over 10,000 rules: the index (evaluate) against a scan of every
// rule (rule_verdict), and prints nanoseconds per decision. Not a test; run it by hand.

#include <chrono>
#include <cstddef>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "devbroker/auth/acl_index.h"

namespace {

using cs::auth::AclRule;
using cs::auth::Action;
using cs::auth::Effect;
using cs::auth::Permission;
using Clock = std::chrono::steady_clock;

constexpr std::size_t k_rules = 10000;
constexpr std::size_t k_users = 2000;

struct Request {
  std::string name;
  std::string client_id;
  std::string topic;
  Action action;
};

std::string user(std::size_t i) {
  return "user" + std::to_string(i);
}

// A deployment's shape: a starter rule, per-device and per-area rules for everyone, and a few
// rules for each of many users.
std::vector<AclRule> make_rules(std::mt19937& rng) {
  std::vector<AclRule> rules;
  rules.push_back({"starter", "%", "users/%u/#", Permission::pubsub, Effect::allow});
  rules.push_back({"own-device", "%", "devices/%c/#", Permission::pubsub, Effect::allow});
  rules.push_back({"no-admin", "%", "admin/#", Permission::pubsub, Effect::deny});
  for (std::size_t i = 0; rules.size() < k_rules; ++i) {
    AclRule rule;
    rule.id = "r" + std::to_string(i);
    if (i % 4 == 0) {
      rule.user_pattern = "%";
      rule.topic = "areas/a" + std::to_string(rng() % 500) + "/+/state";
    } else {
      rule.user_pattern = user(rng() % k_users);
      rule.topic = "teams/t" + std::to_string(rng() % 1000) + "/#";
    }
    rule.permission = i % 3 == 0 ? Permission::sub : Permission::pubsub;
    rule.effect = i % 50 == 0 ? Effect::deny : Effect::allow;
    rules.push_back(std::move(rule));
  }
  return rules;
}

std::vector<Request> make_requests(std::mt19937& rng, std::size_t count) {
  std::vector<Request> requests;
  for (std::size_t i = 0; i < count; ++i) {
    Request r;
    r.name = user(rng() % k_users);
    r.client_id = "c" + std::to_string(rng() % 5000);
    r.action = rng() % 2 ? Action::publish : Action::subscribe;
    const bool filter = r.action == Action::subscribe;
    switch (rng() % 4) {
      case 0:
        r.topic = "users/" + (rng() % 2 ? r.name : user(rng() % k_users));
        r.topic.append(filter ? "/#" : "/inbox");
        break;
      case 1:
        r.topic = "teams/t" + std::to_string(rng() % 1000);
        r.topic.append(filter ? "/+/chat" : "/x/chat");
        break;
      case 2:
        r.topic = "areas/a" + std::to_string(rng() % 500);
        r.topic.append("/s1/state");
        break;
      default:
        r.topic = "devices/" + r.client_id;
        r.topic.append("/telemetry");
        break;
    }
    requests.push_back(std::move(r));
  }
  return requests;
}

template <class Decide>
double ns_per_decision(const std::vector<Request>& requests, std::size_t rounds, Decide decide,
                       std::size_t& allowed) {
  const auto start = Clock::now();
  for (std::size_t round = 0; round < rounds; ++round)
    for (const Request& r : requests) allowed += decide(r) ? 1 : 0;
  const std::chrono::duration<double, std::nano> elapsed = Clock::now() - start;
  return elapsed.count() / static_cast<double>(rounds * requests.size());
}

}  // namespace

int main() {
  std::mt19937 rng(42);
  auto index = cs::auth::AclIndex::build(make_rules(rng), {65535, 128});
  if (!index) {
    std::fprintf(stderr, "%s\n", index.error().message.c_str());
    return 1;
  }
  const std::vector<Request> requests = make_requests(rng, 10000);
  std::size_t allowed = 0;
  const double indexed = ns_per_decision(
      requests, 20,
      [&](const Request& r) {
        return evaluate(*index, r.name, r.client_id, r.topic, r.action).allowed;
      },
      allowed);
  const std::vector<Request> few(requests.begin(), requests.begin() + 200);
  std::size_t scanned_allowed = 0;
  const double scanned = ns_per_decision(
      few, 1,
      [&](const Request& r) {
        bool allow = false;
        for (const AclRule& rule : index->rules()) {
          const auto verdict = rule_verdict(rule, r.name, r.client_id, r.topic, r.action);
          if (verdict == Effect::deny) return false;
          allow = allow || verdict == Effect::allow;
        }
        return allow;
      },
      scanned_allowed);
  std::printf(
      "acl_bench: %zu rules, %zu users: index %.0f ns/evaluation (%zu of %zu allowed); "
      "scan of every rule %.0f ns/evaluation\n",
      index->rules().size(), k_users, indexed, allowed, 20 * requests.size(), scanned);
  return 0;
}
