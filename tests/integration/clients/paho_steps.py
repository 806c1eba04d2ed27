#!/usr/bin/python3
"""Single steps of a scenario that spans broker restarts, with Debian's python3-paho-mqtt.

Usage: paho_steps.py PORT VERSION STEP ARGS...
  subscribe CLIENT_ID TOPIC EXPIRY   a persistent session (3.1.1 clean session 0, 5.0 clean
                                     start 0 and session expiry EXPIRY) subscribes to TOPIC at
                                     QoS 1, then disconnects
  publish TOPIC PAYLOAD [COUNT]      publishes PAYLOAD (COUNT times: TOPIC/0, TOPIC/1, ... with
                                     PAYLOAD 0, 1, ...) at QoS 1 and waits for every PUBACK
  retain TOPIC PAYLOAD [COUNT]       the same, retained
  resume CLIENT_ID TOPIC EXPIRY PAYLOAD...
                                     the session is present, delivers the PAYLOADs in order, and
                                     its subscription to TOPIC still works without subscribing
  absent CLIENT_ID                   the session is gone
  retained FILTER COUNT              a new subscriber to FILTER gets COUNT retained messages
Exits 0 when the step holds, 1 with a message on stderr when it does not.
"""
import sys

from paho_scenarios import Client, check


def subscribe(port, v, client_id, topic, expiry):
    c = Client(port, v, client_id=client_id, clean=False, expiry=int(expiry))
    c.subscribe(topic, 1)
    c.close()


def publish_all(port, v, topic, payload, count, retain):
    c = Client(port, v)
    # Every publish is in flight before the first PUBACK is awaited: the broker sees a pipeline.
    infos = []
    for i in range(count):
        t, p = (topic, payload) if count == 1 else (f"{topic}/{i}", str(i))
        infos.append(c.c.publish(t, p, qos=1, retain=retain))
    for info in infos:
        info.wait_for_publish(10)
        check(info.is_published(), "a QoS 1 publish was not acknowledged")
    c.close()


def resume(port, v, client_id, topic, expiry, *payloads):
    c = Client(port, v, client_id=client_id, clean=False, expiry=int(expiry))
    check(c.session_present, "session not present")
    got = [m.payload.decode() for m in c.expect(len(payloads))] if payloads else []
    check(got == list(payloads), f"got {got} instead of {list(payloads)}")
    publish_all(port, v, topic, "live", 1, False)
    check(c.expect(1)[0].payload == b"live", "the kept subscription did not deliver")
    c.close()


def absent(port, v, client_id):
    c = Client(port, v, client_id=client_id, clean=False, expiry=60)
    check(not c.session_present, "an expired session is still present")
    c.expect_none()
    c.close()


def retained(port, v, topic_filter, count):
    c = Client(port, v)
    c.subscribe(topic_filter, 1)
    got = c.expect(int(count))
    check(all(m.retain for m in got), "a retained message came without RETAIN")
    c.expect_none()
    c.close()


STEPS = {
    "subscribe": subscribe,
    "publish": lambda port, v, t, p, n=1: publish_all(port, v, t, p, int(n), False),
    "retain": lambda port, v, t, p, n=1: publish_all(port, v, t, p, int(n), True),
    "resume": resume,
    "absent": absent,
    "retained": retained,
}

if __name__ == "__main__":
    port, version, step, args = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4:]
    try:
        STEPS[step](port, version, *args)
    except AssertionError as e:
        print(f"{step} (MQTT {'5.0' if version == 5 else '3.1.1'}): {e}", file=sys.stderr)
        sys.exit(1)
    print("ok")
