// Loads `POST /v2/tokens/exchange` of a running `cloudsignal dev` through its real HTTP API and
// prints exchanges per second and latency percentiles. Not a test; bench/run-exchange runs it.
//
//   cs_exchange_bench --url http://127.0.0.1:18080 --key-file DIR/admin.key --alg rs256
//                     [--connections 8] [--duration 10] [--rate 0] [--identities 100] [--json]
//
// Setup goes through the API as a user would: HS256 tokens come from a dev Supabase provider
// given a legacy `jwt_secret` (made here), RS256 ones from the dev Firebase provider; the dev
// identity provider mints one token per identity (POST /v2/dev/idp-token), and each is exchanged
// once before timing, so every timed exchange finds its identity's name bound, as in steady use.
//
// Each connection is HTTP/1.1 keep-alive with one request in flight, all on one thread
// (Boost.Asio). With --rate 0 every connection sends its next request as soon as the answer
// arrives (throughput). With --rate R requests are due at fixed intervals whatever the server
// does (open loop): one that finds no idle connection waits, and its latency counts from when it
// was due, so a slow answer is never hidden by the requests it held back.

#include <algorithm>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <fstream>
#include <httplib.h>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace {

namespace asio = boost::asio;
using asio::ip::tcp;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

// The legacy secret of the HS256 provider made for the run.
constexpr const char* k_hs256_secret = "bench-legacy-jwt-secret-of-32-characters";
constexpr const char* k_hs256_provider = "bench-hs256";

struct Options {
  std::string host = "127.0.0.1";
  int port = 18080;
  std::string key;
  std::string alg = "rs256";
  int connections = 8;
  double duration = 10;
  double rate = 0;
  int identities = 100;
  bool json = false;
};

[[noreturn]] void die(const std::string& message) {
  std::fprintf(stderr, "exchange_bench: %s\n", message.c_str());
  std::exit(1);
}

Options parse(int argc, char** argv) {
  Options o;
  std::string key_file;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const auto value = [&]() -> std::string {
      if (i + 1 >= argc) die(arg + " needs a value");
      return argv[++i];
    };
    if (arg == "--url") {
      const std::string url = value();
      const auto colon = url.rfind(':');
      if (!url.starts_with("http://") || colon < 7) die("--url must be http://HOST:PORT");
      o.host = url.substr(7, colon - 7);
      o.port = std::atoi(url.c_str() + colon + 1);
    } else if (arg == "--key-file") {
      key_file = value();
    } else if (arg == "--alg") {
      o.alg = value();
    } else if (arg == "--connections") {
      o.connections = std::max(1, std::atoi(value().c_str()));
    } else if (arg == "--duration") {
      o.duration = std::atof(value().c_str());
    } else if (arg == "--rate") {
      o.rate = std::atof(value().c_str());
    } else if (arg == "--identities") {
      o.identities = std::max(1, std::atoi(value().c_str()));
    } else if (arg == "--json") {
      o.json = true;
    } else {
      die("unknown argument " + arg);
    }
  }
  if (o.alg != "hs256" && o.alg != "rs256") die("--alg must be hs256 or rs256");
  std::ifstream in(key_file);
  if (!std::getline(in, o.key) || o.key.empty()) die("cannot read the admin key from --key-file");
  return o;
}

// Setup ------------------------------------------------------------------------------------------

json call(httplib::Client& client, const std::string& path, const json& body, int want) {
  auto reply = client.Post(path, body.dump(), "application/json");
  if (!reply) die("POST " + path + " failed: " + httplib::to_string(reply.error()));
  if (reply->status != want) {
    die("POST " + path + " answered " + std::to_string(reply->status) + ": " + reply->body);
  }
  return json::parse(reply->body);
}

// One token per identity, from the dev identity provider; `provider` names the one to ask.
std::vector<std::string> mint_tokens(const Options& o) {
  httplib::Client client(o.host, o.port);
  client.set_bearer_token_auth(o.key);
  std::string provider = "firebase";
  if (o.alg == "hs256") {
    provider = k_hs256_provider;
    const json config = {{"project_url", "https://bench-hs256.supabase.co"},
                         {"jwt_secret", k_hs256_secret}};
    auto listed = client.Get("/v2/providers");
    bool found = false;
    if (listed && listed->status == 200) {
      const json body = json::parse(listed->body);
      for (const auto& p : body["providers"]) found |= p["name"] == provider;
    }
    if (!found) {
      call(client, "/v2/providers",
           {{"type", "supabase"}, {"name", provider}, {"config", config}, {"dev", true}}, 201);
    }
  }
  std::vector<std::string> tokens;
  for (int i = 0; i < o.identities; ++i) {
    const std::string who = "bench" + std::to_string(i);
    const json minted = call(client, "/v2/dev/idp-token",
                             {{"provider", provider},
                              {"email", who + "@example.com"},
                              {"subject", o.alg + "-" + who},
                              {"ttl_seconds", 3600}},
                             200);
    tokens.push_back(minted["token"]);
  }
  return tokens;
}

