#include "cli/commands/dev_certs.h"

#include <ostream>

#include "common/time/rfc3339.h"
#include "devbroker/certs/dev_ca.h"

namespace cs::cli {
namespace {

// The dev CA of `data_dir_flag`'s data directory, made on first use (said on stderr).
Result<certs::Issued> dev_ca(const std::string& data_dir_flag, Context& ctx,
                             std::filesystem::path& ca_file) {
  auto data_dir = dev_data_dir(data_dir_flag, ctx);
  if (!data_dir) return fail(data_dir.error());
  const auto certs_dir = *data_dir / "certs";
  ca_file = certs::dev_certificate_files(certs_dir).ca_cert;
  certs::FileOutcome outcome = certs::FileOutcome::reused;
  auto ca = certs::ensure_dev_ca(certs_dir, ctx.now(), &outcome);
  if (ca && outcome == certs::FileOutcome::created) {
    ctx.status() << "created a local CA: " << ca_file.string() << '\n';
  }
  return ca;
}

}  // namespace

void add_dev_certs(CLI::App& dev, std::shared_ptr<const DevCommandOptions> dev_options,
                   Context& ctx, Action& action) {
  auto ca_options = std::make_shared<DevCaOptions>();
  CLI::App* ca = dev.add_subcommand(
      "ca", "Print the path of the dev CA certificate that TLS clients should trust");
  ca->add_flag("--pem", ca_options->pem, "Print the certificate itself (PEM)");
  ca->fallthrough();  // `dev ca --data-dir DIR` means `dev --data-dir DIR ca`
  ca->footer(
      "Examples:\n"
      "  mosquitto_sub -h localhost -p 8883 --cafile \"$(cloudsignal dev ca)\" -t '#'\n"
      "  cloudsignal dev ca --pem > cloudsignal-dev-ca.pem");
  ca->callback([ca_options, dev_options, &ctx, &action] {
    ca_options->data_dir = dev_options->data_dir;
    action = [ca_options, &ctx] { return run_dev_ca(*ca_options, ctx); };
  });

  auto issue_options = std::make_shared<IssueClientCertOptions>();
  CLI::App* issue = dev.add_subcommand(
      "issue-client-cert", "Issue a client certificate signed by the dev CA, for mutual TLS");
  issue->add_option("name", issue_options->name, "Common name of the certificate and file name")
      ->required();
  issue->add_option("--out", issue_options->out_dir, "Directory for NAME.pem and NAME.key")
      ->capture_default_str();
  issue->fallthrough();
  issue->footer(
      "Examples:\n"
      "  cloudsignal dev issue-client-cert sensor-01 --out ./certs\n"
      "  mosquitto_pub -p 8883 --cafile \"$(cloudsignal dev ca)\" --cert certs/sensor-01.pem \\\n"
      "      --key certs/sensor-01.key -t t -m hello");
  issue->callback([issue_options, dev_options, &ctx, &action] {
    issue_options->data_dir = dev_options->data_dir;
    action = [issue_options, &ctx] { return run_issue_client_cert(*issue_options, ctx); };
  });
}

int run_dev_ca(const DevCaOptions& options, Context& ctx) {
  std::filesystem::path ca_file;
  auto ca = dev_ca(options.data_dir, ctx, ca_file);
  if (!ca) return report_error(ca.error(), ctx);
  if (options.pem) {
    ctx.out << ca->certificate_pem;
  } else {
    ctx.out << ca_file.string() << '\n';
  }
  return 0;
}

int run_issue_client_cert(const IssueClientCertOptions& options, Context& ctx) {
  if (auto ok = certs::validate_client_name(options.name); !ok) {
    return report_error(ok.error(), ctx);
  }
  std::filesystem::path ca_file;
  auto ca = dev_ca(options.data_dir, ctx, ca_file);
  if (!ca) return report_error(ca.error(), ctx);
  auto files = certs::write_client_certificate(*ca, options.name, options.out_dir, ctx.now());
  if (!files) return report_error(files.error(), ctx);
  const auto until = format_rfc3339(std::chrono::floor<std::chrono::seconds>(files->not_after));
  ctx.out << files->certificate.string() << '\n' << files->key.string() << '\n';
  ctx.status() << "issued a client certificate for " << options.name << ", valid until " << until
               << ", signed by " << ca_file.string() << '\n';
  return 0;
}

}  // namespace cs::cli
