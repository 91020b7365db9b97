import type { DefaultContext, DefaultState, ParameterizedContext } from 'koa';
import type { EmployeeRole } from '../../../shared/roles';
import type { ICandidate } from '../db/entities/Candidate';
import type { IUser } from '../db/entities/User';
import type { Deps } from '../deps';
import type { Logger } from '../logger';

/** The signed-in principal of a request, loaded fresh from the database on every request. */
export type Actor =
  | { kind: 'employee'; id: number; user: IUser; roles: EmployeeRole[]; departmentId: number | null }
  | { kind: 'candidate'; id: number; candidate: ICandidate; invitationJobId: number | null };

/** Everything `createApp` needs (the process's {@link Deps}); nothing is read from module globals. */
export type AppDeps = Deps;

/** Per-request state. */
export interface AppState extends DefaultState {
  requestId: string;
  actor?: Actor;
  log: Logger;
}

/** Koa context with our state and the validated input. */
export type AppContext<I = unknown> = ParameterizedContext<
  AppState,
  DefaultContext & { input: I; deps: AppDeps }
>;
