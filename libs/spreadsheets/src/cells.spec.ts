import { CellError, cellText, isBlank, plainCellValue } from './cells';

describe('cell values', () => {
  it('flattens formulas, rich text, hyperlinks and errors', () => {
    expect(plainCellValue({ formula: 'A1*2', result: 5 })).toBe(5);
    expect(plainCellValue({ sharedFormula: 'A1', result: 'x' })).toBe('x');
    expect(plainCellValue({ formula: 'A1' })).toBeNull(); // no cached result
    expect(plainCellValue({ richText: [{ text: '苯磺酸' }, { text: '左氨氯地平' }] })).toBe('苯磺酸左氨氯地平');
    expect(plainCellValue({ text: 'link', hyperlink: 'http://x' })).toBe('link');
    expect(plainCellValue({ error: '#N/A' })).toEqual(new CellError('#N/A'));
    expect(plainCellValue(undefined)).toBeNull();
    expect(plainCellValue(NaN)).toBeNull();
  });

  it('writes numbers as plain decimals with at most 15 significant digits', () => {
    expect(cellText(0.1 + 0.2)).toBe('0.3'); // 0.30000000000000004 in binary
    expect(cellText(2.5)).toBe('2.5');
    expect(cellText(20113061)).toBe('20113061');
    expect(cellText(1e21)).toBe('1000000000000000000000');
    expect(cellText(0.0000001)).toBe('0.0000001');
    expect(cellText(-3)).toBe('-3');
  });

  it('trims text and renders the other kinds', () => {
    expect(cellText('  片剂 ')).toBe('片剂');
    expect(cellText(true)).toBe('TRUE');
    expect(cellText(new Date('2027-01-01T00:00:00Z'))).toBe('2027-01-01T00:00:00.000Z');
    expect(cellText(null)).toBe('');
    expect(cellText(new CellError('#REF!'))).toBe('#REF!');
    expect(isBlank('  ')).toBe(true);
    expect(isBlank(0)).toBe(false);
  });
});
