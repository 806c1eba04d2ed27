#pragma once
// A DocumentFetcher serving documents from memory and counting requests.

#include <map>
#include <string>

#include "devbroker/auth/key_cache.h"

namespace cs::test {

class FakeFetcher final : public auth::DocumentFetcher {
 public:
  struct Doc {
    std::string body;
    std::optional<std::chrono::seconds> max_age;
    bool down = false;
  };
  std::map<std::string, Doc> docs;
  std::map<std::string, int> requests;

  Result<auth::FetchedDocument> fetch(const std::string& url) override {
    ++requests[url];
    auto it = docs.find(url);
    if (it == docs.end() || it->second.down)
      return fail(ErrorCode::unreachable, "connection refused");
    return auth::FetchedDocument{it->second.body, it->second.max_age};
  }
};

}  // namespace cs::test
