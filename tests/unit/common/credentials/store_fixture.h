#pragma once
// Shared by the credential store tests: a real directory under a TempDir, and an in-memory
// keyring standing in for the Secret Service (the real one is tested under tests/integration).

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "common/credentials/store.h"
#include "tests/support/process.h"

namespace cs::credentials::test {

class MemoryKeyring final : public SecretBackend {
 public:
  bool available = true;
  bool refuse_store = false;
  bool refuse_erase = false;

  Result<void> probe() override {
    if (!available) return fail(ErrorCode::unavailable, "there is no D-Bus session bus");
    return {};
  }
  Result<void> store(const SecretKey& key, std::string_view secret) override {
    if (refuse_store) return fail(ErrorCode::unavailable, "the keyring is locked");
    std::lock_guard lock(m_mutex);
    m_items[id(key)] = std::string(secret);
    return {};
  }
  Result<std::optional<std::string>> lookup(const SecretKey& key) override {
    std::lock_guard lock(m_mutex);
    const auto it = m_items.find(id(key));
    if (it == m_items.end()) return std::optional<std::string>{};
    return std::optional<std::string>{it->second};
  }
  Result<void> erase(const SecretKey& key) override {
    if (refuse_erase) return fail(ErrorCode::unavailable, "the keyring is locked");
    std::lock_guard lock(m_mutex);
    m_items.erase(id(key));
    return {};
  }

  /// The secret stored for (`directory`, `profile`, `kind`), if any.
  std::optional<std::string> item(const std::filesystem::path& directory,
                                  const std::string& profile, SecretKind kind) {
    std::lock_guard lock(m_mutex);
    const auto it =
        m_items.find({directory.string(), profile, std::string(secret_kind_name(kind))});
    if (it == m_items.end()) return std::nullopt;
    return it->second;
  }
  std::size_t size() {
    std::lock_guard lock(m_mutex);
    return m_items.size();
  }

 private:
  using Id = std::tuple<std::string, std::string, std::string>;
  static Id id(const SecretKey& key) {
    return {key.directory, key.profile, std::string(secret_kind_name(key.kind))};
  }
  std::mutex m_mutex;
  std::map<Id, std::string> m_items;
};

struct StoreFixture {
  cs::test::TempDir tmp;
  std::filesystem::path dir = std::filesystem::path(tmp.path()) / "home" / ".cloudsignal";
  MemoryKeyring keyring;
  std::vector<std::string> warnings;

  /// A store over `dir` choosing by `choice`, with the memory keyring unless `with_keyring` is
  /// false.
  CredentialStore store(StoreChoice choice = StoreChoice::automatic, bool with_keyring = true) {
    StoreOptions options;
    options.choice = choice;
    options.keyring = with_keyring ? &keyring : nullptr;
    options.warn = [this](std::string_view line) { warnings.emplace_back(line); };
    options.now = [] { return SysSeconds{std::chrono::seconds{1768482000}}; };
    return CredentialStore(dir, std::move(options));
  }

  std::filesystem::path file() const { return dir / "credentials.json"; }
  std::string text() const { return cs::test::read_file(file().string()); }
  std::filesystem::path key_dir() const { return std::filesystem::weakly_canonical(dir); }
};

/// A signed-in session as `login` would save it.
inline Session sample_session(std::string access = "at-1", std::string refresh = "rt-1") {
  Session s;
  s.profile.api_url = "https://api.cloudsignal.io";
  s.profile.email = "ada@example.com";
  s.profile.org_id = "org_1";
  s.profile.org_short_id = "abc123";
  s.profile.access_token_expires_at = SysSeconds{std::chrono::seconds{1768485600}};
  s.secrets.access_token = std::move(access);
  s.secrets.refresh_token = std::move(refresh);
  return s;
}

/// The permission bits of `path`.
inline unsigned mode_of(const std::filesystem::path& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return 0;
  return st.st_mode & 07777;
}

/// The names of the entries of `dir`, sorted.
inline std::vector<std::string> entries(const std::filesystem::path& dir) {
  std::vector<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    names.push_back(e.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace cs::credentials::test
