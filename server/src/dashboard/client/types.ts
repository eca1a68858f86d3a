/** The REST answers the dashboard reads (the subset of fields it uses; see /api/openapi.json). */

export interface DriverRef {
  driverId: string;
  code: string | null;
  givenName: string;
  familyName: string;
}

export interface Race {
  season: number;
  round: number;
  name: string;
  date: string;
  startsAt: string | null;
  circuit: { circuitId: string; name: string; locality: string | null; country: string | null };
}

export interface ProgressionCompetitor {
  id: string;
  name: string;
  code: string | null;
  points: (number | null)[];
  positions: (number | null)[];
  wins: (number | null)[];
  droppedPoints: (number | null)[];
  droppedRounds: number[][];
}

export interface Progression {
  season: number;
  rounds: { round: number; name: string }[];
  drivers: ProgressionCompetitor[];
  constructors: ProgressionCompetitor[];
}

export interface RaceResultRow {
  driver: DriverRef;
  team: { teamId: string; name: string };
  position: number | null;
  positionText: string;
  positionOrder: number;
  grid: number | null;
  laps: number;
  status: string;
  points: number;
  time: { text: string } | null;
}

export interface RaceResults {
  season: number;
  round: number;
  raceName: string;
  date: string;
  rows: RaceResultRow[];
}

export interface PitStops {
  rows: {
    driver: DriverRef;
    stop: number;
    lap: number;
    timeOfDay: string;
    duration: { text: string } | null;
  }[];
}

export interface Laps {
  total: number;
  items: { driverId: string; lap: number; position: number | null }[];
  nextCursor: string | null;
}

export interface Weather {
  observations: {
    source: string;
    observedAt: string;
    airTemperatureC: number | null;
    precipitationMm: number | null;
    relativeHumidityPct: number | null;
    windSpeedKph: number | null;
  }[];
}

export interface PredictionSet {
  model: string;
  version: string;
  stage: string;
  backtest: boolean;
  entries: {
    driverId: string;
    code: string | null;
    predictedPosition: number | null;
    winProbability: number | null;
    podiumProbability: number | null;
  }[];
}

export interface RacePredictions {
  sets: PredictionSet[];
}

export interface CalibrationBin {
  event: 'win' | 'podium';
  bin: number;
  predicted: number;
  observed: number;
  count: number;
}

export interface RaceAccuracy {
  model: string;
  version: string;
  stage: string;
  backtest: boolean;
  winnerHit: boolean;
  podiumOverlap: number;
  meanAbsPositionError: number;
  brierWin: number | null;
  logLossWin: number | null;
}

export interface RaceAccuracyReport {
  baseline: RaceAccuracy | null;
  models: RaceAccuracy[];
}

export interface Aggregate {
  races: number;
  winnerHitRate: number;
  meanAbsPositionError: number;
  spearmanRho: number | null;
  brierWin: number | null;
  logLossWin: number | null;
  calibration: CalibrationBin[];
}

export interface LeaderboardEntry extends Aggregate {
  rank: number;
  model: string;
  version: string;
  stage: string;
  backtest: boolean;
  baseline: Aggregate;
}

export interface AccuracyTimeline {
  season: number;
  rounds: { round: number; name: string }[];
  series: {
    model: string;
    version: string;
    stage: string;
    backtest: boolean;
    brierWin: (number | null)[];
    logLossWin: (number | null)[];
  }[];
}

export interface RatingsAsOf {
  season: number;
  round: number;
  ratings: { rank: number; id: string; name: string; rating: number }[];
}

export interface RatingHistory {
  id: string;
  name: string;
  history: { season: number; round: number; raceName: string; date: string; ratingAfter: number }[];
}
