import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderRulesMarkdown } from '../src/modules/fraud/rules.analyzer.js';
import { renderTransitionsMarkdown } from '../src/modules/orders/order-state.js';

describe('README', () => {
  it('states the fraud rules exactly as the default analyzer applies them', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const block = readme.split('<!-- fraud-rules:start -->')[1]?.split('<!-- fraud-rules:end -->')[0];
    expect(block?.trim()).toBe(renderRulesMarkdown().trim());
  });

  it('states the order transition table exactly as the state machine applies it', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const block = readme.split('<!-- order-transitions:start -->')[1]?.split('<!-- order-transitions:end -->')[0];
    expect(block?.trim()).toBe(renderTransitionsMarkdown().trim());
  });
});
