// Offline experiments end to end: a file in the Hillstrom layout is imported with the preset, and the report's arm
// sizes and rates equal those computed here straight from the file; bad lines are named and the rest is kept.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { backend } from '../helpers/db.ts';
import { serve, type Served } from '../http/server.ts';
import { seededRandom } from '../../src/models/simulate.ts';
import { runExperimentImport } from '../../src/measure/command.ts';
import { newcombe } from '../../src/measure/index.ts';

const HEADER = 'recency,history_segment,history,mens,womens,zip_code,newbie,channel,segment,visit,conversion,spend';
const ARMS = ['Mens E-Mail', 'Womens E-Mail', 'No E-Mail'];

/** A file laid out as Hillstrom's: 3,000 customers, e-mail arms visiting and buying more than control. */
function hillstromLike(): string {
  const random = seededRandom(2008);
  const lines = [HEADER];
  for (let i = 0; i < 3000; i++) {
    const arm = ARMS[Math.floor(random() * 3)]!;
    const lift = arm === 'No E-Mail' ? 1 : arm === 'Mens E-Mail' ? 1.7 : 1.4;
    const visit = random() < 0.11 * lift ? 1 : 0;
    const conversion = visit && random() < 0.08 * lift ? 1 : 0;
    const spend = conversion ? (20 + random() * 400).toFixed(2) : '0';
    lines.push(
      `${1 + Math.floor(random() * 12)},2) $100 - $200,142.44,1,0,Surburban,0,Web,${arm},${visit},${conversion},${spend}`,
    );
  }
  return lines.join('\n') + '\n';
}

/** Per arm, straight from the file: customers, visits, conversions and spend. */
function countsOf(csv: string) {
  const counts = new Map<string, { n: number; visit: number; conversion: number; spend: number }>();
  for (const line of csv.trim().split('\n').slice(1)) {
    const f = line.split(',');
    if (f.length !== 12 || !/^[01]$/.test(f[9]!) || !/^[01]$/.test(f[10]!) || !Number.isFinite(Number(f[11]))) continue;
    const c = counts.get(f[8]!) ?? { n: 0, visit: 0, conversion: 0, spend: 0 };
    c.n++;
    c.visit += Number(f[9]);
    c.conversion += Number(f[10]);
    c.spend += Number(f[11]);
    counts.set(f[8]!, c);
  }
  return counts;
}

