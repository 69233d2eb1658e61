import { Connector } from './contract';
import { nmapConnector } from './nmap/nmap.connector';

/** The connectors `cmdb import` knows, by name. */
export const CONNECTORS: ReadonlyMap<string, Connector> = new Map([nmapConnector].map((c) => [c.name, c]));
