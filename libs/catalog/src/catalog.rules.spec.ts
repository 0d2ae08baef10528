import {
  isQualityTier,
  isValidStrength,
  measureUnitsPerPack,
  normalizeName,
  normalizeUnit,
  sameGenericAndForm,
  strengthRatio,
  unitsComparable,
} from './catalog.rules';

const s = (value: string, unit: string) => ({ value, unit });

describe('names (domain.md section 2)', () => {
  it('trims and applies NFKC', () => {
    expect(normalizeName('  苯磺酸左氨氯地平片 ')).toBe('苯磺酸左氨氯地平片');
    // full-width Latin letters and digits, ideographic space U+3000
    expect(normalizeName('\u3000ＡＢＣ１２\u3000')).toBe('ABC12');
    // full-width parentheses fold to ASCII ones
    expect(normalizeName('阿莫西林（Ⅱ）')).toBe('阿莫西林(II)');
  });

  it('compares generic name and dosage form after normalisation', () => {
    const item = { genericName: '马来酸左氨氯地平', dosageForm: '片剂' };
    expect(sameGenericAndForm(item, { genericName: ' 马来酸左氨氯地平\u3000', dosageForm: '片剂 ' })).toBe(true);
    expect(sameGenericAndForm(item, { genericName: '马来酸左氨氯地平', dosageForm: '胶囊' })).toBe(false);
    expect(sameGenericAndForm(item, { genericName: '苯磺酸左氨氯地平', dosageForm: '片剂' })).toBe(false);
    // no case folding: the rule-book asks for NFKC and trimming only
    expect(sameGenericAndForm({ genericName: 'Aspirin', dosageForm: 'tablet' }, { genericName: 'aspirin', dosageForm: 'tablet' })).toBe(false);
  });

  it('knows the four quality tiers', () => {
    expect(isQualityTier('CONSISTENCY_PASSED')).toBe(true);
    expect(isQualityTier('BIOSIMILAR')).toBe(false);
    expect(isQualityTier(1)).toBe(false);
  });
});

describe('strengths (domain.md section 2)', () => {
  it('validates value and unit', () => {
    expect(isValidStrength(s('2.5', 'mg'))).toBe(true);
    expect(isValidStrength(s('0', 'mg'))).toBe(false);
    expect(isValidStrength(s('-1', 'mg'))).toBe(false);
    expect(isValidStrength(s('2,5', 'mg'))).toBe(false);
    expect(isValidStrength(s('1e3', 'mg'))).toBe(false);
    expect(isValidStrength(s('2.5', '  '))).toBe(false);
    expect(isValidStrength({ value: 2.5, unit: 'mg' })).toBe(false);
    expect(isValidStrength(null)).toBe(false);
  });

  it('treats every spelling of micrograms alike', () => {
    expect(normalizeUnit('\u00b5g')).toBe('\u03bcg'); // MICRO SIGN folds to Greek mu under NFKC
    expect(normalizeUnit('\u03bcg')).toBe('\u03bcg');
    for (const u of ['\u00b5g', '\u03bcg', 'ug', 'mcg', 'MCG']) {
      expect(strengthRatio(s('500', u), s('1', 'mg'))?.toString()).toBe('0.5');
    }
  });

  it('converts mg, g and µg to each other', () => {
    // 1 g = 1000 mg
    expect(strengthRatio(s('1', 'g'), s('250', 'mg'))?.toString()).toBe('4');
    // 0.25 mg = 250 µg
    expect(strengthRatio(s('0.25', 'mg'), s('250', '\u00b5g'))?.toString()).toBe('1');
    // 2.5 mg / 5 mg
    expect(strengthRatio(s('2.5', 'mg'), s('5', 'mg'))?.toString()).toBe('0.5');
    // 50 µg / 0.1 g = 50 / 100000
    expect(strengthRatio(s('50', 'ug'), s('0.1', 'g'))?.toString()).toBe('0.0005');
    expect(strengthRatio(s('2.5', 'MG'), s('5', 'mg'))?.toString()).toBe('0.5');
  });

  it('requires other units to match exactly after normalisation', () => {
    expect(strengthRatio(s('10', 'ml'), s('5', 'ml'))?.toString()).toBe('2');
    // full-width "ｍｌ" is "ml" after NFKC
    expect(strengthRatio(s('10', '\uff4d\uff4c'), s('5', 'ml'))?.toString()).toBe('2');
    expect(strengthRatio(s('10', 'ml'), s('5', 'mL'))).toBeNull();
    expect(strengthRatio(s('400', 'IU'), s('1', 'mg'))).toBeNull();
    expect(strengthRatio(s('1', 'mg'), s('400', 'IU'))).toBeNull();
    expect(unitsComparable('IU', 'IU')).toBe(true);
    expect(unitsComparable('mg', 'g')).toBe(true);
    expect(unitsComparable('', '')).toBe(false);
    // names of Object.prototype members are plain units, not mass units
    expect(strengthRatio(s('2', 'constructor'), s('1', 'constructor'))?.toString()).toBe('2');
    expect(strengthRatio(s('2', 'toString'), s('1', 'mg'))).toBeNull();
  });

  it('refuses invalid strengths', () => {
    expect(strengthRatio(s('0', 'mg'), s('5', 'mg'))).toBeNull();
    expect(strengthRatio(s('5', 'mg'), s('0', 'mg'))).toBeNull();
  });
});

