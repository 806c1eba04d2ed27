// A separate process for the credential store's integration tests: it runs the store with the
// libsecret backend in whatever environment a test gives it (no session bus, a bus without a
// Secret Service), and can play a Secret Service that never answers.
//   cs_credentials_child probe TIMEOUT_MS
//   cs_credentials_child save TIMEOUT_MS DIR PROFILE ACCESS_TOKEN REFRESH_TOKEN
//   cs_credentials_child churn DIR PROFILE ROUNDS   saves PROFILE and bumps profile "counter"
//   cs_credentials_child hang                       owns org.freedesktop.secrets, answers nothing
// CLOUDSIGNAL_CREDENTIALS_STORE is read as the CLI reads it.

#include <gio/gio.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "common/credentials/libsecret_backend.h"
#include "common/credentials/store.h"

namespace {

using namespace cs::credentials;

int failed(const cs::Error& error) {
  std::cerr << "error: " << error.message << "\n";
  return 1;
}

LibsecretOptions timeouts(const std::string& ms) {
  const std::chrono::milliseconds timeout{std::stoi(ms)};
  return LibsecretOptions{timeout, timeout};
}

int probe(const std::vector<std::string>& args) {
  LibsecretBackend backend(timeouts(args.at(0)));
  const auto r = backend.probe();
  if (r) {
    std::cout << "available\n";
  } else {
    std::cout << "unavailable: " << r.error().message << "\n";
  }
  return 0;
}

int save(const std::vector<std::string>& args) {
  const char* env = std::getenv("CLOUDSIGNAL_CREDENTIALS_STORE");
  const auto choice = parse_store_choice(env ? std::optional<std::string_view>(env) : std::nullopt);
  if (!choice) return failed(choice.error());
  LibsecretBackend backend(timeouts(args.at(0)));
  StoreOptions options;
  options.choice = *choice;
  options.keyring = &backend;
  const CredentialStore store(args.at(1), options);
  Session session;
  session.profile.api_url = "https://api.cloudsignal.io";
  session.secrets.access_token = args.at(3);
  session.secrets.refresh_token = args.at(4);
  const auto outcome = store.save(args.at(2), session);
  if (!outcome) return failed(outcome.error());
  std::cout << "storage=" << storage_name(outcome->storage) << "\nnotice=" << outcome->notice
            << "\n";
  return 0;
}

int churn(const std::vector<std::string>& args) {
  StoreOptions options;
  options.choice = StoreChoice::file;
  const CredentialStore store(args.at(0), options);
  const int rounds = std::stoi(args.at(2));
  for (int i = 0; i < rounds; ++i) {
    Session mine;
    mine.profile.api_url = "https://api.cloudsignal.io";
    mine.secrets.access_token = args.at(1) + "-" + std::to_string(i);
    if (auto r = store.save(args.at(1), mine); !r) return failed(r.error());
    const auto bumped = store.update("counter", [](Session& s) -> cs::Result<void> {
      s.secrets.access_token = std::to_string(std::stoi(s.secrets.access_token.value()) + 1);
      return {};
    });
    if (!bumped) return failed(bumped.error());
  }
  return 0;
}

// Swallows every method call addressed to this connection, so callers wait for ever.
GDBusMessage* drop_method_calls(GDBusConnection*, GDBusMessage* message, gboolean incoming,
                                gpointer) {
  if (incoming && g_dbus_message_get_message_type(message) == G_DBUS_MESSAGE_TYPE_METHOD_CALL) {
    g_object_unref(message);
    return nullptr;
  }
  return message;
}

int hang() {
  GError* error = nullptr;
  GDBusConnection* bus = g_bus_get_sync(G_BUS_TYPE_SESSION, nullptr, &error);
  if (bus == nullptr) return failed(cs::Error(cs::ErrorCode::unavailable, error->message));
  g_dbus_connection_add_filter(bus, drop_method_calls, nullptr, nullptr);
  constexpr guint32 k_do_not_queue = 4;
  GVariant* reply = g_dbus_connection_call_sync(
      bus, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus", "RequestName",
      g_variant_new("(su)", "org.freedesktop.secrets", k_do_not_queue), G_VARIANT_TYPE("(u)"),
      G_DBUS_CALL_FLAGS_NONE, 5000, nullptr, &error);
  if (reply == nullptr) return failed(cs::Error(cs::ErrorCode::unavailable, error->message));
  guint32 result = 0;
  g_variant_get(reply, "(u)", &result);
  g_variant_unref(reply);
  if (result != 1) return failed(cs::Error(cs::ErrorCode::conflict, "the name is taken"));
  std::cout << "ready" << std::endl;
  for (;;) ::pause();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return 2;
  const std::string command = argv[1];
  const std::vector<std::string> args(argv + 2, argv + argc);
  if (command == "probe") return probe(args);
  if (command == "save") return save(args);
  if (command == "churn") return churn(args);
  if (command == "hang") return hang();
  return 2;
}
