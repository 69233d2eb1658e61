/**
 * Streams the values at some JSON paths of a tool's output (a 500 MB export is read with bounded memory): the
 * elements of `$.items`, `$.result` or every top-level array arrive one at a time, in input order, while the rest
 * of the document is only tokenized. A malformed or truncated file fails with its line and column.
 */
import type { Readable } from 'stream';
import { JSONParser } from '@streamparser/json';
import { ParseError } from './contract';

export interface JsonValue {
  /** Keys from the root to the value, e.g. ['items', 3] or ['Reservations', 0]. */
  path: (string | number)[];
  value: unknown;
}

/** Line and column (1-based) of a character offset, counted over the text read so far. */
class Positions {
  private line = 1;
  private lineStart = 0;
  private read = 0;
  private before = { line: 1, lineStart: 0, read: 0 };

  feed(chunk: string): void {
    this.before = { line: this.line, lineStart: this.lineStart, read: this.read };
    for (let i = chunk.indexOf('\n'); i !== -1; i = chunk.indexOf('\n', i + 1)) {
      this.line++;
      this.lineStart = this.read + i + 1;
    }
    this.read += chunk.length;
  }

  /** Where the parser stopped: the offset its message names (within the last chunk), else the end so far. */
  at(message: string, chunk: string): string {
    const offset = Number(/absolute position "?(\d+)"?/.exec(message)?.[1]);
    if (!Number.isFinite(offset) || offset < this.before.read || offset > this.read) return `line ${this.line}, column ${this.read - this.lineStart + 1}`;
    const prefix = chunk.slice(0, offset - this.before.read);
    const newlines = prefix.split('\n').length - 1;
    const column = newlines ? prefix.length - prefix.lastIndexOf('\n') : offset - this.before.lineStart + 1;
    return `line ${this.before.line + newlines}, column ${column}`;
  }
}

/**
 * The values at `paths` (JSONPath as @streamparser/json takes it: `$.items.*`, `$.*.*`), in input order. Values
 * are yielded after each chunk, so at most one chunk's worth is held.
 */
export async function* jsonValues(input: Readable, file: string, paths: string[]): AsyncIterable<JsonValue> {
  const parser = new JSONParser({ paths, keepStack: false });
  const ready: JsonValue[] = [];
  let failure: Error | null = null;
  let ended = false;
  parser.onValue = ({ value, key, stack }) => {
    const path = [...stack.slice(1).map((s) => s.key as string | number), key as string | number];
    ready.push({ path, value });
  };
  parser.onError = (e) => (failure ??= e);
  parser.onEnd = () => (ended = true);
  const positions = new Positions();
  input.setEncoding('utf8');
  let sawData = false;
  for await (const chunk of input as AsyncIterable<string>) {
    if (!chunk.length) continue;
    if (ended && !chunk.trim()) continue;
    positions.feed(chunk);
    sawData ||= chunk.trim().length > 0;
    try {
      parser.write(chunk);
    } catch (e) {
      failure ??= e as Error;
    }
    if (failure) {
      const message = failure.message;
      const reason = /in state ENDED/.test(message)
        ? 'text after the end of the JSON document (several documents in one file? give them as separate files)'
        : `not valid JSON: ${message.replace(/ at chunk position.*$/, '')}`;
      throw new ParseError(file, positions.at(message, chunk), reason);
    }
    while (ready.length) yield ready.shift()!;
  }
  if (!sawData) throw new ParseError(file, 'line 1', 'the file is empty');
  if (!ended) throw new ParseError(file, positions.at('', ''), 'the JSON document ends early (truncated file?)');
}
