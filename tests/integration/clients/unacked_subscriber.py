#!/usr/bin/python3
"""A persistent subscriber that receives and never acknowledges, over a raw socket.

Usage: unacked_subscriber.py PORT VERSION CLIENT_ID TOPIC
Connects as CLIENT_ID (3.1.1: clean session 0; 5.0: clean start 0, session expiry 300),
subscribes to TOPIC at QoS 1 and prints "subscribed"; then prints "got PAYLOAD" for every
PUBLISH and sends no PUBACK, so the broker keeps each message in flight until it dies.
"""
import socket
import struct
import sys


def utf8(text):
    data = text.encode()
    return struct.pack("!H", len(data)) + data


def packet(first_byte, body):
    length, encoded = len(body), b""
    while True:
        byte, length = length % 128, length // 128
        encoded += bytes([byte | (0x80 if length else 0)])
        if not length:
            return bytes([first_byte]) + encoded + body


def read_exactly(sock, n):
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            sys.exit(0)  # the broker went away
        data += chunk
    return data


def read_packet(sock):
    first = read_exactly(sock, 1)[0]
    length, shift = 0, 0
    while True:
        byte = read_exactly(sock, 1)[0]
        length += (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return first, read_exactly(sock, length)


def varint(data, at):
    value, shift = 0, 0
    while True:
        byte = data[at]
        at += 1
        value += (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return value, at


def main(port, version, client_id, topic):
    v5 = version == 5
    sock = socket.create_connection(("127.0.0.1", port), timeout=60)
    properties = b"\x05\x11" + struct.pack("!I", 300) if v5 else b""
    body = utf8("MQTT") + bytes([5 if v5 else 4, 0x00]) + struct.pack("!H", 60) + properties
    sock.sendall(packet(0x10, body + utf8(client_id)))
    first, body = read_packet(sock)
    reason = body[1]
    if first >> 4 != 2 or reason != 0:
        sys.exit(f"CONNACK refused: {reason}")
    sub = struct.pack("!H", 1) + (b"\x00" if v5 else b"") + utf8(topic) + b"\x01"
    sock.sendall(packet(0x82, sub))
    while True:
        first, body = read_packet(sock)
        if first >> 4 == 9:
            print("subscribed", flush=True)
        elif first >> 4 == 3:
            qos = (first >> 1) & 3
            at = 2 + struct.unpack("!H", body[:2])[0] + (2 if qos else 0)
            if v5:
                length, at = varint(body, at)
                at += length
            print("got " + body[at:].decode(), flush=True)


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4])
