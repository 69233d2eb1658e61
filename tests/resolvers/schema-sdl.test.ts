import { readFileSync } from 'fs';
import { join } from 'path';
import { generateSdl } from '../../src/resolvers/sdl';
import { projectRoot } from '../../src/project-root';

it('schema/schema.graphql is what the code generates (run `npm run schema` after changing resolvers)', async () => {
  const committed = readFileSync(join(projectRoot(), 'schema', 'schema.graphql'), 'utf8');
  expect(committed).toBe(await generateSdl());
});
