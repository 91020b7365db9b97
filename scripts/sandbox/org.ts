/**
 * The DingTalk organisation the sandbox pretends to be. By default it is the demo company from the
 * product's seed, so an auth code the sandbox issues for `hr01` resolves to the person the product's
 * database knows as HR. Tests may replace any part of it.
 */
import {
  DEMO_CANDIDATES,
  DEMO_DEPARTMENTS,
  DEMO_EMPLOYEES,
  DEMO_ORG,
  type DemoCandidate,
  type DemoDepartment,
  type DemoEmployee,
} from '../../server/kernel/db/seeds/demoCompany';

/** One DingTalk org with one internal app (the product). */
export interface SandboxOrg {
  corpId: string;
  name: string;
  appKey: string;
  appSecret: string;
  agentId: number;
  robotCode: string;
  departments: DemoDepartment[];
  employees: DemoEmployee[];
  /** Candidates; only those with a `unionid` have a DingTalk account and can use OAuth2 login. */
  candidates: DemoCandidate[];
}

/** A DingTalk account that can sign in through OAuth2 web login (an employee or an outside person). */
export interface DingTalkAccount {
  unionid: string;
  name: string;
  mobile: string;
  email: string | null;
  /** Set when the account is a member of the sandbox org. */
  userid: string | null;
}

/** The demo company, read-only. */
export const DEFAULT_ORG: SandboxOrg = {
  corpId: DEMO_ORG.corpId,
  name: DEMO_ORG.name,
  appKey: DEMO_ORG.appKey,
  appSecret: DEMO_ORG.appSecret,
  agentId: DEMO_ORG.agentId,
  robotCode: DEMO_ORG.robotCode,
  departments: DEMO_DEPARTMENTS,
  employees: DEMO_EMPLOYEES,
  candidates: DEMO_CANDIDATES,
};

/** Every account that can log in through OAuth2: employees first, then external accounts. */
export function dingTalkAccounts(org: SandboxOrg): DingTalkAccount[] {
  const members = org.employees.map((e) => ({
    unionid: e.unionid,
    name: e.name,
    mobile: e.mobile,
    email: null,
    userid: e.userid,
  }));
  const outsiders = externalAccounts(org).map((c) => ({ ...c, userid: null }));
  return [...members, ...outsiders];
}

/** Candidates who have a DingTalk account (a non-null unionid). */
export function externalAccounts(org: SandboxOrg): Array<Omit<DingTalkAccount, 'userid'>> {
  return org.candidates.flatMap((c) =>
    c.unionid ? [{ unionid: c.unionid, name: c.name, mobile: c.mobile, email: c.email }] : [],
  );
}