// The raw HTTP requests the load sends, one per token.
std::vector<std::string> requests(const Options& o, const std::vector<std::string>& tokens) {
  const std::string type = o.alg == "hs256" ? "supabase" : "firebase";
  std::vector<std::string> out;
  for (const auto& token : tokens) {
    const std::string body = json{{"provider", type}, {"token", token}}.dump();
    std::string r = "POST /v2/tokens/exchange HTTP/1.1\r\nHost: ";
    r.append(o.host).append("\r\nAuthorization: Bearer ").append(o.key);
    r.append("\r\nContent-Type: application/json\r\nContent-Length: ");
    r.append(std::to_string(body.size())).append("\r\n\r\n").append(body);
    out.push_back(std::move(r));
  }
  return out;
}

// Load -------------------------------------------------------------------------------------------

struct Run {
  asio::io_context io{1};
  const std::vector<std::string>* requests = nullptr;
  std::size_t next_request = 0;
  bool measuring = false;
  Clock::time_point stop_at{};
  std::vector<std::uint32_t> latencies_us;  // of the timed requests
  std::uint64_t errors = 0;
  std::uint64_t rate_limited = 0;
  std::uint64_t reconnects = 0;       // connections the server closed
  std::deque<Clock::time_point> due;  // open loop: requests due with no idle connection
  std::size_t busy = 0;

  const std::string& take_request() {
    const auto& r = (*requests)[next_request];
    next_request = (next_request + 1) % requests->size();
    return r;
  }
};

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(Run& run, tcp::socket socket, tcp::resolver::results_type endpoints)
      : m_run(run), m_socket(std::move(socket)), m_endpoints(std::move(endpoints)) {}

  bool idle() const { return !m_in_flight; }

  // Sends the next request, timed from `due`.
  void send(Clock::time_point due) {
    if (m_closed) reconnect();
    m_in_flight = true;
    ++m_run.busy;
    m_due = due;
    m_timed = m_run.measuring;
    m_request = &m_run.take_request();
    m_retried = false;
    write();
  }

  std::function<void(Connection&)> on_idle;

 private:
  void write() {
    asio::async_write(m_socket, asio::buffer(*m_request),
                      [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
                        if (ec) return self->retry("write: " + ec.message());
                        self->read_head();
                      });
  }

  // The server closes a keep-alive connection left idle too long; like a browser, send the
  // request once more on a new connection when the old one ends before any answer.
  void retry(const std::string& error) {
    if (m_retried || !m_buffer.empty()) die(error);
    m_retried = true;
    reconnect();
    write();
  }

  void read_head() {
    asio::async_read_until(
        m_socket, asio::dynamic_buffer(m_buffer), "\r\n\r\n",
        [self = shared_from_this()](boost::system::error_code ec, std::size_t head) {
          if (ec) return self->retry("read: " + ec.message());
          self->read_body(head);
        });
  }

  void read_body(std::size_t head) {
    const int status = std::atoi(m_buffer.c_str() + 9);  // "HTTP/1.1 200"
    std::size_t length = 0;
    const auto at = m_buffer.find("Content-Length: ");
    if (at != std::string::npos && at < head)
      length = std::strtoul(m_buffer.c_str() + at + 16, nullptr, 10);
    const std::size_t total = head + length;
    // The server may end a keep-alive connection after a number of requests; so do clients.
    const auto close = m_buffer.find("Connection: close");
    m_closed = close != std::string::npos && close < head;
    const auto finish = [self = shared_from_this(), status, total] {
      self->m_buffer.erase(0, total);
      self->done(status);
    };
    if (m_buffer.size() >= total) return finish();
    asio::async_read(m_socket, asio::dynamic_buffer(m_buffer),
                     asio::transfer_exactly(total - m_buffer.size()),
                     [finish](boost::system::error_code ec, std::size_t) {
                       if (ec) die("read: " + ec.message());
                       finish();
                     });
  }

  void done(int status) {
    const auto now = Clock::now();
    if (m_timed && now <= m_run.stop_at) {
      if (status == 200) {
        const auto us = std::chrono::duration_cast<std::chrono::microseconds>(now - m_due);
        m_run.latencies_us.push_back(static_cast<std::uint32_t>(us.count()));
      } else if (status == 429) {
        ++m_run.rate_limited;
      } else {
        ++m_run.errors;
      }
    }
    m_in_flight = false;
    --m_run.busy;
    on_idle(*this);
  }

  void reconnect() {
    m_socket.close();
    m_buffer.clear();
    asio::connect(m_socket, m_endpoints);
    m_socket.set_option(tcp::no_delay(true));
    m_closed = false;
    ++m_run.reconnects;
  }

  Run& m_run;
  tcp::socket m_socket;
  tcp::resolver::results_type m_endpoints;
  bool m_closed = false;
  const std::string* m_request = nullptr;
  bool m_retried = false;
  std::string m_buffer;
  bool m_in_flight = false;
  bool m_timed = false;
  Clock::time_point m_due{};
};

