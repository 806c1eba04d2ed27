#pragma once
// The CLI's side of the OAuth login for integration tests: authorize URLs, answers to the
// sign-in page, and calls to the token and revoke endpoints, over a real socket.

#include <httplib.h>
#include <map>
#include <string>

#include "common/crypto/pkce.h"
#include "common/crypto/random.h"
#include "tests/support/api_client.h"

namespace cs::test {

using FormFields = std::map<std::string, std::string>;

/// `fields` as an application/x-www-form-urlencoded body (or query).
inline std::string form_body(const FormFields& fields) {
  std::string body;
  for (const auto& [name, value] : fields) {
    if (!body.empty()) body += '&';
    body.append(httplib::detail::encode_query_param(name))
        .append("=")
        .append(httplib::detail::encode_query_param(value));
  }
  return body;
}

/// The decoded value of `name` in the query of `location`, or "<absent>".
inline std::string query_param(const std::string& location, const std::string& name) {
  const auto mark = location.find('?');
  if (mark == std::string::npos) return "<absent>";
  std::string rest = location.substr(mark + 1);
  while (!rest.empty()) {
    const auto amp = rest.find('&');
    const std::string pair = rest.substr(0, amp);
    const auto eq = pair.find('=');
    if (pair.substr(0, eq) == name) {
      return httplib::detail::decode_url(eq == std::string::npos ? "" : pair.substr(eq + 1), true);
    }
    rest = amp == std::string::npos ? "" : rest.substr(amp + 1);
  }
  return "<absent>";
}

/// The hidden request_id of a sign-in page, or "" when there is none.
inline std::string request_id_of(const std::string& html) {
  const std::string marker = "name=\"request_id\" value=\"";
  const auto start = html.find(marker);
  if (start == std::string::npos) return {};
  const auto end = html.find('"', start + marker.size());
  return html.substr(start + marker.size(), end - start - marker.size());
}

/// One login attempt of the CLI: its PKCE verifier, state and loopback redirect URI.
struct OAuthLogin {
  explicit OAuthLogin(int port, std::string redirect = "http://127.0.0.1:49152/callback")
      : api(port), redirect_uri(std::move(redirect)) {}

  ApiClient api;
  std::string redirect_uri;
  std::string verifier = crypto::pkce_verifier();
  std::string state = "st-" + crypto::random_string(crypto::k_lowercase_alnum, 12);

  FormFields params() const {
    return {{"response_type", "code"},
            {"client_id", "cloudsignal-cli"},
            {"redirect_uri", redirect_uri},
            {"code_challenge", crypto::pkce_challenge_s256(verifier)},
            {"code_challenge_method", "S256"},
            {"state", state}};
  }
  std::string authorize_path(const FormFields& query) const {
    return "/oauth/authorize?" + form_body(query);
  }
  HttpReply page(const FormFields& query) const { return api.get(authorize_path(query)); }
  HttpReply page() const { return page(params()); }

  HttpReply post_form(const std::string& path, const FormFields& fields) const {
    return api.raw("POST", path, form_body(fields), "application/x-www-form-urlencoded");
  }
  HttpReply answer(const std::string& request_id, const std::string& decision) const {
    return post_form("/oauth/authorize", {{"request_id", request_id}, {"decision", decision}});
  }
  /// A code from a sign-in page answered with Approve ("<absent>" if that failed).
  std::string approved_code() const {
    auto reply = answer(request_id_of(page().text), "approve");
    return query_param(reply.header("Location"), "code");
  }

  FormFields code_fields(const std::string& code) const {
    return {{"grant_type", "authorization_code"},
            {"code", code},
            {"redirect_uri", redirect_uri},
            {"client_id", "cloudsignal-cli"},
            {"code_verifier", verifier}};
  }
  HttpReply exchange(const std::string& code) const {
    return post_form("/oauth/token", code_fields(code));
  }
  HttpReply refresh(const std::string& refresh_token) const {
    return post_form("/oauth/token",
                     {{"grant_type", "refresh_token"}, {"refresh_token", refresh_token}});
  }
  HttpReply revoke(const std::string& token) const {
    return post_form("/oauth/revoke", {{"token", token}});
  }
};

}  // namespace cs::test
