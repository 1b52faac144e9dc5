import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ensureServiceCatalogue } from '../agenda/use-cases/catalogue.ts';
import { startTestPlatform, type TestPlatform } from '../app/testing/test-platform.ts';
import { measuredByService } from './use-cases/measured.ts';

/**
 * The report's pages with real PostgreSQL: tables and charts, the §4 decision table with filters,
 * and beside it the figures of a Region of its own (so the demo data never mixes in): 12 people at
 * "orientamento" (4 by video, 12 answers), 3 at "bilancio_competenze" (suppressed).
 */
describe('baseline: the 2021 report as living data', () => {
  let p: TestPlatform;
  const REGION = '97';
  let managerId = '';
  const now = new Date();
  const daysAgo = (n: number) => new Date(now.getTime() - n * 86_400_000);

  before(async () => {
    p = await startTestPlatform();
    const q = (text: string, values: unknown[] = []) => p.pool.query(text, values);
    await q(
      "insert into regions (region_code, name) values ($1, 'Regione di prova rapporto') on conflict do nothing",
      [REGION],
    );
    await q(
      `insert into municipalities (istat_code, region_code, name, province, belfiore)
       values ('979001', $1, 'Comune rapporto', 'PR', 'Z999') on conflict do nothing`,
      [REGION],
    );
    await ensureServiceCatalogue(p.db, REGION);
    const office = (
      await q(
        `insert into offices (region_code, name, address, municipality_code, hours, email, phone)
         values ($1, 'CPI rapporto', 'Via 1', '979001', '9-13', 'cpi@rapporto.example', '+39 000') returning id`,
        [REGION],
      )
    ).rows[0].id as string;
    const user = async (role: string, name: string, officeId: string | null) =>
      (
        await q(
          `insert into users (region_code, role, given_name, family_name, office_id)
           values ($1, $2, 'Prova', $3, $4) returning id`,
          [REGION, role, name, officeId],
        )
      ).rows[0].id as string;
    const operator = await user('cpi_operator', 'Operatore', office);
    managerId = await user('regional_manager', 'Dirigente', null);
    const slot = async (service: string, start: Date) =>
      (
        await q(
          `insert into agenda_slots (region_code, operator_id, office_id, starts_at, ends_at, mode, services, capacity)
           values ($1, $2, $3, $4, $5, 'both', array[$6], 50) returning id`,
          [REGION, operator, office, start, new Date(start.getTime() + 3_600_000), service],
        )
      ).rows[0].id as string;
    const orientation = await slot('orientamento', daysAgo(30));
    const balance = await slot('bilancio_competenze', daysAgo(20));
    // Outside the 12 months: never counted.
    const old = await slot('orientamento', daysAgo(400));
    for (let i = 0; i < 12; i++) {
      const citizen = await user('citizen', `Persona ${i}`, null);
      const appt = (
        await q(
          `insert into appointments (region_code, slot_id, seat, citizen_id, service_code, channel, status, booked_by)
           values ($1, $2, $3, $4, 'orientamento', $5, 'attended', $4) returning id`,
          [REGION, orientation, i + 1, citizen, i < 4 ? 'video' : 'in_person'],
        )
      ).rows[0].id as string;
      await q(
        `insert into appointments (region_code, slot_id, seat, citizen_id, service_code, channel, status, booked_by)
         values ($1, $2, $3, $4, 'orientamento', 'in_person', 'no_show', $4)`,
        [REGION, old, i + 1, citizen],
      );
      const inv = (
        await q(
          `insert into satisfaction_invitations (region_code, service_kind, service_id, respondent_id, respondent_side,
             office_id, delivered_at, invited_at, expires_at, token_hash, channel, answered_at)
           values ($1, 'appointment', $2, $3, 'person', $4, $5, $5, $6,
             encode(sha256(convert_to($7, 'utf8')), 'hex'), 'email', $5) returning id`,
          [REGION, appt, citizen, office, daysAgo(29), daysAgo(1), `rapporto-${citizen}`],
        )
      ).rows[0].id as string;
      await q(
        `insert into satisfaction_answers (region_code, invitation_id, score, via, answered_at)
         values ($1, $2, $3, 'link', $4)`,
        [REGION, inv, i < 6 ? 5 : 4, daysAgo(29)],
      );
      if (i < 3)
        await q(
          `insert into appointments (region_code, slot_id, seat, citizen_id, service_code, channel, status, booked_by)
           values ($1, $2, $3, $4, 'bilancio_competenze', 'video', 'attended', $4)`,
          [REGION, balance, i + 1, citizen],
        );
    }
  });

  after(async () => {
    await p.stop();
  });

  test('the measured figures follow the indicator definitions and suppress cells under 10', async () => {
    const m = await measuredByService(p.db, REGION, now);
    const o = m.get('orientamento');
    assert.deepEqual(o?.remoteShare, { value: 33.3, suppressed: false, subjects: 12 });
    assert.deepEqual(o?.noShowRate, { value: 0, suppressed: false, subjects: 12 });
    assert.deepEqual(o?.satisfaction, { value: 4.5, suppressed: false, subjects: 12 });
    assert.equal(m.get('bilancio_competenze')?.remoteShare.suppressed, true);
    assert.equal(m.get('bilancio_competenze')?.remoteShare.value, null);
    // Region-scoped: a Region without appointments sees nothing of these.
    assert.equal((await measuredByService(p.db, '96', now)).size, 0);
  });

  test('the index and every table page render with their figures, a chart and its data table', async () => {
    const visitor = p.anonymous();
    const index = await p.get(visitor, '/rapporto');
    assert.equal(index.statusCode, 200);
    assert.match(index.body, /href="\/rapporto\/tavole\/efficienza-cpi"/);
    assert.match(index.body, /href="\/rapporto\/decisioni"/);
    for (const s of [
      'infrastrutture',
      'efficienza-cpi',
      'efficienza-privati',
      'efficacia',
      'target-fragili',
    ]) {
      const r = await p.get(visitor, `/rapporto/tavole/${s}`);
      assert.equal(r.statusCode, 200, s);
      assert.match(r.body, /<svg role="img" aria-labelledby="chart-[a-z-]+-title chart-[a-z-]+-desc"/, s);
      assert.match(r.body, /<title id="chart-/, s);
      assert.match(r.body, /<th scope="row">/, s);
    }
    const cpi = await p.get(visitor, '/rapporto/tavole/efficienza-cpi');
    // Sicurezza sanitaria: 14 +, no −.
    assert.match(cpi.body, /Sicurezza sanitaria<\/th><td>14<\/td><td>—<\/td>/);
    assert.match(cpi.body, /Abruzzo/);
    const infra = await p.get(visitor, '/rapporto/tavole/infrastrutture');
    assert.match(infra.body, /Infrastrutture e rete dei CPI<\/th><td>8<\/td><td>6<\/td>/);
    const en = await p.get(visitor, '/rapporto/tavole/efficacia?lang=en');
    assert.match(en.body, /Quality of service/);
    const missing = await p.get(visitor, '/rapporto/tavole/nessuna');
    assert.equal(missing.statusCode, 404);
  });

  test('the decision table: report opinions beside the Region’s figures, filters in the query string', async () => {
    const manager = await p.signInAsUser(managerId, REGION);
    const r = await p.get(manager, '/rapporto/decisioni?digitizzabile=blended&fase=orientation');
    assert.equal(r.statusCode, 200);
    const lep7 = r.body.slice(r.body.indexOf('id="d-lep-7"'));
    const row = lep7.slice(0, lep7.indexOf('</tr>'));
    assert.match(row, /Si con soluzioni blended/);
    assert.match(row, /<td>33,3%<\/td><td>4,5\/5<\/td><td>0%<\/td>/);
    const balance = r.body.slice(r.body.indexOf('id="d-bilancio-competenze"'));
    assert.match(balance.slice(0, balance.indexOf('</tr>')), /non mostrato \(meno di 10 persone\)/);
    assert.doesNotMatch(r.body, /id="d-lep-9"/);
    const all = await p.get(p.anonymous(), '/rapporto/decisioni');
    assert.equal(all.statusCode, 200);
    assert.match(all.body, /id="d-lep-9"/);
  });

  test('benchmarking: a national manager ranks the Regions; a regional manager sees only theirs and the total', async () => {
    // March 2024: satisfaction 4.0 in the demo Region (20 answers), 4.5 in ours (12); no-shows small in ours.
    const fact = (region: string, indicator: string, subjects: number, num: number, den: number) =>
      p.pool.query(
        `insert into indicator_daily_facts (region_code, office_key, day, indicator, dimension, target, subjects, numerator, denominator)
         values ($1, '', '2024-03-10', $2, 'all', 'all', $3, $4, $5)`,
        [region, indicator, subjects, num, den],
      );
    await p.pool.query(
      "insert into regions (region_code, name) values ('98', 'Terza Regione') on conflict do nothing",
    );
    await fact('10', 'satisfaction', 20, 80, 20);
    await fact('98', 'satisfaction', 10, 30, 10);
    await fact(REGION, 'satisfaction', 12, 54, 12);
    await fact(REGION, 'no_show_rate', 4, 1, 4);
    await fact('10', 'no_show_rate', 30, 3, 30);
    const url = '/nazionale/confronto?dal=2024-03-01&al=2024-03-31';
    const national = await p.get(await p.signInAs('national_manager'), url);
    assert.equal(national.statusCode, 200);
    const sat = national.body.slice(national.body.indexOf('id="h-satisfaction"'));
    const satTable = sat.slice(0, sat.indexOf('</table>'));
    assert.match(satTable, /Regione di prova rapporto<\/th><td>1<\/td><td>4,5<\/td>/);
    assert.match(satTable, /Umbria<\/th><td>2<\/td><td>4<\/td>/);
    assert.match(satTable, /Terza Regione<\/th><td>3<\/td><td>3<\/td>/);
    // 20×4 + 12×4.5 + 10×3 = 164 over 42 answers.
    assert.match(satTable, /Totale nazionale<\/th><td>—<\/td><td>3,9<\/td>/);
    const ns = national.body.slice(national.body.indexOf('id="h-no_show_rate"'));
    assert.match(
      ns.slice(0, ns.indexOf('</table>')),
      /Regione di prova rapporto<\/th><td>—<\/td><td>non mostrato/,
    );

    const manager = await p.signInAsUser(managerId, REGION);
    const regional = await p.get(manager, url);
    assert.equal(regional.statusCode, 200);
    const main = regional.body.slice(regional.body.indexOf('<main'), regional.body.indexOf('</main>'));
    assert.doesNotMatch(main, /Umbria|Terza Regione/);
    const mine = main.slice(main.indexOf('id="h-satisfaction"'));
    const mineTable = mine.slice(0, mine.indexOf('</table>'));
    assert.match(mineTable, /Regione di prova rapporto<\/th><td>4,5<\/td>/);
    assert.match(mineTable, /Totale nazionale<\/th><td>3,9<\/td>/);
    assert.doesNotMatch(mineTable, /Posizione/);
    // No-shows: only Umbria besides us in the total, so the total is withheld from us.
    const noShow = main.slice(main.indexOf('id="h-no_show_rate"'));
    assert.match(noShow.slice(0, noShow.indexOf('</table>')), /Totale nazionale<\/th><td>non mostrato/);

    const bad = await p.get(manager, '/nazionale/confronto?dal=2024-04-01&al=2024-03-01');
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /value="2024-04-01"/);
    assert.match(bad.body, /aria-invalid="true"/);
    const citizen = await p.get(await p.signInAs('citizen'), url);
    assert.equal(citizen.statusCode, 403);
  });

  test('the yearly self-assessment: refused with the answers kept, saved, audited, beside the 2021 baseline', async () => {
    const manager = await p.signInAs('regional_manager');
    const first = await p.get(manager, '/regione/autovalutazione');
    assert.equal(first.statusCode, 200);
    assert.match(first.body, /Non hai ancora salvato/);
    const fields: Record<string, string> = {
      s2_infrastructure: 'insufficient',
      s2_platforms: 'sufficient',
      s2_operator_skills: 'sufficient',
      s31_people_served: '+',
      s31_operator_time: '-',
      s31_document_flow: '',
      s31_orderly_data: '+',
      s31_service_control: '+',
      s31_health_safety: '+',
      s4_user_relationship: '+',
      s4_service_quality: '+',
      s4_user_satisfaction: '',
      s71_remote_rural: '7',
      s71_young_remote_rural: '',
      s71_low_it_skills: '11',
      s71_low_it_access: '5',
      s71_non_native: '',
      s71_disability: '',
      s71_over_60: '6',
    };
    const bad = await p.post(manager, '/regione/autovalutazione', fields);
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /Scrivi un numero da 1 a 10/);
    assert.match(bad.body, /name="s71_low_it_skills"[^>]*value="11"/);
    assert.match(bad.body, /name="s71_remote_rural"[^>]*value="7"/);
    // The missing radio answer is named too.
    assert.match(bad.body, /id="s2_operators_in_office-error"/);

    const ok = await p.post(manager, '/regione/autovalutazione', {
      ...fields,
      s2_operators_in_office: 'sufficient',
      s71_low_it_skills: '4',
    });
    assert.equal(ok.statusCode, 303);
    assert.equal(ok.headers.location, '/regione/autovalutazione?ok=salvato');
    const page = await p.get(manager, '/regione/autovalutazione?ok=salvato');
    assert.match(page.body, /Autovalutazione salvata/);
    const row = page.body.slice(page.body.indexOf('<th scope="row">Infrastrutture e rete dei CPI</th>'));
    assert.match(row.slice(0, row.indexOf('</tr>')), /8 su 14 sufficiente<\/td><td>Non sufficiente<\/td>/);
    assert.match(page.body, /name="s71_low_it_skills"[^>]*value="4"/);
    const stored = await p.pool.query(
      "select answers from baseline_self_assessments where region_code = '10'",
    );
    assert.equal(stored.rows[0].answers.s7_1.low_it_skills, 4);
    assert.equal(stored.rows[0].answers.s3_1.document_flow, null);
    const audit = await p.pool.query(
      "select count(*)::int as n from audit_log where region_code = '10' and action = 'baseline.self_assessment.saved'",
    );
    assert.equal(audit.rows[0].n, 1);

    // Another Region's manager sees only their own (none); a citizen may not come in.
    const other = await p.get(await p.signInAsUser(managerId, REGION), '/regione/autovalutazione');
    assert.match(other.body, /Non hai ancora salvato/);
    assert.equal((await p.get(await p.signInAs('citizen'), '/regione/autovalutazione')).statusCode, 403);
  });

  test('a bad filter is answered with 400, a message and the other value kept', async () => {
    const r = await p.get(p.anonymous(), '/rapporto/decisioni?digitizzabile=forse&fase=search');
    assert.equal(r.statusCode, 400);
    assert.match(r.body, /aria-invalid="true"/);
    assert.match(r.body, /<option value="search" selected/);
    assert.doesNotMatch(r.body, /id="d-/);
  });
});
