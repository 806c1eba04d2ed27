#!/usr/bin/python3
"""Scenarios run against a broker with Debian's python3-paho-mqtt (1.6).

Usage: paho_scenarios.py PORT VERSION SCENARIO [--ws PATH] [--cafile FILE]
  VERSION   3 or 5
  --ws      MQTT over WebSocket on PATH (paho's "websockets" transport) instead of TCP
  --cafile  TLS, verifying the broker against FILE (with --ws: WSS)
Exits 0 when the scenario holds, 1 with a message on stderr when it does not.
"""
import argparse
import queue
import sys
import time
import uuid

import paho.mqtt.client as mqtt
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

HOST = "127.0.0.1"
TIMEOUT = 5.0
TRANSPORT = {"ws_path": None, "cafile": None}  # set from the command line


class Client:
    """A paho client with its callbacks turned into queues."""

    def __init__(self, port, version, client_id=None, clean=True, expiry=None, will=None):
        self.version = version
        self.client_id = client_id or "py-" + uuid.uuid4().hex[:10]
        protocol = mqtt.MQTTv5 if version == 5 else mqtt.MQTTv311
        transport = "websockets" if TRANSPORT["ws_path"] else "tcp"
        if version == 5:
            self.c = mqtt.Client(client_id=self.client_id, protocol=protocol, transport=transport)
        else:
            self.c = mqtt.Client(client_id=self.client_id, clean_session=clean, protocol=protocol,
                                 transport=transport)
        if TRANSPORT["ws_path"]:
            self.c.ws_set_options(path=TRANSPORT["ws_path"])
        if TRANSPORT["cafile"]:
            self.c.tls_set(ca_certs=TRANSPORT["cafile"])
        self.messages = queue.Queue()
        self.events = queue.Queue()
        self.c.on_message = lambda c, u, m: self.messages.put(m)
        self.c.on_connect = lambda c, u, f, rc, p=None: self.events.put(("connect", f, rc))
        self.c.on_subscribe = lambda c, u, mid, granted, p=None: self.events.put(("suback", mid, granted))
        self.c.on_publish = lambda c, u, mid: self.events.put(("published", mid))
        if will:
            self.c.will_set(*will)
        kwargs = {}
        if version == 5:
            kwargs["clean_start"] = clean
            if expiry is not None:
                props = Properties(PacketTypes.CONNECT)
                props.SessionExpiryInterval = expiry
                kwargs["properties"] = props
        self.c.connect(HOST, port, keepalive=30, **kwargs)
        self.c.loop_start()
        kind, flags, rc = self.wait_event("connect")
        self.session_present = flags.get("session present", 0) if isinstance(flags, dict) else 0
        if rc != 0:
            raise AssertionError(f"CONNECT refused: {rc}")

    def wait_event(self, kind):
        deadline = time.time() + TIMEOUT
        while time.time() < deadline:
            try:
                event = self.events.get(timeout=0.1)
            except queue.Empty:
                continue
            if event[0] == kind:
                return event
        raise AssertionError(f"no {kind} within {TIMEOUT}s")

    def subscribe(self, topic, qos=0, **options):
        if self.version == 5 and options:
            opts = mqtt.SubscribeOptions(qos=qos, **options)
            self.c.subscribe(topic, options=opts)
        else:
            self.c.subscribe(topic, qos)
        return self.wait_event("suback")[2]

    def publish(self, topic, payload, qos=0, retain=False, properties=None):
        info = self.c.publish(topic, payload, qos=qos, retain=retain, properties=properties)
        if qos > 0:
            info.wait_for_publish(TIMEOUT)
            check(info.is_published(), f"QoS {qos} publish to {topic} not acknowledged")

    def expect(self, count):
        got = []
        deadline = time.time() + TIMEOUT
        while len(got) < count and time.time() < deadline:
            try:
                got.append(self.messages.get(timeout=0.1))
            except queue.Empty:
                pass
        check(len(got) == count, f"expected {count} messages, got {len(got)}")
        return got

    def expect_none(self, wait=0.5):
        time.sleep(wait)
        check(self.messages.empty(), "got a message that should not have come")

    def close(self):
        self.c.disconnect()
        self.c.loop_stop()

    def drop(self):
        """Ends the connection without DISCONNECT, as a crash would."""
        self.c.loop_stop()
        self.c.socket().close()


def check(condition, message):
    if not condition:
        raise AssertionError(message)


def topic():
    return "test/" + uuid.uuid4().hex[:8]


def qos_roundtrip(port, v):
    t = topic()
    sub = Client(port, v)
    granted = sub.subscribe(t, 2)
    pub = Client(port, v)
    for qos in (0, 1, 2):
        pub.publish(t, f"q{qos}", qos=qos)
    got = sub.expect(3)
    check(sorted((m.payload.decode(), m.qos) for m in got) == [("q0", 0), ("q1", 1), ("q2", 2)],
          f"wrong messages: {[(m.payload, m.qos) for m in got]}")
    sub.close()
    pub.close()


