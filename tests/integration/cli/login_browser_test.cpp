// The browser side of `cloudsignal login` with the real binary: a fake $BROWSER (Python, no
// shell) receives the sign-in URL and answers at the CLI's loopback callback the way a browser
// redirected by the sign-in page would. The server is never reached in these cases, so no broker
// runs; login_session_test.cpp goes through the dev broker's sign-in page.

#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <thread>

#include "tests/support/process.h"

using namespace std::chrono_literals;
using cs::test::cloudsignal_binary;
using cs::test::read_file;
using cs::test::TempDir;

namespace {

constexpr const char* k_fake_browser = R"(#!/usr/bin/python3
import os, sys, urllib.error, urllib.parse, urllib.request
url = sys.argv[1]
query = urllib.parse.parse_qs(urllib.parse.urlparse(url).query)
redirect, state = query["redirect_uri"][0], query["state"][0]
out = os.environ["FAKE_OUT"]
with open(out + ".url", "w") as f:
    f.write(url)
opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
def get(u):
    try:
        with opener.open(u, timeout=10) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()
    except urllib.error.URLError:
        return 0, ""
stray, _ = get(redirect.rsplit("/callback", 1)[0] + "/favicon.ico")
mode = os.environ["FAKE_MODE"]
if mode == "deny":
    answer = "?error=access_denied&state=" + urllib.parse.quote(state)
elif mode == "mismatch":
    answer = "?code=c0de&state=" + urllib.parse.quote("x" + state)
else:
    answer = "?error=server_error&error_description=%3Cb%3Ebroken%3C%2Fb%3E&state=" + urllib.parse.quote(state)
status, page = get(redirect + answer)
again, _ = get(redirect + answer)
with open(out + ".tmp", "w") as f:
    f.write("%d %d %d\n%s" % (stray, status, again, page))
os.rename(out + ".tmp", out)
)";

struct Login {
  TempDir dir;
  std::string browser = dir.path() + "/browser.py";
  std::string out = dir.path() + "/answer";
  std::map<std::string, std::string> env{{"HOME", dir.path()},
                                         {"CLOUDSIGNAL_CREDENTIALS_STORE", "file"},
                                         {"CLOUDSIGNAL_API_KEY", ""},
                                         {"CLOUDSIGNAL_PROFILE", ""},
                                         {"CI", ""},
                                         {"BROWSER", browser},
                                         {"FAKE_OUT", out}};

  Login() {
    std::ofstream(browser) << k_fake_browser;
    chmod(browser.c_str(), 0700);
  }

  cs::test::ProcessResult run(const std::string& mode, std::vector<std::string> extra = {}) {
    env["FAKE_MODE"] = mode;
    std::vector<std::string> args = {cloudsignal_binary(), "login", "--api-url",
                                     "http://127.0.0.1:9"};
    args.insert(args.end(), extra.begin(), extra.end());
    return cs::test::run_process(args, 30s, {}, env);
  }

  // What the fake browser saw; it finishes after the CLI has exited.
  std::string answer() const {
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (!std::filesystem::exists(out) && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(20ms);
    }
    return read_file(out);
  }
};

}  // namespace

TEST_CASE("login: a denial in the browser is a clear error with the auth exit code",
          "[integration][cli][login]") {
  Login login;
  const auto r = login.run("deny");
  CHECK(r.exit_code == 3);
  CHECK(r.out.empty());
  CHECK(r.err.find("error: sign-in was denied in the browser\n") != std::string::npos);
  const auto url = read_file(login.out + ".url");
  CHECK(r.err.find("Open this URL in a browser to sign in:\n  " + url + "\n") != std::string::npos);
  CHECK(url.rfind("http://127.0.0.1:9/oauth/authorize?response_type=code&client_id=cloudsignal-cli"
                  "&redirect_uri=http%3A%2F%2F127.0.0.1%3A",
                  0) == 0);
  CHECK(url.find("%2Fcallback&code_challenge=") != std::string::npos);
  CHECK(url.find("&code_challenge_method=S256&state=") != std::string::npos);
  // The stray request got 404, the callback a page, a second callback nothing more.
  const auto answer = login.answer();
  CHECK(answer.rfind("404 200 ", 0) == 0);
  CHECK(answer.find("<h1>Sign-in failed</h1>") != std::string::npos);
  CHECK(answer.find("sign-in was denied in the browser") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(login.dir.path() + "/.cloudsignal/credentials.json"));
}

TEST_CASE("login: an answer with another state is refused", "[integration][cli][login]") {
  Login login;
  const auto r = login.run("mismatch");
  CHECK(r.exit_code == 3);
  CHECK(
      r.err.find("error: the browser's answer does not belong to this login (state mismatch)\n") !=
      std::string::npos);
  CHECK(login.answer().find("state mismatch") != std::string::npos);
}

TEST_CASE("login: a server error is shown escaped in the browser", "[integration][cli][login]") {
  Login login;
  const auto r = login.run("error");
  CHECK(r.exit_code == 3);
  CHECK(r.err.find("error: sign-in failed: server_error (<b>broken</b>)\n") != std::string::npos);
  const auto page = login.answer();
  CHECK(page.find("&lt;b&gt;broken&lt;/b&gt;") != std::string::npos);
  CHECK(page.find("<b>broken") == std::string::npos);
}

TEST_CASE("login: no answer within the window is a timeout (exit 6)", "[integration][cli][login]") {
  Login login;
  login.env["BROWSER"] = "/bin/true";
  login.env["CLOUDSIGNAL_LOGIN_TIMEOUT"] = "1";
  const auto start = std::chrono::steady_clock::now();
  const auto r = login.run("none");
  CHECK(std::chrono::steady_clock::now() - start < 10s);
  CHECK(r.exit_code == 6);
  CHECK(
      r.err.find("Open this URL in a browser to sign in:\n  http://127.0.0.1:9/oauth/authorize?") !=
      std::string::npos);
  CHECK(r.err.find("error: no answer from the browser in time\n") != std::string::npos);
  login.env["CLOUDSIGNAL_LOGIN_TIMEOUT"] = "soon";
  CHECK(login.run("none").exit_code == 2);
}

TEST_CASE("login: --no-browser only prints the URL", "[integration][cli][login]") {
  Login login;
  login.env["CLOUDSIGNAL_LOGIN_TIMEOUT"] = "1";
  const auto r = login.run("deny", {"--no-browser"});
  CHECK(r.exit_code == 6);
  CHECK(r.err.find("Open this URL in a browser") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(login.out + ".url"));
}

TEST_CASE("login: with CI set, or no terminal and no $BROWSER, it fails at once",
          "[integration][cli][login]") {
  Login login;
  login.env["CI"] = "true";
  auto r = login.run("deny");
  CHECK(r.exit_code == 2);
  CHECK(r.err ==
        "error: CI is set, so login does not wait for a browser\n"
        "hint: set CLOUDSIGNAL_API_KEY, or pipe a token into `cloudsignal login --with-token`\n");
  login.env["CI"] = "";
  login.env["BROWSER"] = "";
  r = login.run("deny");
  CHECK(r.exit_code == 2);
  CHECK(r.err.rfind("error: login needs a browser, and there is no terminal to wait in\n", 0) == 0);
  CHECK_FALSE(std::filesystem::exists(login.out + ".url"));
}