describe('measure units per pack (domain.md section 3)', () => {
  const rep = s('2.5', 'mg');

  it('counts packSize × strength / representative strength', () => {
    expect(measureUnitsPerPack(28, s('2.5', 'mg'), rep)).toBe(28); // 28 × 1
    expect(measureUnitsPerPack(28, s('5', 'mg'), rep)).toBe(56); // 28 × 2
    expect(measureUnitsPerPack(7, s('2.5', 'mg'), rep)).toBe(7);
    expect(measureUnitsPerPack(28, s('1.25', 'mg'), rep)).toBe(14); // 28 × 0.5
    expect(measureUnitsPerPack(10, s('0.005', 'g'), rep)).toBe(20); // 5 mg = 2 × 2.5 mg
    expect(measureUnitsPerPack(4, s('1250', '\u00b5g'), rep)).toBe(2); // 1.25 mg × 4 = 5 mg
  });

  it('is exact for ratios that are not finite decimals', () => {
    // 3 × 1 mg / 3 mg = 1; computing 1/3 first would give 0.999…
    expect(measureUnitsPerPack(3, s('1', 'mg'), s('3', 'mg'))).toBe(1);
    // 30 × 5 mg / 7.5 mg = 20
    expect(measureUnitsPerPack(30, s('5', 'mg'), s('7.5', 'mg'))).toBe(20);
  });

  it('refuses a product whose pack is not a whole number of measure units', () => {
    // 28 × 1 / 2.5 = 11.2
    expect(measureUnitsPerPack(28, s('1', 'mg'), rep)).toBeNull();
    // 7 × 1.25 / 2.5 = 3.5
    expect(measureUnitsPerPack(7, s('1.25', 'mg'), rep)).toBeNull();
    // 2 × 1 mg / 3 mg = 0.666…
    expect(measureUnitsPerPack(2, s('1', 'mg'), s('3', 'mg'))).toBeNull();
  });

  it('refuses incomparable units and bad pack sizes', () => {
    expect(measureUnitsPerPack(28, s('2.5', 'ml'), rep)).toBeNull();
    expect(measureUnitsPerPack(0, s('2.5', 'mg'), rep)).toBeNull();
    expect(measureUnitsPerPack(-28, s('2.5', 'mg'), rep)).toBeNull();
    expect(measureUnitsPerPack(2.5, s('2.5', 'mg'), rep)).toBeNull();
  });
});