using Connections = std::vector<std::shared_ptr<Connection>>;

Connections connect_all(Run& run, const Options& o) {
  tcp::resolver resolver(run.io);
  const auto endpoints = resolver.resolve(o.host, std::to_string(o.port));
  Connections out;
  for (int i = 0; i < o.connections; ++i) {
    tcp::socket socket(run.io);
    asio::connect(socket, endpoints);
    socket.set_option(tcp::no_delay(true));
    out.push_back(std::make_shared<Connection>(run, std::move(socket), endpoints));
  }
  return out;
}

// Every request exchanged once, in turn on the first connection: binds each identity's name.
void warm_up(Run& run, Connections& connections) {
  std::size_t sent = 1;
  connections.front()->on_idle = [&run, &sent](Connection& self) {
    if (sent++ < run.requests->size()) self.send(Clock::now());
  };
  connections.front()->send(Clock::now());
  run.io.run();
  run.io.restart();
}

void closed_loop(Run& run, Connections& connections) {
  for (auto& c : connections) {
    c->on_idle = [&run](Connection& self) {
      if (Clock::now() < run.stop_at) self.send(Clock::now());
    };
    c->send(Clock::now());
  }
  run.io.run();
}

void open_loop(Run& run, Connections& connections, double rate) {
  const auto interval =
      std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(1.0 / rate));
  const auto start = Clock::now();
  auto next_due = start;
  asio::steady_timer timer(run.io);
  for (auto& c : connections) {
    c->on_idle = [&run](Connection& self) {
      if (run.due.empty()) return;
      self.send(run.due.front());
      run.due.pop_front();
    };
  }
  std::function<void()> tick = [&] {
    const auto now = Clock::now();
    while (next_due <= now && next_due < run.stop_at) {
      run.due.push_back(next_due);
      next_due += interval;
    }
    for (auto& c : connections) {
      if (run.due.empty()) break;
      if (!c->idle()) continue;
      c->send(run.due.front());
      run.due.pop_front();
    }
    if (next_due >= run.stop_at) return;
    timer.expires_at(next_due);
    timer.async_wait([&](boost::system::error_code ec) {
      if (!ec) tick();
    });
  };
  tick();
  run.io.run();
  run.errors += run.due.size();  // never sent: the server fell that far behind
}

std::uint32_t percentile(const std::vector<std::uint32_t>& sorted, double fraction) {
  if (sorted.empty()) return 0;
  const auto rank = static_cast<std::size_t>(fraction * static_cast<double>(sorted.size()));
  return sorted[std::min(sorted.size() - 1, rank)];
}

}  // namespace

int main(int argc, char** argv) {
  const Options o = parse(argc, argv);
  const auto tokens = mint_tokens(o);
  const auto raw = requests(o, tokens);
  Run run;
  run.requests = &raw;
  auto connections = connect_all(run, o);
  warm_up(run, connections);
  run.measuring = true;
  const auto start = Clock::now();
  run.stop_at = start + std::chrono::duration_cast<Clock::duration>(
                            std::chrono::duration<double>(o.duration));
  if (o.rate > 0) {
    open_loop(run, connections, o.rate);
  } else {
    closed_loop(run, connections);
  }
  const double seconds = std::chrono::duration<double>(run.stop_at - start).count();
  auto& lat = run.latencies_us;
  std::sort(lat.begin(), lat.end());
  // What an HS256 check hashes: the JWT up to its signature.
  const std::size_t signing_input = tokens.front().rfind('.');
  const json out = {{"alg", o.alg},
                    {"signing_input_bytes", signing_input},
                    {"token_bytes", tokens.front().size()},
                    {"connections", o.connections},
                    {"rate", o.rate},
                    {"duration_s", seconds},
                    {"exchanges", lat.size()},
                    {"errors", run.errors},
                    {"rate_limited", run.rate_limited},
                    {"reconnects", run.reconnects},
                    {"per_second", static_cast<double>(lat.size()) / seconds},
                    {"p50_us", percentile(lat, 0.50)},
                    {"p90_us", percentile(lat, 0.90)},
                    {"p99_us", percentile(lat, 0.99)},
                    {"max_us", lat.empty() ? 0 : lat.back()}};
  if (o.json) {
    std::printf("%s\n", out.dump().c_str());
  } else {
    std::printf(
        "%s exchange, %d connections, rate %.0f (0 = closed loop): %.0f /s, p50 %u us, "
        "p99 %u us, max %u us, %llu errors, %llu rate-limited\n",
        o.alg.c_str(), o.connections, o.rate, out["per_second"].get<double>(), percentile(lat, 0.5),
        percentile(lat, 0.99), lat.empty() ? 0U : lat.back(),
        static_cast<unsigned long long>(run.errors),
        static_cast<unsigned long long>(run.rate_limited));
  }
  return run.errors == 0 && run.rate_limited == 0 ? 0 : 1;
}
