/**
 * Vocabularies of the résumé parser and matcher: section headings, degrees, job titles,
 * company suffixes, skills, certificates and languages, in Chinese and English. Plain data so
 * every parsing decision can be traced to a word listed here.
 */

/** Section kinds a résumé is divided into. */
export type SectionKind =
  | 'personal'
  | 'education'
  | 'experience'
  | 'projects'
  | 'skills'
  | 'certificates'
  | 'languages'
  | 'summary';

/** Headings per section, compared after removing punctuation, spaces and case. */
export const SECTION_HEADINGS: Record<SectionKind, string[]> = {
  personal: ['个人信息', '基本信息', '个人资料', 'personalinformation', 'personaldetails', 'personalinfo'],
  education: [
    '教育背景',
    '教育经历',
    '学历背景',
    '教育',
    'education',
    'academicbackground',
    'educationbackground',
  ],
  experience: [
    '工作经历',
    '工作经验',
    '实习经历',
    '职业经历',
    '工作履历',
    'workexperience',
    'experience',
    'professionalexperience',
    'employmenthistory',
    'workhistory',
    'internships',
    'internship',
  ],
  projects: ['项目经历', '项目经验', 'projects', 'projectexperience'],
  skills: ['专业技能', '技能', '技能特长', '技术栈', '个人技能', 'skills', 'technicalskills', 'skillset'],
  certificates: [
    '证书',
    '资格证书',
    '获奖与证书',
    '证书与奖项',
    '荣誉证书',
    'certificates',
    'certifications',
    'certificatesandawards',
    'awards',
  ],
  languages: ['语言能力', '语言', 'languages', 'language'],
  summary: ['自我评价', '个人简介', '个人总结', '求职意向', 'summary', 'profile', 'about', 'objective'],
};

