/** The talent pool's same-person rule (shared/resumes/duplicates.ts). */
import { describe, expect, it } from 'vitest';
import { duplicateGroups, type PersonKeys } from '../../../shared/resumes/duplicates';

const p = (id: number, over: Partial<PersonKeys> = {}): PersonKeys => ({
  id,
  name: `人${id}`,
  mobiles: [],
  emails: [],
  schools: [],
  ...over,
});

describe('duplicate groups', () => {
  it('joins by mobile however it is written, by e-mail case-insensitively, and transitively', () => {
    const groups = duplicateGroups([
      p(1, { mobiles: ['138-1234-5678'] }),
      p(2, { mobiles: ['+86 13812345678'], emails: ['A@x.com'] }),
      p(3, { emails: ['a@X.com'] }),
      p(4, { mobiles: ['13900000000'] }),
    ]);
    expect(groups).toEqual([
      { ids: [1, 2, 3], reasons: ['email', 'mobile'] },
      { ids: [4], reasons: [] },
    ]);
  });

  it('joins the same name only with the same school', () => {
    const groups = duplicateGroups([
      p(1, { name: '张三', schools: ['浙江大学'] }),
      p(2, { name: '张 三', schools: ['上海交通大学', '浙江大学'] }),
      p(3, { name: '张三', schools: ['复旦大学'] }),
      p(4, { name: '李四', schools: ['浙江大学'] }),
      p(5, { name: '张三', schools: [] }),
    ]);
    expect(groups.map((g) => g.ids)).toEqual([[1, 2], [3], [4], [5]]);
    expect(groups[0].reasons).toEqual(['name_school']);
  });

  it('ignores malformed contacts', () => {
    const groups = duplicateGroups([
      p(1, { mobiles: ['abc'], emails: ['none'] }),
      p(2, { mobiles: ['abc'], emails: ['none'] }),
    ]);
    expect(groups.map((g) => g.ids)).toEqual([[1], [2]]);
  });
});
