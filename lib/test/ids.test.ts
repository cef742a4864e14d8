import { canonicalUuid, isProductId, isUuid } from '../ids.js';

describe('product ids', () => {
  it.each(['1', '42', '987654321', '999999999999999999', '1000000000000000000', '9223372036854775807'])(
    'accepts %s, a canonical positive integer within PostgreSQL bigint',
    (id) => {
      expect(isProductId(id)).toBe(true);
    },
  );

  it.each(['', '0', '00', '01', '-1', '+1', '1.0', '1e3', ' 1', '1 ', '1\n', 'abc', '٣', '9223372036854775808', '9999999999999999999', '10000000000000000000', '9'.repeat(40)])(
    'refuses %j',
    (id) => {
      expect(isProductId(id)).toBe(false);
    },
  );
});

describe('UUIDs', () => {
  it('accepts either case and refuses anything else', () => {
    expect(isUuid('0b6a5c1e-8f3d-4c2a-9e1b-7d4f2a6c8e10')).toBe(true);
    expect(isUuid('0B6A5C1E-8F3D-4C2A-9E1B-7D4F2A6C8E10')).toBe(true);
    expect(isUuid('0b6a5c1e8f3d4c2a9e1b7d4f2a6c8e10')).toBe(false);
    expect(isUuid('not-a-uuid')).toBe(false);
    expect(isUuid('')).toBe(false);
  });

  it('writes a UUID in lower case and leaves anything else as it is', () => {
    expect(canonicalUuid('0B6A5C1E-8F3D-4C2A-9E1B-7D4F2A6C8E10')).toBe('0b6a5c1e-8f3d-4c2a-9e1b-7d4f2a6c8e10');
    expect(canonicalUuid('0b6a5c1e-8f3d-4c2a-9e1b-7d4f2a6c8e10')).toBe('0b6a5c1e-8f3d-4c2a-9e1b-7d4f2a6c8e10');
    expect(canonicalUuid('Order-7')).toBe('Order-7');
  });
});
