import { afterAll, beforeAll, expect, it } from 'vitest';
import { Application } from '../../kernel/db/entities/Application';
import { Approval } from '../../kernel/db/entities/Approval';
import { describeEachDialect, startTestApp, type TestApp } from '../../testing/harness';
import { approvalForm } from '../../testing/sandboxClient';
import { ensureTemplates, requestApproval, startApproval } from './approvals';
import { REFERENCE_LABEL } from './forms';

/**
 * The start of a DingTalk approval is a call to DingTalk; recording it is a commit here. If a
 * worker dies between the two, the retry must adopt the instance it already started, not open a
 * second approval for the same decision.
 */
describeEachDialect('approval start after a crash', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect);
    // As the worker does at start-up (server/features/workflow/jobs.ts): the forms exist before any start.
    await ensureTemplates(t.orm.em.fork(), t.dingtalk, t.config, { push: true });
  });
  afterAll(async () => t?.close());

  const instancesFor = async (reference: string) =>
    (await t.sandbox.approvals()).instances.filter((i) => approvalForm(i)[REFERENCE_LABEL] === reference);

  it('a retry adopts the instance the crashed run started; a clean start still starts one', async () => {
    const em = t.orm.em.fork();
    const [first, second] = await em.find(Application, {}, { orderBy: { id: 'asc' }, limit: 2 });
    const approvalOf = async (applicationId: number) =>
      t.orm.em.fork().transactional(async (tx) => {
        const a = await requestApproval(tx, { applicationId, kind: 'second_round', requestedBy: null });
        await tx.flush();
        return a.id;
      });
    const id = await approvalOf(first.id);
    class Crash extends Error {}
    // The run that dies after DingTalk accepted the start: its transaction never commits.
    await expect(
      t.orm.em.fork().transactional(async (tx) => {
        expect(await startApproval(tx, t.dingtalk, t.config, id)).toBe('running');
        throw new Crash('worker died before commit');
      }),
    ).rejects.toBeInstanceOf(Crash);
    expect((await t.orm.em.fork().findOneOrFail(Approval, { id })).status).toBe('requested');
    const started = await instancesFor(`AIV-${id}`);
    expect(started).toHaveLength(1);

    // The redelivered event: the instance is found and recorded, nothing new is started.
    const status = await t.orm.em.fork().transactional((tx) => startApproval(tx, t.dingtalk, t.config, id));
    expect(status).toBe('running');
    expect(await instancesFor(`AIV-${id}`)).toHaveLength(1);
    const row = await t.orm.em.fork().findOneOrFail(Approval, { id });
    expect(row.processInstanceId).toBe(started[0].processInstanceId);

    // Another approval with no earlier attempt starts normally, with its own reference.
    const other = await approvalOf(second.id);
    await t.orm.em.fork().transactional((tx) => startApproval(tx, t.dingtalk, t.config, other));
    expect(await instancesFor(`AIV-${other}`)).toHaveLength(1);
    expect(await instancesFor(`AIV-${id}`)).toHaveLength(1);
  });
});
