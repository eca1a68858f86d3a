// Deliberately wrong uses of the SDK: each marked line must fail with exactly the marked error.
import { createF1Client, type Driver, type HealthStatus } from '@f1-analytics/sdk';

const f1 = createF1Client({ url: 'http://localhost:8000' });
const health = await f1.health.query();
const when: string = health.time; // error TS2322
const status: HealthStatus['status'] = 'fine'; // error TS2322
createF1Client({ url: 8000 }); // error TS2322
void f1.drivers_typo; // error TS2339
const driver: Driver = await f1.drivers.list.query(); // error TS2740
void f1.races.results.query({ season: 2024 }); // error TS2741

export { driver, status, when };
