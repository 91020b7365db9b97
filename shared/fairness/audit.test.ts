import { describe, expect, it } from 'vitest';
import { type AuditRecord, biasAudit, median } from './audit';

function group(
  category: Record<string, string | null>,
  n: number,
  selected: number,
  scores?: (i: number) => number | null,
): AuditRecord[] {
  return Array.from({ length: n }, (_, i) => ({
    categories: category,
    selected: i < selected,
    score: scores ? scores(i) : null,
  }));
}

describe('bias audit', () => {
  it('reproduces the EEOC four-fifths example: 48/80 vs 12/40 -> impact ratio 0.50, flagged', () => {
    const records = [...group({ sex: 'male' }, 80, 48), ...group({ sex: 'female' }, 40, 12)];
    const report = biasAudit(records, ['sex']);
    const [dim] = report.dimensions;
    const male = dim.categories.find((c) => c.category === 'male')!;
    const female = dim.categories.find((c) => c.category === 'female')!;
    expect(male.selectionRate).toBe(0.6);
    expect(female.selectionRate).toBe(0.3);
    expect(male.selectionImpactRatio).toBe(1);
    expect(female.selectionImpactRatio).toBe(0.5);
    expect(female.flagged).toBe(true);
    expect(male.flagged).toBe(false);
  });

  it('does not flag at exactly four fifths', () => {
    const report = biasAudit([...group({ g: 'a' }, 50, 25), ...group({ g: 'b' }, 50, 20)], ['g']);
    const b = report.dimensions[0].categories.find((c) => c.category === 'b')!;
    expect(b.selectionImpactRatio).toBe(0.8);
    expect(b.flagged).toBe(false);
  });

  it('computes scoring rates against the overall median', () => {
    // a: scores 60..79 (20), b: scores 40..59 (20): overall median 59.5 -> a all above, b none.
    const records = [
      ...group({ g: 'a' }, 20, 10, (i) => 60 + i),
      ...group({ g: 'b' }, 20, 10, (i) => 40 + i),
    ];
    const report = biasAudit(records, ['g']);
    expect(report.medianScore).toBe(59.5);
    const [a, b] = ['a', 'b'].map((k) => report.dimensions[0].categories.find((c) => c.category === k)!);
    expect(a.scoringRate).toBe(1);
    expect(b.scoringRate).toBe(0);
    expect(b.scoringImpactRatio).toBe(0);
    expect(b.flagged).toBe(true);
    expect(a.selectionImpactRatio).toBe(1);
  });

  it('counts unknowns apart and leaves categories under 2% out of the comparison', () => {
    const records = [
      ...group({ g: 'a' }, 99, 50),
      ...group({ g: 'tiny' }, 1, 0),
      ...group({ g: null }, 7, 7),
    ];
    const dim = biasAudit(records, ['g']).dimensions[0];
    expect(dim.unknown).toBe(7);
    const tiny = dim.categories.find((c) => c.category === 'tiny')!;
    expect(tiny.excluded).toBe(true);
    expect(tiny.selectionImpactRatio).toBeNull();
    expect(tiny.flagged).toBe(false);
  });

  it('audits intersections and treats a partly unknown intersection as unknown', () => {
    const records = [
      ...group({ sex: 'female', age: 'under40' }, 30, 15),
      ...group({ sex: 'female', age: '40plus' }, 30, 6),
      ...group({ sex: 'male', age: 'under40' }, 30, 15),
      ...group({ sex: 'male', age: '40plus' }, 30, 15),
      ...group({ sex: 'male', age: null }, 5, 1),
    ];
    const report = biasAudit(records, ['sex', 'age']);
    expect(report.dimensions.map((d) => d.dimension)).toEqual(['sex', 'age', 'sex × age']);
    const inter = report.dimensions[2];
    expect(inter.unknown).toBe(5);
    const f40 = inter.categories.find((c) => c.category === 'female × 40plus')!;
    expect(f40.selectionImpactRatio).toBe(0.4);
    expect(f40.flagged).toBe(true);
    // Hidden in the one-dimensional views: female overall is 21/60 vs male 31/65.
    const female = report.dimensions[0].categories.find((c) => c.category === 'female')!;
    expect(female.selectionImpactRatio).toBeCloseTo(0.35 / (31 / 65), 3);
  });

  it('median handles even, odd and empty inputs', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNull();
  });
});
