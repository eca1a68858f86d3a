/**
 * The facade's endpoint handlers by endpoint name. An endpoint without a handler is answered 501
 * (answer.ts). The season/driver/constructor/circuit/status/standings handlers are wired here too.
 */
import type { Endpoint } from '../query.ts';
import type { EndpointHandler } from '../types.ts';
import { laps } from './laps.ts';
import { pitstops } from './pitstops.ts';
import { qualifying } from './qualifying.ts';
import { races } from './races.ts';
import { results } from './results.ts';
import { sprint } from './sprint.ts';

export const ENDPOINT_HANDLERS: Partial<Record<Endpoint, EndpointHandler>> = {
  races,
  results,
  sprint,
  qualifying,
  laps,
  pitstops,
};
