import compose from 'koa-compose';
import { appRouters } from '/work/main/server/app';
import { loadConfig } from '/work/main/server/kernel/config';
const config = (loadConfig as any)(process.env);
const routers = appRouters({ config } as any);
const before = compose(routers.slice(0, 18).map((r) => r.routes() as any));
const end = async () => {};
async function bench(fn: any, label: string) {
  for (let round = 0; round < 3; round++) {
    const N = 50000;
    const t = performance.now();
    for (let i = 0; i < N; i++) {
      const ctx: any = { path: `/api/interview/answers/${i}/grant`, method: 'POST', state: {}, request: {}, params: {} };
      await fn(ctx, end);
    }
    console.log(label, ((performance.now() - t) * 1000 / N).toFixed(2), 'us/request');
  }
}
await bench(before, '18 routers before interview');
await bench(compose([]), 'nothing');