describe(`offline experiments (${backend})`, () => {
  let s: Served;
  const dir = mkdtempSync(join(tmpdir(), 'retain-experiment-'));
  const out: string[] = [];
  const io = {
    stdout: { write: (x: string) => out.push(x) },
    stderr: { write: () => true },
    now: new Date('2026-12-01T00:00:00Z'),
  };
  const file = join(dir, 'hillstrom.csv');

  before(async () => {
    s = await serve();
    const good = hillstromLike();
    const bad = [
      '3,1) $0 - $100,40.1,1,0,Urban,1,Web,Mens E-Mail,1,2,0',
      '5,1) $0 - $100,40.1,1,0,Urban,1,Web,Womens E-Mail,0,0,lots',
      '5,1) $0 - $100,40.1,1,0,Urban,1,Web,,0,0,0',
    ];
    writeFileSync(file, good + bad.join('\n') + '\n');
  });
  after(async () => s.close());

  it('imports with the preset: every good line counted, each bad one named by its line and column', async () => {
    assert.equal(await runExperimentImport(s.t.db, [file, '--preset', 'hillstrom'], io), 0);
    const text = out.join('');
    assert.match(text, /Experiment "hillstrom": 3000 customers in 3 arms; 3 lines rejected/);
    assert.match(text, /line 3002, conversion: "2" is not 0 or 1/);
    assert.match(text, /line 3003, spend: "lots" is not a number/);
    assert.match(text, /line 3004, segment: no arm/);
  });

  it('the report equals per-arm sizes and rates computed from the file', async () => {
    const counts = countsOf(readFileSync(file, 'utf8'));
    const res = await s.call('GET', '/api/v1/experiments/hillstrom/report', { key: s.adminKey });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const report = res.body;
    assert.deepEqual(
      report.arms.map((a: { arm: string }) => a.arm),
      ['No E-Mail', 'Mens E-Mail', 'Womens E-Mail'],
    );
    const control = counts.get('No E-Mail')!;
    for (const arm of report.arms) {
      const c = counts.get(arm.arm)!;
      assert.equal(arm.n, c.n, arm.arm);
      assert.ok(Math.abs(arm.metrics.visit.value - c.visit / c.n) < 1e-12, arm.arm);
      assert.ok(Math.abs(arm.metrics.conversion.value - c.conversion / c.n) < 1e-12, arm.arm);
      assert.ok(Math.abs(arm.metrics.spend.value - c.spend / c.n) < 1e-9, arm.arm);
      if (arm.control) {
        assert.equal(arm.metrics.visit.vsControl, null);
        continue;
      }
      const vs = arm.metrics.visit.vsControl;
      assert.ok(Math.abs(vs.difference - (c.visit / c.n - control.visit / control.n)) < 1e-12);
      const expected = newcombe(c.visit, c.n, control.visit, control.n);
      assert.ok(Math.abs(vs.interval.low - expected.low) < 1e-12 && Math.abs(vs.interval.high - expected.high) < 1e-12);
      assert.ok(
        vs.alwaysValid.interval.low <= vs.interval.low && vs.alwaysValid.interval.high >= vs.interval.high,
        'the always-valid interval is the wider',
      );
      assert.ok(['earns', 'hurts', 'no_measurable_effect', 'not_enough_data'].includes(vs.verdict.kind));
    }
    // The e-mailed arms were made to visit 1.4–1.7 times as often: on 1,000 customers per arm that is found.
    assert.equal(report.arms[1].metrics.visit.vsControl.verdict.kind, 'earns');
  });

  it('lists the experiment; importing again replaces it rather than adding to it', async () => {
    assert.equal(await runExperimentImport(s.t.db, [file, '--preset', 'hillstrom'], io), 0);
    const list = await s.call('GET', '/api/v1/experiments', { key: s.adminKey });
    assert.deepEqual(
      list.body.experiments.map((e: { id: string; kind: string; rejected?: number }) => [e.id, e.kind, e.rejected]),
      [
        ['control-group', 'control_group', undefined],
        ['hillstrom', 'offline', 3],
      ],
    );
    const report = (await s.call('GET', '/api/v1/experiments/hillstrom/report', { key: s.adminKey })).body;
    assert.equal(
      report.arms.reduce((n: number, a: { n: number }) => n + a.n, 0),
      3000,
    );
  });

  it('maps any file by its columns, and refuses what cannot be an experiment, saying what to change', async () => {
    const own = join(dir, 'spring.csv');
    writeFileSync(own, 'id,group,bought,revenue\na,control,0,0\nb,test,1,30.5\nc,test,0,0\nc,control,1,12\n');
    assert.equal(
      await runExperimentImport(
        s.t.db,
        [
          own,
          '--arm',
          'group',
          '--control',
          'control',
          '--customer',
          'id',
          '--metric',
          'conversion=bought',
          '--metric',
          'revenue=revenue:mean',
        ],
        io,
      ),
      0,
    );
    assert.match(out.join(''), /customer "c" is already in the experiment/);
    const report = (await s.call('GET', '/api/v1/experiments/spring/report', { key: s.adminKey })).body;
    assert.deepEqual(
      report.arms.map((a: { arm: string; n: number }) => [a.arm, a.n]),
      [
        ['control', 1],
        ['test', 2],
      ],
    );
    assert.equal(report.arms[1].metrics.conversion.vsControl.verdict.kind, 'not_enough_data');

    await assert.rejects(
      runExperimentImport(s.t.db, [own, '--arm', 'group', '--control', 'holdout', '--metric', 'conversion=bought'], io),
      /control: no line has the control arm "holdout".*"control", "test"/,
    );
    await assert.rejects(
      runExperimentImport(
        s.t.db,
        [own, '--arm', 'cohort', '--control', 'control', '--metric', 'conversion=bought'],
        io,
      ),
      /no column "cohort"/,
    );
    await assert.rejects(
      runExperimentImport(s.t.db, [own, '--arm', 'group', '--control', 'control'], io),
      /--metric: name at least one outcome/,
    );
    await assert.rejects(
      runExperimentImport(
        s.t.db,
        [own, '--id', 'Spring Sale!', '--arm', 'group', '--control', 'control', '--metric', 'c=bought'],
        io,
      ),
      /id: "Spring Sale!" must be lower-case/,
    );
  });

  it('answers 404 for an unknown experiment and 401/403 without the admin key', async () => {
    const missing = await s.call('GET', '/api/v1/experiments/nope/report', { key: s.adminKey });
    assert.equal(missing.status, 404);
    assert.match(missing.body.message, /No experiment "nope"/);
    const notSplit = await s.call('POST', '/api/v1/experiments/hillstrom/winner', {
      key: s.adminKey,
      body: { arm: 'Mens E-Mail' },
    });
    assert.equal(notSplit.status, 400);
    assert.match(notSplit.body.message, /^id: "hillstrom" is not an A\/B split/);
    const noJourney = await s.call('POST', '/api/v1/experiments/journey:nope:split:ab/winner', {
      key: s.adminKey,
      body: { arm: 'a' },
    });
    assert.equal(noJourney.status, 404);
    assert.equal((await s.call('GET', '/api/v1/experiments')).status, 401);
    assert.equal((await s.call('GET', '/api/v1/experiments', { key: s.writeKey })).status, 403);
  });
});
