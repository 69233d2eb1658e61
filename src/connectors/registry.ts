import { Connector } from './contract';
import { awsConnector } from './aws/aws.connector';
import { csvConnector } from './csv/csv.connector';
import { kubernetesConnector } from './kubernetes/kubernetes.connector';
import { nmapConnector } from './nmap/nmap.connector';
import { serviceNowConnector } from './servicenow/servicenow.connector';
import { terraformConnector } from './terraform/terraform.connector';

/** The connectors `cmdb import` knows, by name. */
export const CONNECTORS: ReadonlyMap<string, Connector> = new Map(
  [nmapConnector, kubernetesConnector, awsConnector, terraformConnector, serviceNowConnector, csvConnector].map((c) => [c.name, c]),
);