def downgrade(port, v):
    t = topic()
    sub = Client(port, v)
    sub.subscribe(t, 1)
    pub = Client(port, v)
    pub.publish(t, "x", qos=2)
    check(sub.expect(1)[0].qos == 1, "QoS 2 was not downgraded to the subscription's 1")


def retained(port, v):
    t = topic()
    pub = Client(port, v)
    pub.publish(t, "kept", qos=1, retain=True)
    sub = Client(port, v)
    sub.subscribe(t, 1)
    m = sub.expect(1)[0]
    check(m.retain and m.payload == b"kept", "retained message not delivered with RETAIN")
    pub.publish(t, "", qos=1, retain=True)
    late = Client(port, v)
    late.subscribe(t, 1)
    late.expect_none()


def will(port, v):
    t = topic()
    watcher = Client(port, v)
    watcher.subscribe(t, 1)
    dying = Client(port, v, will=(t, b"gone", 1, False))
    dying.drop()
    check(watcher.expect(1)[0].payload == b"gone", "will not published")
    polite = Client(port, v, will=(t, b"should not", 1, False))
    polite.close()
    watcher.expect_none()


def persistent_session(port, v):
    t = topic()
    cid = "py-persist-" + uuid.uuid4().hex[:6]
    sub = Client(port, v, client_id=cid, clean=False, expiry=300)
    sub.subscribe(t, 1)
    sub.close()
    pub = Client(port, v)
    pub.publish(t, "while away", qos=1)
    back = Client(port, v, client_id=cid, clean=False, expiry=300)
    check(back.session_present, "session not present on reconnect")
    check(back.expect(1)[0].payload == b"while away", "queued message not delivered")


def shared(port, v):
    check(v == 5, "shared subscriptions are an MQTT 5 scenario")
    t = topic()
    a = Client(port, v)
    b = Client(port, v)
    a.subscribe("$share/workers/" + t, 1)
    b.subscribe("$share/workers/" + t, 1)
    pub = Client(port, v)
    for i in range(10):
        pub.publish(t, str(i), qos=1)
    time.sleep(0.5)
    na, nb = a.messages.qsize(), b.messages.qsize()
    check(na + nb == 10, f"{na} + {nb} messages instead of 10")
    check(na > 0 and nb > 0, f"one member got nothing ({na}, {nb})")


def properties(port, v):
    check(v == 5, "properties are an MQTT 5 scenario")
    t = topic()
    sub = Client(port, v)
    sub.subscribe(t, 1)
    pub = Client(port, v)
    props = Properties(PacketTypes.PUBLISH)
    props.UserProperty = [("a", "1"), ("b", "2")]
    props.ResponseTopic = "replies/x"
    props.CorrelationData = b"\x01\x02"
    props.ContentType = "text/plain"
    props.MessageExpiryInterval = 60
    pub.publish(t, "p", qos=1, properties=props)
    m = sub.expect(1)[0]
    p = m.properties
    check(p.UserProperty == [("a", "1"), ("b", "2")], f"user properties: {p.UserProperty}")
    check(p.ResponseTopic == "replies/x", "response topic lost")
    check(p.CorrelationData == b"\x01\x02", "correlation data lost")
    check(p.ContentType == "text/plain", "content type lost")
    check(0 < p.MessageExpiryInterval <= 60, "message expiry not forwarded")


def no_local(port, v):
    check(v == 5, "no-local is an MQTT 5 scenario")
    t = topic()
    c = Client(port, v)
    c.subscribe(t, 1, noLocal=True)
    c.publish(t, "mine", qos=1)
    c.expect_none()
    other = Client(port, v)
    other.publish(t, "theirs", qos=1)
    check(c.expect(1)[0].payload == b"theirs", "message from another client missing")


SCENARIOS = {f.__name__: f for f in (qos_roundtrip, downgrade, retained, will,
                                     persistent_session, shared, properties, no_local)}

if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("port", type=int)
    parser.add_argument("version", type=int, choices=(3, 5))
    parser.add_argument("scenario", choices=sorted(SCENARIOS))
    parser.add_argument("--ws", dest="ws_path")
    parser.add_argument("--cafile")
    args = parser.parse_args()
    port, version, name = args.port, args.version, args.scenario
    TRANSPORT.update(ws_path=args.ws_path, cafile=args.cafile)
    try:
        SCENARIOS[name](port, version)
    except AssertionError as e:
        print(f"{name} (MQTT {'5.0' if version == 5 else '3.1.1'}): {e}", file=sys.stderr)
        sys.exit(1)
    print("ok")
