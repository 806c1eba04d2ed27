#pragma once
// The dev broker's certificate files in `<data-dir>/certs/`: a local CA made on first use, a
// server certificate for the loopback names kept current, and client certificates on request.
// Keys are written 0600, the directory 0700; concurrent starts serialise on a lock file.

#include <filesystem>
#include <string>
#include <vector>

#include "common/result.h"
#include "devbroker/certs/x509_build.h"

namespace cs::certs {

struct DevCertificateFiles {
  std::filesystem::path ca_cert;      // ca.pem: what clients trust
  std::filesystem::path ca_key;       // ca.key (0600)
  std::filesystem::path server_cert;  // server.pem
  std::filesystem::path server_key;   // server.key (0600)
};

/// The file names inside `certs_dir`.
DevCertificateFiles dev_certificate_files(const std::filesystem::path& certs_dir);

/// What ensure_* found on disk.
enum class FileOutcome { reused, created, renewed };

/// Loads the CA in `certs_dir`, creating directory and CA when neither ca.pem nor ca.key
/// exists. A CA with one file missing, a key that does not match, or fewer than
/// k_renew_before days left is refused with a hint to remove the directory.
Result<Issued> ensure_dev_ca(const std::filesystem::path& certs_dir, SystemTime now,
                             FileOutcome* outcome = nullptr);

/// Keeps server.pem and server.key in `certs_dir` valid for `names` and signed by `ca`: reused
/// when current, issued again when missing, unreadable, from another CA, lacking one of
/// `names`, or expiring within k_renew_before of `now`.
Result<FileOutcome> ensure_server_certificate(const std::filesystem::path& certs_dir,
                                              const Issued& ca,
                                              const std::vector<std::string>& names,
                                              SystemTime now);

struct ClientCertificateFiles {
  std::filesystem::path certificate;  // <out_dir>/<name>.pem
  std::filesystem::path key;          // <out_dir>/<name>.key (0600)
  SystemTime not_after;
};

/// Issues a client certificate named `name`, signed by `ca`, into `out_dir` (created when
/// missing); refuses to overwrite an existing file (conflict).
Result<ClientCertificateFiles> write_client_certificate(const Issued& ca, const std::string& name,
                                                        const std::filesystem::path& out_dir,
                                                        SystemTime now);

}  // namespace cs::certs
