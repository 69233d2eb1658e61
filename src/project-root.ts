import { existsSync } from 'fs';
import { dirname, join } from 'path';

let cached: string | undefined;

/**
 * The folder holding package.json. Code runs both from src/ (ts-jest) and from dist/src/
 * (compiled), so paths to schema/, neo4j/ and dist/graphiql are resolved from here.
 */
export function projectRoot(): string {
  if (cached) return cached;
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`cannot find the project root (no package.json above ${__dirname})`);
    dir = up;
  }
  cached = dir;
  return dir;
}
