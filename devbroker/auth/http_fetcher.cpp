#include "devbroker/auth/http_fetcher.h"

#include <httplib.h>

#include "common/http/url.h"

namespace cs::auth {

Result<FetchedDocument> HttpFetcher::fetch(const std::string& url_text) {
  auto url = http::parse_secure_url(url_text);
  if (!url) return fail(url.error());
  httplib::Client client(url->origin());
  client.set_connection_timeout(k_timeout);
  client.set_read_timeout(k_timeout);
  client.set_write_timeout(k_timeout);
  client.set_follow_location(false);
  if (url->scheme == "https") {
    client.enable_server_certificate_verification(true);
    client.set_ca_cert_path(m_ca_bundle.c_str());
  }
  std::string body;
  bool too_large = false;
  auto res = client.Get(url->path.c_str(), httplib::Headers{{"Accept", "application/json"}},
                        [&](const char* data, std::size_t size) {
                          if (body.size() + size > k_max_document) {
                            too_large = true;
                            return false;
                          }
                          body.append(data, size);
                          return true;
                        });
  if (too_large) return fail(ErrorCode::unavailable, "the document is larger than 512 KiB");
  if (!res) {
    return fail(ErrorCode::unreachable, "request failed: " + httplib::to_string(res.error()));
  }
  if (res->status != 200) {
    return fail(ErrorCode::unavailable, "the server answered HTTP " + std::to_string(res->status));
  }
  FetchedDocument doc;
  doc.body = std::move(body);
  if (res->has_header("Cache-Control"))
    doc.max_age = parse_max_age(res->get_header_value("Cache-Control"));
  return doc;
}

}  // namespace cs::auth
