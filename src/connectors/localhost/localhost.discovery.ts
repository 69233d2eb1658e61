/**
 * `cmdb discover localhost`: this machine as a LinuxServer (or Server elsewhere), read from the OS: hostname, OS
 * release, kernel, CPUs, memory, the DMI serial number where readable (root), and every network interface with
 * its MAC and addresses (NetworkInterface and IpAddress CIs ASSIGNED_TO it). Keyed by /etc/machine-id when there is
 * one, and looked up by MAC, so a network scan of the same machine finds the same CI.
 */
import { readFileSync } from 'fs';
import * as os from 'os';
import { ReconcileItem, ReconcileRelationship, RecordGroup } from '../contract';

const read = (path: string): string | null => {
  try {
    return readFileSync(path, 'utf8').trim() || null;
  } catch {
    return null;
  }
};

/** Vendors' placeholders in DMI fields are not serial numbers. */
const PLACEHOLDER = /^(to be filled|default string|none|not specified|system serial number|0+|unknown|\s*)$/i;

function osRelease(): Record<string, string> {
  const text = read('/etc/os-release') ?? '';
  return Object.fromEntries(text.split('\n').map((l) => /^([A-Z_]+)=("?)(.*)\2$/.exec(l)).filter((m): m is RegExpExecArray => !!m).map((m) => [m[1], m[3]]));
}

export function discoverLocalhost(): RecordGroup {
  const hostname = os.hostname();
  const release = osRelease();
  const serial = read('/sys/class/dmi/id/product_serial');
  const machineId = read('/etc/machine-id');
  const nics = Object.entries(os.networkInterfaces())
    .map(([name, addrs]) => ({ name, addrs: (addrs ?? []).filter((a) => !a.internal) }))
    .filter((n) => n.addrs.length && n.addrs[0].mac !== '00:00:00:00:00:00');
  const ips = nics.flatMap((n) => n.addrs.map((a) => a.address));
  const ref = 'host';
  const attributes: Record<string, unknown> = {
    hostname: hostname.split('.')[0],
    ...(hostname.includes('.') ? { fqdn: hostname, domain: hostname.slice(hostname.indexOf('.') + 1) } : {}),
    osName: release.NAME ?? os.type(),
    ...(release.VERSION_ID ? { osVersion: release.VERSION_ID } : {}),
    cpuCount: os.cpus().length,
    memoryGb: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    ...(ips.length ? { ipAddresses: ips } : {}),
    ...(serial && !PLACEHOLDER.test(serial) ? { serialNumber: serial } : {}),
    ...(os.platform() === 'linux' ? { kernelVersion: os.release(), ...(release.ID ? { distribution: release.ID } : {}) } : {}),
  };
  const macs = [...new Set(nics.map((n) => n.addrs[0].mac.toLowerCase()))];
  const items: ReconcileItem[] = [{
    ref, class: os.platform() === 'linux' ? 'LinuxServer' : 'Server', name: hostname,
    sourceNativeKey: machineId ? `machine-id:${machineId}` : `hostname:${hostname}`, attributes,
    lookup: macs.map((macAddress) => ({ class: 'NetworkInterface', attributes: { macAddress } })),
  }];
  const relationships: ReconcileRelationship[] = [];
  for (const nic of nics) {
    const mac = nic.addrs[0].mac.toLowerCase();
    const nicRef = `nic:${nic.name}`;
    items.push({ ref: nicRef, class: 'NetworkInterface', name: `${hostname} ${nic.name}`, attributes: { macAddress: mac, interfaceName: nic.name } });
    relationships.push({ from: nicRef, to: ref, type: 'ASSIGNED_TO' });
    for (const a of nic.addrs) {
      const ipRef = `ip:${a.address}`;
      if (items.some((i) => i.ref === ipRef)) continue;
      items.push({ ref: ipRef, class: 'IpAddress', name: a.address, attributes: { address: a.address, ipVersion: a.family === 'IPv6' ? 6 : 4, ...(a.cidr ? { subnet: a.cidr } : {}) } });
      relationships.push({ from: ipRef, to: nicRef, type: 'ASSIGNED_TO' });
    }
  }
  return { position: { file: 'localhost', at: 'this machine', key: machineId ?? hostname }, items, relationships, problems: [] };
}
