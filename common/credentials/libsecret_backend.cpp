#include "common/credentials/libsecret_backend.h"

#include <dlfcn.h>
#include <sys/stat.h>

#include <condition_variable>
#include <cstdlib>
#include <libsecret/secret.h>
#include <string>
#include <thread>

namespace cs::credentials {
namespace {

// libsecret (with GLib and GIO, a dozen libraries) is loaded when a command first needs the
// keyring, not at every start of the CLI: resolving their symbols would cost every command a
// few milliseconds, and a machine without libsecret still runs everything else.
struct Libsecret {
  decltype(&secret_service_get_sync) service_get_sync = nullptr;
  decltype(&secret_password_storev_sync) password_storev_sync = nullptr;
  decltype(&secret_password_lookupv_sync) password_lookupv_sync = nullptr;
  decltype(&secret_password_clearv_sync) password_clearv_sync = nullptr;
  decltype(&secret_password_free) password_free = nullptr;
  decltype(&g_cancellable_new) cancellable_new = nullptr;
  decltype(&g_cancellable_cancel) cancellable_cancel = nullptr;
  decltype(&g_object_unref) object_unref = nullptr;
  decltype(&g_clear_error) clear_error = nullptr;
  decltype(&g_hash_table_new) hash_table_new = nullptr;
  decltype(&g_hash_table_insert) hash_table_insert = nullptr;
  decltype(&g_hash_table_unref) hash_table_unref = nullptr;
  decltype(&g_str_hash) str_hash = nullptr;
  decltype(&g_str_equal) str_equal = nullptr;
};

template <typename F>
bool bind(void* library, const char* name, F& slot) {
  slot = reinterpret_cast<F>(dlsym(library, name));
  return slot != nullptr;
}

// The library's functions, loaded once (never unloaded: GLib does not support it).
const Result<Libsecret>& libsecret() {
  static const Result<Libsecret> loaded = []() -> Result<Libsecret> {
    void* library = dlopen("libsecret-1.so.0", RTLD_NOW | RTLD_LOCAL);
    if (library == nullptr) {
      const char* why = dlerror();
      return fail(ErrorCode::unavailable,
                  std::string("libsecret is not installed: ").append(why != nullptr ? why : ""));
    }
    Libsecret l;
    const bool ok = bind(library, "secret_service_get_sync", l.service_get_sync) &&
                    bind(library, "secret_password_storev_sync", l.password_storev_sync) &&
                    bind(library, "secret_password_lookupv_sync", l.password_lookupv_sync) &&
                    bind(library, "secret_password_clearv_sync", l.password_clearv_sync) &&
                    bind(library, "secret_password_free", l.password_free) &&
                    bind(library, "g_cancellable_new", l.cancellable_new) &&
                    bind(library, "g_cancellable_cancel", l.cancellable_cancel) &&
                    bind(library, "g_object_unref", l.object_unref) &&
                    bind(library, "g_clear_error", l.clear_error) &&
                    bind(library, "g_hash_table_new", l.hash_table_new) &&
                    bind(library, "g_hash_table_insert", l.hash_table_insert) &&
                    bind(library, "g_hash_table_unref", l.hash_table_unref) &&
                    bind(library, "g_str_hash", l.str_hash) &&
                    bind(library, "g_str_equal", l.str_equal);
    if (!ok) return fail(ErrorCode::unavailable, "the installed libsecret lacks a function");
    return l;
  }();
  return loaded;
}

// The loaded library; only called once probe() found it.
const Libsecret& lib() {
  return *libsecret();
}

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
      : m_timeout(timeout), m_cancellable(lib().cancellable_new()) {
    m_thread = std::thread([this] {
      std::unique_lock lock(m_mutex);
      if (!m_cv.wait_for(lock, m_timeout, [this] { return m_done; })) {
        m_expired = true;
        lib().cancellable_cancel(m_cancellable);
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
    lib().object_unref(m_cancellable);
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
    lib().clear_error(&error);
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
      : m_kind(secret_kind_name(key.kind)),
        m_table(lib().hash_table_new(lib().str_hash, lib().str_equal)) {
    lib().hash_table_insert(m_table, const_cast<char*>("directory"),
                            const_cast<char*>(key.directory.c_str()));
    lib().hash_table_insert(m_table, const_cast<char*>("profile"),
                            const_cast<char*>(key.profile.c_str()));
    lib().hash_table_insert(m_table, const_cast<char*>("kind"), const_cast<char*>(m_kind.c_str()));
  }
  ~Attributes() { lib().hash_table_unref(m_table); }
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
  if (const auto& loaded = libsecret(); !loaded) {
    m_probe = fail(loaded.error());
    return *m_probe;
  }
  if (!session_bus_known()) {
    m_probe = fail(ErrorCode::unavailable,
                   "there is no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set)");
    return *m_probe;
  }
  Deadline deadline(m_options.probe_timeout);
  GError* error = nullptr;
  SecretService* service =
      lib().service_get_sync(SECRET_SERVICE_OPEN_SESSION, deadline.cancellable(), &error);
  if (service == nullptr) {
    m_probe = fail(deadline.failure(error, "cannot reach the Secret Service"));
  } else {
    lib().object_unref(service);
    m_probe = Result<void>{};
  }
  return *m_probe;
}

Result<void> LibsecretBackend::store(const SecretKey& key, std::string_view secret) {
  if (const auto& loaded = libsecret(); !loaded) return fail(loaded.error());
  const Attributes attributes(key);
  std::string label = "cloudsignal ";
  label.append(secret_kind_name(key.kind)).append(" (profile ").append(key.profile).append(")");
  const std::string value(secret);
  Deadline deadline(m_options.operation_timeout);
  GError* error = nullptr;
  const gboolean ok =
      lib().password_storev_sync(&schema(), attributes.table(), SECRET_COLLECTION_DEFAULT,
                                 label.c_str(), value.c_str(), deadline.cancellable(), &error);
  if (!ok) return fail(deadline.failure(error, describe("cannot store", key)));
  return {};
}

Result<std::optional<std::string>> LibsecretBackend::lookup(const SecretKey& key) {
  if (const auto& loaded = libsecret(); !loaded) return fail(loaded.error());
  const Attributes attributes(key);
  Deadline deadline(m_options.operation_timeout);
  GError* error = nullptr;
  gchar* value =
      lib().password_lookupv_sync(&schema(), attributes.table(), deadline.cancellable(), &error);
  if (error != nullptr) return fail(deadline.failure(error, describe("cannot read", key)));
  if (value == nullptr) return std::optional<std::string>{};
  std::optional<std::string> secret(value);
  lib().password_free(value);  // wipes the memory before freeing it
  return secret;
}

Result<void> LibsecretBackend::erase(const SecretKey& key) {
  if (const auto& loaded = libsecret(); !loaded) return fail(loaded.error());
  const Attributes attributes(key);
  Deadline deadline(m_options.operation_timeout);
  GError* error = nullptr;
  lib().password_clearv_sync(&schema(), attributes.table(), deadline.cancellable(), &error);
  if (error != nullptr) return fail(deadline.failure(error, describe("cannot delete", key)));
  return {};
}

}  // namespace cs::credentials
