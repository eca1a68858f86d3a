/** Inputs and parameters of `elo-baseline` v2 (see ./forecaster.ts for the model). */
import type { HistoryRace } from '../../ratings/replay.ts';

/** One driver's qualifying session times (milliseconds; null when no time was set). */
export interface QualifyingTime {
  driverId: number;
  q1: number | null;
  q2: number | null;
  q3: number | null;
}

/** What v2 may see before a race: the entrants, their grid slots and (post-qualifying) Q times. */
export interface V2View {
  raceId: number;
  season: number;
  round: number;
  field: { driverId: number; teamId: number | null; grid: number | null }[];
  qualifying?: readonly QualifyingTime[];
}

/** A finished race as v2 learns from it. */
export interface V2Race extends HistoryRace {
  qualifying?: readonly QualifyingTime[];
}

/** Parameters of the online driver + team ratings (natural log-odds units). */
export interface RatingParams {
  /** Learning rate of the driver rating per race. */
  kDriver: number;
  /** Learning rate of the team rating per race. */
  kTeam: number;
  /** Share of the team rating lost at each season start (shrinkage toward the field mean). */
  teamShrink: number;
  /** Share of the driver rating lost at each season start. */
  driverShrink: number;
  /** Rating of a driver's first race (rookies start below the field). */
  rookie: number;
  /** Extra learning rate at a season's first races (fading over about four races). */
  earlyBoost: number;
}

/** Parameters of the reliability model (Beta-shrunk, exponentially decayed failure rates). */
export interface ReliabilityParams {
  /** Weight a past race keeps per race since (1 = no decay). */
  decay: number;
  /** Pseudo-starts of the field mean in a team's mechanical-failure rate. */
  teamPrior: number;
  /** Pseudo-starts of the field mean in a driver's fault rate. */
  driverPrior: number;
}

/** Weights of the finishing-order model (Plackett–Luce strengths). */
export interface StageParams {
  /** Pre-qualifying temperature: strength = pre · (rating + preTeam · team rating). */
  pre: number;
  /** Extra weight of the team rating before qualifying (the driver/team mix; 0 = as rated). */
  preTeam: number;
  /** Post-qualifying rating weight. */
  rating: number;
  /** Extra weight of the team rating after qualifying. */
  postTeam: number;
  /** Post-qualifying weight of −(gap to pole, %), capped. */
  gap: number;
  /** Post-qualifying weight of −ln(grid slot). */
  grid: number;
  /** Post-qualifying weight of −(grid slot − 1) (with `grid`: a curve, not only a power law). */
  slot: number;
}

export interface V2Params {
  ratings: RatingParams;
  reliability: ReliabilityParams;
  stage: StageParams;
}

export const DEFAULT_V2_PARAMS: V2Params = {
  ratings: {
    kDriver: 0.3,
    kTeam: 0.3,
    teamShrink: 0.3,
    driverShrink: 0.1,
    rookie: -0.3,
    earlyBoost: 0.5,
  },
  reliability: { decay: 0.97, teamPrior: 10, driverPrior: 20 },
  stage: { pre: 1, preTeam: 0, rating: 0.5, postTeam: 0, gap: 0.5, grid: 0.5, slot: 0 },
};
