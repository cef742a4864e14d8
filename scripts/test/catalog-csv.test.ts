import { CatalogFileError, readCatalogCsv } from '../catalog-import/csv.js';

const HEADER = 'sku,name,description,price,stock';

describe('readCatalogCsv', () => {
  it('reads rows in any column order, normalising prices and keeping an empty description as null', () => {
    const { rows, rejected } = readCatalogCsv('stock,price,name,sku,description\n5,4.5,Mug,MUG-1,\n');
    expect(rejected).toEqual([]);
    expect(rows).toEqual([{ line: 2, sku: 'MUG-1', name: 'Mug', description: null, price: '4.50', stock: 5 }]);
  });

  it('leaves descriptions alone (undefined) when the file has no description column', () => {
    expect(readCatalogCsv('sku,name,price,stock\nA,a,1,1\n').rows[0]!.description).toBeUndefined();
  });

  it('numbers rows by the line they start on, across quoted line breaks, CRLF, a BOM and blank lines', () => {
    const text = `\ufeff${HEADER}\r\nA,a,"two\r\nlines",1.00,1\r\n\r\nB,b,,2.00,2\r\n`;
    expect(readCatalogCsv(text).rows.map((row) => [row.sku, row.line, row.description])).toEqual([
      ['A', 2, 'two\nlines'],
      ['B', 5, null],
    ]);
  });

  it('rejects each bad row with its line and reason and keeps the good ones', () => {
    const text = [
      HEADER,
      'GOOD-1,Good,,1.00,1',
      ',No sku,,1.00,1',
      'NO-NAME,,,1.00,1',
      'ZERO,Zero,,0.00,1',
      'CENTS,Cents,,1.999,1',
      'WORDS,Words,,ten,1',
      'NEG,Negative stock,,1.00,-1',
      'FRACTION,Fractional stock,,1.00,1.5',
      'SHORT,Too few fields,1.00,1',
      'GOOD-1,Same sku again,,2.00,2',
      'GOOD-2,Good too,,2.00,0',
    ].join('\n');
    const { rows, rejected } = readCatalogCsv(text);
    expect(rows.map((row) => row.sku)).toEqual(['GOOD-1', 'GOOD-2']);
    expect(rejected).toEqual([
      { line: 3, reason: 'sku must be 1 to 64 characters' },
      { line: 4, reason: 'name must be 1 to 200 characters' },
      { line: 5, reason: 'price must be greater than 0, got 0.00' },
      { line: 6, reason: 'price "1.999" is not an amount with at most two fraction digits, e.g. 19.99' },
      { line: 7, reason: 'price "ten" is not an amount with at most two fraction digits, e.g. 19.99' },
      { line: 8, reason: 'stock must be a whole number from 0 to 1000000000, got "-1"' },
      { line: 9, reason: 'stock must be a whole number from 0 to 1000000000, got "1.5"' },
      { line: 10, reason: 'expected 5 fields, found 4' },
      { line: 11, reason: 'sku "GOOD-1" already appears on line 2' },
    ]);
  });

  it.each([
    ['an empty file', '', /empty/],
    ['a missing required column', 'sku,name,price\nA,a,1', /missing column\(s\) stock/],
    ['a misspelt column', 'sku,name,prcie,stock\nA,a,1,1', /unknown column\(s\) "prcie"/],
    ['a repeated column', 'sku,name,price,stock,price\nA,a,1,1,1', /"price" appears twice/],
    ['an unclosed quote', `${HEADER}\nA,"a,,1,1\n`, /not valid CSV: Quote Not Closed/],
  ])('refuses %s as a whole', (_name, text, message) => {
    expect(() => readCatalogCsv(text)).toThrow(CatalogFileError);
    expect(() => readCatalogCsv(text)).toThrow(message);
  });
});
