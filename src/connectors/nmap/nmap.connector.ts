/**
 * nmap XML (`nmap -oX`): every host that is up becomes a Server (LinuxServer, WindowsServer per its best OS match),
 * with its hostnames, OS match and open ports; its MAC becomes a NetworkInterface and each address an IpAddress,
 * both ASSIGNED_TO it. The file is streamed. Hosts are identified by MAC, then by IP (lookups) and by hostname and domain (the model's
 * rules); the MAC, else the first address, is the native key.
 */
import type { Readable } from 'stream';
import { SaxesParser } from 'saxes';
import { Connector, ParseError, ReconcileItem, ReconcileRelationship, RecordGroup } from '../contract';
import { loadMapping, stringTables } from '../mapping';

interface NmapMapping {
  classByOsFamily: Record<string, string>;
  defaultClass: string;
}

type Node = Record<string, any>;
const list = (v: unknown): Node[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]) as Node[];

export function loadNmapMapping(file?: string): NmapMapping {
  return loadMapping<NmapMapping>('nmap', file, (m) => [
    ...stringTables(m, ['classByOsFamily']),
    ...(typeof m.defaultClass === 'string' ? [] : ["'defaultClass' must be a class name"]),
  ]);
}

/** One nmap <host> as reconcile items; `index` is its position among the run's hosts. */
export function hostGroup(host: Node, index: number, file: string, mapping: NmapMapping): RecordGroup | null {
  if (host.status?.state !== 'up') return null;
  const addresses = list(host.address);
  const ips = addresses.filter((a) => a.addrtype === 'ipv4' || a.addrtype === 'ipv6');
  const mac = addresses.find((a) => a.addrtype === 'mac');
  const position = { file, at: `host[${index}]`, key: mac?.addr ?? ips[0]?.addr ?? null };
  if (!ips.length && !mac) return { position, items: [], relationships: [], problems: [{ field: 'address', reason: 'host has no address' }] };

  const names = list(host.hostnames?.hostname).map((h) => String(h.name)).filter(Boolean);
  const fqdn = names.find((n) => n.includes('.'));
  // Without a name the host is known by its address (an address is not split at its dots).
  const hostname = fqdn ? fqdn.split('.')[0] : names[0] ?? String(ips[0]?.addr ?? mac!.addr);
  const best = list(host.os?.osmatch)[0];
  const family = best ? list(best.osclass)[0]?.osfamily : undefined;
  const openPorts = list(host.ports?.port)
    .filter((p) => p.state?.state === 'open')
    .map((p) => [`${p.portid}/${p.protocol}`, p.service?.name, p.service?.product, p.service?.version].filter(Boolean).join(' '));
  const ref = `host:${position.key}`;
  const attributes: Record<string, unknown> = {
    hostname,
    ...(fqdn ? { fqdn, domain: fqdn.slice(fqdn.indexOf('.') + 1) } : {}),
    ...(best ? { osName: String(best.name) } : {}),
    ...(ips.length ? { ipAddresses: ips.map((a) => String(a.addr)) } : {}),
    ...(openPorts.length ? { openPorts } : {}),
  };
  const items: ReconcileItem[] = [{
    ref, class: (family && mapping.classByOsFamily[family]) || mapping.defaultClass, name: fqdn ?? hostname,
    sourceNativeKey: mac ? `mac:${String(mac.addr).toLowerCase()}` : `ip:${ips[0].addr}`, attributes,
    lookup: [
      ...(mac ? [{ class: 'NetworkInterface', attributes: { macAddress: String(mac.addr).toLowerCase() } }] : []),
      ...ips.map((a) => ({ class: 'IpAddress', attributes: { address: String(a.addr) } })),
    ],
  }];
  const relationships: ReconcileRelationship[] = [];
  const nic = mac ? `nic:${mac.addr}` : null;
  if (mac) {
    items.push({ ref: nic!, class: 'NetworkInterface', name: String(mac.addr).toLowerCase(), attributes: { macAddress: String(mac.addr).toLowerCase(), ...(mac.vendor ? { vendor: String(mac.vendor) } : {}) } });
    relationships.push({ from: nic!, to: ref, type: 'ASSIGNED_TO' });
  }
  for (const a of ips) {
    const ipRef = `ip:${a.addr}`;
    items.push({ ref: ipRef, class: 'IpAddress', name: String(a.addr), attributes: { address: String(a.addr), ipVersion: a.addrtype === 'ipv6' ? 6 : 4 } });
    relationships.push({ from: ipRef, to: nic ?? ref, type: 'ASSIGNED_TO' });
  }
  return { position, items, relationships, problems: [] };
}

