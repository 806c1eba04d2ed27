#!/usr/bin/env node
// MQTT.js (the npm `mqtt` package, version pinned in package.json) against `cloudsignal dev`
// over ws:// and wss://. Run by tests/integration/devbroker/mqttjs_test.cpp.
//
// Usage: node scenario.js URL VERSION SCENARIO [--ca FILE] [--cert FILE --key FILE]
//                                              [--origin ORIGIN]
//   VERSION   4 (MQTT 3.1.1) or 5
//   SCENARIO  roundtrip  QoS 0/1/2, a 300 KiB message and a retained one arrive intact
//             refused    the connection must fail before CONNACK; prints why
// Exits 0 when the scenario holds, 1 with a message on stderr when it does not.
'use strict';

const crypto = require('crypto');
const fs = require('fs');
const mqtt = require('mqtt');

const TIMEOUT_MS = 5000;

function parseArgs(argv) {
  const [url, version, scenario, ...rest] = argv;
  const options = {};
  for (let i = 0; i < rest.length; i += 2) {
    const [flag, value] = [rest[i], rest[i + 1]];
    if (!['--ca', '--cert', '--key', '--origin'].includes(flag) || value === undefined) {
      throw new Error(`unknown or incomplete option ${flag}`);
    }
    options[flag.slice(2)] = value;
  }
  if (!url || !['4', '5'].includes(version) || !scenario) {
    throw new Error('usage: scenario.js URL 4|5 roundtrip|refused [--ca F] [--cert F --key F]');
  }
  return { url, version: Number(version), scenario, options };
}

function connectionOptions(version, options) {
  const out = {
    protocolVersion: version,
    clientId: 'js-' + crypto.randomBytes(5).toString('hex'),
    clean: true,
    reconnectPeriod: 0,
    connectTimeout: TIMEOUT_MS,
  };
  if (options.ca) out.ca = fs.readFileSync(options.ca);
  if (options.cert) out.cert = fs.readFileSync(options.cert);
  if (options.key) out.key = fs.readFileSync(options.key);
  if (options.origin) out.wsOptions = { origin: options.origin };
  return out;
}

// Resolves with a connected client, or rejects with the first error or an early close.
function connect(url, version, options) {
  return new Promise((resolve, reject) => {
    const client = mqtt.connect(url, connectionOptions(version, options));
    let settled = false;
    const settle = (error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error) {
        client.end(true);
        reject(error);
      } else {
        resolve(client);
      }
    };
    const timer = setTimeout(() => settle(new Error('no CONNACK within 5 s')), TIMEOUT_MS);
    client.once('connect', () => settle(null));
    client.once('error', (error) => settle(error));
    client.once('close', () => settle(new Error('connection closed before CONNACK')));
  });
}

function check(condition, message) {
  if (!condition) throw new Error(message);
}

async function waitFor(condition, what) {
  const deadline = Date.now() + TIMEOUT_MS;
  while (!condition()) {
    check(Date.now() < deadline, `timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function collect(client) {
  const received = [];
  client.on('message', (topic, payload, packet) =>
    received.push({ topic, payload, qos: packet.qos, retain: packet.retain }),
  );
  return received;
}

async function roundtrip(url, version, options) {
  const base = 'js/' + crypto.randomBytes(4).toString('hex');
  const sub = await connect(url, version, options);
  const received = collect(sub);
  await sub.subscribeAsync(base + '/#', { qos: 2 });
  const pub = await connect(url, version, options);
  for (const qos of [0, 1, 2]) {
    await pub.publishAsync(`${base}/${qos}`, `q${qos}`, { qos });
  }
  // Larger than the broker's 64 KiB reads and many TCP segments: one WebSocket message that
  // arrives in pieces.
  const big = crypto.randomBytes(300 * 1024);
  await pub.publishAsync(`${base}/big`, big, { qos: 1 });
  await waitFor(() => received.length >= 4, 'four messages');
  for (const qos of [0, 1, 2]) {
    const m = received.find((r) => r.topic === `${base}/${qos}`);
    check(m && m.payload.toString() === `q${qos}` && m.qos === qos, `QoS ${qos} message wrong`);
  }
  const large = received.find((r) => r.topic === `${base}/big`);
  check(large && large.payload.equals(big), '300 KiB message damaged');

  await pub.publishAsync(`${base}-kept`, 'kept', { qos: 1, retain: true });
  const late = await connect(url, version, options);
  const lateReceived = collect(late);
  await late.subscribeAsync(`${base}-kept`, { qos: 1 });
  await waitFor(() => lateReceived.length >= 1, 'the retained message');
  check(lateReceived[0].retain && lateReceived[0].payload.toString() === 'kept', 'retained lost');
  await Promise.all([sub.endAsync(), pub.endAsync(), late.endAsync()]);
}

async function refused(url, version, options) {
  let client;
  try {
    client = await connect(url, version, options);
  } catch (error) {
    console.log(`refused: ${error.message}`);
    return;
  }
  await client.endAsync();
  throw new Error('connected, but the connection should have been refused');
}

const SCENARIOS = { roundtrip, refused };

async function main() {
  let args;
  try {
    args = parseArgs(process.argv.slice(2));
    const run = SCENARIOS[args.scenario];
    check(run, `no scenario ${args.scenario}`);
    await run(args.url, args.version, args.options);
    console.log('ok');
    process.exit(0);
  } catch (error) {
    const label = args ? `${args.scenario} (MQTT ${args.version === 5 ? '5.0' : '3.1.1'})` : '';
    console.error(`${label}: ${error.message}`);
    process.exit(1);
  }
}

main();
