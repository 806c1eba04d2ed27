#include "cli/mqtt_client/paho_client.h"

#include <condition_variable>
#include <deque>
#include <mqtt/async_client.h>
#include <mutex>

#include "cli/mqtt_client/refusal.h"

namespace cs::cli::mqtt_client {
namespace {

using Clock = std::chrono::steady_clock;
// How often a wait looks at the interrupt flag.
constexpr std::chrono::milliseconds k_poll{50};

int paho_version(mqtt::Version version) {
  return version == mqtt::Version::v5 ? MQTTVERSION_5 : MQTTVERSION_3_1_1;
}

std::string bytes_of(const MQTTLenString& s) {
  return s.data == nullptr ? std::string() : std::string(s.data, static_cast<std::size_t>(s.len));
}

ReceivedMessage to_received(const ::mqtt::message& m) {
  ReceivedMessage out;
  out.topic = m.get_topic();
  out.payload = m.get_payload_str();
  out.qos = m.get_qos();
  out.retain = m.is_retained();
  const MQTTProperties& props = m.get_properties().c_struct();
  for (int i = 0; i < props.count; ++i) {
    const MQTTProperty& p = props.array[i];
    auto& o = out.properties;
    switch (p.identifier) {
      case MQTTPROPERTY_CODE_PAYLOAD_FORMAT_INDICATOR:
        o.payload_format_indicator = p.value.byte;
        break;
      case MQTTPROPERTY_CODE_MESSAGE_EXPIRY_INTERVAL:
        o.message_expiry_interval = p.value.integer4;
        break;
      case MQTTPROPERTY_CODE_CONTENT_TYPE:
        o.content_type = bytes_of(p.value.data);
        break;
      case MQTTPROPERTY_CODE_RESPONSE_TOPIC:
        o.response_topic = bytes_of(p.value.data);
        break;
      case MQTTPROPERTY_CODE_CORRELATION_DATA:
        o.correlation_data = bytes_of(p.value.data);
        break;
      case MQTTPROPERTY_CODE_USER_PROPERTY:
        o.user_properties.push_back({bytes_of(p.value.data), bytes_of(p.value.value)});
        break;
      default:
        break;
    }
  }
  return out;
}

}  // namespace

struct PahoClient::State {
  std::function<bool()> interrupted;
  mqtt::Version version = mqtt::Version::v5;
  MqttUrl url;
  std::string url_text;  // for messages: never carries credentials

  std::mutex mutex;
  std::condition_variable ready;  // an event was queued
  std::condition_variable space;  // an event was taken
  std::deque<ClientEvent> events;
  bool closed = false;
  std::string tls_error;

  // Last, so it goes first: its callbacks use the members above.
  std::unique_ptr<::mqtt::async_client> client;

  void push(ClientEvent event, bool wait_for_space) {
    std::unique_lock lock(mutex);
    if (wait_for_space) {
      space.wait(lock, [&] { return closed || events.size() < k_max_pending_messages; });
    }
    if (closed) return;
    events.push_back(std::move(event));
    ready.notify_one();
  }

  // Waits for `token` until `timeout`, looking at the interrupt flag; false when interrupted or
  // out of time. Throws ::mqtt::exception when the operation failed.
  template <class Token>
  bool wait(const Token& token, std::chrono::milliseconds timeout) {
    const auto until = Clock::now() + timeout;
    while (!token->wait_for(k_poll)) {
      if (interrupted() || Clock::now() >= until) return false;
    }
    return true;
  }

  void install_handlers() {
    client->set_message_callback([this](::mqtt::const_message_ptr m) {
      if (m) push(to_received(*m), true);
    });
    client->set_connection_lost_handler([this](const std::string&) {
      Error error(ErrorCode::unreachable, "lost the connection to " + url_text,
                  "the broker closed it or the network failed");
      push(ConnectionLost{std::move(error)}, false);
    });
    client->set_disconnected_handler([this](const ::mqtt::properties&, ::mqtt::ReasonCode code) {
      push(ConnectionLost{disconnect_error(static_cast<int>(code), url_text)}, false);
    });
  }

  ::mqtt::ssl_options ssl_options(const std::string& ca_file) {
    ::mqtt::ssl_options ssl;
    ssl.set_enable_server_cert_auth(true);
    ssl.set_verify(true);  // the certificate must name the host
    if (!ca_file.empty()) ssl.set_trust_store(ca_file);
    ssl.set_error_handler([this](const std::string& line) {
      std::lock_guard lock(mutex);
      if (tls_error.empty()) tls_error = tls_reason(line);
    });
    return ssl;
  }

