/**
 * zod schemas for the parts of the Ergast/Jolpica JSON we read. Every scalar arrives as a string:
 * numbers are parsed (and rejected when they are not numbers), race days and times become UTC instants,
 * and optional fields stay optional — absent, never guessed. Unknown fields are ignored (the source adds
 * fields over time); a missing or malformed field we rely on is an error naming its path.
 */
import { z } from 'zod';
import { lapTimeMillis } from '../lap-time.ts';

const numberText = (pattern: RegExp, what: string) =>
  z.union([z.string(), z.number()]).transform((value, ctx) => {
    const text = String(value).trim();
    if (!pattern.test(text)) {
      ctx.addIssue({ code: 'custom', message: `expected ${what}, got "${value}"` });
      return z.NEVER;
    }
    return Number(text);
  });

export const Int = numberText(/^-?\d+$/, 'an integer');
export const Decimal = numberText(/^-?\d+(\.\d+)?$/, 'a number');
export const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date YYYY-MM-DD');
/** `13:00:00Z` (Jolpica) or `13:00:00` (older Ergast, UTC too). */
export const UtcTime = z
  .string()
  .regex(/^\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]00:00)?$/, 'expected a UTC time HH:MM:SSZ')
  .transform((t) => t.replace(/(Z|[+-]00:00)$/, ''));
export const LapTime = z.string().transform((value, ctx) => {
  const ms = lapTimeMillis(value);
  if (ms === null) {
    ctx.addIssue({ code: 'custom', message: `expected a lap time like 1:27.452, got "${value}"` });
    return z.NEVER;
  }
  return ms;
});
const Ref = z.string().regex(/^[A-Za-z0-9_-]+$/, 'expected an id like max_verstappen');

export const Session = z.object({ date: IsoDate, time: UtcTime.optional() });

export const Circuit = z.object({
  circuitId: Ref,
  url: z.string().optional(),
  circuitName: z.string().min(1),
  Location: z
    .object({
      lat: Decimal.optional(),
      long: Decimal.optional(),
      locality: z.string().optional(),
      country: z.string().optional(),
    })
    .optional(),
});

export const Driver = z.object({
  driverId: Ref,
  permanentNumber: Int.optional(),
  code: z.string().optional(),
  url: z.string().optional(),
  givenName: z.string(),
  familyName: z.string().min(1),
  dateOfBirth: IsoDate.optional(),
  nationality: z.string().optional(),
});

export const Constructor = z.object({
  constructorId: Ref,
  url: z.string().optional(),
  name: z.string().min(1),
  nationality: z.string().optional(),
});

const ResultBase = z.object({
  number: Int.optional(),
  position: Int,
  positionText: z.string().min(1),
  points: Decimal,
  Driver,
  Constructor: Constructor.optional(),
  grid: Int.optional(),
  laps: Int.optional(),
  status: z.string().optional(),
  Time: z.object({ millis: Int.optional(), time: z.string().optional() }).optional(),
});

export const RaceResult = ResultBase.extend({
  FastestLap: z
    .object({
      rank: Int.optional(),
      lap: Int.optional(),
      Time: z.object({ time: LapTime }).optional(),
      AverageSpeed: z.object({ units: z.string().optional(), speed: Decimal }).optional(),
    })
    .optional(),
});

export const SprintResult = ResultBase.extend({
  FastestLap: z
    .object({ lap: Int.optional(), Time: z.object({ time: LapTime }).optional() })
    .optional(),
});

export const QualifyingResult = z.object({
  number: Int.optional(),
  position: Int,
  Driver,
  Constructor: Constructor.optional(),
  Q1: LapTime.optional(),
  Q2: LapTime.optional(),
  Q3: LapTime.optional(),
});

/** A race as every RaceTable lists it: the schedule fields, plus the result list of the endpoint. */
export const RaceHeader = z.object({
  season: Int,
  round: Int,
  url: z.string().optional(),
  raceName: z.string().min(1),
  Circuit,
  date: IsoDate,
  time: UtcTime.optional(),
  FirstPractice: Session.optional(),
  SecondPractice: Session.optional(),
  ThirdPractice: Session.optional(),
  Qualifying: Session.optional(),
  Sprint: Session.optional(),
  SprintQualifying: Session.optional(),
  SprintShootout: Session.optional(),
});

export const ScheduledRace = RaceHeader;
export const RaceWithResults = RaceHeader.extend({ Results: z.array(RaceResult).default([]) });
export const RaceWithSprint = RaceHeader.extend({
  SprintResults: z.array(SprintResult).default([]),
});
export const RaceWithQualifying = RaceHeader.extend({
  QualifyingResults: z.array(QualifyingResult).default([]),
});

/** One driver's lap: `position` and `time` may be missing for a lap the timing system lost. */
export const LapTiming = z.object({
  driverId: Ref,
  position: Int.optional(),
  time: LapTime.optional(),
});
export const Lap = z.object({ number: Int, Timings: z.array(LapTiming) });
/** `duration` is `25.636`, `1:02.345` or, for a stop under a red flag, `16:44.718`. */
export const PitStop = z.object({
  driverId: Ref,
  lap: Int,
  stop: Int,
  time: z.string().regex(/^\d{1,2}:\d{2}:\d{2}$/, 'expected a time of day HH:MM:SS'),
  duration: LapTime.optional(),
});
export const RaceWithLaps = RaceHeader.extend({ Laps: z.array(Lap).default([]) });
export const RaceWithPitStops = RaceHeader.extend({ PitStops: z.array(PitStop).default([]) });

export const DriverStanding = z.object({
  position: Int.optional(),
  positionText: z.string(),
  points: Decimal,
  wins: Int,
  Driver,
});
export const ConstructorStanding = z.object({
  position: Int.optional(),
  positionText: z.string(),
  points: Decimal,
  wins: Int,
  Constructor,
});
export const StandingsList = z.object({
  season: Int,
  round: Int,
  DriverStandings: z.array(DriverStanding).optional(),
  ConstructorStandings: z.array(ConstructorStanding).optional(),
});

/** The envelope every answer has; the table's rows stay unknown until parsed one by one. */
export const Envelope = z.object({
  MRData: z.object({
    limit: Int,
    offset: Int,
    total: Int,
    RaceTable: z.object({ Races: z.array(z.unknown()) }).optional(),
    StandingsTable: z.object({ StandingsLists: z.array(z.unknown()) }).optional(),
  }),
});

export type ScheduledRace = z.infer<typeof ScheduledRace>;
export type RaceWithResults = z.infer<typeof RaceWithResults>;
export type RaceWithSprint = z.infer<typeof RaceWithSprint>;
export type RaceWithQualifying = z.infer<typeof RaceWithQualifying>;
export type RaceWithLaps = z.infer<typeof RaceWithLaps>;
export type RaceWithPitStops = z.infer<typeof RaceWithPitStops>;
export type SourceDriver = z.infer<typeof Driver>;
export type SourceConstructor = z.infer<typeof Constructor>;
export type SourceCircuit = z.infer<typeof Circuit>;
export type StandingsList = z.infer<typeof StandingsList>;

/** `Results[5].points: expected a number, got "x"` (the first issue, its path in source notation). */
export function describeIssue(error: z.ZodError, prefix = ''): string {
  const issue = error.issues[0];
  const path = (issue?.path ?? []).reduce<string>(
    (acc, part) =>
      typeof part === 'number' ? `${acc}[${part}]` : acc ? `${acc}.${String(part)}` : String(part),
    prefix,
  );
  return `${path || '(payload)'}: ${issue?.message ?? 'invalid'}`;
}
