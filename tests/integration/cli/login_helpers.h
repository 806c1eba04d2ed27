#pragma once
// Signing the CLI in against a real `cloudsignal dev` in tests: a fake $BROWSER (Python, no
// shell) loads the sign-in page, submits its form with Approve or Deny and follows the redirect
// to the CLI's loopback callback, for a user with a HOME of their own.

#include <sys/stat.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/support/dev_broker.h"
#include "tests/support/process.h"

namespace cs::test::login {

using namespace std::chrono_literals;

inline constexpr const char* k_browser = R"(#!/usr/bin/python3
import html.parser, os, sys, urllib.parse, urllib.request
class Form(html.parser.HTMLParser):
    fields = {}
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "input" and a.get("type") == "hidden":
            self.fields[a["name"]] = a.get("value", "")
opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
url = sys.argv[1]
page = opener.open(url, timeout=10).read().decode()
form = Form()
form.feed(page)
fields = dict(form.fields, decision=os.environ["FAKE_DECISION"])
origin = "{0.scheme}://{0.netloc}".format(urllib.parse.urlparse(url))
# The POST answers 302 to the loopback callback; urllib follows it with a GET, as a browser does.
with opener.open(origin + "/oauth/authorize", urllib.parse.urlencode(fields).encode(), timeout=10) as r:
    body = r.read().decode()
with open(os.environ["FAKE_OUT"] + ".tmp", "w") as f:
    f.write(body)
os.rename(os.environ["FAKE_OUT"] + ".tmp", os.environ["FAKE_OUT"])
)";

/// A person at a terminal: their HOME, their fake browser, and `cloudsignal` run as them.
struct User {
  TempDir home;
  std::string browser = home.path() + "/browser.py";
  std::map<std::string, std::string> env{{"HOME", home.path()},
                                         {"CLOUDSIGNAL_CREDENTIALS_STORE", "file"},
                                         {"CLOUDSIGNAL_API_KEY", ""},
                                         {"CLOUDSIGNAL_PROFILE", ""},
                                         {"CI", ""},
                                         {"BROWSER", browser},
                                         {"FAKE_DECISION", "approve"},
                                         {"FAKE_OUT", home.path() + "/page"}};

  User() {
    std::ofstream(browser) << k_browser;
    chmod(browser.c_str(), 0700);
  }
  ProcessResult run(std::vector<std::string> args) const {
    args.insert(args.begin(), cloudsignal_binary());
    return run_process(args, 60s, {}, env);
  }
  std::string file() const { return home.path() + "/.cloudsignal/credentials.json"; }
  nlohmann::json profile() const {
    return nlohmann::json::parse(read_file(file()))["profiles"]["default"];
  }
};

/// The HTTP API URL of `broker`.
inline std::string api_url(const DevBroker& broker) {
  return "http://127.0.0.1:" + std::to_string(broker.http_port());
}

}  // namespace cs::test::login
