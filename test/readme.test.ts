import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderRulesMarkdown } from '../src/modules/fraud/rules.analyzer.js';
import { CONFIG_VARIABLES } from '../src/config.js';
import { renderTransitionsMarkdown } from '../src/modules/orders/order-state.js';
import { renderReturnTransitionsMarkdown } from '../src/modules/returns/return-state.js';

describe('README', () => {
  it('states the fraud rules exactly as the default analyzer applies them', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const block = readme.split('<!-- fraud-rules:start -->')[1]?.split('<!-- fraud-rules:end -->')[0];
    expect(block?.trim()).toBe(renderRulesMarkdown().trim());
  });

  it('lists every variable src/config.ts reads in its environment table', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const table = readme.split('## Environment variables')[1]!.split('\n## ')[0]!;
    const listed = new Set([...table.matchAll(/^\| `([A-Z_]+)`(?: \/ `([A-Z_]+)`)? \|/gm)].flatMap((m) => [m[1], m[2]]).filter(Boolean));
    expect(CONFIG_VARIABLES.filter((v) => !listed.has(v))).toEqual([]);
  });

  it('states the order transition table exactly as the state machine applies it', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const block = readme.split('<!-- order-transitions:start -->')[1]?.split('<!-- order-transitions:end -->')[0];
    expect(block?.trim()).toBe(renderTransitionsMarkdown().trim());
  });

  it('states the return transition table exactly as the return state machine applies it', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const block = readme.split('<!-- return-transitions:start -->')[1]?.split('<!-- return-transitions:end -->')[0];
    expect(block?.trim()).toBe(renderReturnTransitionsMarkdown().trim());
  });
});