/** Degree words -> level (1 associate, 2 bachelor, 3 master, 4 doctor). Longest first. */
export const DEGREES: Array<[RegExp, number]> = [
  [/博士|Ph\.?\s?D\.?|Doctor(?:ate)?/i, 4],
  [/硕士|研究生|MBA|Master(?:'s)?|M\.S\.|MSc|M\.Sc\.|M\.Eng\.?|M\.A\./i, 3],
  [/本科|学士|Bachelor(?:'s)?|B\.S\.|BSc|B\.Sc\.|B\.Eng\.?|B\.A\.|BA\b/i, 2],
  [/大专|专科|高职|Associate/i, 1],
];

/** Level of a degree text (0 when none is named). */
export function degreeLevel(text: string): number {
  for (const [re, level] of DEGREES) if (re.test(text)) return level;
  return 0;
}

/** A school name: Chinese (…大学/学院/学校) or English (University/College/Institute …). */
export const SCHOOL_RE =
  /[\p{Script=Han}A-Za-z（）()]{2,24}(?:大学|学院|学校)(?:[（(][\p{Script=Han}]{2,8}[）)])?|(?:University|College|Institute|School) of [A-Z][\w&' -]{1,60}?(?:, [A-Z][a-z]+(?: [A-Z][a-z]+)?)?(?=,|\s{2,}|\||$|\s+\d)|[A-Z][\w.&' -]{1,60}?(?:University|College|Institute of Technology|Institute)\b/gu;

/** Words that make a chunk a job title. */
export const TITLE_RE =
  /工程师|经理|总监|主管|专员|设计师|分析师|架构师|开发|实习生|顾问|助理|负责人|组长|主任|运营|销售|会计|教师|研究员|Engineer|Developer|Manager|Director|Analyst|Designer|Architect|Intern|Consultant|Lead|Specialist|Scientist|Accountant|Teacher|Researcher|Administrator|Coordinator|Officer|Executive|Representative|Tester|Head of/i;

/**
 * Words that start an English job title ("Senior ...", "QA ...", "Account ..."): where a text
 * extractor ran "Zendesk  Senior Product Manager" together, the employer ends before one.
 */
export const TITLE_LEAD_RE =
  /^(?:Senior|Junior|Principal|Staff|Lead|Chief|Head|Associate|Assistant|Inside|Enterprise|Software|Frontend|Backend|Full[- ]?stack|Web|Data|Product|Project|Program|Business|Account|Sales|Marketing|QA|Test|Research|Machine|Mobile|DevOps|Site)$/i;

/** Suffixes that end an employer's name ("...有限公司", "... Inc."). */
export const EMPLOYER_END_RE =
  /(?:有限公司|公司|集团|工作室|事务所|\bInc\.?|\bLtd\.?|\bLLC|\bCorp\.?|\bCo\.|\bCompany|\bGroup|\bGmbH|\bLimited)(?=\s)/gu;

/** Words that make a chunk an employer. */
export const EMPLOYER_RE =
  /公司|集团|科技|银行|研究院|研究所|工作室|事务所|医院|中心|大学|Inc\.?|Ltd\.?|LLC|Corp\.?|Co\.|Company|Technologies|Technology|Group|Bank|Labs?\b|GmbH|Limited/i;

/**
 * Skills recognised anywhere in a résumé (also what requirements are cut into). Spelled as
 * usually written; matched case-insensitively, Latin ones on word boundaries.
 */
export const SKILLS = [
  'Java',
  'Go',
  'Golang',
  'Python',
  'JavaScript',
  'TypeScript',
  'Node.js',
  'React',
  'Vue',
  'Angular',
  'C++',
  'C#',
  'Rust',
  'PHP',
  'Ruby',
  'Kotlin',
  'Swift',
  'SQL',
  'MySQL',
  'PostgreSQL',
  'Redis',
  'MongoDB',
  'Elasticsearch',
  'Kafka',
  'RabbitMQ',
  'Spring',
  'Spring Boot',
  'Django',
  'Flask',
  'Docker',
  'Kubernetes',
  'K8s',
  'Linux',
  'Git',
  'AWS',
  'Azure',
  '阿里云',
  'Hadoop',
  'Spark',
  'Flink',
  'TensorFlow',
  'PyTorch',
  '机器学习',
  '深度学习',
  '微服务',
  '分布式',
  '高并发',
  'Excel',
  'PowerPoint',
  'Photoshop',
  'Figma',
  'Axure',
  'SAP',
  'Salesforce',
  'CRM',
  'SEO',
  '数据分析',
  '产品设计',
  '用户研究',
  '项目管理',
  '大客户销售',
  '渠道管理',
  '财务分析',
  'Tableau',
  'HTML',
  'CSS',
  'GraphQL',
  'REST',
  'gRPC',
  'Nginx',
  'CI/CD',
  'Jenkins',
  'Terraform',
];

/** Certificates recognised anywhere in a résumé. */
export const CERTIFICATES_RE =
  /CET-?[46]|大学英语[四六]级|英语专业[四八]级|TEM-?[48]|PMP|CPA|ACCA|CFA|注册会计师|软考[\p{Script=Han}]{0,8}|系统架构设计师|教师资格证|法律职业资格|AWS Certified[\w -]{0,40}|CKA|CKAD|OCP|CCNA|CCNP|IELTS[\s\d.]{0,5}|TOEFL[\s\d]{0,5}|雅思[\s\d.]{0,5}|托福[\s\d]{0,5}|JLPT\s?N[1-5]|日语N[1-5]/giu;

/** Languages recognised anywhere in a résumé. */
export const LANGUAGES_RE =
  /英语|汉语|普通话|粤语|日语|韩语|法语|德语|西班牙语|俄语|English|Mandarin|Chinese|Cantonese|Japanese|Korean|French|German|Spanish|Russian/giu;

/** Words that carry no requirement of their own (Chinese), cut out of requirements. */
export const ZH_STOP =
  /熟练掌握|熟练使用|熟练|熟悉|精通|掌握|了解|具备|具有|拥有|能够|良好的|良好|较强的|较强|优秀的|优秀|扎实的|扎实|一定的|一定|相关|经验|能力|及以上|以上|优先|学历|专业|至少|要求|并且|以及|进行|工作|使用|基础|或者|等|的|和|与|及|或|并|对|在|者|有|能|年|强/gu;

/** English words that carry no requirement of their own. */
export const EN_STOP = new Set(
  `a an the and or of in on at to for with without from by as is are be been being this that these those
  experience experienced years year yrs plus least minimum strong good solid excellent knowledge familiar familiarity
  proficient proficiency ability able skills skill understanding preferred nice have has having must should will
  working work related relevant degree field etc including such other e g eg ie using use hands deep`.split(
    /\s+/,
  ),
);
