/**
 * Kysely table types, one interface per table, mirroring the migrations in `./migrations`.
 *
 * Both back ends are configured (see `./connect.ts`) to return `numeric` and `bigint` as JS numbers and
 * `date` as a `YYYY-MM-DD` string, so these types hold for PostgreSQL and PGlite alike.
 */
import type { ColumnType, Generated, Selectable } from 'kysely';

/** A `timestamptz` column with a default: optional on insert. */
type CreatedAt = ColumnType<Date, Date | string | undefined, Date | string>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** A `date` column, read and written as `YYYY-MM-DD`. */
type IsoDate = string;
type Json<T> = ColumnType<T, T | undefined, T>;

export type Role = 'user' | 'ml_service' | 'admin';
/** When a prediction was made: before qualifying, or with the grid known. */
export type PredictionStage = 'pre_qualifying' | 'post_qualifying';
export type SessionKind = 'fp1' | 'fp2' | 'fp3' | 'sprint_qualifying' | 'sprint' | 'qualifying';

export interface CircuitsTable {
  id: Generated<number>;
  circuit_ref: string;
  name: string;
  locality: string | null;
  country: string | null;
  latitude: number | null;
  longitude: number | null;
  altitude_m: number | null;
  url: string | null;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

export interface TeamsTable {
  id: Generated<number>;
  team_ref: string;
  name: string;
  nationality: string | null;
  url: string | null;
  elo_rating: Generated<number>;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

export interface DriversTable {
  id: Generated<number>;
  driver_ref: string;
  permanent_number: number | null;
  code: string | null;
  given_name: string;
  family_name: string;
  date_of_birth: IsoDate | null;
  nationality: string | null;
  url: string | null;
  elo_rating: Generated<number>;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

export interface RacesTable {
  id: Generated<number>;
  season: number;
  round: number;
  circuit_id: number;
  name: string;
  date: IsoDate;
  starts_at: Timestamp | null;
  url: string | null;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

export interface RaceSessionsTable {
  race_id: number;
  kind: SessionKind;
  date: IsoDate;
  starts_at: Timestamp | null;
}

interface ResultColumns {
  race_id: number;
  driver_id: number;
  team_id: number | null;
  number: number | null;
  grid: number | null;
  position: number | null;
  position_order: number;
  position_text: string;
  points: ColumnType<number, number | string | undefined, number | string>;
  laps: number | null;
  time_millis: number | null;
  time_text: string | null;
  fastest_lap: number | null;
  fastest_lap_millis: number | null;
  status: string | null;
}

export interface RaceResultsTable extends ResultColumns {
  entry: Generated<number>;
  fastest_lap_rank: number | null;
  fastest_lap_speed_kph: number | null;
}

export type SprintResultsTable = ResultColumns;

export interface QualifyingResultsTable {
  race_id: number;
  driver_id: number;
  team_id: number | null;
  number: number | null;
  position: number;
  q1_millis: number | null;
  q2_millis: number | null;
  q3_millis: number | null;
}

/** One driver's time on one lap (the dialect's `laps`). */
export interface LapTimesTable {
  race_id: number;
  driver_id: number;
  lap: number;
  position: number | null;
  time_millis: number | null;
}

/** One pit stop (the dialect's `pitstops`); `time_of_day` is local to the circuit ('17:05:23'). */
export interface PitStopsTable {
  race_id: number;
  driver_id: number;
  stop: number;
  lap: number;
  time_of_day: string;
  duration_millis: number | null;
}

/** A championship season's Wikipedia page (the dialect's `SeasonTable`). */
export interface SeasonsTable {
  year: number;
  url: string | null;
}

/** The status vocabulary with the source's numeric ids (results keep the text). */
export interface StatusesTable {
  id: number;
  status: string;
}

export interface WeatherDataTable {
  race_id: number;
  source: string;
  observed_at: Timestamp;
  air_temperature_c: number | null;
  precipitation_mm: number | null;
  relative_humidity_pct: number | null;
  wind_speed_kph: number | null;
  wind_direction_deg: number | null;
  fetched_at: CreatedAt;
}

export interface PredictionSetsTable {
  id: Generated<number>;
  race_id: number;
  model: string;
  version: string;
  backtest: Generated<boolean>;
  submitted_by: string;
  idempotency_key: string | null;
  snapshot_hash: string;
  entry_count: number;
  submitted_at: CreatedAt;
  superseded_at: Timestamp | null;
  stage: ColumnType<PredictionStage, PredictionStage | undefined, PredictionStage>;
}

export interface PredictionsTable {
  race_id: number;
  set_id: number;
  driver_id: number;
  predicted_position: number;
  win_probability: number;
  podium_probability: number;
  points_probability: number | null;
  predicted_grid: number | null;
}

export interface CalibrationBin {
  /** Which probability the bin is about. */
  event: 'win' | 'podium';
  /** Lower edge of the predicted-probability bin, e.g. 0.1 for [0.1, 0.2). */
  bin: number;
  predicted: number;
  observed: number;
  count: number;
}

export interface PredictionAccuracyTable {
  id: Generated<number>;
  race_id: number;
  set_id: number | null;
  model: string;
  version: string;
  backtest: Generated<boolean>;
  entries: number;
  winner_hit: boolean;
  podium_overlap: number;
  top10_overlap: number;
  mean_abs_position_error: number;
  spearman_rho: number | null;
  brier_win: number | null;
  brier_podium: number | null;
  log_loss_win: number | null;
  calibration: Json<CalibrationBin[]>;
  results_hash: string;
  computed_at: CreatedAt;
  stage: ColumnType<PredictionStage, PredictionStage | undefined, PredictionStage>;
}

export interface UsersTable {
  id: Generated<number>;
  email: string;
  password_hash: string;
  name: string | null;
  role: ColumnType<Role, Role | undefined, Role>;
  created_at: CreatedAt;
  updated_at: CreatedAt;
  last_login_at: Timestamp | null;
  disabled_at: Timestamp | null;
}

export interface ApiKeysTable {
  id: Generated<number>;
  name: string;
  prefix: string;
  key_hash: string;
  role: Role;
  created_by: number | null;
  created_at: CreatedAt;
  expires_at: Timestamp | null;
  revoked_at: Timestamp | null;
  last_used_at: Timestamp | null;
}

export type AuditOutcome = 'success' | 'failure' | 'denied' | 'error';

export interface AuditLogTable {
  id: Generated<number>;
  occurred_at: CreatedAt;
  user_id: number | null;
  api_key_id: number | null;
  action: string;
  outcome: AuditOutcome;
  ip: string | null;
  input_hash: string | null;
  detail: Json<Record<string, unknown>>;
}

interface RatingHistoryColumns {
  race_id: number;
  rating_before: number;
  rating_after: number;
}
export interface DriverRatingsTable extends RatingHistoryColumns {
  driver_id: number;
}
export interface TeamRatingsTable extends RatingHistoryColumns {
  team_id: number;
}

export type IngestionRunKind =
  | 'season'
  | 'race'
  | 'qualifying'
  | 'schedule'
  | 'validate'
  | 'import-csv'
  | 'weather'
  | 'bootstrap';
export type IngestionRunStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface IngestionRunsTable {
  id: Generated<number>;
  kind: IngestionRunKind;
  season: number | null;
  round: number | null;
  status: ColumnType<IngestionRunStatus, IngestionRunStatus | undefined, IngestionRunStatus>;
  requested_by: string;
  created_at: CreatedAt;
  started_at: Timestamp | null;
  finished_at: Timestamp | null;
  stats: Json<Record<string, unknown>>;
  error: string | null;
}

export type IngestedDataset = 'schedule' | 'results' | 'sprint' | 'qualifying' | 'weather';

export interface IngestedRoundsTable {
  season: number;
  round: number;
  dataset: IngestedDataset;
  payload_hash: string;
  row_count: number;
  ingested_at: CreatedAt;
}

export interface IngestionFencesTable {
  name: string;
  token: number;
  updated_at: CreatedAt;
}

/** Seasons `bun run ingest bootstrap` has loaded (completed_at) and the requests its attempts cost. */
export interface BootstrapSeasonsTable {
  season: number;
  requests: ColumnType<number, number | undefined, number>;
  attempted_at: ColumnType<Date, Date | string | undefined, Date | string>;
  completed_at: Timestamp | null;
}

export interface DerivedPendingTable {
  id: Generated<boolean>;
  generation: number;
  marked_at: CreatedAt;
}

/** Materialized views: read-only. */
/** The columns both standings tables share (filled by the standings rules engine). */
interface StandingColumns {
  season: number;
  round: number;
  race_id: number;
  position: number;
  /** The position, or `D` (excluded from the drivers' table) / `E` (from the constructors'). */
  position_text: string;
  /** Championship points: counted results plus adjustments. */
  points: ColumnType<number, number | string, number | string>;
  /** Every point scored so far, dropped results included. */
  gross_points: ColumnType<number, number | string, number | string>;
  dropped_points: ColumnType<number, number | string | undefined, number | string>;
  dropped_rounds: ColumnType<number[], number[] | undefined, number[]>;
  adjustment_points: ColumnType<number, number | string | undefined, number | string>;
  wins: number;
  /** Level with another competitor on points and on every counted finishing position. */
  tied: ColumnType<boolean, boolean | undefined, boolean>;
}

export interface DriverStandingsTable extends StandingColumns {
  driver_id: number;
}

export interface ConstructorStandingsTable extends StandingColumns {
  team_id: number;
}

export interface DB {
  circuits: CircuitsTable;
  teams: TeamsTable;
  drivers: DriversTable;
  races: RacesTable;
  race_sessions: RaceSessionsTable;
  race_results: RaceResultsTable;
  sprint_results: SprintResultsTable;
  qualifying_results: QualifyingResultsTable;
  lap_times: LapTimesTable;
  pit_stops: PitStopsTable;
  statuses: StatusesTable;
  seasons: SeasonsTable;
  weather_data: WeatherDataTable;
  prediction_sets: PredictionSetsTable;
  predictions: PredictionsTable;
  prediction_accuracy: PredictionAccuracyTable;
  users: UsersTable;
  api_keys: ApiKeysTable;
  audit_log: AuditLogTable;
  driver_ratings: DriverRatingsTable;
  team_ratings: TeamRatingsTable;
  ingestion_runs: IngestionRunsTable;
  ingested_rounds: IngestedRoundsTable;
  ingestion_fences: IngestionFencesTable;
  derived_pending: DerivedPendingTable;
  bootstrap_seasons: BootstrapSeasonsTable;
  driver_standings: DriverStandingsTable;
  constructor_standings: ConstructorStandingsTable;
}

/**
 * Rows as read (kysely's `Selectable`). Query files declare their result rows as a `Pick` of these
 * (the columns they select), so each column's type is declared once, here.
 */
export type Circuit = Selectable<CircuitsTable>;
export type Team = Selectable<TeamsTable>;
export type Driver = Selectable<DriversTable>;
export type Race = Selectable<RacesTable>;
export type RaceSession = Selectable<RaceSessionsTable>;
export type RaceResult = Selectable<RaceResultsTable>;
export type SprintResult = Selectable<SprintResultsTable>;
export type QualifyingResult = Selectable<QualifyingResultsTable>;
export type LapTime = Selectable<LapTimesTable>;
export type PitStop = Selectable<PitStopsTable>;
export type Status = Selectable<StatusesTable>;
export type WeatherObservation = Selectable<WeatherDataTable>;
export type PredictionSet = Selectable<PredictionSetsTable>;
export type User = Selectable<UsersTable>;
export type ApiKey = Selectable<ApiKeysTable>;
export type DriverStanding = Selectable<DriverStandingsTable>;
export type ConstructorStanding = Selectable<ConstructorStandingsTable>;

/** The column a select-list reference names: `'d.code'` → `'code'`, `'code'` → `'code'`. */
export type Unqualified<Ref extends string> = Ref extends `${string}.${infer Column}`
  ? Column
  : Ref;
