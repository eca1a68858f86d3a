/**
 * The facade's endpoint handlers by endpoint name: the RaceTable family (schedule, results, sprint,
 * qualifying, laps, pit stops) and the reference tables and standings. Every endpoint of the grammar
 * (query.ts ENDPOINTS) has one; answer.ts would answer 501 for one that did not.
 */
import type { Endpoint } from '../query.ts';
import type { EndpointHandler } from '../types.ts';
import { circuits } from './circuits.ts';
import { constructors } from './constructors.ts';
import { drivers } from './drivers.ts';
import { laps } from './laps.ts';
import { pitstops } from './pitstops.ts';
import { qualifying } from './qualifying.ts';
import { races } from './races.ts';
import { results } from './results.ts';
import { seasons } from './seasons.ts';
import { sprint } from './sprint.ts';
import { constructorStandings, driverStandings } from './standings.ts';
import { status } from './status.ts';

export const ENDPOINT_HANDLERS: Record<Endpoint, EndpointHandler> = {
  seasons,
  races,
  results,
  sprint,
  qualifying,
  drivers,
  constructors,
  circuits,
  status,
  driverstandings: driverStandings,
  constructorstandings: constructorStandings,
  laps,
  pitstops,
};
