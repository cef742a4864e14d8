/**
 * A preload (`node --import ./test/support/network-guard.mjs`, or in NODE_OPTIONS so child
 * processes and gateway workers get it too) that records and blocks every socket connect and
 * DNS query whose target is neither loopback nor a host named in NETWORK_GUARD_ALLOW
 * (comma-separated). A blocked call fails on the next tick with code EGRESS_BLOCKED and the real
 * connect or query is never made, so nothing reaches the network. Each blocked call is appended
 * to NETWORK_GUARD_LOG as one JSON line, with the stack that made it.
 *
 * It wraps Node's own entry points (net.Socket#connect, which http, https, tls and fetch all go
 * through; dns; dgram), so it sees every JavaScript dependency. A native program a service
 * starts (PostgreSQL) is outside it: the air-gapped run covers that.
 */
import dgram from 'node:dgram';
import dns from 'node:dns';
import { appendFileSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import net from 'node:net';

const logPath = process.env.NETWORK_GUARD_LOG;
const allowed = new Set((process.env.NETWORK_GUARD_ALLOW ?? '').split(',').map((host) => host.trim().toLowerCase()).filter(Boolean));

function isLoopback(host) {
  const name = String(host).toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (name === 'localhost' || name.endsWith('.localhost')) return true;
  if (net.isIPv4(name)) return name.startsWith('127.') || name === '0.0.0.0';
  if (net.isIPv6(name)) return name === '::1' || name === '::' || /^::ffff:127\./.test(name);
  return false;
}

/** Node's own default host, for a connect or send that names none, is localhost. */
const permitted = (host) => host === undefined || host === null || host === '' || isLoopback(host) || allowed.has(String(host).toLowerCase());

function blocked(kind, target) {
  const stack = (new Error().stack ?? '').split('\n').slice(3, 15).map((line) => line.trim());
  if (logPath) appendFileSync(logPath, `${JSON.stringify({ kind, target: String(target), pid: process.pid, argv: process.argv.slice(1), stack })}\n`);
  return Object.assign(new Error(`network guard: ${kind} ${target} blocked: neither loopback nor in NETWORK_GUARD_ALLOW`), { code: 'EGRESS_BLOCKED' });
}

/** The host of a Socket#connect call: (options), ([options, cb]) as net.connect passes it, (port, host), or (path). */
function connectTarget(args) {
  const first = Array.isArray(args[0]) ? args[0][0] : args[0];
  if (first !== null && typeof first === 'object') return first.path ? { local: true } : { host: first.host, port: first.port };
  if (typeof first === 'string' && !/^\d+$/.test(first)) return { local: true };
  return { host: typeof args[1] === 'string' ? args[1] : undefined, port: first };
}

const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function guardedConnect(...args) {
  const target = connectTarget(args);
  if (target.local || permitted(target.host)) return connect.apply(this, args);
  const error = blocked('connect', `${target.host}:${target.port}`);
  process.nextTick(() => this.destroy(error));
  return this;
};

/** Replaces each DNS function whose first argument is a host name; a blocked one fails like a lookup that found nothing. */
function guardDns(owner, names, style) {
  for (const name of names) {
    const original = owner[name];
    if (typeof original !== 'function') continue;
    owner[name] = function guardedDns(host, ...rest) {
      if (permitted(host)) return original.call(this, host, ...rest);
      const error = blocked(`dns.${name}`, host);
      if (style === 'promise') return Promise.reject(error);
      const callback = rest.findLast((arg) => typeof arg === 'function');
      if (callback) process.nextTick(callback, error);
      return undefined;
    };
  }
}
const resolvers = ['resolve', 'resolve4', 'resolve6', 'resolveAny', 'resolveCaa', 'resolveCname', 'resolveMx', 'resolveNaptr', 'resolveNs', 'resolvePtr', 'resolveSoa', 'resolveSrv', 'resolveTxt'];
guardDns(dns, ['lookup', ...resolvers], 'callback');
guardDns(dns.Resolver.prototype, resolvers, 'callback');
guardDns(dns.promises, ['lookup', ...resolvers], 'promise');
guardDns(dns.promises.Resolver.prototype, resolvers, 'promise');

const udpConnect = dgram.Socket.prototype.connect;
dgram.Socket.prototype.connect = function guardedUdpConnect(port, address, ...rest) {
  if (typeof address !== 'string' || permitted(address)) return udpConnect.call(this, port, address, ...rest);
  const error = blocked('udp connect', `${address}:${port}`);
  const callback = [address, ...rest].findLast((arg) => typeof arg === 'function');
  if (callback) process.nextTick(callback, error);
  else process.nextTick(() => this.emit('error', error));
};
const udpSend = dgram.Socket.prototype.send;
dgram.Socket.prototype.send = function guardedUdpSend(...args) {
  // send(msg[, offset, length][, port][, address][, callback]): the address follows the port.
  const portAt = args.findIndex((arg, index) => index > 0 && typeof arg === 'number' && typeof args[index + 1] === 'string');
  const address = portAt > 0 ? args[portAt + 1] : undefined;
  if (permitted(address)) return udpSend.apply(this, args);
  const error = blocked('udp send', `${address}:${args[portAt]}`);
  const callback = args.findLast((arg) => typeof arg === 'function');
  if (callback) process.nextTick(callback, error);
};

// ESM code that imported named exports (import { lookup } from 'node:dns') sees the guarded ones.
syncBuiltinESMExports();
