#include "devbroker/certs/dev_ca.h"

#include <fstream>
#include <optional>
#include <sstream>

#include "common/fs/atomic_file.h"
#include "common/fs/dir_lock.h"
#include "common/time/rfc3339.h"
#include "devbroker/certs/x509_info.h"

namespace cs::certs {
namespace {

namespace stdfs = std::filesystem;

constexpr unsigned k_key_mode = 0600;
constexpr unsigned k_certificate_mode = 0644;

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

std::string day_of(SystemTime t) {
  return format_rfc3339(std::chrono::floor<std::chrono::seconds>(t)).substr(0, 10);
}

tl::unexpected<Error> broken_ca(const stdfs::path& certs_dir, std::string problem) {
  std::string hint = "remove ";
  hint.append(certs_dir.string())
      .append(" to make a new CA (clients must then trust the new ca.pem)");
  return fail(ErrorCode::invalid_request, std::move(problem), std::move(hint));
}

Result<Issued> load_ca(const stdfs::path& certs_dir, std::string cert_pem, std::string key_pem,
                       SystemTime now) {
  const auto files = dev_certificate_files(certs_dir);
  auto cert = parse_certificate(cert_pem);
  auto key = parse_private_key(key_pem);
  if (!cert || !key || !key_matches(cert->get(), key->get())) {
    std::string problem = files.ca_key.string();
    problem.append(" does not belong to ").append(files.ca_cert.string());
    return broken_ca(certs_dir, std::move(problem));
  }
  const auto info = describe_certificate(cert->get());
  if (!info.is_ca) return broken_ca(certs_dir, files.ca_cert.string() + " is not a CA");
  if (info.not_after - now < k_renew_before) {
    std::string problem = "the dev CA in ";
    problem.append(files.ca_cert.string()).append(" expires on ").append(day_of(info.not_after));
    return broken_ca(certs_dir, std::move(problem));
  }
  return Issued{std::move(cert_pem), std::move(key_pem)};
}

// The key first: a crash between the two writes leaves a key without a certificate, which the
// next start refuses instead of pairing a certificate with nothing.
Result<void> write_pair(const stdfs::path& cert_path, const stdfs::path& key_path,
                        const Issued& issued) {
  if (auto ok = fs::write_file_atomic(key_path, issued.key_pem, k_key_mode); !ok) return ok;
  return fs::write_file_atomic(cert_path, issued.certificate_pem, k_certificate_mode);
}

// True when the server pair on disk can be kept for `names` under `ca` at `now`.
bool server_pair_current(const std::optional<std::string>& cert_pem,
                         const std::optional<std::string>& key_pem, const Issued& ca,
                         const std::vector<std::string>& names, SystemTime now) {
  if (!cert_pem || !key_pem) return false;
  auto cert = parse_certificate(*cert_pem);
  auto key = parse_private_key(*key_pem);
  auto ca_cert = parse_certificate(ca.certificate_pem);
  if (!cert || !key || !ca_cert) return false;
  return key_matches(cert->get(), key->get()) && is_signed_by(cert->get(), ca_cert->get()) &&
         !needs_renewal(describe_certificate(cert->get()), names, now);
}

}  // namespace

DevCertificateFiles dev_certificate_files(const stdfs::path& certs_dir) {
  return {certs_dir / "ca.pem", certs_dir / "ca.key", certs_dir / "server.pem",
          certs_dir / "server.key"};
}

Result<Issued> ensure_dev_ca(const stdfs::path& certs_dir, SystemTime now, FileOutcome* outcome) {
  if (auto ok = fs::make_private_dir(certs_dir); !ok) return fail(ok.error());
  fs::DirectoryLock lock(certs_dir);
  const auto files = dev_certificate_files(certs_dir);
  auto cert_pem = read_optional(files.ca_cert);
  if (!cert_pem) return fail(cert_pem.error());
  auto key_pem = read_optional(files.ca_key);
  if (!key_pem) return fail(key_pem.error());

  if (*cert_pem && *key_pem) {
    if (outcome != nullptr) *outcome = FileOutcome::reused;
    return load_ca(certs_dir, std::move(**cert_pem), std::move(**key_pem), now);
  }
  if (*cert_pem || *key_pem) {
    const auto& missing = *cert_pem ? files.ca_key : files.ca_cert;
    std::string problem = "the dev CA is incomplete: ";
    problem.append(missing.string()).append(" is missing");
    return broken_ca(certs_dir, std::move(problem));
  }
  auto ca = create_ca(now);
  if (!ca) return fail(ca.error());
  if (auto ok = write_pair(files.ca_cert, files.ca_key, *ca); !ok) return fail(ok.error());
  if (outcome != nullptr) *outcome = FileOutcome::created;
  return ca;
}

Result<FileOutcome> ensure_server_certificate(const stdfs::path& certs_dir, const Issued& ca,
                                              const std::vector<std::string>& names,
                                              SystemTime now) {
  if (auto ok = fs::make_private_dir(certs_dir); !ok) return fail(ok.error());
  fs::DirectoryLock lock(certs_dir);
  const auto files = dev_certificate_files(certs_dir);
  auto cert_pem = read_optional(files.server_cert);
  if (!cert_pem) return fail(cert_pem.error());
  auto key_pem = read_optional(files.server_key);
  if (!key_pem) return fail(key_pem.error());
  if (server_pair_current(*cert_pem, *key_pem, ca, names, now)) return FileOutcome::reused;

  auto issued = issue_server_certificate(ca, names, now);
  if (!issued) return fail(issued.error());
  if (auto ok = write_pair(files.server_cert, files.server_key, *issued); !ok) {
    return fail(ok.error());
  }
  return *cert_pem ? FileOutcome::renewed : FileOutcome::created;
}

Result<ClientCertificateFiles> write_client_certificate(const Issued& ca, const std::string& name,
                                                        const stdfs::path& out_dir,
                                                        SystemTime now) {
  if (auto ok = validate_client_name(name); !ok) return fail(ok.error());
  ClientCertificateFiles files{out_dir / (name + ".pem"), out_dir / (name + ".key"), {}};
  std::error_code ec;
  for (const auto& path : {files.certificate, files.key}) {
    if (stdfs::exists(path, ec)) {
      return fail(ErrorCode::conflict, path.string() + " already exists",
                  "remove it, or choose another directory with --out");
    }
  }
  if (auto ok = fs::make_private_dir(out_dir); !ok) return fail(ok.error());
  auto issued = issue_client_certificate(ca, name, now);
  if (!issued) return fail(issued.error());
  if (auto ok = write_pair(files.certificate, files.key, *issued); !ok) return fail(ok.error());
  auto info = inspect_certificate(issued->certificate_pem);
  if (!info) return fail(info.error());
  files.not_after = info->not_after;
  return files;
}

}  // namespace cs::certs
