#pragma once
// `cloudsignal dev ca` and `cloudsignal dev issue-client-cert`: the dev CA's certificate, and
// client certificates for mutual TLS, from the files in `<data-dir>/certs/`.

#include <CLI/CLI.hpp>
#include <memory>
#include <string>

#include "cli/command.h"
#include "cli/commands/dev.h"

namespace cs::cli {

struct DevCaOptions {
  std::string data_dir;  // as `dev --data-dir`
  bool pem = false;      // print the certificate instead of its path
};

struct IssueClientCertOptions {
  std::string data_dir;  // as `dev --data-dir`
  std::string name;      // the certificate's common name and file name
  std::string out_dir = ".";
};

/// Registers `ca` and `issue-client-cert` under `dev`; they read --data-dir from `dev_options`.
void add_dev_certs(CLI::App& dev, std::shared_ptr<const DevCommandOptions> dev_options,
                   Context& ctx, Action& action);

/// Prints the path of the dev CA certificate (or its PEM), creating the CA on first use.
int run_dev_ca(const DevCaOptions& options, Context& ctx);

/// Issues a client certificate signed by the dev CA into `options.out_dir`; prints both paths.
int run_issue_client_cert(const IssueClientCertOptions& options, Context& ctx);

}  // namespace cs::cli