  Error connect_error(const ::mqtt::exception& e) {
    const int rc = e.get_return_code();
    const int reason = e.get_reason_code();
    if (version == mqtt::Version::v5 && reason >= 0x80)
      return connack_error(version, reason, url_text);
    if (version == mqtt::Version::v5 && rc >= 0x80) return connack_error(version, rc, url_text);
    if (version == mqtt::Version::v311 && rc >= 1 && rc <= 5) {
      return connack_error(version, rc, url_text);
    }
    std::lock_guard lock(mutex);
    return connect_failure(url, tls_error);
  }
};

PahoClient::PahoClient(std::function<bool()> interrupted) : m_state(std::make_unique<State>()) {
  m_state->interrupted = std::move(interrupted);
}

PahoClient::~PahoClient() {
  disconnect();
}

Result<void> PahoClient::connect(const ConnectSettings& settings) {
  State& s = *m_state;
  s.version = settings.version;
  s.url = settings.target.url;
  s.url_text = settings.target.url.text();
  const int version = paho_version(settings.version);
  try {
    s.client =
        std::make_unique<::mqtt::async_client>(settings.target.url.paho_uri(), settings.client_id,
                                               ::mqtt::create_options(version), nullptr);
    s.install_handlers();
    auto options = ::mqtt::connect_options_builder()
                       .mqtt_version(version)
                       .keep_alive_interval(std::chrono::seconds(settings.keepalive))
                       .connect_timeout(k_connect_timeout)
                       .automatic_reconnect(false)
                       .finalize();
    if (settings.version == mqtt::Version::v5) {
      options.set_clean_start(true);
    } else {
      options.set_clean_session(true);
    }
    if (settings.target.username) options.set_user_name(*settings.target.username);
    if (settings.target.password) options.set_password(*settings.target.password);
    if (s.url.tls()) options.set_ssl(s.ssl_options(settings.target.ca_file));
    auto token = s.client->connect(options);
    if (!s.wait(token, k_connect_timeout + std::chrono::seconds(1))) {
      if (s.interrupted()) return fail(ErrorCode::unreachable, "interrupted while connecting");
      return fail(ErrorCode::timeout, "no answer from " + s.url_text + " within " +
                                          std::to_string(k_connect_timeout.count()) + " seconds");
    }
  } catch (const ::mqtt::exception& e) {
    return fail(s.connect_error(e));
  }
  return {};
}

Result<void> PahoClient::publish(const OutgoingMessage& message) {
  State& s = *m_state;
  try {
    ::mqtt::properties props;
    for (const auto& p : message.user_properties) {
      props.add(::mqtt::property(::mqtt::property::USER_PROPERTY, p.key, p.value));
    }
    auto m =
        ::mqtt::message::create(message.topic, message.payload, message.qos, message.retain, props);
    auto token = s.client->publish(m);
    if (!s.wait(token, k_ack_timeout)) {
      if (s.interrupted()) return fail(ErrorCode::unreachable, "interrupted while publishing");
      std::string text = "the broker at ";
      text.append(s.url_text).append(" did not acknowledge the message to '");
      text.append(message.topic).append("' in time");
      return fail(ErrorCode::timeout, std::move(text));
    }
  } catch (const ::mqtt::exception& e) {
    if (s.version == mqtt::Version::v5 && e.get_reason_code() >= 0x80) {
      return fail(publish_error(message.topic, e.get_reason_code()));
    }
    return fail(ErrorCode::unreachable,
                "lost the connection to " + s.url_text + " while publishing",
                "the broker closed it or the network failed");
  }
  return {};
}

Result<std::vector<int>> PahoClient::subscribe(const std::vector<std::string>& filters, int qos) {
  State& s = *m_state;
  try {
    auto token = s.client->subscribe(::mqtt::string_collection::create(filters),
                                     ::mqtt::iasync_client::qos_collection(filters.size(), qos));
    if (!s.wait(token, k_ack_timeout)) {
      if (s.interrupted()) return fail(ErrorCode::unreachable, "interrupted while subscribing");
      return fail(ErrorCode::timeout,
                  "the broker at " + s.url_text + " did not answer the subscription in time");
    }
    std::vector<int> codes;
    const ::mqtt::subscribe_response response = token->get_subscribe_response();
    for (const auto code : response.get_reason_codes()) {
      codes.push_back(static_cast<int>(code));
    }
    if (codes.size() != filters.size()) {
      return fail(ErrorCode::unavailable, "the broker at " + s.url_text + " answered " +
                                              std::to_string(codes.size()) + " codes for " +
                                              std::to_string(filters.size()) + " filters");
    }
    return codes;
  } catch (const ::mqtt::exception& e) {
    // The library reports a refused single filter as a failure, with the code.
    const int code = std::max(e.get_reason_code(), e.get_return_code());
    if (filters.size() == 1 && code >= 0x80) return std::vector<int>{code};
    return fail(ErrorCode::unreachable,
                "lost the connection to " + s.url_text + " while subscribing",
                "the broker closed it or the network failed");
  }
}

ClientEvent PahoClient::next_event(std::optional<Clock::time_point> deadline) {
  State& s = *m_state;
  std::unique_lock lock(s.mutex);
  for (;;) {
    if (s.interrupted()) return Interrupted{};
    if (!s.events.empty()) {
      ClientEvent event = std::move(s.events.front());
      s.events.pop_front();
      s.space.notify_one();
      return event;
    }
    const auto now = Clock::now();
    if (deadline && now >= *deadline) return DeadlinePassed{};
    auto wake = now + k_poll;
    if (deadline && *deadline < wake) wake = *deadline;
    s.ready.wait_until(lock, wake);
  }
}

bool PahoClient::interrupted() const {
  return m_state->interrupted();
}

void PahoClient::disconnect() {
  State& s = *m_state;
  {
    std::lock_guard lock(s.mutex);
    s.closed = true;
    s.space.notify_all();
  }
  if (!s.client) return;
  try {
    if (s.client->is_connected()) s.client->disconnect()->wait_for(std::chrono::seconds(2));
  } catch (const ::mqtt::exception&) {
    // Best effort: the process is about to end and the broker cleans up after a lost client.
  }
}

}  // namespace cs::cli::mqtt_client
