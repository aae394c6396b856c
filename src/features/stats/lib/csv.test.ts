import { csvCell, toCsv } from './csv';

describe('csv', () => {
  it('quotes cells with commas, quotes and line breaks, doubling quotes', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('UPDATE stock\nSET qty = ?')).toBe('"UPDATE stock\nSET qty = ?"');
    expect(csvCell('line\r\nbreak')).toBe('"line\r\nbreak"');
    expect(csvCell('/orders/{id}')).toBe('/orders/{id}');
  });

  it("prefixes ' to text a spreadsheet would run as a formula", () => {
    expect(csvCell('=HYPERLINK("http://evil")')).toBe(`"'=HYPERLINK(""http://evil"")"`);
    expect(csvCell('+1+2')).toBe("'+1+2");
    expect(csvCell('-2+3')).toBe("'-2+3");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\tcmd')).toBe("'\tcmd");
    expect(csvCell('a=b')).toBe('a=b');
  });

  it('looks past leading blanks, line breaks, quotes and ";", and knows the full-width signs', () => {
    expect(csvCell('  =1+1')).toBe("'  =1+1");
    expect(csvCell('\n=cmd|calc')).toBe(`"'\n=cmd|calc"`);
    expect(csvCell("'=1+1")).toBe("''=1+1");
    expect(csvCell(';=1+1')).toBe("';=1+1");
    expect(csvCell(' ; @SUM(A1)')).toBe("' ; @SUM(A1)");
    expect(csvCell('\u3000-2+3')).toBe("'\u3000-2+3");
    for (const sign of ['＝', '＋', '－', '＠']) expect(csvCell(`${sign}1`)).toBe(`'${sign}1`);
    expect(csvCell('"=x"')).toBe(`"'""=x"""`);
    expect(csvCell('  /orders')).toBe('  /orders');
  });

  it('keeps numbers as numbers, negative ones included, and empties as empty', () => {
    expect(csvCell(-12.5)).toBe('-12.5');
    expect(csvCell(0)).toBe('0');
    expect(csvCell(null)).toBe('');
    expect(csvCell(Number.NaN)).toBe('');
  });

  it('joins rows with CRLF and ends with one', () => {
    expect(toCsv(['URL', 'Count'], [['/a,b', 3], ['=x', null]])).toBe('URL,Count\r\n"/a,b",3\r\n\'=x,\r\n');
  });
});
