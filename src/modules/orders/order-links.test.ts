import { randomBytes, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createOrderLinks } from './order-links.js';

describe('signed order links', () => {
  const links = createOrderLinks(randomBytes(32), 60_000);
  const now = new Date('2026-12-06T12:00:00Z');

  it('opens the order it was made for, until it expires', () => {
    const id = randomUUID();
    const token = links.sign(id, new Date(now.getTime() + 60_000));
    expect(links.verify(token, now)).toBe(id);
    expect(links.verify(token, new Date(now.getTime() + 60_000))).toBeNull();
  });

  it('cannot be pointed at another order, stretched, or forged with another secret', () => {
    const token = links.sign(randomUUID(), new Date(now.getTime() + 60_000));
    const [id, exp, sig] = token.split('.');
    const other = links.sign(randomUUID(), new Date(now.getTime() + 60_000)).split('.')[0];
    expect(links.verify(`${other}.${exp}.${sig}`, now)).toBeNull();
    expect(links.verify(`${id}.${(parseInt(exp!, 36) + 3600).toString(36)}.${sig}`, now)).toBeNull();
    const forged = createOrderLinks(randomBytes(32), 60_000).sign(randomUUID(), new Date(now.getTime() + 60_000));
    expect(links.verify(forged, now)).toBeNull();
  });

  it('answers null for anything that is not a token', () => {
    for (const junk of ['', 'abc', 'a.b.c', '\u0000', 'x'.repeat(5000)]) expect(links.verify(junk, now)).toBeNull();
  });
});
