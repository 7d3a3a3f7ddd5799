// UUID v7 event ids, as Prefect's client makes them.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isUuid, randomUuid, URL_NAMESPACE, uuidv5, uuidv7 } from '../../src/event/uuid.ts';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('uuidv7', () => {
  test('is a version 7, variant 10 UUID in lowercase', () => {
    for (let i = 0; i < 100; i++) assert.match(uuidv7(), UUID_V7);
  });

  test('starts with the 48 bits of the given Unix milliseconds', () => {
    // RFC 9562, appendix A.6: 2022-02-22T19:22:22Z is 0x017F22E279B0.
    assert.equal(Date.UTC(2022, 1, 22, 19, 22, 22), 0x017f22e279b0);
    assert.ok(uuidv7(0x017f22e279b0).startsWith('017f22e2-79b0-7'));
    for (const ms of [0, 1, 255, 256, Date.UTC(2026, 0, 31, 12), 2 ** 48 - 1]) {
      const id = uuidv7(ms);
      assert.equal(parseInt(id.replace(/-/g, '').slice(0, 12), 16), ms, id);
    }
  });

  test('uses the current time when none is given', () => {
    const before = Date.now();
    const id = uuidv7();
    const after = Date.now();
    const ms = parseInt(id.replace(/-/g, '').slice(0, 12), 16);
    assert.ok(ms >= before && ms <= after, `${ms} not in [${before}, ${after}]`);
  });

  test('ids made in increasing milliseconds sort in that order', () => {
    const start = Date.UTC(2026, 0, 31, 12);
    const times = [start, start + 1, start + 255, start + 256, start + 65_536, start + 86_400_000, 2 ** 47];
    const ids = times.map((ms) => uuidv7(ms));
    assert.deepEqual([...ids].sort(), ids);
  });

  test('1000 ids made in the same millisecond are all different', () => {
    const ms = Date.UTC(2026, 0, 31, 12);
    const ids = new Set(Array.from({ length: 1000 }, () => uuidv7(ms)));
    assert.equal(ids.size, 1000);
  });
});

describe('isUuid', () => {
  test('any version and case; nothing else', () => {
    assert.equal(isUuid('0192F7A2-5C1E-7D3A-9B8E-2F4C6A1D3E5F'), true);
    assert.equal(isUuid(uuidv7()), true);
    for (const text of [
      '',
      'acme-1',
      '0192f7a2-5c1e-7d3a-9b8e-2f4c6a1d3e5',
      ' 0192f7a2-5c1e-7d3a-9b8e-2f4c6a1d3e5f',
    ]) {
      assert.equal(isUuid(text), false, text);
    }
  });
});

describe('uuidv7 with a sequence', () => {
  test('the n-th id of a batch: the counter in rand_a, so ids of one millisecond sort in order', () => {
    const ms = Date.UTC(2026, 0, 31, 12);
    const ids = Array.from({ length: 9000 }, (_, n) => uuidv7(ms, n));
    assert.deepEqual([...ids].sort(), ids);
    for (const id of ids.slice(0, 10)) assert.match(id, UUID_V7);
    assert.ok(ids[0]?.startsWith('019c13ec-9e00-7000-'));
    // Past 4096 ids the millisecond moves on.
    assert.ok(ids[4096]?.startsWith('019c13ec-9e01-7000-'));
  });
});

describe('uuidv5', () => {
  test("RFC 9562's test vector (appendix A.4): the DNS namespace and www.example.com", () => {
    assert.equal(
      uuidv5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8'),
      '2ed6657d-e927-568b-95e1-2665a8aea6a2',
    );
  });

  test('the same name gives the same id; another name or namespace another one', () => {
    const name = 'https://github.com/octo-org/octo-repo/actions/runs/30433642/attempts/1';
    assert.equal(uuidv5(name, URL_NAMESPACE), uuidv5(name, URL_NAMESPACE));
    assert.notEqual(uuidv5(name, URL_NAMESPACE), uuidv5(`${name}/jobs/1`, URL_NAMESPACE));
    assert.notEqual(uuidv5(name, URL_NAMESPACE), uuidv5(name, '6ba7b810-9dad-11d1-80b4-00c04fd430c8'));
    assert.match(
      uuidv5(name, URL_NAMESPACE),
      /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });
});

describe('randomUuid', () => {
  test('is a version 4, variant 10 UUID, a different one every time (past the pool of 256)', () => {
    const ids = Array.from({ length: 600 }, () => randomUuid());
    for (const id of ids)
      assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(new Set(ids).size, ids.length);
  });
});
