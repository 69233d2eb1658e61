import { readFileSync, readdirSync, statSync, existsSync } from 'fs';
import { projectRoot } from '../project-root';
import { join, relative, extname } from 'path';
import { parse as parseYaml } from 'yaml';
import { Catalog } from './catalog';
import { buildClasses, RawClass } from './build-classes';
import { buildRelationshipTypes, RawRelationshipType } from './build-relationship-types';
import { ModelProblems } from './model-error';

/** One model file's entries, tagged with where they came from for error messages. */
export interface ModelSource {
  file: string;
  classes: RawClass[];
  relationshipTypes: RawRelationshipType[];
}

const MODEL_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

export const BASE_MODEL_DIR = (): string => join(projectRoot(), 'schema', 'model');

function modelFiles(path: string): string[] {
  if (!existsSync(path)) throw new Error(`model path '${path}' does not exist`);
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .filter((f) => MODEL_EXTENSIONS.has(extname(f)))
    .sort()
    .map((f) => join(path, f));
}

function readModelFile(file: string, problems: ModelProblems): ModelSource {
  const display = relative(process.cwd(), file) || file;
  let doc: unknown;
  try {
    const text = readFileSync(file, 'utf8');
    doc = extname(file) === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    problems.add(display, 'file', `cannot be parsed: ${(err as Error).message}`);
    return { file: display, classes: [], relationshipTypes: [] };
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    problems.add(display, 'file', 'must be a mapping with `classes` and/or `relationshipTypes`');
    return { file: display, classes: [], relationshipTypes: [] };
  }
  const record = doc as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (key !== 'classes' && key !== 'relationshipTypes') problems.add(display, key, 'unknown top-level key; expected `classes` or `relationshipTypes`');
  }
  const list = (key: string): unknown[] => {
    const value = record[key];
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) {
      problems.add(display, key, 'must be a list');
      return [];
    }
    return value;
  };
  return {
    file: display,
    classes: list('classes') as RawClass[],
    relationshipTypes: list('relationshipTypes') as RawRelationshipType[],
  };
}

/**
 * Loads the base model from schema/model and, when given, an extension file or folder
 * (CMDB_MODEL_PATH). Throws a ModelError listing every problem with its file and entry.
 */
export function loadCatalog(options: { baseDir?: string; extensionPath?: string | null } = {}): Catalog {
  const problems = new ModelProblems();
  const files = modelFiles(options.baseDir ?? BASE_MODEL_DIR());
  if (options.extensionPath) files.push(...modelFiles(options.extensionPath));
  const sources = files.map((f) => readModelFile(f, problems));
  return catalogFromSources(sources, problems);
}

export function catalogFromSources(sources: ModelSource[], problems = new ModelProblems()): Catalog {
  const relationshipTypes = buildRelationshipTypes(sources, problems);
  const classes = buildClasses(sources, relationshipTypes, problems);
  problems.throwIfAny();
  const catalog = new Catalog(classes, relationshipTypes);
  checkEndpoints(sources, catalog, problems);
  problems.throwIfAny();
  return catalog;
}

/** Relationship endpoints can name classes from any file, so they are checked once all classes exist. */
function checkEndpoints(sources: ModelSource[], catalog: Catalog, problems: ModelProblems): void {
  for (const source of sources) {
    source.relationshipTypes.forEach((raw, i) => {
      const where = `relationshipTypes[${i}] (${raw?.name})`;
      for (const end of ['sources', 'targets'] as const) {
        for (const cls of raw?.[end] ?? []) {
          if (!catalog.getClass(cls)) problems.add(source.file, where, `${end} names unknown class '${cls}'`, cls, catalog.classes.keys());
        }
      }
    });
  }
}
