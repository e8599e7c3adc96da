import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// The import rules (doors, cycles, floor, test doubles) are checked by dependency-cruiser
// (`npm run check:boundaries`); these are about the files' own text.

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return full.endsWith('.ts') && !full.endsWith('.test.ts') ? [full] : [];
  });
}

const root = path.resolve(import.meta.dirname, '..');

describe('module doors', () => {
  const doors = readdirSync(path.join(root, 'src/modules')).map((m) => path.join(root, 'src/modules', m, 'index.ts'));

  it('every module has an index.ts', () => {
    for (const door of doors) expect(statSync(door).isFile(), door).toBe(true);
  });

  it('name what they export: no `export *` from internal files', () => {
    const offenders: string[] = [];
    for (const door of doors) {
      const file = ts.createSourceFile(door, readFileSync(door, 'utf8'), ts.ScriptTarget.ES2022, false);
      for (const st of file.statements) {
        if (ts.isExportDeclaration(st) && !st.exportClause) offenders.push(`${path.relative(root, door)}: ${st.getText(file)}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});

describe('file size', () => {
  // A file past this many lines says at its top why it stays whole (a marker line), so a long
  // file is a decision somebody wrote down rather than an accident.
  const LIMIT = 400;
  const MARKER = 'Long file:';

  it(`no file in src/ is over ${LIMIT} lines without a reason written at its top`, () => {
    const offenders = sourceFiles(path.join(root, 'src'))
      .map((f) => ({ f, text: readFileSync(f, 'utf8') }))
      .filter(({ text }) => text.split('\n').length > LIMIT && !text.split('\n').slice(0, 15).some((l) => l.includes(MARKER)))
      .map(({ f, text }) => `${path.relative(root, f)} (${text.split('\n').length} lines)`);
    expect(offenders).toEqual([]);
  });
});
