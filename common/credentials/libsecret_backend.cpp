#include "common/credentials/libsecret_backend.h"

#include <sys/stat.h>

#include <condition_variable>
#include <cstdlib>
#include <libsecret/secret.h>
#include <string>
#include <thread>

namespace cs::credentials {
namespace {

const SecretSchema& schema() {
  static const SecretSchema instance = [] {
    SecretSchema s{};
    s.name = k_libsecret_schema.data();
    s.flags = SECRET_SCHEMA_NONE;
    s.attributes[0] = {"directory", SECRET_SCHEMA_ATTRIBUTE_STRING};
    s.attributes[1] = {"profile", SECRET_SCHEMA_ATTRIBUTE_STRING};
    s.attributes[2] = {"kind", SECRET_SCHEMA_ATTRIBUTE_STRING};
    return s;
  }();
  return instance;
}

// GIO would try to start a bus through dbus-launch (X11) when it knows of none, which can be
// slow; without an address or a bus socket in XDG_RUNTIME_DIR there is simply no keyring.
bool session_bus_known() {
  const char* address = std::getenv("DBUS_SESSION_BUS_ADDRESS");
  if (address != nullptr && *address != '\0') return true;
  const char* runtime = std::getenv("XDG_RUNTIME_DIR");
  if (runtime == nullptr || *runtime == '\0') return false;
  struct stat st {};
  const std::string socket = std::string(runtime) + "/bus";
  return ::stat(socket.c_str(), &st) == 0 && S_ISSOCK(st.st_mode);
}

// Cancels a GCancellable when `timeout` passes before the guarded call returns; libsecret's
// synchronous calls honour a cancellation from another thread.
class Deadline {
 public:
  explicit Deadline(std::chrono::milliseconds timeout)
      : m_timeout(timeout), m_cancellable(g_cancellable_new()) {
    m_thread = std::thread([this] {
      std::unique_lock lock(m_mutex);
      if (!m_cv.wait_for(lock, m_timeout, [this] { return m_done; })) {
        m_expired = true;
        g_cancellable_cancel(m_cancellable);
      }
    });
  }
  ~Deadline() {
    {
      std::lock_guard lock(m_mutex);
      m_done = true;
    }
    m_cv.notify_one();
    m_thread.join();
    g_object_unref(m_cancellable);
  }
  Deadline(const Deadline&) = delete;
  Deadline& operator=(const Deadline&) = delete;

  GCancellable* cancellable() const { return m_cancellable; }

  /// The error for a call that failed with `error` (taken and freed), while `doing`.
  Error failure(GError* error, std::string_view doing) {
    std::string message(doing);
    std::lock_guard lock(m_mutex);
    if (m_expired) {
      message.append(": no answer within ").append(std::to_string(m_timeout.count())).append(" ms");
    } else {
      message.append(": ").append(error != nullptr ? error->message : "unknown error");
    }
    g_clear_error(&error);
    return Error{ErrorCode::unavailable, std::move(message)};
  }

 private:
  std::chrono::milliseconds m_timeout;
  GCancellable* m_cancellable;
  std::mutex m_mutex;
  std::condition_variable m_cv;
  bool m_done = false;
  bool m_expired = false;
  std::thread m_thread;
};

// The attribute table of `key`; it points into `key`, which must outlive it.
class Attributes {
 public:
  explicit Attributes(const SecretKey& key)
      : m_kind(secret_kind_name(key.kind)), m_table(g_hash_table_new(g_str_hash, g_str_equal)) {
    g_hash_table_insert(m_table, const_cast<char*>("directory"),
                        const_cast<char*>(key.directory.c_str()));
    g_hash_table_insert(m_table, const_cast<char*>("profile"),
                        const_cast<char*>(key.profile.c_str()));
    g_hash_table_insert(m_table, const_cast<char*>("kind"), const_cast<char*>(m_kind.c_str()));
  }
  ~Attributes() { g_hash_table_unref(m_table); }
  Attributes(const Attributes&) = delete;
  Attributes& operator=(const Attributes&) = delete;
  GHashTable* table() const { return m_table; }

 private:
  std::string m_kind;
  GHashTable* m_table;
};

// "<verb> the <kind> of profile "<name>"", for error messages.
std::string describe(std::string_view verb, const SecretKey& key) {
  std::string text(verb);
  return text.append(" the ")
      .append(secret_kind_name(key.kind))
      .append(" of profile \"")
      .append(key.profile)
      .append("\"");
}

}  // namespace

LibsecretBackend::LibsecretBackend(LibsecretOptions options) : m_options(options) {}

Result<void> LibsecretBackend::probe() {
  std::lock_guard lock(m_mutex);
  if (m_probe) return *m_probe;
  if (!session_bus_known()) {
    m_probe = fail(ErrorCode::unavailable,
                   "there is no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set)");
    return *m_probe;
  }
  Deadline deadline(m_options.probe_timeout);
  GError* error = nullptr;
  SecretService* service =
      secret_service_get_sync(SECRET_SERVICE_OPEN_SESSION, deadline.cancellable(), &error);
  if (service == nullptr) {
    m_probe = fail(deadline.failure(error, "cannot reach the Secret Service"));
  } else {
    g_object_unref(service);
    m_probe = Result<void>{};
  }
  return *m_probe;
}

Result<void> LibsecretBackend::store(const SecretKey& key, std::string_view secret) {
  const Attributes attributes(key);
  std::string label = "cloudsignal ";
  label.append(secret_kind_name(key.kind)).append(" (profile ").append(key.profile).append(")");
  const std::string value(secret);
  Deadline deadline(m_options.operation_timeout);
  GError* error = nullptr;
  const gboolean ok =
      secret_password_storev_sync(&schema(), attributes.table(), SECRET_COLLECTION_DEFAULT,
                                  label.c_str(), value.c_str(), deadline.cancellable(), &error);
  if (!ok) return fail(deadline.failure(error, describe("cannot store", key)));
  return {};
}

Result<std::optional<std::string>> LibsecretBackend::lookup(const SecretKey& key) {
  const Attributes attributes(key);
  Deadline deadline(m_options.operation_timeout);
  GError* error = nullptr;
  gchar* value =
      secret_password_lookupv_sync(&schema(), attributes.table(), deadline.cancellable(), &error);
  if (error != nullptr) return fail(deadline.failure(error, describe("cannot read", key)));
  if (value == nullptr) return std::optional<std::string>{};
  std::optional<std::string> secret(value);
  secret_password_free(value);  // wipes the memory before freeing it
  return secret;
}

Result<void> LibsecretBackend::erase(const SecretKey& key) {
  const Attributes attributes(key);
  Deadline deadline(m_options.operation_timeout);
  GError* error = nullptr;
  secret_password_clearv_sync(&schema(), attributes.table(), deadline.cancellable(), &error);
  if (error != nullptr) return fail(deadline.failure(error, describe("cannot delete", key)));
  return {};
}

}  // namespace cs::credentials
