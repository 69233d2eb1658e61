import 'reflect-metadata';
import { writeFileSync } from 'fs';
import { join } from 'path';
import { projectRoot } from '../src/project-root';
import { generateSdl } from '../src/resolvers/sdl';

/** Writes schema/schema.graphql from the resolvers; a test fails when the committed file differs. */
async function main(): Promise<void> {
  const file = join(projectRoot(), 'schema', 'schema.graphql');
  writeFileSync(file, await generateSdl());
  console.log(`wrote ${file}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
