import type * as WorkflowClientModule from '@alicloud/dingtalk/dist/workflow_1_0/client';
import type WorkflowClient from '@alicloud/dingtalk/dist/workflow_1_0/client';
import type { DingTalkCore } from './client';
import { lazySdk } from './sdk';

const $wf = lazySdk<typeof WorkflowClientModule>('@alicloud/dingtalk/dist/workflow_1_0/client');

/** One form field definition for `formCreate` (dingtalk-reference.md §4 "Form templates"). */
export interface FormFieldDef {
  componentType: 'TextField' | 'TextareaField' | 'NumberField' | 'DDDateField';
  id: string;
  label: string;
  required?: boolean;
}

/** Arguments of {@link DingTalkWorkflow.startProcessInstance}. */
export interface StartInstanceArgs {
  processCode: string;
  originatorUserId: string;
  deptId: number;
  formComponentValues: Array<{ name: string; value: string }>;
  approvers: { actionType: 'AND' | 'OR' | 'NONE'; userIds: string[] };
  ccList: string[];
  bizDetailPageUrl: string;
  microappAgentId?: number;
}

/** The parts of `getProcessInstance` the workflow uses. */
export interface ProcessInstanceInfo {
  status: string;
  /** Userid of who started the instance. */
  originatorUserId: string;
  result: string | null;
  finishTime: string | null;
  operationRecords: Array<{
    userId: string;
    type: string;
    result: string;
    remark: string | null;
    date: string;
  }>;
  tasks: Array<{ taskId: number; userId: string; status: string; result: string }>;
  /** The form as filled in (label and value). */
  formValues: Array<{ name: string; value: string }>;
}

/**
 * OA approval (`workflow_1_0`, reference §4) through the official SDK, with the app token and
 * the retry rules of {@link DingTalkCore.withAppToken}.
 */
export class DingTalkWorkflow {
  #lazyClient: WorkflowClient | null = null;