export const nmapConnector: Connector = {
  name: 'nmap',
  description: 'nmap XML output (nmap -oX): hosts with addresses, MAC, hostnames, OS match and open ports',
  defaultSource: 'nmap',
  sourceKind: 'DISCOVERY',
  defaultScope: 'default',
  start: (context) => {
    const mapping = loadNmapMapping(context.mappingFile);
    return { parse: (input, file) => parseNmap(input, file, mapping), refersAcrossRecords: false };
  },
};

/**
 * Streams the hosts of an nmap XML file (saxes: a scan of 20,000 hosts takes 5 MB instead of 100 MB), building each
 * <host> as the plain object hostGroup reads, and yielding it when the element closes.
 */
async function* parseNmap(input: Readable, file: string, mapping: NmapMapping): AsyncIterable<RecordGroup> {
  const parser = new SaxesParser({ position: true });
  const done: Node[] = [];
  let failure: string | null = null;
  let root: string | null = null;
  let host: Node | null = null;
  const stack: string[] = [];
  let port: Node | null = null;
  parser.on('error', (e) => {
    failure ??= e.message;
  });
  parser.on('opentag', (tag) => {
    const a = { ...(tag.attributes as Record<string, string>) };
    const parent = stack[stack.length - 1];
    stack.push(tag.name);
    if (root === null) {
      root = tag.name;
      if (root !== 'nmaprun') failure ??= `root element <${root}>`;
      return;
    }
    if (tag.name === 'host' && parent === 'nmaprun') host = { address: [], hostnames: { hostname: [] }, os: { osmatch: [] }, ports: { port: [] } };
    if (!host) return;
    if (tag.name === 'status' && parent === 'host') host.status = a;
    else if (tag.name === 'address' && parent === 'host') host.address.push(a);
    else if (tag.name === 'hostname' && parent === 'hostnames') host.hostnames.hostname.push(a);
    else if (tag.name === 'osmatch' && parent === 'os') host.os.osmatch.push({ ...a, osclass: [] });
    else if (tag.name === 'osclass' && parent === 'osmatch') host.os.osmatch[host.os.osmatch.length - 1]?.osclass.push(a);
    else if (tag.name === 'port' && parent === 'ports') host.ports.port.push((port = { ...a }));
    else if (tag.name === 'state' && parent === 'port' && port) port.state = a;
    else if (tag.name === 'service' && parent === 'port' && port) port.service = a;
  });
  parser.on('closetag', (tag) => {
    stack.pop();
    if (tag.name === 'host' && host && stack[stack.length - 1] === 'nmaprun') {
      done.push(host);
      host = null;
    }
  });
  const fail = (reason: string): never => {
    if (reason.startsWith('root element')) {
      throw new ParseError(file, 'root element', `this is not nmap XML output (${reason}, expected <nmaprun>); run nmap with -oX`);
    }
    const at = /^(?:[^:]*:)?(\d+):(\d+): (.*)$/.exec(reason);
    throw new ParseError(file, at ? `line ${at[1]}, column ${at[2]}` : `line ${parser.line}, column ${parser.column}`, `not well-formed XML: ${at ? at[3] : reason}`);
  };
  let index = 0;
  input.setEncoding('utf8');
  for await (const chunk of input as AsyncIterable<string>) {
    parser.write(chunk);
    if (failure) fail(failure);
    while (done.length) {
      const group = hostGroup(done.shift()!, index++, file, mapping);
      if (group) yield group;
    }
  }
  parser.close();
  if (failure) fail(failure);
  if (root === null) fail('the file has no XML element');
  while (done.length) {
    const group = hostGroup(done.shift()!, index++, file, mapping);
    if (group) yield group;
  }
}
