#pragma once
// A real browser for tests: one headless Chromium session (Debian's chromium), driven through
// chromedriver's WebDriver HTTP API on a free loopback port, with a profile of its own; both
// processes end with the object.

#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/support/process.h"

namespace cs::test {

class Browser {
 public:
  /// Starts chromedriver and a headless Chromium session; throws when they are not installed
  /// (scripts/install-deps --test) or do not start.
  Browser();
  ~Browser();
  Browser(const Browser&) = delete;
  Browser& operator=(const Browser&) = delete;

  /// Loads `url` and waits for the page to load.
  void open(const std::string& url);
  /// The current page's title.
  std::string title();
  /// The text of the current page's body, as rendered.
  std::string text();
  /// Clicks the element that the CSS selector `css` selects; throws when there is none.
  void click(const std::string& css);

 private:
  nlohmann::json command(const std::string& method, const std::string& path,
                         const nlohmann::json& body);
  nlohmann::json call(const std::string& method, const std::string& path,
                      const nlohmann::json& body);

  int m_port;
  TempDir m_profile;
  std::unique_ptr<BackgroundProcess> m_driver;
  std::string m_session;
};

}  // namespace cs::test
