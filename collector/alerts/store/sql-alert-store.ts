import { ALERT_SEVERITY_RANK, type AlertSeverity } from '../../../src/api/alerts';
import type {
  AlertStore,
  ChannelRow,
  DeliveryRow,
  IncidentFilter,
  IncidentRow,
  NewIncident,
  OutboxRow,
  RuleRow,
  RuleSettings,
  ScopeStateRow,
  SilenceRow,
} from './alert-store';
import {
  type ChannelDb,
  type DeliveryDb,
  type IncidentDb,
  type OutboxDb,
  type RuleDb,
  settingsJson,
  type SilenceDb,
  type StateDb,
  toChannel,
  toDelivery,
  toIncident,
  toOutbox,
  toRule,
  toSilence,
  toState,
} from './alert-rows';
import type { SqlRunner } from './sql-runner';

const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(', ');
/** Long lists go in chunks, below every engine's bound-parameter limit. */
function chunks<T>(items: readonly T[], size = 500): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** The AlertStore over portable SQL (SQLite and PostgreSQL runners). */
export class SqlAlertStore implements AlertStore {
  constructor(private readonly sql: SqlRunner) {}

  // ——— rules ———

  async createRule(pcode: string, s: RuleSettings, by: string, at: number): Promise<RuleRow> {
    const row = await this.sql.get<RuleDb>(
      `INSERT INTO alert_rule (pcode, name, kind, settings, enabled, created_at, created_by, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
      [pcode, s.name, s.kind, settingsJson(s), s.enabled ? 1 : 0, at, by, at],
    );
    return toRule(row!);
  }

  async getRule(pcode: string, id: number): Promise<RuleRow | null> {
    const row = await this.sql.get<RuleDb>('SELECT * FROM alert_rule WHERE pcode = ? AND id = ?', [pcode, id]);
    return row ? toRule(row) : null;
  }

  async listRules(pcode: string): Promise<RuleRow[]> {
    return (await this.sql.all<RuleDb>('SELECT * FROM alert_rule WHERE pcode = ? ORDER BY id', [pcode])).map(toRule);
  }

  async listEnabledRules(): Promise<RuleRow[]> {
    return (await this.sql.all<RuleDb>('SELECT * FROM alert_rule WHERE enabled = 1 ORDER BY pcode, id')).map(toRule);
  }

  async updateRule(pcode: string, id: number, s: RuleSettings, at: number): Promise<RuleRow | null> {
    const row = await this.sql.get<RuleDb>(
      // updated_at only grows (by 1 ms at least): the evaluator tells rule versions apart by it.
      `UPDATE alert_rule SET name = ?, kind = ?, settings = ?, enabled = ?,
         updated_at = CASE WHEN ? > updated_at THEN ? ELSE updated_at + 1 END
       WHERE pcode = ? AND id = ? RETURNING *`,
      [s.name, s.kind, settingsJson(s), s.enabled ? 1 : 0, at, at, pcode, id],
    );
    return row ? toRule(row) : null;
  }

  async deleteRule(pcode: string, id: number): Promise<boolean> {
    return this.sql.tx(async (sql) => {
      const n = await sql.run('DELETE FROM alert_rule WHERE pcode = ? AND id = ?', [pcode, id]);
      if (n === 0) return false;
      await sql.run('DELETE FROM alert_state WHERE rule_id = ?', [id]);
      await sql.run('DELETE FROM alert_silence WHERE pcode = ? AND rule_id = ?', [pcode, id]);
      return true;
    });
  }

  // ——— states ———

  async listStates(ruleIds: readonly number[]): Promise<ScopeStateRow[]> {
    const out: ScopeStateRow[] = [];
    for (const ids of chunks(ruleIds)) {
      const rows = await this.sql.all<StateDb>(`SELECT * FROM alert_state WHERE rule_id IN (${placeholders(ids.length)})`, ids);
      for (const r of rows) out.push(toState(r));
    }
    return out;
  }

  async saveStates(states: readonly ScopeStateRow[]): Promise<void> {
    if (states.length === 0) return;
    await this.sql.tx(async (sql) => {
      for (const part of chunks(states, 100)) {
        await sql.run(
          `INSERT INTO alert_state (rule_id, scope_key, state, since, value, evaluated_at, incident_id, next_notify_at, notified)
           VALUES ${part.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}
           ON CONFLICT (rule_id, scope_key) DO UPDATE SET state = excluded.state, since = excluded.since,
             value = excluded.value, evaluated_at = excluded.evaluated_at, incident_id = excluded.incident_id,
             next_notify_at = excluded.next_notify_at, notified = excluded.notified`,
          part.flatMap((s) => [
            s.ruleId,
            s.scopeKey,
            s.state,
            s.since,
            s.value,
            s.evaluatedAt,
            s.incidentId,
            s.nextNotifyAt,
            s.notified,
          ]),
        );
      }
    });
  }

  async deleteStates(keys: ReadonlyArray<{ ruleId: number; scopeKey: string }>): Promise<void> {
    if (keys.length === 0) return;
    await this.sql.tx(async (sql) => {
      for (const k of keys) await sql.run('DELETE FROM alert_state WHERE rule_id = ? AND scope_key = ?', [k.ruleId, k.scopeKey]);
    });
  }

  // ——— incidents ———

  async openIncident(i: NewIncident): Promise<IncidentRow | null> {
    return insertIncident(this.sql, i);
  }

  async openIncidents(incidents: readonly NewIncident[]): Promise<Array<IncidentRow | null>> {
    if (incidents.length === 0) return [];
    return this.sql.tx(async (sql) => {
      const out: Array<IncidentRow | null> = [];
      for (const i of incidents) out.push(await insertIncident(sql, i));
      return out;
    });
  }

  async updateIncidentValues(updates: ReadonlyArray<{ id: number; lastValue: number; below: boolean }>): Promise<void> {
    if (updates.length === 0) return;
    // A few statements for thousands of incidents, each finding its rows by primary key
    // (`id IN`) on both engines; the peak compares the new value per row.
    await this.sql.tx(async (sql) => {
      for (const below of [false, true]) {
        for (const part of chunks(
          updates.filter((u) => u.below === below),
          200,
        )) {
          const value = `CASE id ${part.map(() => 'WHEN ? THEN CAST(? AS DOUBLE PRECISION)').join(' ')} END`;
          const pairs = part.flatMap((u) => [u.id, u.lastValue]);
          await sql.run(
            `UPDATE alert_incident SET last_value = ${value},
               peak_value = CASE WHEN ${value} ${below ? '<' : '>'} peak_value THEN ${value} ELSE peak_value END
             WHERE id IN (${placeholders(part.length)})`,
            [...pairs, ...pairs, ...pairs, ...part.map((u) => u.id)],
          );
        }
      }
    });
  }

  async resolveIncidents(items: ReadonlyArray<{ id: number; at: number; lastValue: number | null }>): Promise<Set<number>> {
    const done = new Set<number>();
    if (items.length === 0) return done;
    await this.sql.tx(async (sql) => {
      for (const i of items) {
        const n = await sql.run(
          'UPDATE alert_incident SET open_key = NULL, resolved_at = ?, last_value = coalesce(?, last_value) WHERE id = ? AND open_key IS NOT NULL',
          [i.at, i.lastValue, i.id],
        );
        if (n > 0) done.add(i.id);
      }
    });
    return done;
  }

  async resolveIncident(id: number, at: number, lastValue: number | null): Promise<IncidentRow | null> {
    const row = await this.sql.get<IncidentDb>(
      `UPDATE alert_incident SET open_key = NULL, resolved_at = ?, last_value = coalesce(?, last_value)
       WHERE id = ? AND open_key IS NOT NULL RETURNING *`,
      [at, lastValue, id],
    );
    return row ? toIncident(row) : null;
  }

  async getIncident(pcode: string, id: number): Promise<IncidentRow | null> {
    const row = await this.sql.get<IncidentDb>('SELECT * FROM alert_incident WHERE pcode = ? AND id = ?', [pcode, id]);
    return row ? toIncident(row) : null;
  }

  async listIncidents(pcode: string, f: IncidentFilter): Promise<IncidentRow[]> {
    const where = ['pcode = ?'];
    const args: unknown[] = [pcode];
    if (f.state === 'open') where.push('open_key IS NOT NULL');
    if (f.state === 'resolved') where.push('open_key IS NULL');
    if (f.severity) {
      where.push('severity = ?');
      args.push(f.severity);
    }
    if (f.ruleId !== undefined) {
      where.push('rule_id = ?');
      args.push(f.ruleId);
    }
    const rows = await this.sql.all<IncidentDb>(
      `SELECT * FROM alert_incident WHERE ${where.join(' AND ')} ORDER BY started_at DESC, id DESC LIMIT ?`,
      [...args, f.limit],
    );
    return rows.map(toIncident);
  }

  async acknowledgeIncident(pcode: string, id: number, by: string, at: number): Promise<IncidentRow | null> {
    // The first acknowledgement stands.
    await this.sql.run(
      'UPDATE alert_incident SET acknowledged_by = ?, acknowledged_at = ? WHERE pcode = ? AND id = ? AND acknowledged_by IS NULL',
      [by, at, pcode, id],
    );
    return this.getIncident(pcode, id);
  }

  async openIncidentSummary(pcodes: readonly string[]) {
    const out: Array<{ pcode: string; open: number; worst: AlertSeverity }> = [];
    for (const part of chunks(pcodes)) {
      const rows = await this.sql.all<{
        pcode: string;
        severity: AlertSeverity;
        n: number;
      }>(
        `SELECT pcode, severity, count(*) AS n FROM alert_incident
         WHERE open_key IS NOT NULL AND pcode IN (${placeholders(part.length)}) GROUP BY pcode, severity`,
        part,
      );
      const by = new Map<string, { pcode: string; open: number; worst: AlertSeverity }>();
      for (const r of rows) {
        const e = by.get(r.pcode) ?? {
          pcode: r.pcode,
          open: 0,
          worst: r.severity,
        };
        e.open += Number(r.n);
        if (ALERT_SEVERITY_RANK[r.severity] > ALERT_SEVERITY_RANK[e.worst]) e.worst = r.severity;
        by.set(r.pcode, e);
      }
      out.push(...by.values());
    }
    return out;
  }

  // ——— channels ———

  async createChannel(c: Omit<ChannelRow, 'id'>): Promise<ChannelRow> {
    const row = await this.sql.get<ChannelDb>(
      `INSERT INTO alert_channel (pcode, name, kind, enabled, config, created_at, created_by)
       VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING *`,
      [c.pcode, c.name, c.kind, c.enabled ? 1 : 0, JSON.stringify(c.config), c.createdAt, c.createdBy],
    );
    return toChannel(row!);
  }

  async getChannel(pcode: string, id: number): Promise<ChannelRow | null> {
    const row = await this.sql.get<ChannelDb>('SELECT * FROM alert_channel WHERE pcode = ? AND id = ?', [pcode, id]);
    return row ? toChannel(row) : null;
  }

  async listChannels(pcode: string): Promise<ChannelRow[]> {
    return (await this.sql.all<ChannelDb>('SELECT * FROM alert_channel WHERE pcode = ? ORDER BY id', [pcode])).map(toChannel);
  }

  async updateChannel(pcode: string, id: number, p: Pick<ChannelRow, 'name' | 'enabled' | 'config'>): Promise<ChannelRow | null> {
    const row = await this.sql.get<ChannelDb>(
      'UPDATE alert_channel SET name = ?, enabled = ?, config = ? WHERE pcode = ? AND id = ? RETURNING *',
      [p.name, p.enabled ? 1 : 0, JSON.stringify(p.config), pcode, id],
    );
    return row ? toChannel(row) : null;
  }

  async deleteChannel(pcode: string, id: number): Promise<boolean> {
    return this.sql.tx(async (sql) => {
      const n = await sql.run('DELETE FROM alert_channel WHERE pcode = ? AND id = ?', [pcode, id]);
      if (n > 0) await sql.run('UPDATE alert_outbox SET done = 1 WHERE channel_id = ? AND done = 0', [id]);
      return n > 0;
    });
  }

  // ——— notifications ———

  async enqueue(items: ReadonlyArray<Omit<OutboxRow, 'id' | 'attempts'>>): Promise<number> {
    let n = 0;
    for (const i of items)
      n += await this.sql.run(
        `INSERT INTO alert_outbox (pcode, incident_id, channel_id, event, seq, attempts, next_attempt_at, done)
         VALUES (?, ?, ?, ?, ?, 0, ?, 0) ON CONFLICT (incident_id, channel_id, event, seq) DO NOTHING`,
        [i.pcode, i.incidentId, i.channelId, i.event, i.seq, i.nextAttemptAt],
      );
    return n;
  }

  async claimDue(holder: string, now: number, until: number, limit: number): Promise<OutboxRow[]> {
    // The outer conditions are checked again on the row PostgreSQL locks, so two collectors
    // selecting the same rows cannot both claim one.
    const rows = await this.sql.all<OutboxDb>(
      `UPDATE alert_outbox SET claimed_by = ?, claimed_until = ?
       WHERE id IN (SELECT id FROM alert_outbox WHERE done = 0 AND next_attempt_at <= ?
                      AND (claimed_until IS NULL OR claimed_until < ?) ORDER BY next_attempt_at LIMIT ?)
         AND done = 0 AND (claimed_until IS NULL OR claimed_until < ?)
       RETURNING *`,
      [holder, until, now, now, limit, now],
    );
    return rows.map(toOutbox).sort((a, b) => a.id - b.id);
  }

  async finishAttempt(id: number, done: boolean, nextAttemptAt: number): Promise<void> {
    await this.sql.run(
      'UPDATE alert_outbox SET attempts = attempts + 1, done = ?, next_attempt_at = ?, claimed_by = NULL, claimed_until = NULL WHERE id = ?',
      [done ? 1 : 0, nextAttemptAt, id],
    );
  }

  async recordDelivery(d: Omit<DeliveryRow, 'id'>): Promise<DeliveryRow> {
    const row = await this.sql.get<DeliveryDb>(
      `INSERT INTO alert_delivery (pcode, channel_id, incident_id, event, status, attempt, status_code, latency_ms, error, at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
      [d.pcode, d.channelId, d.incidentId, d.event, d.status, d.attempt, d.statusCode, d.latencyMs, d.error, d.at],
    );
    return toDelivery(row!);
  }

  async listDeliveries(pcode: string, where: { channelId?: number; incidentId?: number }, limit: number): Promise<DeliveryRow[]> {
    const conds = ['pcode = ?'];
    const args: unknown[] = [pcode];
    if (where.channelId !== undefined) {
      conds.push('channel_id = ?');
      args.push(where.channelId);
    }
    if (where.incidentId !== undefined) {
      conds.push('incident_id = ?');
      args.push(where.incidentId);
    }
    const rows = await this.sql.all<DeliveryDb>(
      `SELECT * FROM alert_delivery WHERE ${conds.join(' AND ')} ORDER BY id DESC LIMIT ?`,
      [...args, limit],
    );
    return rows.map(toDelivery);
  }

  // ——— silences ———

  async createSilence(s: Omit<SilenceRow, 'id'>): Promise<SilenceRow> {
    const row = await this.sql.get<SilenceDb>(
      `INSERT INTO alert_silence (pcode, rule_id, until, reason, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING *`,
      [s.pcode, s.ruleId, s.until, s.reason, s.createdBy, s.createdAt],
    );
    return toSilence(row!);
  }

  async listSilences(pcode: string, since: number): Promise<SilenceRow[]> {
    const rows = await this.sql.all<SilenceDb>(
      'SELECT * FROM alert_silence WHERE pcode = ? AND until >= ? ORDER BY created_at DESC, id DESC',
      [pcode, since],
    );
    return rows.map(toSilence);
  }

  async deleteSilence(pcode: string, id: number): Promise<SilenceRow | null> {
    const row = await this.sql.get<SilenceDb>('DELETE FROM alert_silence WHERE pcode = ? AND id = ? RETURNING *', [pcode, id]);
    return row ? toSilence(row) : null;
  }

  async activeSilences(now: number): Promise<SilenceRow[]> {
    return (await this.sql.all<SilenceDb>('SELECT * FROM alert_silence WHERE until > ?', [now])).map(toSilence);
  }

  async deleteProject(pcode: string): Promise<void> {
    await this.sql.tx(async (sql) => {
      await sql.run('DELETE FROM alert_state WHERE rule_id IN (SELECT id FROM alert_rule WHERE pcode = ?)', [pcode]);
      for (const table of ['alert_rule', 'alert_incident', 'alert_channel', 'alert_outbox', 'alert_delivery', 'alert_silence'])
        await sql.run(`DELETE FROM ${table} WHERE pcode = ?`, [pcode]);
    });
  }

  // ——— lease ———

  async acquireLease(name: string, holder: string, now: number, until: number): Promise<boolean> {
    const row = await this.sql.get<{ holder: string }>(
      `INSERT INTO alert_lease (name, holder, expires_at) VALUES (?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
       WHERE alert_lease.holder = excluded.holder OR alert_lease.expires_at < ?
       RETURNING holder`,
      [name, holder, until, now],
    );
    return row?.holder === holder;
  }

  async releaseLease(name: string, holder: string): Promise<void> {
    await this.sql.run('DELETE FROM alert_lease WHERE name = ? AND holder = ?', [name, holder]);
  }

  async recordCycle(at: number): Promise<void> {
    await this.sql.run(
      'INSERT INTO alert_cycle (id, evaluated_at) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET evaluated_at = excluded.evaluated_at',
      [at],
    );
  }

  async lastCycle(): Promise<number | null> {
    return (
      (await this.sql.get<{ evaluated_at: number }>('SELECT evaluated_at FROM alert_cycle WHERE id = 1'))?.evaluated_at ?? null
    );
  }

  close(): Promise<void> {
    return this.sql.close();
  }
}

/** One INSERT of an incident; none when one is open for the rule and scope already. */
async function insertIncident(sql: SqlRunner, i: NewIncident): Promise<IncidentRow | null> {
  const row = await sql.get<IncidentDb>(
    `INSERT INTO alert_incident (pcode, rule_id, rule_name, kind, severity, scope_key, scope_label, open_key, started_at,
         peak_value, last_value, threshold, unit, rule_snapshot)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (open_key) DO NOTHING RETURNING *`,
    [
      i.pcode,
      i.ruleId,
      i.ruleName,
      i.kind,
      i.severity,
      i.scopeKey,
      i.scopeLabel,
      `${i.ruleId}|${i.scopeKey}`,
      i.startedAt,
      i.peakValue,
      i.lastValue,
      i.threshold,
      i.unit,
      JSON.stringify(i.rule),
    ],
  );
  return row ? toIncident(row) : null;
}
