/**
 * The demo company (一个虚构的杭州互联网公司). Pure data: the seed writes it into the product's
 * database, and the sandbox loads the same people as its DingTalk organisation, so a sandbox
 * auth code for `hr01` resolves to the same person the product knows as HR.
 */

/** A department in the demo org. `dingtalkId` is DingTalk's numeric dept_id. */
export interface DemoDepartment {
  dingtalkId: number;
  name: string;
  parentDingtalkId: number | null;
}

/** An employee of the demo org (a DingTalk org member). */
export interface DemoEmployee {
  userid: string;
  unionid: string;
  name: string;
  mobile: string;
  title: string;
  deptId: number;
  roles: Array<'hr' | 'manager' | 'interviewer' | 'admin'>;
}

/** An external DingTalk account (a candidate who signs in with DingTalk OAuth2). */
export interface DemoCandidate {
  /** Null: the candidate has no DingTalk account and signs in with an invitation link only. */
  unionid: string | null;
  name: string;
  mobile: string;
  email: string | null;
  /** Key of the job they applied for. */
  job: string;
}

/** A demo interview question. */
export interface DemoQuestion {
  text: string;
  competencies: string[];
  thinkSeconds: number;
  answerSeconds: number;
  retakes: number;
  /** Behavioural indicators per competency (scoring reads them). */
  indicators?: Record<string, string[]>;
  referenceAnswers?: string[];
}

/** The practice question every demo plan starts with (not scored, unlimited tries). */
export const DEMO_PRACTICE_QUESTION = {
  text: '练习题：请用 30 秒左右介绍一下你自己。这道题不计分，可以多录几次熟悉流程。',
  competencies: ['沟通协作'],
  thinkSeconds: 15,
  answerSeconds: 60,
  retakes: 0,
};

/** A demo job with its interview plan. */
export interface DemoJob {
  key: string;
  title: string;
  deptId: number;
  managerUserid: string;
  description: string;
  questions: DemoQuestion[];
}

/** DingTalk identifiers of the demo organisation and app (sandbox only, not secrets). */
export const DEMO_ORG = {
  corpId: 'dingdemocorp5f3a1c',
  name: '云杉科技（演示）',
  appKey: 'dingdemoappkey01',
  appSecret: 'demo-app-secret-not-for-production-0001',
  agentId: 3000001,
  robotCode: 'dingdemoappkey01',
} as const;

export const DEMO_DEPARTMENTS: DemoDepartment[] = [
  { dingtalkId: 1, name: '云杉科技', parentDingtalkId: null },
  { dingtalkId: 10, name: '人力资源部', parentDingtalkId: 1 },
  { dingtalkId: 20, name: '研发中心', parentDingtalkId: 1 },
  { dingtalkId: 30, name: '产品与设计部', parentDingtalkId: 1 },
  { dingtalkId: 40, name: '销售部', parentDingtalkId: 1 },
];

export const DEMO_EMPLOYEES: DemoEmployee[] = [
  {
    userid: 'hr01',
    unionid: 'uid-hr01-Wl3kQ',
    name: '王晓燕',
    mobile: '13800000001',
    title: 'HRBP',
    deptId: 10,
    roles: ['hr', 'admin'],
  },
  {
    userid: 'hr02',
    unionid: 'uid-hr02-Pz8mA',
    name: '陈思雨',
    mobile: '13800000002',
    title: '招聘专员',
    deptId: 10,
    roles: ['hr'],
  },
  {
    userid: 'mgr01',
    unionid: 'uid-mgr01-Tq2nB',
    name: '李建国',
    mobile: '13800000011',
    title: '研发总监',
    deptId: 20,
    roles: ['manager', 'interviewer'],
  },
  {
    userid: 'mgr02',
    unionid: 'uid-mgr02-Hx5rC',
    name: '赵敏',
    mobile: '13800000012',
    title: '销售总监',
    deptId: 40,
    roles: ['manager', 'interviewer'],
  },
  {
    userid: 'int01',
    unionid: 'uid-int01-Ja7sD',
    name: '张伟',
    mobile: '13800000021',
    title: '高级后端工程师',
    deptId: 20,
    roles: ['interviewer'],
  },
  {
    userid: 'int02',
    unionid: 'uid-int02-Kb9tE',
    name: '刘洋',
    mobile: '13800000022',
    title: '前端技术专家',
    deptId: 20,
    roles: ['interviewer'],
  },
  {
    userid: 'int03',
    unionid: 'uid-int03-Lc1uF',
    name: '孙丽',
    mobile: '13800000023',
    title: '产品经理',
    deptId: 30,
    roles: ['interviewer'],
  },
  {
    userid: 'int04',
    unionid: 'uid-int04-Md3vG',
    name: '周杰',
    mobile: '13800000024',
    title: '大客户销售经理',
    deptId: 40,
    roles: ['interviewer'],
  },
];

