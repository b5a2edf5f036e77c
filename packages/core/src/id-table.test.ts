import { describe, expect, it } from 'vitest';
import { createIdTable } from './id-table.js';

describe('createIdTable', () => {
  it('gets, has, sets and deletes values by id', () => {
    const table = createIdTable<number>();
    expect(table.get('r1')).toBeUndefined();
    expect(table.has('r1')).toBe(false);
    table.set('r1', 1);
    table.set('r2', 2);
    table.set('r1', 3);
    expect(table.get('r1')).toBe(3);
    expect(table.has('r2')).toBe(true);
    expect(table.delete('r1')).toBe(true);
    expect(table.delete('r1')).toBe(false);
    expect(table.has('r1')).toBe(false);
    expect(table.get('r2')).toBe(2);
  });

  it('keeps undefined values and takes any string as an id, prototype names and indices included', () => {
    const table = createIdTable<string | undefined>();
    for (const id of ['constructor', '__proto__', 'toString', 'hasOwnProperty', '0', '42', '']) {
      expect(table.has(id)).toBe(false);
      expect(table.get(id)).toBeUndefined();
      table.set(id, `v${id}`);
      expect(table.get(id)).toBe(`v${id}`);
    }
    table.set('u', undefined);
    expect(table.has('u')).toBe(true);
    expect(table.delete('__proto__')).toBe(true);
    expect(table.has('__proto__')).toBe(false);
    expect(table.get('constructor')).toBe('vconstructor');
  });

  it('holds many entries coming and going', () => {
    const table = createIdTable<number>();
    for (let index = 0; index < 10_000; index++) {
      table.set(`q${index}`, index);
      if (index >= 30) expect(table.delete(`q${index - 30}`)).toBe(true);
    }
    expect(table.has('q9969')).toBe(false);
    expect(table.get('q9970')).toBe(9970);
    expect(table.get('q9999')).toBe(9999);
  });
});
