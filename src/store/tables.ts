// The database tables as Kysely sees them. Columns are portable between SQLite and PostgreSQL: text for times
// (ISO 8601, so they sort), integer 0/1 for flags, JSON-encoded text for short lists.
export interface EntitiesTable {
  id: string;
  schema: string;
  created_at: string;
  updated_at: string;
}

/**
 * Statements refer to their markings and their provenance: the statements of one source record share both, so
 * each is stored once. Narrow rows keep bulk imports fast.
 */
export interface StatementsTable {
  entity_id: string;
  id: string;
  property: string;
  value: string;
  original_value: string | null;
  provenance_id: string;
  markings_id: string;
  retracted_at: string | null;
}

/** One distinct provenance (with the time it was recorded), keyed by a hash of its content. */
export interface ProvenanceTable {
  id: string;
  origin_node: string;
  source_record: string;
  collected_at: string;
  recorded_by: string;
  recorded_at: string;
}

/** One distinct set of markings, keyed by a hash of its content. */
export interface MarkingsTable {
  id: string;
  tlp: string;
  source_grade: string;
  info_grade: string;
  handling_code: string;
  releasable_countries: string;
  releasable_agencies: string;
  use_restrictions: string;
  legal_basis: string;
  criminal_intelligence: number;
  reasonable_suspicion: string | null;
  review_by: string;
  grading_origin: string | null;
}

export interface UsersTable {
  id: string;
  username: string;
  display_name: string;
  password_hash: string;
  roles: string;
  cfr28_trained: number;
  clearance: string;
  totp_secret: string | null;
  totp_last_step: number | null;
  disabled: number;
  created_at: string;
  updated_at: string;
}

export interface SignInAttemptsTable {
  id: string;
  username: string;
  at: string;
  succeeded: number;
}

export interface SessionsTable {
  id_hash: string;
  user_id: string;
  created_at: string;
  last_seen_at: string;
  ended_at: string | null;
}

