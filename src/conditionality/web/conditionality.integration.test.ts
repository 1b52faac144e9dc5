import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestPlatform, type TestPlatform, type Visitor } from '../../app/testing/test-platform.ts';
import { createSession, SESSION_COOKIE } from '../../platform/auth/session.ts';
import { csrfTokenFor } from '../../platform/http/context.ts';
import { runConditionalityScan } from '../use-cases/events.ts';

/**
 * The conditionality ledger on a real database: the daily scan, the citizen's justification with a
 * PDF, the operator's decision in one transaction, and who may see what.
 */
let platform: TestPlatform;
let operatorId = '';
let officeId = '';
let giulia = '';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n', 'latin1');

before(async () => {
  platform = await startTestPlatform();
  const op = await platform.db
    .selectFrom('users')
    .select(['id', 'office_id'])
    .where('role', '=', 'cpi_operator')
    .where('email', 'like', '%@demo.sportello.example')
    .orderBy('created_at')
    .executeTakeFirstOrThrow();
  operatorId = op.id;
  officeId = op.office_id!;
  giulia = (await platform.signInAs('citizen')).userId!;
});
after(async () => {
  await platform.stop();
});

async function newCitizen(name: string): Promise<string> {
  const row = await platform.db
    .insertInto('users')
    .values({
      region_code: '10',
      role: 'citizen',
      given_name: name,
      family_name: 'Prova',
      email: `${name.toLowerCase()}@example.org`,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** A signed pact of the operator's office and, optionally, an obligation for a benefit. */
async function signedPact(
  citizenId: string,
  benefit: 'naspi' | 'adi' | null,
  office = officeId,
  coach = operatorId,
) {
  const pact = await platform.db
    .insertInto('pacts')
    .values({
      region_code: '10',
      citizen_id: citizenId,
      office_id: office,
      coach_id: coach,
      created_by: coach,
      status: 'signed',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await platform.db
    .insertInto('pact_versions')
    .values({ region_code: '10', pact_id: pact.id, version: 1, content: '{}', created_by: coach })
    .execute();
  if (benefit) {
    await platform.db
      .insertInto('benefit_obligations')
      .values({
        region_code: '10',
        citizen_id: citizenId,
        pact_id: pact.id,
        version: 1,
        benefit,
        obligation: 'Presentarsi agli appuntamenti del Centro per l’impiego',
      })
      .execute();
  }
  return pact.id;
}

/** A past appointment the person missed, recorded as a no-show by the operator. */
async function missedAppointment(citizenId: string, hoursAgo: number) {
  const startsAt = new Date(Date.now() - hoursAgo * 3600_000);
  const slot = await platform.db
    .insertInto('agenda_slots')
    .values({
      region_code: '10',
      operator_id: operatorId,
      office_id: officeId,
      starts_at: startsAt,
      ends_at: new Date(startsAt.getTime() + 1800_000),
      mode: 'both',
      services: ['accoglienza'],
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const appt = await platform.db
    .insertInto('appointments')
    .values({
      region_code: '10',
      slot_id: slot.id,
      citizen_id: citizenId,
      service_code: 'accoglienza',
      channel: 'in_person',
      status: 'no_show',
      booked_by: citizenId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await platform.db
    .insertInto('agenda_events')
    .values({
      region_code: '10',
      appointment_id: appt.id,
      citizen_id: citizenId,
      event: 'no_show',
      actor_id: operatorId,
    })
    .execute();
  return appt.id;
}

const eventsOf = (citizenId: string) =>
  platform.db
    .selectFrom('conditionality_events')
    .selectAll()
    .where('citizen_id', '=', citizenId)
    .orderBy('occurred_at')
    .execute();

function multipart(
  visitor: Visitor,
  url: string,
  fields: Record<string, string>,
  file?: { name: string; type: string; data: Buffer },
) {
  const boundary = '----sportello-test-boundary';
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries({ _csrf: visitor.csrf, ...fields })) {
    parts.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`),
    );
  }
  if (file) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="document"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`,
      ),
      file.data,
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return platform.app.inject({
    method: 'POST',
    url,
    headers: { cookie: visitor.cookie, 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: Buffer.concat(parts),
  });
}

async function justificationsOf(eventId: string) {
  return platform.db
    .selectFrom('conditionality_justifications')
    .selectAll()
    .where('event_id', '=', eventId)
    .execute();
}

/** An operator of another CPI office, signed in. */
async function otherOfficeOperator(): Promise<Visitor> {
  const existing = await platform.db
    .selectFrom('offices')
    .selectAll()
    .where('id', '=', officeId)
    .executeTakeFirstOrThrow();
  const office = await platform.db
    .insertInto('offices')
    .values({ ...existing, id: undefined as never, name: 'CPI Altrove' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const user = await platform.db
    .insertInto('users')
    .values({
      region_code: '10',
      role: 'cpi_operator',
      office_id: office.id,
      given_name: 'Altro',
      family_name: 'Operatore',
      email: 'altro@example.org',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const token = await createSession(platform.db, {
    userId: user.id,
    regionCode: '10',
    stage: 'active',
    authMethod: 'test',
  });
  const { csrf_seed } = await platform.db
    .selectFrom('sessions')
    .select('csrf_seed')
    .where('user_id', '=', user.id)
    .executeTakeFirstOrThrow();
  return {
    cookie: `${SESSION_COOKIE}=${token}`,
    csrf: csrfTokenFor(platform.config.sessionSecret, csrf_seed),
    userId: user.id,
    regionCode: '10',
  };
}

let giuliaEvent = '';

test('a no-show of a person with a NASpI obligation becomes one event, even if the scan runs again later; no obligations, no event', async () => {
  await signedPact(giulia, 'naspi');
  await missedAppointment(giulia, 26);
  const without = await newCitizen('Senzaobblighi');
  await signedPact(without, null);
  await missedAppointment(without, 26);

  const first = await runConditionalityScan(platform, new Date());
  assert.equal(first.created, 1);
  const again = await runConditionalityScan(platform, new Date(Date.now() + 86_400_000));
  assert.equal(again.created, 0);

  const events = await eventsOf(giulia);
  assert.equal(events.length, 1);
  const [e] = events;
  assert.deepEqual([e!.kind, e!.benefit, e!.source, e!.status], ['no_show', 'naspi', 'automatic', 'open']);
  assert.match(e!.source_ref ?? '', /^\d+$/);
  assert.deepEqual(await eventsOf(without), []);
  giuliaEvent = e!.id;
  const email = await platform.lastQueuedEmail(`conditionality:event:${e!.id}`);
  assert.match(email?.text ?? '', /Assenza a un appuntamento/);

  const page = await platform.get(await platform.signInAs('citizen'), '/obblighi');
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /NASpI \(indennità di disoccupazione\)/);
  assert.match(page.body, /Presentarsi agli appuntamenti/);
  assert.match(page.body, /Assenza a un appuntamento/);
  assert.match(page.body, /Aspetta la tua spiegazione/);
  assert.match(page.body, /enctype="multipart\/form-data"/);
});

test('a suspended DID of a person with obligations becomes a "DID not confirmed" event, once', async () => {
  const luca = await newCitizen('Luca');
  await signedPact(luca, 'adi');
  const did = await platform.db
    .insertInto('did_declarations')
    .values({ region_code: '10', user_id: luca, status: 'suspended', verification_code: 'TESTDID-COND-0001' })
    .returning('id')
    .executeTakeFirstOrThrow();
  await platform.db
    .insertInto('did_events')
    .values([
      {
        region_code: '10',
        did_id: did.id,
        user_id: luca,
        event: 'declared',
        at: new Date(Date.now() - 7 * 86_400_000),
      },
      {
        region_code: '10',
        did_id: did.id,
        user_id: luca,
        event: 'suspended',
        reason: 'Contratto breve',
        at: new Date(Date.now() - 86_400_000),
      },
    ])
    .execute();
  await runConditionalityScan(platform, new Date());
  await runConditionalityScan(platform, new Date(Date.now() + 2 * 86_400_000));
  const events = await eventsOf(luca);
  assert.deepEqual(
    events.map((e) => [e.kind, e.benefit]),
    [['did_not_confirmed', 'adi']],
  );
});

test('an action of the plan still open a week after its due date becomes "action not done", once; recent or done ones do not', async () => {
  const marta = await newCitizen('Marta');
  await signedPact(marta, 'naspi');
  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
  const action = (title: string, due: string, status: 'open' | 'done') => ({
    region_code: '10',
    citizen_id: marta,
    coach_id: operatorId,
    kind: 'custom' as const,
    title,
    due_date: due,
    status,
    created_by: operatorId,
  });
  await platform.db
    .insertInto('plan_actions')
    .values([
      action('Iscriversi al corso di inglese', day(-10), 'open'),
      action('Aggiornare il CV', day(-3), 'open'),
      action('Candidarsi a 3 offerte', day(-12), 'done'),
    ])
    .execute();
  await runConditionalityScan(platform, new Date());
  await runConditionalityScan(platform, new Date(Date.now() + 86_400_000));
  const events = await eventsOf(marta);
  assert.deepEqual(
    events.map((e) => [e.kind, e.benefit, e.source, e.description]),
    [['action_not_done', 'naspi', 'automatic', 'Iscriversi al corso di inglese']],
  );
});

test('the citizen sends a justification with a PDF; a non-PDF is refused and nothing is stored', async () => {
  const citizen = await platform.signInAs('citizen');
  const url = `/obblighi/${giuliaEvent}/giustificazione`;
  const fake = await multipart(
    citizen,
    url,
    { message: 'Ero dal medico' },
    {
      name: 'certificato.pdf',
      type: 'application/pdf',
      data: Buffer.from('MZ this is an executable, not a PDF'),
    },
  );
  assert.equal(fake.statusCode, 400);
  assert.match(fake.body, /Il file non è un PDF/);
  assert.match(fake.body, /Ero dal medico/);
  assert.deepEqual(await justificationsOf(giuliaEvent), []);
  assert.equal((await eventsOf(giulia))[0]!.status, 'open');

  const empty = await multipart(citizen, url, { message: '   ' });
  assert.equal(empty.statusCode, 400);
  assert.match(empty.body, /Scrivi la tua spiegazione/);

  const ok = await multipart(
    citizen,
    url,
    { message: 'Ero dal medico, allego il certificato' },
    {
      name: '../../certificato medico.pdf',
      type: 'application/octet-stream',
      data: PDF,
    },
  );
  assert.equal(ok.statusCode, 303);
  assert.equal(ok.headers.location, `/obblighi?ok=sent#evento-${giuliaEvent}`);
  const stored = await justificationsOf(giuliaEvent);
  assert.equal(stored.length, 1);
  assert.equal(stored[0]!.filename, 'certificato medico.pdf');
  assert.deepEqual(stored[0]!.content, PDF);
  assert.match(stored[0]!.sha256 ?? '', /^[0-9a-f]{64}$/);
  assert.equal((await eventsOf(giulia))[0]!.status, 'justification_sent');
  const toOperator = await platform.lastQueuedEmail(`conditionality:justification:${stored[0]!.id}`);
  assert.equal(toOperator?.to, 'operatore.cpi@demo.sportello.example');
  assert.match(toOperator?.text ?? '', new RegExp(`/operatore/condizionalita/${giuliaEvent}`));

  const page = await platform.get(citizen, '/obblighi?ok=sent');
  assert.match(page.body, /Spiegazione inviata/);
  assert.match(page.body, /Documento allegato: certificato medico\.pdf/);
  // The citizen cannot download documents (the operator's route).
  const download = await platform.get(
    citizen,
    `/operatore/condizionalita/${giuliaEvent}/giustificazioni/${stored[0]!.id}`,
  );
  assert.equal(download.statusCode, 403);
});

test("another person's event is not found; a 50 MB upload is refused next to the field, the text kept, nothing stored", async () => {
  const other = await newCitizen('Altra');
  await signedPact(other, 'naspi');
  const { id } = await platform.db
    .insertInto('conditionality_events')
    .values({
      region_code: '10',
      citizen_id: other,
      benefit: 'naspi',
      kind: 'other',
      source: 'operator',
      occurred_at: new Date(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const citizen = await platform.signInAs('citizen');
  const res = await multipart(
    citizen,
    `/obblighi/${id}/giustificazione`,
    { message: 'Non è mio' },
    { name: 'a.pdf', type: 'application/pdf', data: PDF },
  );
  assert.equal(res.statusCode, 404);
  assert.deepEqual(await justificationsOf(id), []);
  assert.equal(
    (await multipart(citizen, '/obblighi/not-a-uuid/giustificazione', { message: 'x' })).statusCode,
    404,
  );

  const before = (await justificationsOf(giuliaEvent)).length;
  const huge = Buffer.alloc(50 * 1024 * 1024, 0x20);
  PDF.copy(huge, 0);
  const big = await multipart(
    citizen,
    `/obblighi/${giuliaEvent}/giustificazione`,
    { message: 'Allego tutto' },
    { name: 'grande.pdf', type: 'application/pdf', data: huge },
  );
  // Said next to the field, with the explanation kept; nothing stored.
  assert.equal(big.statusCode, 400);
  assert.match(big.body, /Il file è troppo grande: al massimo 10 MB/);
  assert.match(big.body, /Allego tutto<\/textarea>/);
  assert.equal((await justificationsOf(giuliaEvent)).length, before);
});

test('an operator of another office can neither see nor decide the event, nor download its document', async () => {
  const stranger = await otherOfficeOperator();
  const queue = await platform.get(stranger, '/operatore/condizionalita');
  assert.equal(queue.statusCode, 200);
  assert.doesNotMatch(queue.body, /Giulia|Conti/);
  assert.equal((await platform.get(stranger, `/operatore/condizionalita/${giuliaEvent}`)).statusCode, 404);
  const decide = await platform.post(stranger, `/operatore/condizionalita/${giuliaEvent}/decisione`, {
    decision: 'archive',
    reasons: 'Tentativo',
  });
  assert.equal(decide.statusCode, 404);
  const [j] = await justificationsOf(giuliaEvent);
  assert.equal(
    (await platform.get(stranger, `/operatore/condizionalita/${giuliaEvent}/giustificazioni/${j!.id}`))
      .statusCode,
    404,
  );
  assert.equal((await platform.get(stranger, `/operatore/persone/${giulia}/condizionalita`)).statusCode, 404);
  assert.equal((await eventsOf(giulia))[0]!.status, 'justification_sent');
});

test('the operator reviews (suggestion with its legal source), downloads the PDF (audited) and archives: one transaction does it all', async () => {
  const operator = await platform.signInAs('cpi_operator');
  const queue = await platform.get(operator, '/operatore/condizionalita');
  assert.match(queue.body, /Conti Giulia/);
  const review = await platform.get(operator, `/operatore/condizionalita/${giuliaEvent}`);
  assert.equal(review.statusCode, 200);
  assert.match(review.body, /Proposta di sanzione/);
  assert.match(review.body, /taglio di un quarto di una mensilità/);
  assert.match(review.body, /D\.Lgs\. 150\/2015, art\. 21, c\. 7, lett\. a\)/);
  assert.match(review.body, /Ero dal medico, allego il certificato/);

  const [j] = await justificationsOf(giuliaEvent);
  const pdf = await platform.get(
    operator,
    `/operatore/condizionalita/${giuliaEvent}/giustificazioni/${j!.id}`,
  );
  assert.equal(pdf.statusCode, 200);
  assert.equal(pdf.headers['content-type'], 'application/pdf');
  assert.match(String(pdf.headers['content-disposition']), /attachment/);
  assert.deepEqual(pdf.rawPayload, PDF);

  const noReasons = await platform.post(operator, `/operatore/condizionalita/${giuliaEvent}/decisione`, {
    decision: 'archive',
    reasons: '',
  });
  assert.equal(noReasons.statusCode, 400);
  assert.match(noReasons.body, /Scrivi i motivi della decisione/);
  assert.equal((await eventsOf(giulia))[0]!.status, 'justification_sent');

  const res = await platform.post(operator, `/operatore/condizionalita/${giuliaEvent}/decisione`, {
    decision: 'archive',
    reasons: 'Il certificato medico giustifica l’assenza.',
  });
  assert.equal(res.statusCode, 303);
  const [e] = await eventsOf(giulia);
  assert.deepEqual([e!.status, e!.decision, e!.decided_by], ['decided', 'archive', operatorId]);
  assert.equal(e!.decision_reasons, 'Il certificato medico giustifica l’assenza.');
  const history = await platform.db
    .selectFrom('conditionality_decisions')
    .selectAll()
    .where('event_id', '=', giuliaEvent)
    .execute();
  assert.deepEqual(
    history.map((h) => [h.decision, h.suggested_decision]),
    [['archive', 'sanction_proposal']],
  );
  const outbox = await platform.db
    .selectFrom('national_outbox')
    .select(['kind', 'idempotency_key', 'payload'])
    .where('kind', '=', 'conditionality.decision')
    .execute();
  assert.equal(outbox.length, 1);
  assert.equal(outbox[0]!.idempotency_key, `conditionality.decision:10:${giuliaEvent}:archive`);
  assert.equal((outbox[0]!.payload as { decision: string }).decision, 'archive');
  const email = await platform.lastQueuedEmail(`conditionality:decision:${giuliaEvent}`);
  assert.match(email?.subject ?? '', /decisione/);
  assert.match(email?.text ?? '', /Archiviato/);
  assert.match(email?.text ?? '', /Il certificato medico giustifica/);
  const audit = await platform.db
    .selectFrom('audit_log')
    .select(['action'])
    .where('object_id', '=', giuliaEvent)
    .where('action', '=', 'conditionality.decided')
    .execute();
  assert.equal(audit.length, 1);

  // The person sees the decision and its reasons, and who looked at their ledger.
  const citizen = await platform.signInAs('citizen');
  const page = await platform.get(citizen, '/obblighi');
  assert.match(page.body, /Archiviato/);
  assert.match(page.body, /Il certificato medico giustifica/);
  assert.doesNotMatch(page.body, new RegExp(`/obblighi/${giuliaEvent}/giustificazione`));
  const accessi = await platform.get(citizen, '/i-miei-dati/accessi');
  assert.match(accessi.body, /I tuoi obblighi e i fatti da valutare/);
  assert.match(accessi.body, /Il documento che hai allegato a una spiegazione/);
  assert.match(accessi.body, /Verifica della condizionalità/);
});

test('deciding twice is refused (409) and changes nothing; the citizen cannot justify a decided event', async () => {
  const operator = await platform.signInAs('cpi_operator');
  const again = await platform.post(operator, `/operatore/condizionalita/${giuliaEvent}/decisione`, {
    decision: 'sanction_proposal',
    reasons: 'Ripensamento',
  });
  assert.equal(again.statusCode, 409);
  assert.match(again.body, /c&#39;è già una decisione|c'è già una decisione/);
  assert.equal((await eventsOf(giulia))[0]!.decision, 'archive');
  assert.equal(
    (
      await platform.db
        .selectFrom('national_outbox')
        .select('id')
        .where('kind', '=', 'conditionality.decision')
        .execute()
    ).length,
    1,
  );
  const citizen = await platform.signInAs('citizen');
  const late = await multipart(citizen, `/obblighi/${giuliaEvent}/giustificazione`, {
    message: 'Ancora una cosa',
  });
  assert.equal(late.statusCode, 409);
  assert.equal((await justificationsOf(giuliaEvent)).length, 1);
});

test('the operator records an event by hand; bad input is refused and kept; a second no-show suggests one month', async () => {
  const operator = await platform.signInAs('cpi_operator');
  const url = `/operatore/persone/${giulia}/condizionalita`;
  const form = await platform.get(operator, url);
  assert.equal(form.statusCode, 200);
  const bad = await platform.post(operator, url, {
    kind: 'holiday',
    benefit: 'naspi',
    date: '2099-01-01',
    description: 'Non si è presentata al laboratorio',
  });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /Scegli una delle opzioni/);
  assert.match(bad.body, /La data non può essere nel futuro/);
  assert.match(bad.body, /value="2099-01-01"/);
  assert.match(bad.body, /Non si è presentata al laboratorio/);
  assert.equal((await eventsOf(giulia)).length, 1);

  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Rome' }).format(new Date());
  const ok = await platform.post(operator, url, {
    kind: 'no_show',
    benefit: 'naspi',
    date: today,
    description: 'Non si è presentata al colloquio telefonico',
  });
  assert.equal(ok.statusCode, 303);
  const events = await eventsOf(giulia);
  assert.equal(events.length, 2);
  const manual = events.find((e) => e.source === 'operator')!;
  assert.deepEqual([manual.kind, manual.benefit, manual.created_by], ['no_show', 'naspi', operatorId]);
  // The first absence was archived, so this one is again the first: a quarter of a month.
  const review = await platform.get(operator, `/operatore/condizionalita/${manual.id}`);
  assert.match(review.body, /taglio di un quarto di una mensilità/);
  // Once an earlier one is decided with a warning, the next suggestion is one month.
  await platform.post(operator, `/operatore/condizionalita/${manual.id}/decisione`, {
    decision: 'warning',
    reasons: 'Primo richiamo',
  });
  const third = await platform.post(operator, url, {
    kind: 'no_show',
    benefit: 'naspi',
    date: today,
    description: 'Di nuovo assente',
  });
  assert.equal(third.statusCode, 303);
  const latest = (await eventsOf(giulia)).find((e) => e.description === 'Di nuovo assente')!;
  const next = await platform.get(operator, `/operatore/condizionalita/${latest.id}`);
  assert.match(next.body, /taglio di una mensilità/);
});

test('hostile values in the operator forms and the justification never cause a server error', async () => {
  const fc = (await import('fast-check')).default;
  const hostile = fc.oneof(
    fc.string({ maxLength: 50 }),
    fc.string({ minLength: 5000, maxLength: 20000 }),
    fc.constantFrom(
      '<script>alert(1)</script>',
      "' or 1=1 --",
      '\u0000\u0001',
      '../../etc/passwd',
      '2026-02-30',
      '',
      '%00',
    ),
  );
  const operator = await platform.signInAs('cpi_operator');
  const citizen = await platform.signInAs('citizen');
  const [open] = (await eventsOf(giulia)).filter((e) => e.status !== 'decided');
  assert.ok(open, 'an open event to fuzz');
  await fc.assert(
    fc.asyncProperty(
      fc.record({
        kind: hostile,
        benefit: hostile,
        date: hostile,
        description: hostile,
        decision: hostile,
        reasons: hostile,
      }),
      async (v) => {
        const a = await platform.post(operator, `/operatore/persone/${giulia}/condizionalita`, {
          kind: v.kind,
          benefit: v.benefit,
          date: v.date,
          description: v.description,
        });
        assert.ok(a.statusCode < 500, `manual event answered ${a.statusCode}`);
        const b = await platform.post(operator, `/operatore/condizionalita/${open.id}/decisione`, {
          decision: v.decision,
          reasons: v.reasons,
        });
        assert.ok(b.statusCode < 500 && b.statusCode !== 303, `decision answered ${b.statusCode}`);
        const c = await multipart(citizen, `/obblighi/${open.id}/giustificazione`, {
          message: v.reasons.includes('\u0000') ? v.reasons : `${v.reasons}\u0001`,
        });
        assert.ok(c.statusCode === 400, `justification answered ${c.statusCode}`);
        for (const res of [a, b, c]) assert.doesNotMatch(res.body, /<script>alert\(1\)<\/script>/);
      },
    ),
    { numRuns: 20 },
  );
  assert.equal(
    (
      await platform.db
        .selectFrom('conditionality_events')
        .select('id')
        .where('id', '=', open.id)
        .where('status', '=', 'decided')
        .execute()
    ).length,
    0,
  );
});
