/**
 * Turns each committed write's changes (the Neo4j client's outbox) into one ciChanged event per CI, with its
 * name and class read after the commit (a deleted CI's from its deletion record).
 */
import { CommittedChange, Neo4jClient } from '../graph/client';
import { EventBus, TOPICS } from './event-bus';

export function publishCommittedChanges(client: Neo4jClient, bus: EventBus): () => void {
  return client.onCommitted((changes) => {
    void publish(client, bus, changes).catch(() => undefined);
  });
}

async function publish(client: Neo4jClient, bus: EventBus, changes: CommittedChange[]): Promise<void> {
  const byCi = new Map<string, CommittedChange[]>();
  for (const c of changes) byCi.set(c.ciId, [...(byCi.get(c.ciId) ?? []), c]);
  const found = await client.read(
    `UNWIND $ids AS id
     OPTIONAL MATCH (c:CI {id: id})
     OPTIONAL MATCH (d:ChangeRecord {ciId: id, kind: 'DELETED'})
     WITH id, c, d ORDER BY d.at DESC
     WITH id, c, head(collect(d.oldValue)) AS snapshot
     RETURN id, c.name AS name, c.class AS class, snapshot`, { ids: [...byCi.keys()] });
  for (const r of found.records) {
    const id = r.get('id') as string;
    let name = r.get('name') as string | null;
    let cls = r.get('class') as string | null;
    if (!cls && r.get('snapshot')) {
      const snap = JSON.parse(r.get('snapshot') as string) as { name?: string; class?: string };
      name = snap.name ?? null;
      cls = snap.class ?? null;
    }
    const list = byCi.get(id)!;
    bus.shared.publish(TOPICS.CI_CHANGED, {
      ciId: id, name: name ?? id, class: cls ?? 'ConfigurationItem', kinds: [...new Set(list.map((c) => c.kind))],
      fields: [...new Set(list.map((c) => c.field).filter((f): f is string => !!f))].sort(), at: list[list.length - 1].at, actor: list[list.length - 1].actor,
    });
  }
}
