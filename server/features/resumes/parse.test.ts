/**
 * The résumé parser on a Chinese and an English résumé: every section's fields, and every
 * field's span pointing at the text it came from (dates at the date as written).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ProfileField, ResumeProfile } from '../../../shared/api/resumes';
import { employerTitleCut, headingOf, normaliseDate, parseResume } from '../../../shared/resumes/parse';

const fixture = (name: string) => fs.readFileSync(path.join(import.meta.dirname, 'fixtures', name), 'utf8');

/** Every field of a profile with its path. */
function fields(p: ResumeProfile): Array<[string, ProfileField]> {
  const out: Array<[string, ProfileField]> = [];
  const walk = (v: unknown, at: string) => {
    if (!v || typeof v !== 'object') return;
    if ('value' in v && 'span' in v) out.push([at, v as ProfileField]);
    else for (const [k, x] of Object.entries(v)) walk(x, at ? `${at}.${k}` : k);
  };
  walk(p, '');
  return out;
}

const v = (f: ProfileField | null | undefined) => f?.value ?? null;

describe('résumé parser', () => {
  it('reads a Chinese résumé: contact, protected attributes, education, experience, skills, certificates, languages', () => {
    const text = fixture('zh.txt');
    const { profile: p } = parseResume(text);
    expect(p.language).toBe('zh');
    expect(v(p.contact.email)).toBe('zhangsan@example.com');
    expect(v(p.contact.mobile)).toBe('138-1234-5678');
    expect(Object.fromEntries(Object.entries(p.personal).map(([k, f]) => [k, v(f)]))).toEqual({
      name: '张三',
      gender: '男',
      age: '28岁',
      ethnicity: '汉族',
      maritalStatus: '已婚',
      hometown: '浙江杭州',
      birthDate: '1996年5月',
    });
    expect(p.education.map((e) => [v(e.school), v(e.degree), v(e.major), v(e.start), v(e.end)])).toEqual([
      ['浙江大学', '本科', '计算机科学与技术', '2014-09', '2018-06'],
      ['上海交通大学', '硕士', '软件工程', '2018-09', '2021-06'],
    ]);
    expect(p.experience.map((e) => [v(e.employer), v(e.title), v(e.start), v(e.end)])).toEqual([
      ['杭州云栈科技有限公司', '高级后端工程师', '2021-07', 'present'],
      ['阿里巴巴集团', '后端开发实习生', '2019-07', '2019-12'],
    ]);
    expect(v(p.experience[0].description)).toContain('日处理订单 300 万笔');
    expect(v(p.experience[0].description)).toContain('接口延迟降低 40%');
    expect(p.skills.map(v)).toEqual(
      expect.arrayContaining(['Java', 'Go', 'MySQL', 'Redis', 'Kafka', 'Docker', 'Kubernetes']),
    );
    expect(p.certificates.map(v)).toEqual(['大学英语六级（CET-6）', '软考系统架构设计师']);
    expect(p.languages.map(v)).toEqual(['英语（CET-6）', '普通话']);
    // The personal lines: the whole header above the first heading (title, name, attributes, contact).
    expect(p.personalLines).toEqual([0, 1, 2, 3, 4]);
  });

  it('reads an English résumé', () => {
    const { profile: p } = parseResume(fixture('en.txt'));
    expect(p.language).toBe('en');
    expect(v(p.personal.name)).toBe('Emily Johnson');
    expect(v(p.personal.gender)).toBe('Female');
    expect(v(p.personal.birthDate)).toBe('1994-03-02');
    expect(v(p.personal.maritalStatus)).toBe('Single');
    expect(v(p.contact.email)).toBe('emily.johnson@example.com');
    expect(v(p.contact.mobile)).toBe('+1 415 555 0134');
    expect(p.education.map((e) => [v(e.school), v(e.degree), v(e.major), v(e.start), v(e.end)])).toEqual([
      ['University of California, Berkeley', 'B.S.', 'Computer Science', '2012-09', '2016-06'],
    ]);
    expect(p.experience.map((e) => [v(e.employer), v(e.title), v(e.start), v(e.end)])).toEqual([
      ['Stripe Inc.', 'Senior Software Engineer', '2019-03', 'present'],
      ['Dropbox Inc.', 'Software Engineer', '2016-07', '2019-02'],
    ]);
    expect(p.skills.map(v)).toEqual([
      'Go',
      'Python',
      'TypeScript',
      'SQL',
      'Kubernetes',
      'Docker',
      'PostgreSQL',
      'Kafka',
      'AWS',
    ]);
    expect(p.certificates.map(v)).toEqual(['AWS Certified Solutions Architect']);
    expect(p.languages.map(v)).toEqual(['English (native)', 'Mandarin (conversational)']);
  });

  it.each(['zh.txt', 'en.txt'])('every field of %s points at its source text', (name) => {
    const text = fixture(name);
    const all = fields(parseResume(text).profile);
    expect(all.length).toBeGreaterThan(20);
    for (const [at, f] of all) {
      expect(f.span, at).not.toBeNull();
      const src = text.slice(f.span?.start, f.span?.end);
      // Dates are normalised (2014.09 -> 2014-09); everything else is the text itself.
      if (/\.(start|end)$/.test(at)) expect(normaliseDate(src), at).toBe(f.value);
      else expect(src, at).toBe(f.value);
    }
  });

  it('normalises the date spellings of both languages', () => {
    expect(
      [
        '2018.09',
        '2018年9月',
        '2018/09',
        '2018-9',
        'Sep 2018',
        'September 2018',
        '2018',
        '至今',
        'Present',
      ].map(normaliseDate),
    ).toEqual([
      '2018-09',
      '2018-09',
      '2018-09',
      '2018-09',
      '2018-09',
      '2018-09',
      '2018',
      'present',
      'present',
    ]);
  });

  it('recognises headings with decoration and in two languages, and not ordinary lines', () => {
    expect(headingOf('【教育背景】')).toBe('education');
    expect(headingOf('工作经历 Work Experience')).toBe('experience');
    expect(headingOf('SKILLS:')).toBe('skills');
    expect(headingOf('负责教育背景调查系统')).toBeNull();
    expect(headingOf('Experience with Kubernetes')).toBeNull();
  });

  it('splits employer and title run together by an extractor that collapsed the column gap', () => {
    const text = [
      'EXPERIENCE',
      '2019 - Present Airtable Inc. Senior Frontend Engineer',
      '- Built the grid view',
      '2016 - 2019 Zendesk Senior Product Manager',
      '- Owned CRM integrations',
      '2014 - 2016 Freelance Web Designer',
      '- Small business websites',
      '2024.07 - 至今 南京云帆软件有限公司 Java 开发工程师',
      '- 会员积分系统',
      '2010 - 2014 Senior Software Engineer',
      '- No employer named on this line',
    ].join('\n');
    const exp = parseResume(text).profile.experience;
    expect(exp.map((e) => [e.employer?.value ?? null, e.title?.value ?? null])).toEqual([
      ['Airtable Inc.', 'Senior Frontend Engineer'],
      ['Zendesk', 'Senior Product Manager'],
      ['Freelance', 'Web Designer'],
      ['南京云帆软件有限公司', 'Java 开发工程师'],
      [null, 'Senior Software Engineer'],
    ]);
    // Spans still point at the words.
    const t = exp[0].title;
    expect(text.slice(t?.span?.start, t?.span?.end)).toBe('Senior Frontend Engineer');
    expect(employerTitleCut('Senior Software Engineer')).toBeNull();
  });

  it('is deterministic', () => {
    const text = fixture('zh.txt');
    expect(parseResume(text)).toEqual(parseResume(text));
  });
});