  /** Made on first call: a process that never calls this API never loads its SDK module. */
  private get client(): WorkflowClient {
    if (!this.#lazyClient) this.#lazyClient = new $wf.default(this.core.sdkConfig());
    return this.#lazyClient;
  }

  constructor(private readonly core: DingTalkCore) {}

  /** Creates a form template (or updates `processCode` when given). Returns the process code. */
  async formCreate(args: {
    name: string;
    description: string;
    fields: FormFieldDef[];
    processCode?: string;
  }): Promise<string> {
    const res = await this.core.withAppToken('workflow.formCreate', (token) =>
      this.client.formCreateWithOptions(
        new $wf.FormCreateRequest({
          name: args.name,
          description: args.description,
          processCode: args.processCode,
          formComponents: args.fields.map(
            (f) =>
              new $wf.FormComponent({
                componentType: f.componentType,
                props: new $wf.FormComponentProps({
                  componentId: `${f.componentType}-${f.id}`,
                  label: f.label,
                  required: f.required ?? false,
                }),
              }),
          ),
          templateConfig: new $wf.FormCreateRequestTemplateConfig({
            disableFormEdit: true,
            disableResubmit: true,
          }),
        }),
        new $wf.FormCreateHeaders({ xAcsDingtalkAccessToken: token }),
        this.core.runtime(),
      ),
    );
    const code = res.body?.result?.processCode;
    if (!code) throw new Error('formCreate returned no processCode');
    return code;
  }

  /** Starts an approval instance; returns its `instanceId`. */
  async startProcessInstance(args: StartInstanceArgs): Promise<string> {
    const res = await this.core.withAppToken('workflow.startProcessInstance', (token) =>
      this.client.startProcessInstanceWithOptions(
        new $wf.StartProcessInstanceRequest({
          processCode: args.processCode,
          originatorUserId: args.originatorUserId,
          deptId: args.deptId,
          microappAgentId: args.microappAgentId,
          formComponentValues: args.formComponentValues.map(
            (v) => new $wf.StartProcessInstanceRequestFormComponentValues(v),
          ),
          approvers: [new $wf.StartProcessInstanceRequestApprovers(args.approvers)],
          ccList: args.ccList.length ? args.ccList : undefined,
          ccPosition: args.ccList.length ? 'FINISH' : undefined,
          bizDetailPageUrl: args.bizDetailPageUrl,
        }),
        new $wf.StartProcessInstanceHeaders({ xAcsDingtalkAccessToken: token }),
        this.core.runtime(),
      ),
    );
    const id = res.body?.instanceId;
    if (!id) throw new Error('startProcessInstance returned no instanceId');
    return id;
  }

  /** Reads of an instance in flight, shared by callers asking at the same moment. */
  private readonly reading = new Map<string, Promise<ProcessInstanceInfo>>();

  /**
   * Reads an instance (status, result, who did what). Concurrent reads of one instance share one
   * call: DingTalk delivers an approval's events in bursts (a task and an instance change, and
   * duplicates of each), every one of them is checked against the instance, and DingTalk limits
   * calls per second and app. Only reads in flight are shared; a read that starts after one ended
   * asks DingTalk again, so nothing stale is ever served.
   */
  getProcessInstance(processInstanceId: string): Promise<ProcessInstanceInfo> {
    const pending = this.reading.get(processInstanceId);
    if (pending) return pending;
    const read = this.readProcessInstance(processInstanceId).finally(() => {
      this.reading.delete(processInstanceId);
    });
    this.reading.set(processInstanceId, read);
    return read;
  }

  private async readProcessInstance(processInstanceId: string): Promise<ProcessInstanceInfo> {
    const res = await this.core.withAppToken('workflow.getProcessInstance', (token) =>
      this.client.getProcessInstanceWithOptions(
        new $wf.GetProcessInstanceRequest({ processInstanceId }),
        new $wf.GetProcessInstanceHeaders({ xAcsDingtalkAccessToken: token }),
        this.core.runtime(),
      ),
    );
    const r = res.body?.result;
    return {
      status: r?.status ?? 'UNKNOWN',
      originatorUserId: r?.originatorUserId ?? '',
      result: r?.result || null,
      finishTime: r?.finishTime || null,
      operationRecords: (r?.operationRecords ?? []).map((o) => ({
        userId: o.userId ?? '',
        type: o.type ?? '',
        result: (o.result ?? '').toLowerCase(),
        remark: o.remark || null,
        date: o.date ?? '',
      })),
      tasks: (r?.tasks ?? []).map((t) => ({
        taskId: Number(t.taskId ?? 0),
        userId: t.userId ?? '',
        status: t.status ?? '',
        result: (t.result ?? '').toLowerCase(),
      })),
      formValues: (r?.formComponentValues ?? []).map((f) => ({ name: f.name ?? '', value: f.value ?? '' })),
    };
  }

  /**
   * Ids of the instances of `processCode` started between `start` and `end` (by `userIds` when
   * given), all pages. Used to find an instance whose start was not recorded (see approvals.ts).
   */
  async listProcessInstanceIds(args: {
    processCode: string;
    start: Date;
    end: Date;
    userIds?: string[];
  }): Promise<string[]> {
    const ids: string[] = [];
    let nextToken = 0;
    for (let page = 0; page < 50; page++) {
      const res = await this.core.withAppToken('workflow.listProcessInstanceIds', (token) =>
        this.client.listProcessInstanceIdsWithOptions(
          new $wf.ListProcessInstanceIdsRequest({
            processCode: args.processCode,
            startTime: args.start.getTime(),
            endTime: args.end.getTime(),
            nextToken,
            maxResults: 20,
            userIds: args.userIds,
          }),
          new $wf.ListProcessInstanceIdsHeaders({ xAcsDingtalkAccessToken: token }),
          this.core.runtime(),
        ),
      );
      ids.push(...(res.body?.result?.list ?? []));
      const next = res.body?.result?.nextToken;
      if (!next) break;
      nextToken = Number(next);
    }
    return ids;
  }

  /** Withdraws an instance (e.g. HR rejected the candidate meanwhile). */
  async terminateProcessInstance(processInstanceId: string, operatingUserId: string, remark: string) {
    await this.core.withAppToken('workflow.terminateProcessInstance', (token) =>
      this.client.terminateProcessInstanceWithOptions(
        new $wf.TerminateProcessInstanceRequest({
          processInstanceId,
          operatingUserId,
          remark,
          isSystem: false,
        }),
        new $wf.TerminateProcessInstanceHeaders({ xAcsDingtalkAccessToken: token }),
        this.core.runtime(),
      ),
    );
  }
}
