/**
 * An ML service and a watcher, against a live server: the watcher subscribes to a race's prediction
 * updates (Server-Sent Events), the service submits a set with its API key, the watcher hears of it,
 * and the set reads back. Prints one JSON report. Arguments: <server URL> <ml_service API key>.
 */

import {
  createF1Client,
  errorDetails,
  type PredictionSubmission,
  type PredictionUpdate,
} from '@f1-analytics/sdk';
import { EventSource as NodeEventSource } from 'eventsource';

const [url, apiKey] = process.argv.slice(2);
if (!url || !apiKey) throw new Error('usage: ml-service <server base URL> <API key>');
const runtime = process.versions.bun ? 'bun' : 'node';
// Neither Node 20 nor Bun 1.4 has a global EventSource.
const EventSource = NodeEventSource;

const watcher = createF1Client({ url, EventSource });
const service = createF1Client({ url, apiKey });
const model = `consumer-${runtime}`;

function nextUpdate(): { started: Promise<void>; update: Promise<PredictionUpdate> } {
  let started!: () => void;
  const startedPromise = new Promise<void>((resolve) => {
    started = resolve;
  });
  const update = new Promise<PredictionUpdate>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no update within 15 s')), 15_000);
    const subscription = watcher.predictions.onUpdate.subscribe(
      { season: 2021, round: 2 },
      {
        onStarted: () => started(),
        onData: ({ data }) => {
          if (data.model !== model) return;
          clearTimeout(timer);
          subscription.unsubscribe();
          resolve(data);
        },
        onError: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      },
    );
  });
  return { started: startedPromise, update };
}

const prediction: PredictionSubmission = {
  season: 2021,
  round: 2,
  model,
  version: '1.0.0',
  backtest: true,
  entries: [
    { driverId: 'driver_b', predictedPosition: 1, winProbability: 0.4, podiumProbability: 0.9 },
    { driverId: 'driver_c', predictedPosition: 2, winProbability: 0.3, podiumProbability: 0.8 },
    { driverId: 'driver_a', predictedPosition: 3, winProbability: 0.2, podiumProbability: 0.7 },
    { driverId: 'driver_d', predictedPosition: 4, winProbability: 0.1, podiumProbability: 0.6 },
  ],
};

const { started, update } = nextUpdate();
await started;
const submitted = await service.predictions.submit.mutate(prediction);
const heard = await update;
const stored = await watcher.predictions.list.query({
  season: 2021,
  round: 2,
  model,
  backtest: true,
});
const refused = await watcher.predictions.submit.mutate(prediction).catch(errorDetails);

console.log(
  JSON.stringify({
    runtime,
    submitted: {
      status: submitted.status,
      entries: submitted.entryCount,
      isDate: submitted.submittedAt instanceof Date,
    },
    heard: { kind: heard.kind, model: heard.model, backtest: heard.backtest },
    stored: stored.sets.map((s) => s.entries.map((e) => e.driverId)),
    anonymousSubmit: refused && 'code' in refused ? refused.code : 'accepted',
  }),
);
process.exit(0);
