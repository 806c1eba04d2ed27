// Times the token exchange at the service level (ProviderService::exchange: provider choice,
// JWT verification, name binding, token issue) for HS256 (Supabase legacy secret), RS256 and
// ES256 (dev Auth0 and Supabase providers) tokens, and verification alone (the test route), on an
// in-memory store and on a durable one, and prints exchanges per second. Not a test; run it by
// hand: build/release/bench/cs_idp_bench
//
// Each run cycles through a pool of pre-minted tokens for k_identities identities, so after the
// first pass every exchange finds its identity's name already bound, as in steady use.

#include <time.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "common/jwt/sign.h"
#include "devbroker/auth/auth_service.h"
#include "devbroker/auth/provider_service.h"
#include "devbroker/store/store.h"

namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using nlohmann::json;
namespace auth = cs::auth;
namespace store = cs::store;

constexpr std::size_t k_identities = 200;
constexpr std::string_view k_secret = "super-secret-jwt-token-with-32-chars";
const cs::SysSeconds k_now =
    std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());

[[noreturn]] void die(const cs::Error& error) {
  std::fprintf(stderr, "idp_bench: %s\n", error.message.c_str());
  std::exit(1);
}

template <class T>
T check(cs::Result<T> result) {
  if (!result) die(result.error());
  return std::move(*result);
}

std::string email_of(std::size_t i) {
  return "user" + std::to_string(i) + "@example.com";
}

std::vector<std::string> hs256_tokens() {
  const auto key = check(cs::jwt::Key::from_secret(cs::as_bytes(k_secret)));
  const std::int64_t iat = k_now.time_since_epoch().count();
  std::vector<std::string> tokens;
  for (std::size_t i = 0; i < k_identities; ++i) {
    const json claims = {{"iss", "https://bench.supabase.co/auth/v1"},
                         {"sub", "sb-" + std::to_string(i)},
                         {"aud", "authenticated"},
                         {"role", "authenticated"},
                         {"email", email_of(i)},
                         {"iat", iat},
                         {"exp", iat + 3600}};
    tokens.push_back(check(cs::jwt::sign(cs::jwt::Alg::hs256, key, claims)));
  }
  return tokens;
}

std::vector<std::string> dev_tokens(auth::ProviderService& service, const std::string& type) {
  std::vector<std::string> tokens;
  for (std::size_t i = 0; i < k_identities; ++i) {
    const std::string sub = type + "-" + std::to_string(i);
    tokens.push_back(check(service.mint_dev_token({type, email_of(i), sub, 3600s}, k_now)).token);
  }
  return tokens;
}

std::chrono::duration<double> thread_cpu_time() {
  timespec ts{};
  ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return std::chrono::seconds(ts.tv_sec) + std::chrono::nanoseconds(ts.tv_nsec);
}

struct Rate {
  double wall = 0;  // calls per second of elapsed time
  double cpu = 0;   // calls per second of this thread's CPU time: steadier on a shared machine
};

// Calls `op` on each of `tokens` in turn for at least `budget`.
Rate rate(const std::vector<std::string>& tokens, std::chrono::milliseconds budget,
          const std::function<void(const std::string&)>& op) {
  std::size_t calls = 0;
  const auto start = Clock::now();
  const auto cpu_start = thread_cpu_time();
  auto elapsed = Clock::duration::zero();
  while (elapsed < budget) {
    for (const auto& token : tokens) op(token);
    calls += tokens.size();
    elapsed = Clock::now() - start;
  }
  const double n = static_cast<double>(calls);
  return {n / std::chrono::duration<double>(elapsed).count(),
          n / (thread_cpu_time() - cpu_start).count()};
}

void print(const char* what, Rate r) {
  std::printf("  %-34s %8.0f /s  (%8.0f per CPU-second)\n", what, r.wall, r.cpu);
}

void run(const std::filesystem::path& dir, store::Ephemeral ephemeral, const char* label) {
  auto db = check(store::open_store(dir, ephemeral));
  const auto org = check(db.bootstrap(k_now)).org;
  auth::AuthService auth_service(db, org, {});
  if (auto ok = auth_service.load(); !ok) die(ok.error());
  auth::ProviderServiceOptions options;
  options.dev_idp = check(auth::DevIdentityProvider::generate());
  auto service = check(auth::ProviderService::open(db, auth_service, std::move(options)));
  auth::NewProvider supabase;
  supabase.type = "supabase";
  supabase.name = "bench";
  supabase.config = {{"project_url", "https://bench.supabase.co"}, {"jwt_secret", k_secret}};
  const auto provider = check(service->create(supabase, k_now));

  const auto exchange = [&](const std::string& token) {
    check(service->exchange({std::nullopt, token, std::nullopt}, k_now));
  };
  const auto verify = [&](const std::string& token) {
    if (!check(service->test(provider.id, token, k_now)).valid) std::exit(1);
  };
  const auto hs = hs256_tokens();
  const auto rs = dev_tokens(*service, "auth0");
  const auto dev_auth0 = check(service->mint_dev_token({"auth0", "x@example.com", "", 60s}, k_now));
  const auto verify_rs = [&](const std::string& token) {
    if (!check(service->test(dev_auth0.provider.id, token, k_now)).valid) std::exit(1);
  };
  const auto es = dev_tokens(*service, "supabase");
  const auto budget = ephemeral == store::Ephemeral::yes ? 2000ms : 4000ms;
  std::printf("%s store:\n", label);
  print("exchange HS256 (supabase secret):", rate(hs, budget, exchange));
  print("exchange RS256 (dev auth0):", rate(rs, budget, exchange));
  print("exchange ES256 (dev supabase):", rate(es, budget, exchange));
  print("verify only HS256 (test route):", rate(hs, budget, verify));
  print("verify only RS256 (test route):", rate(rs, budget, verify_rs));
}

}  // namespace

int main() {
  std::string pattern = (std::filesystem::temp_directory_path() / "cs_idp_bench.XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    std::perror("idp_bench: mkdtemp");
    return 1;
  }
  const std::filesystem::path dir = pattern;
  std::printf("idp_bench: single thread, %zu identities cycled\n", k_identities);
  std::filesystem::create_directories(dir / "memory");
  std::filesystem::create_directories(dir / "disk");
  run(dir / "memory", store::Ephemeral::yes, "in-memory (--ephemeral)");
  run(dir / "disk", store::Ephemeral::no, "durable (SQLite file, WAL, synchronous=FULL)");
  std::filesystem::remove_all(dir);
  return 0;
}