export interface ApiTokensTable {
  id: string;
  user_id: string;
  name: string;
  token_hash: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

/** Small facts about the node's store, by key (e.g. the generation of bulk writes). */
export interface NodeStateTable {
  key: string;
  value: string;
}

export interface HitReferencesTable {
  reference: string;
  entity_id: string;
  requester_node: string;
  created_at: string;
}

export interface IncomingRequestsTable {
  id: string;
  requester_node: string;
  requester_request_id: string;
  reference: string;
  entity_id: string;
  /** JSON of the requesting user's assertion. */
  requester_user: string;
  justification: string;
  purpose: string;
  case_reference: string;
  urgency: string;
  status: string;
  due_at: string;
  escalated_at: string | null;
  decided_by: string | null;
  decided_at: string | null;
  decision_reason: string | null;
  /** JSON list of redacted properties. */
  redacted: string | null;
  created_at: string;
}

export interface OutgoingRequestsTable {
  id: string;
  owner_node: string;
  reference: string;
  requested_by: string;
  justification: string;
  purpose: string;
  case_reference: string;
  urgency: string;
  status: string;
  decision_reason: string | null;
  created_at: string;
  updated_at: string;
}

export interface ReceivedReleasesTable {
  id: string;
  owner_node: string;
  request_id: string;
  /** The release as its owner signed it (compact JWS). */
  signed_release: string;
  /** JSON of the released entity, as verified. */
  content: string;
  received_at: string;
  /** JSON list of statement ids their owner retracted since; their values are gone from `content`. */
  withdrawn: string | null;
}

export interface SentReleasesTable {
  release_id: string;
  recipient: string;
  entity_id: string;
  /** JSON list of the statement ids released. */
  statement_ids: string;
  created_at: string;
}

export interface OutboxTable {
  id: string;
  destination: string;
  path: string;
  body: string;
  attempts: number;
  next_attempt_at: string;
  delivered_at: string | null;
  last_error: string | null;
  created_at: string;
}

export interface SubscriptionsTable {
  id: string;
  /** JSON: { schema, properties }. */
  query: string;
  legal_basis: string;
  purpose: string;
  case_reference: string;
  expires_at: string;
  created_by: string;
  created_at: string;
}

export interface SubscriptionNoticesTable {
  subscription_id: string;
  owner_node: string;
  reference: string;
  band: string;
  /** JSON of the owner's point of contact. */
  point_of_contact: string;
  received_at: string;
}

export interface WatchesTable {
  subscriber_node: string;
  subscription_id: string;
  query: string;
  requester_user: string;
  legal_basis: string;
  purpose: string;
  case_reference: string;
  expires_at: string;
  created_at: string;
}

export interface WatchNoticesTable {
  subscriber_node: string;
  subscription_id: string;
  entity_id: string;
  created_at: string;
}

export interface AuditLogTable {
  /** Position in the log, from 0: the Merkle leaf index. */
  seq: number;
  at: string;
  kind: string;
  /** Who acted: "user:<id>", "node:<id>" or "system". */
  actor: string;
  /** JSON of the event's details. */
  details: string;
  /** Hex SHA-256 leaf hash of the entry's canonical JSON. */
  leaf_hash: string;
}

export interface AuditHeadsTable {
  size: number;
  root_hash: string;
  /** The tree head as this node signed it (compact JWS). */
  signed_head: string;
  at: string;
}

export interface WitnessedHeadsTable {
  node: string;
  size: number;
  root_hash: string;
  signed_head: string;
  received_at: string;
}

export interface WitnessAlarmsTable {
  id: string;
  node: string;
  problem: string;
  /** JSON: the signed heads that do not fit together. */
  evidence: string;
  raised_at: string;
}

/** A target an agency investigates: a person, organisation, phone, vehicle, account, wallet or address. */
export interface DeconflictionTargetsTable {
  id: string;
  kind: string;
  /** JSON: the subject's values by property, as matched. */
  subject: string;
  case_reference: string;
  /** JSON PointOfContact: who a partner should call. */
  contact: string;
  registered_by: string;
  created_at: string;
  closed_at: string | null;
}

/** An operation with its place (JSON area: a circle or a polygon) and time window. */
export interface DeconflictionOperationsTable {
  id: string;
  operation_type: string;
  area: string;
  starts_at: string;
  ends_at: string;
  risk: string;
  case_reference: string;
  contact: string;
  registered_by: string;
  created_at: string;
  closed_at: string | null;
}

/** A confidential human source, known to its home node only: who the source is and where they are often found. */
export interface ProtectedSourcesTable {
  id: string;
  /** JSON: a person subject, as for a target. */
  subject: string;
  /** JSON area or null. */
  area: string | null;
  handler_user_id: string;
  registered_by: string;
  created_at: string;
  closed_at: string | null;
}

/**
 * A deconfliction notice on this node's desk (audience "desk") or, for a protected source, its handler's alone
 * (audience "handler"). Notices from partners are kept once per (counterpart node, remote id).
 */
export interface DeconflictionNoticesTable {
  id: string;
  audience: string;
  handler_user_id: string | null;
  /** target, operation or search: what of this node's is in conflict (a search touches a target or source). */
  item_kind: string;
  item_id: string | null;
  counterpart_node: string;
  counterpart_contact: string;
  remote_id: string | null;
  created_at: string;
  acknowledged_by: string | null;
  acknowledged_at: string | null;
  outcome: string | null;
  outcome_note: string | null;
  decided_by: string | null;
  decided_at: string | null;
}

/** A shipment under seal monitoring: its declared plan (JSON ShipmentPlan) and who registered it. */
export interface SealShipmentsTable {
  shipment_id: string;
  plan: string;
  registered_by: string;
  created_at: string;
}

/** A GPS fix of a monitored shipment, once per (shipment, time). */
export interface GpsFixesTable {
  shipment_id: string;
  time: string;
  lat: number;
  lon: number;
  speed: number | null;
  received_at: string;
}

/** An electronic-seal read of a monitored shipment, once per (shipment, time, seal, state). */
export interface SealEventsTable {
  shipment_id: string;
  time: string;
  manufacturer: string;
  serial: string;
  state: string;
  battery: number | null;
  lat: number | null;
  lon: number | null;
  received_at: string;
}

/** A seal-monitoring alert; its id is derived from its facts, so the same alert is kept once. */
export interface SealAlertsTable {
  id: string;
  shipment_id: string;
  kind: string;
  time: string;
  detail: string;
  lat: number | null;
  lon: number | null;
  raised_at: string;
}

/** A lookout this node registered for its ports; withdrawing it keeps the row and gives it a new version. */
export interface BorderLookoutsTable {
  id: string;
  /** Rises with every registration and withdrawal: partners ask for what changed since the version they hold. */
  version: number;
  /** JSON LookoutSubject. */
  subject: string;
  reason: string;
  severity: string;
  case_reference: string;
  expires_at: string;
  /** JSON Markings. */
  markings: string;
  /** JSON PointOfContact. */
  contact: string;
  registered_by: string;
  created_at: string;
  withdrawn_by: string | null;
  withdrawn_at: string | null;
}

/** A partner's lookout as its owner shared it: what matching needs, the severity, the expiry and whom to call. */
export interface BorderPartnerLookoutsTable {
  owner: string;
  lookout_id: string;
  subject: string;
  severity: string;
  tlp: string;
  contact: string;
  expires_at: string;
  received_at: string;
}

/** How far this node has read each partner's lookouts. */
export interface BorderPartnerCursorsTable {
  partner: string;
  version: number;
  synced_at: string;
}

/** A false match proposed by an officer, confirmed by a supervisor, or removed (overridden or rejected). */
export interface BorderSuppressionsTable {
  id: string;
  lookout_id: string;
  /** The partner owning the lookout; "" for this node's own. */
  owner: string;
  identity_key: string;
  status: string;
  reason: string;
  referral_id: string | null;
  proposed_by: string;
  proposed_at: string;
  confirmed_by: string | null;
  confirmed_at: string | null;
  removed_by: string | null;
  removed_at: string | null;
}

/** A crossing referred to secondary inspection: the crossing and its decision as JSON, and what inspection found. */
export interface BorderReferralsTable {
  id: string;
  crossing_id: string;
  port: string;
  screened_at: string;
  screened_by: string;
  crossing: string;
  decision: string;
  outcome: string | null;
  outcome_note: string | null;
  outcome_by: string | null;
  outcome_at: string | null;
}

/**
 * A burst of linked crossings at one port (coordinated arrivals), as last updated: its crossings, the ones referred
 * and what links them (JSON arrays). One row per burst, rewritten as it grows.
 */
export interface BorderAlertsTable {
  id: string;
  port: string;
  first_seen: string;
  last_seen: string;
  size: number;
  crossing_ids: string;
  referred: string;
  links: string;
  raised_at: string;
  updated_at: string;
}

export interface Tables {
  entities: EntitiesTable;
  statements: StatementsTable;
  provenance: ProvenanceTable;
  deconfliction_targets: DeconflictionTargetsTable;
  deconfliction_operations: DeconflictionOperationsTable;
  protected_sources: ProtectedSourcesTable;
  deconfliction_notices: DeconflictionNoticesTable;
  markings: MarkingsTable;
  users: UsersTable;
  sign_in_attempts: SignInAttemptsTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  node_state: NodeStateTable;
  hit_references: HitReferencesTable;
  incoming_requests: IncomingRequestsTable;
  outgoing_requests: OutgoingRequestsTable;
  received_releases: ReceivedReleasesTable;
  outbox: OutboxTable;
  sent_releases: SentReleasesTable;
  subscriptions: SubscriptionsTable;
  subscription_notices: SubscriptionNoticesTable;
  watches: WatchesTable;
  watch_notices: WatchNoticesTable;
  audit_log: AuditLogTable;
  audit_heads: AuditHeadsTable;
  witnessed_heads: WitnessedHeadsTable;
  witness_alarms: WitnessAlarmsTable;
  border_lookouts: BorderLookoutsTable;
  border_partner_lookouts: BorderPartnerLookoutsTable;
  border_partner_cursors: BorderPartnerCursorsTable;
  border_suppressions: BorderSuppressionsTable;
  border_referrals: BorderReferralsTable;
  seal_shipments: SealShipmentsTable;
  gps_fixes: GpsFixesTable;
  seal_events: SealEventsTable;
  seal_alerts: SealAlertsTable;
  border_alerts: BorderAlertsTable;
}