export const DEMO_JOBS: DemoJob[] = [
  {
    key: 'backend',
    title: '高级后端工程师',
    deptId: 20,
    managerUserid: 'mgr01',
    description:
      '负责招聘与面试平台的服务端开发，熟悉 Node.js / TypeScript 与 MySQL，有高并发系统经验者优先。',
    questions: [
      {
        text: '请介绍一个你主导的、最有挑战的后端项目：背景是什么，你负责什么，怎么做的，结果如何？',
        competencies: ['问题解决', '技术深度'],
        thinkSeconds: 30,
        answerSeconds: 180,
        retakes: 1,
        indicators: {
          问题解决: ['讲清了问题的约束和目标', '比较过不止一种方案并说明取舍', '用数据说明结果'],
          技术深度: ['能解释关键技术决策背后的原理', '提到了扩展性、可靠性或性能的具体做法'],
        },
        referenceAnswers: ['按 STAR 结构：背景与目标、本人职责、具体方案与取舍、可量化的结果与复盘。'],
      },
      {
        text: '线上服务突然出现大量超时，你会如何一步步定位并解决？',
        competencies: ['问题解决', '沟通协作'],
        thinkSeconds: 30,
        answerSeconds: 150,
        retakes: 1,
      },
      {
        text: '讲一次你与产品或其他团队意见不一致的经历，最后是怎么达成一致的？',
        competencies: ['沟通协作'],
        thinkSeconds: 30,
        answerSeconds: 120,
        retakes: 1,
      },
    ],
  },
  {
    key: 'pm',
    title: '产品经理（招聘产品方向）',
    deptId: 30,
    managerUserid: 'mgr01',
    description: '负责 AI 面试产品的需求分析与迭代，能与研发、设计和客户高效协作。',
    questions: [
      {
        text: '请讲一个你从零到一推动上线的功能：你如何发现需求、确定优先级并衡量效果？',
        competencies: ['用户洞察', '结果导向'],
        thinkSeconds: 30,
        answerSeconds: 180,
        retakes: 1,
      },
      {
        text: '如果候选人抱怨面试流程太长，你会怎么分析并改进？',
        competencies: ['用户洞察', '问题解决'],
        thinkSeconds: 30,
        answerSeconds: 150,
        retakes: 1,
      },
    ],
  },
  {
    key: 'sales',
    title: '大客户销售',
    deptId: 40,
    managerUserid: 'mgr02',
    description: '负责华东区企业客户的开拓与维护，完成季度销售目标。',
    questions: [
      {
        text: '请分享一次你拿下难度很大的客户的经历，你具体做了哪些事情？结果如何？',
        competencies: ['客户导向', '结果导向'],
        thinkSeconds: 30,
        answerSeconds: 180,
        retakes: 1,
      },
      {
        text: '客户临近签约时突然提出降价 30%，你会怎么处理？',
        competencies: ['谈判能力', '客户导向'],
        thinkSeconds: 30,
        answerSeconds: 120,
        retakes: 1,
      },
    ],
  },
];

export const DEMO_CANDIDATES: DemoCandidate[] = [
  {
    unionid: 'uid-cand01-Aa1',
    name: '张三',
    mobile: '13900000001',
    email: 'zhangsan@example.com',
    job: 'backend',
  },
  {
    unionid: 'uid-cand02-Bb2',
    name: '李四',
    mobile: '13900000002',
    email: 'lisi@example.com',
    job: 'backend',
  },
  { unionid: 'uid-cand03-Cc3', name: '王五', mobile: '13900000003', email: null, job: 'backend' },
  {
    unionid: 'uid-cand04-Dd4',
    name: '赵六',
    mobile: '13900000004',
    email: 'zhaoliu@example.com',
    job: 'backend',
  },
  { unionid: 'uid-cand05-Ee5', name: '钱七', mobile: '13900000005', email: 'qianqi@example.com', job: 'pm' },
  { unionid: 'uid-cand06-Ff6', name: '孙八', mobile: '13900000006', email: null, job: 'pm' },
  { unionid: 'uid-cand07-Gg7', name: '周九', mobile: '13900000007', email: 'zhoujiu@example.com', job: 'pm' },
  {
    unionid: 'uid-cand08-Hh8',
    name: '吴十',
    mobile: '13900000008',
    email: 'wushi@example.com',
    job: 'sales',
  },
  { unionid: 'uid-cand09-Ii9', name: '郑小红', mobile: '13900000009', email: null, job: 'sales' },
  {
    unionid: 'uid-cand10-Jj0',
    name: '冯小明',
    mobile: '13900000010',
    email: 'fengxm@example.com',
    job: 'sales',
  },
  { unionid: null, name: '陈静', mobile: '13900000011', email: 'chenjing@example.com', job: 'backend' },
  { unionid: null, name: 'Emily Zhang', mobile: '13900000012', email: 'emily.zhang@example.com', job: 'pm' },
];
