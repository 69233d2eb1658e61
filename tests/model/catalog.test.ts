import { writeFileSync } from 'fs';
import { join } from 'path';
import { loadCatalog, catalogFromSources, ModelSource } from '../../src/model/load-catalog';
import { ModelError } from '../../src/model/model-error';
import { tempDir } from '../support/temp-dir';

function tempModel(files: Record<string, string>): string {
  const dir = tempDir('model');
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

function problemsOf(load: () => unknown): string[] {
  try {
    load();
  } catch (err) {
    expect(err).toBeInstanceOf(ModelError);
    return (err as ModelError).problems;
  }
  throw new Error('expected the model to be rejected');
}

const minimal = (extra: Partial<ModelSource> = {}): ModelSource[] => [{
  file: 'base.yaml',
  classes: [{ name: 'ConfigurationItem', abstract: true }, { name: 'Server', attributes: [{ name: 'hostname', type: 'string', required: true }] }],
  relationshipTypes: [{ name: 'DEPENDS_ON', inverseName: 'USED_BY', sources: ['ConfigurationItem'], targets: ['ConfigurationItem'], propagation: 'TARGET_TO_SOURCE' }],
  ...extra,
}];

describe('the shipped model', () => {
  const catalog = loadCatalog();

  it('holds a realistic base model of classes and relationship types', () => {
    const expected = [
      'BusinessService', 'TechnicalService', 'Application', 'ApplicationInstance', 'Database', 'DatabaseInstance', 'Server',
      'LinuxServer', 'WindowsServer', 'VirtualMachine', 'Hypervisor', 'Container', 'KubernetesCluster', 'KubernetesNamespace',
      'KubernetesWorkload', 'KubernetesPod', 'KubernetesNode', 'LoadBalancer', 'NetworkDevice', 'Switch', 'Router', 'Firewall',
      'IpAddress', 'NetworkInterface', 'StorageVolume', 'CloudAccount', 'Datacenter', 'Rack',
    ];
    expect([...catalog.classes.keys()]).toEqual(expect.arrayContaining(expected));
    expect([...catalog.relationshipTypes.values()].map((t) => [t.name, t.inverseName])).toEqual(expect.arrayContaining([
      ['DEPENDS_ON', 'USED_BY'], ['RUNS_ON', 'RUNS'], ['HOSTED_ON', 'HOSTS'], ['CONTAINS', 'CONTAINED_IN'],
      ['MEMBER_OF', 'HAS_MEMBER'], ['LOCATED_IN', 'LOCATION_OF'], ['OWNED_BY', 'OWNS'], ['CONNECTS_TO', 'CONNECTED_FROM'],
    ]));
  });

  it('resolves inheritance of attributes and identification rules', () => {
    const linux = catalog.getClass('LinuxServer')!;
    expect(linux.ancestry).toEqual(['ConfigurationItem', 'Computer', 'Server', 'LinuxServer']);
    expect(linux.attributes.get('hostname')).toMatchObject({ type: 'string', required: true, declaredBy: 'Computer' });
    expect(linux.attributes.get('serialNumber')).toMatchObject({ declaredBy: 'Server' });
    expect(linux.attributes.get('kernelVersion')).toMatchObject({ declaredBy: 'LinuxServer' });
    expect(linux.identification.map((r) => r.identifiers)).toEqual([['serialNumber'], ['fqdn'], ['hostname', 'domain']]);
    expect(catalog.getClass('DatabaseInstance')!.identification[0].relatedVia).toEqual({ type: 'RUNS_ON', direction: 'OUTGOING' });
    expect(catalog.descendants('Server').sort()).toEqual(['Hypervisor', 'LinuxServer', 'Server', 'WindowsServer']);
    expect(catalog.getClass('DEPENDS_ON' as string)).toBeUndefined();
  });

  it('knows which relationship endpoints are allowed, subclasses included', () => {
    const runsOn = catalog.getRelationshipType('RUNS_ON')!;
    expect(catalog.allowsRelationship(runsOn, 'Application', 'LinuxServer')).toBe(true);
    expect(catalog.allowsRelationship(runsOn, 'Datacenter', 'LinuxServer')).toBe(false);
    expect(catalog.getRelationshipType('DEPENDS_ON')!.propagation).toBe('TARGET_TO_SOURCE');
    expect(catalog.getRelationshipType('CONTAINS')!.propagation).toBe('SOURCE_TO_TARGET');
  });
});

describe('model validation', () => {
  it('names the file, the entry and the problem, with a hint', () => {
    const problems = problemsOf(() => catalogFromSources(minimal({
      classes: [
        { name: 'ConfigurationItem', abstract: true },
        { name: 'Server', parent: 'ConfigurationItm', attributes: [{ name: 'cpus', type: 'integer' }] },
        { name: 'Disk', attributes: [{ name: 'id', type: 'string' }, { name: 'Size', type: 'int' }], identification: [{ identifiers: ['serial'] }] },
        { name: 'Disk' },
        { name: 'vm' },
      ],
    })));
    expect(problems).toEqual(expect.arrayContaining([
      "base.yaml: classes[1] (Server): parent 'ConfigurationItm' is not a declared class; did you mean 'ConfigurationItem'?",
      expect.stringMatching(/^base\.yaml: classes\[2\] \(Disk\) attributes\[0\] \(id\): 'id' is a common CI field/),
      expect.stringMatching(/^base\.yaml: classes\[2\] \(Disk\) attributes\[1\] \(Size\): name must match/),
      expect.stringMatching(/^base\.yaml: classes\[2\] \(Disk\) identification\[0\]: identifier 'serial' is neither 'name' nor an attribute of Disk/),
      expect.stringMatching(/^base\.yaml: classes\[3\] \(Disk\): class 'Disk' is declared twice/),
      expect.stringMatching(/^base\.yaml: classes\[4\] \(vm\): name must match/),
    ]));
  });

  it('rejects unknown attribute types and relationship problems', () => {
    const problems = problemsOf(() => catalogFromSources(minimal({
      classes: [
        { name: 'ConfigurationItem', abstract: true },
        { name: 'Server', attributes: [{ name: 'cpus', type: 'integr' }], expectedRelationships: [{ type: 'RUN_ON' }] },
      ],
      relationshipTypes: [
        { name: 'DEPENDS_ON', inverseName: 'USED_BY', sources: ['ConfigurationItem'], targets: ['Servr'], propagation: 'DOWN' },
        { name: 'RUNS_ON', inverseName: 'RUNS', sources: ['ConfigurationItem'], targets: ['Servr'] },
      ],
    })));
    expect(problems).toEqual(expect.arrayContaining([
      "base.yaml: classes[1] (Server) attributes[0] (cpus): type must be one of string, int, float, boolean, datetime, stringList, json, got \"integr\"; did you mean 'int'?",
      "base.yaml: classes[1] (Server) expectedRelationships[0]: relationship type \"RUN_ON\" is not in the catalog; did you mean 'RUNS_ON'?",
      expect.stringMatching(/relationshipTypes\[0\] \(DEPENDS_ON\): propagation must be one of/),
    ]));
  });

  it('checks attribute limits: known for the type, within the ceilings, and indexed identifiers short enough', () => {
    const problems = problemsOf(() => catalogFromSources(minimal({
      classes: [
        { name: 'ConfigurationItem', abstract: true },
        {
          name: 'Server',
          attributes: [
            { name: 'hostname', type: 'string', maxLength: 5000 },
            { name: 'cpus', type: 'int', maxLength: 3 },
            { name: 'notes', type: 'string', maxLength: 0 },
            { name: 'tags', type: 'stringList', maxItems: 20_000 },
            { name: 'facts', type: 'json', maxDepth: 2.5 },
          ],
          identification: [{ identifiers: ['hostname'] }],
        },
      ],
    })));
    expect(problems).toEqual([
      'base.yaml: classes[1] (Server) attributes[1] (cpus): maxLength does not apply to type int',
      'base.yaml: classes[1] (Server) attributes[2] (notes): maxLength must be an integer from 1 to 1048576, got 0',
      'base.yaml: classes[1] (Server) attributes[3] (tags): maxItems must be an integer from 1 to 10000, got 20000',
      'base.yaml: classes[1] (Server) attributes[4] (facts): maxDepth must be an integer from 1 to 64, got 2.5',
      "base.yaml: classes[1] (Server) identification[0]: identifier 'hostname' is indexed, so its maxLength must be at most 4000, got 5000",
    ]);
  });

  it('gives a class default redundancy that subclasses inherit, and names a bad rule', () => {
    const catalog = catalogFromSources(minimal({
      classes: [
        { name: 'ConfigurationItem', abstract: true },
        { name: 'Server', attributes: [{ name: 'hostname', type: 'string', required: true }] },
        { name: 'Pool', redundancy: [{ type: 'DEPENDS_ON', quorum: 2 }] },
        { name: 'SmallPool', parent: 'Pool', redundancy: [{ type: 'DEPENDS_ON', quorum: 1 }] },
        { name: 'BigPool', parent: 'Pool' },
      ],
    }));
    expect(['Pool', 'SmallPool', 'BigPool', 'Server'].map((c) => catalog.getClass(c)!.redundancy)).toEqual([
      [{ type: 'DEPENDS_ON', quorum: 2 }], [{ type: 'DEPENDS_ON', quorum: 1 }], [{ type: 'DEPENDS_ON', quorum: 2 }], [],
    ]);
    expect(loadCatalog().getClass('LoadBalancer')!.redundancy).toEqual([{ type: 'MEMBER_OF', quorum: 1 }]);
    const problems = problemsOf(() => catalogFromSources(minimal({
      classes: [{ name: 'ConfigurationItem', abstract: true }, { name: 'Pool', redundancy: [{ type: 'DEPEND_ON', quorum: 1 }, { type: 'DEPENDS_ON', quorum: 0 }] }],
    })));
    expect(problems).toEqual([
      "base.yaml: classes[1] (Pool) redundancy[0]: type must be a relationship type of the catalog, got \"DEPEND_ON\"; did you mean 'DEPENDS_ON'?",
      'base.yaml: classes[1] (Pool) redundancy[1]: quorum must be a whole number of at least 1, got 0',
    ]);
  });

  it('rejects a parent cycle', () => {
    const problems = problemsOf(() => catalogFromSources(minimal({
      classes: [{ name: 'ConfigurationItem' }, { name: 'A', parent: 'B' }, { name: 'B', parent: 'A' }],
    })));
    expect(problems.some((p) => p.includes('loops back'))).toBe(true);
  });

  it('reports an unparsable file by name', () => {
    const dir = tempModel({ 'broken.yaml': 'classes: [ {name: Server' });
    const problems = problemsOf(() => loadCatalog({ extensionPath: dir }));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/broken\.yaml: file: cannot be parsed/);
  });

  it('lets an extension file add a class and extend an existing one without code', () => {
    const dir = tempModel({
      'ext.yaml': [
        'classes:',
        '  - name: PaymentTerminal',
        '    parent: NetworkDevice',
        '    attributes: [{ name: merchantId, type: string, required: true }]',
        '    identification: [{ identifiers: [merchantId] }]',
        '  - name: Server',
        '    extend: true',
        '    attributes: [{ name: costCenter, type: string, recommended: true }]',
        'relationshipTypes:',
        '  - { name: BACKS_UP, inverseName: BACKED_UP_BY, sources: [Server], targets: [StorageVolume], propagation: NONE }',
      ].join('\n'),
    });
    const catalog = loadCatalog({ extensionPath: join(dir, 'ext.yaml') });
    expect(catalog.getClass('PaymentTerminal')!.attributes.get('hostname')?.declaredBy).toBe('NetworkDevice');
    expect(catalog.getClass('PaymentTerminal')!.identification.map((r) => r.identifiers)).toEqual([['merchantId']]);
    // Subclasses built after the extension see the added attribute too.
    expect(catalog.getClass('LinuxServer')!.attributes.get('costCenter')).toMatchObject({ recommended: true, declaredBy: 'Server' });
    expect(catalog.getRelationshipType('BACKS_UP')!.inverseName).toBe('BACKED_UP_BY');
  });
});
