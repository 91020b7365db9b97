/**
 * `npm run sandbox`: runs the DingTalk sandbox until Ctrl-C.
 * Env: SANDBOX_PORT (default 3900), SANDBOX_APP_URL (the mini-app, default http://localhost:3000).
 */
import { seedDemoBusy } from './modules/calendar';
import { startSandbox } from './server';

const port = Number(process.env.SANDBOX_PORT ?? 3900);
const appUrl = process.env.SANDBOX_APP_URL ?? 'http://localhost:3000';

const sandbox = await startSandbox({ port, appUrl });
seedDemoBusy(sandbox.state);
const { org } = sandbox.state;
console.log(`DingTalk sandbox listening on ${sandbox.url}`);
console.log(`  console:  ${sandbox.url}/console`);
console.log(`  org:      ${org.name} (corpId ${org.corpId}, appKey ${org.appKey}, agentId ${org.agentId})`);
console.log(`  app url:  ${appUrl}`);
console.log('Press Ctrl-C to stop.');

let closing = false;
const stop = async () => {
  if (closing) return;
  closing = true;
  await sandbox.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
