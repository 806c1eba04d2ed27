#include "devbroker/auth/dev_idp.h"

#include <fstream>
#include <optional>
#include <sstream>

#include "common/fs/atomic_file.h"
#include "common/fs/dir_lock.h"
#include "common/log.h"

namespace cs::auth {
namespace {

namespace stdfs = std::filesystem;
using nlohmann::json;

constexpr unsigned k_key_mode = 0600;

// The whole file, or nullopt when it does not exist.
Result<std::optional<std::string>> read_optional(const stdfs::path& path) {
  std::error_code ec;
  if (!stdfs::exists(path, ec)) return std::optional<std::string>{};
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(ErrorCode::io, "cannot read " + path.string());
  std::ostringstream text;
  text << in.rdbuf();
  return std::optional<std::string>(text.str());
}

Result<DevIdentityProvider> create(const stdfs::path& rsa_path, const stdfs::path& ec_path) {
  auto idp = DevIdentityProvider::generate();
  if (!idp) return fail(idp.error());
  auto rsa = idp->rsa_pem();
  if (!rsa) return fail(rsa.error());
  auto ec = idp->ec_pem();
  if (!ec) return fail(ec.error());
  if (auto ok = fs::write_file_atomic(rsa_path, *rsa, k_key_mode); !ok) return fail(ok.error());
  if (auto ok = fs::write_file_atomic(ec_path, *ec, k_key_mode); !ok) return fail(ok.error());
  return idp;
}

}  // namespace

Result<DevIdentityProvider> load_or_create_dev_idp(const stdfs::path& dir) {
  if (auto ok = fs::make_private_dir(dir); !ok) return fail(ok.error());
  fs::DirectoryLock lock(dir);
  const stdfs::path rsa_path = dir / k_dev_idp_rsa_file;
  const stdfs::path ec_path = dir / k_dev_idp_ec_file;
  auto rsa = read_optional(rsa_path);
  if (!rsa) return fail(rsa.error());
  auto ec = read_optional(ec_path);
  if (!ec) return fail(ec.error());
  if (!*rsa || !*ec) {
    // Only a start interrupted between the two writes, or a hand, leaves one file: tokens signed
    // by the lost key can no longer verify anyway, so a new pair costs nothing more.
    if (*rsa || *ec)
      log::warn("the dev identity provider's keys in " + dir.string() +
                " are incomplete; making new ones");
    return create(rsa_path, ec_path);
  }
  auto idp = DevIdentityProvider::from_pem(**rsa, **ec);
  if (!idp) {
    std::string message = "the dev identity provider's keys in ";
    message.append(dir.string()).append(" cannot be read: ").append(idp.error().message);
    std::string hint = "remove ";
    hint.append(dir.string()).append(" to make new keys (tokens minted before stop verifying)");
    return fail(ErrorCode::io, std::move(message), std::move(hint));
  }
  return idp;
}

std::string dev_provider_name(ProviderType type) {
  std::string name = "dev-";
  name.append(provider_type_name(type));
  return name;
}

json dev_provider_config(ProviderType type) {
  switch (type) {
    case ProviderType::supabase:
      return {{"project_url", "https://dev-project.supabase.co"}};
    case ProviderType::firebase:
      return {{"project_id", "cloudsignal-dev"}};
    case ProviderType::auth0:
      return {{"domain", "cloudsignal-dev.us.auth0.com"},
              {"audience", "https://api.cloudsignal.dev"}};
    case ProviderType::clerk:
      return {{"frontend_api_dev", "https://cloudsignal-dev.clerk.accounts.dev"}};
    case ProviderType::oidc:
      return {{"issuer", "https://idp.cloudsignal.dev"}, {"audience", "cloudsignal-dev"}};
  }
  return json::object();
}

}  // namespace cs::auth
