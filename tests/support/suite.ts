import { Catalog } from '../../src/model/catalog';
import { openTestGraph, TestGraph } from './graph';
import { TestApi } from './api';

/**
 * Opens the test graph and an in-process API before a test file's tests and closes both after
 * them; `ready` hands them to the file. With `wipeEach`, every test starts from an empty graph; `catalog` gives
 * another model (the shipped one plus an extension, say).
 * Fixture hooks declared after this call run after the API is up.
 */
export function useTestApi(ready: (graph: TestGraph, api: TestApi) => void, opts: { wipeEach?: boolean; catalog?: () => Catalog } = {}): void {
  let graph: TestGraph | undefined;
  let api: TestApi | undefined;
  beforeAll(async () => {
    graph = await openTestGraph(opts.catalog?.());
    api = await TestApi.create(graph);
    ready(graph, api);
  });
  afterAll(async () => {
    await api?.stop();
    await graph?.close();
  });
  if (opts.wipeEach) beforeEach(() => graph!.wipe());
}
