import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestPlatform, type TestPlatform, type Visitor } from '../../app/testing/test-platform.ts';
import { notesFor } from '../use-cases/dossier.ts';

/**
 * The dossier: the operator chooses the purpose, reads one timeline of everything, filters it, writes
 * notes with a visibility; every view is audited with its purpose and the person sees it; the person
 * reads their own timeline and the notes meant for them; other Regions and agencies find nothing.
 */
describe('dossier: purpose, timeline, notes, audit, scoping', () => {
  let platform: TestPlatform;
  let chiara: Visitor;
  let giulia: Visitor;
  let apl: Visitor;
  let other: Visitor;
  let giuliaId = '';
  let url = '';

  before(async () => {
    platform = await startTestPlatform();
    const db = platform.db;
    chiara = await platform.signInAs('cpi_operator');
    giulia = await platform.signInAs('citizen');
    apl = await platform.signInAs('apl_operator');
    giuliaId = giulia.userId!;
    url = `/operatore/persone/${giuliaId}/fascicolo`;
    const office = await db
      .selectFrom('users')
      .select('office_id')
      .where('id', '=', chiara.userId!)
      .executeTakeFirstOrThrow();
    const did = await db
      .insertInto('did_declarations')
      .values({
        region_code: '10',
        user_id: giuliaId,
        status: 'active',
        verification_code: 'DOSS-TEST-0001',
      } as never)
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('did_events')
      .values({
        region_code: '10',
        did_id: did.id,
        user_id: giuliaId,
        event: 'declared',
        at: new Date(Date.now() - 3 * 86_400_000),
      } as never)
      .execute();
    await db
      .insertInto('tier_assignments')
      .values({ region_code: '10', user_id: giuliaId, tier: 2, source: 'model' } as never)
      .execute();
    await db
      .insertInto('conditionality_events')
      .values({
        region_code: '10',
        citizen_id: giuliaId,
        kind: 'no_show',
        source: 'operator',
        occurred_at: new Date(Date.now() - 86_400_000),
      } as never)
      .execute();
    await db
      .insertInto('message_threads')
      .values({
        region_code: '10',
        citizen_id: giuliaId,
        office_id: office.office_id!,
        subject: 'Domanda sul corso di inglese',
        created_by: giuliaId,
      } as never)
      .execute();
    await db
      .insertInto('messages')
      .values({
        region_code: '10',
        thread_id: (
          await db
            .selectFrom('message_threads')
            .select('id')
            .where('citizen_id', '=', giuliaId)
            .executeTakeFirstOrThrow()
        ).id,
        author_id: giuliaId,
        author_side: 'citizen',
        body: 'Testo privato del messaggio',
      } as never)
      .execute();
    // An operator of another Region.
    await platform.pool.query(
      "insert into regions (region_code, name) values ('20', 'Prova') on conflict do nothing",
    );
    await platform.pool.query(
      `insert into municipalities (istat_code, region_code, name, province, belfiore)
       values ('092009', '20', 'Cagliari', 'CA', 'B354') on conflict do nothing`,
    );
    const office20 = await db
      .insertInto('offices')
      .values({
        region_code: '20',
        name: 'CPI Cagliari',
        address: 'Via Roma 1',
        municipality_code: '092009',
        hours: '9-13',
        email: 'ca@dossier.example',
        phone: '070',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const op20 = await db
      .insertInto('users')
      .values({
        region_code: '20',
        role: 'cpi_operator',
        given_name: 'Sara',
        family_name: 'Sarda',
        email: 'sara@dossier.example',
        office_id: office20.id,
      } as never)
      .returning('id')
      .executeTakeFirstOrThrow();
    other = await platform.signInAsUser(op20.id, '20');
  });

  after(async () => {
    await platform?.stop();
  });

  const dossierReads = () =>
    platform.db
      .selectFrom('audit_log')
      .select(['purpose', 'actor_id', 'details'])
      .where('action', '=', 'read.dossier')
      .where('subject_id', '=', giuliaId)
      .orderBy('at')
      .execute();

  test('the purpose comes first; a purpose outside the list is refused', async () => {
    const ask = await platform.get(chiara, url);
    assert.equal(ask.statusCode, 200);
    assert.match(ask.body, /Perché apri il fascicolo\?/);
    const bad = await platform.get(chiara, `${url}?purpose=curiosity`);
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /alert-danger/);
    assert.equal((await dossierReads()).length, 0, 'no read without a purpose');
  });

  test('one timeline, newest first, messages by subject only; the read is audited with its purpose', async () => {
    const res = await platform.get(chiara, `${url}?purpose=interview`);
    assert.equal(res.statusCode, 200);
    const body = res.body;
    assert.match(body, /Fascicolo di Giulia Conti/);
    const order = [
      'Conversazione aperta: Domanda sul corso di inglese',
      'Livello di servizio 2 assegnato dal profilo',
      'Fatto da valutare: assenza a un appuntamento',
      'Dichiarazione di immediata disponibilità (DID) presentata',
    ].map((s) => body.indexOf(s));
    assert.ok(
      order.every((i) => i > 0),
      `every line is there: ${order}`,
    );
    assert.ok(order[2]! < order[3]!, 'the conditionality fact (yesterday) comes before the DID (3 days ago)');
    assert.doesNotMatch(body, /Testo privato del messaggio/);
    assert.ok(
      body.includes(`href="/operatore/persone/${giuliaId}/condizionalita"`),
      'links to where to see more',
    );
    const reads = await dossierReads();
    assert.equal(reads.length, 1);
    assert.equal(reads[0]!.purpose, 'interview');
    assert.equal(reads[0]!.actor_id, chiara.userId);
  });

  test('filter by kind', async () => {
    const res = await platform.get(chiara, `${url}?purpose=interview&tipo=did`);
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /DID\) presentata/);
    assert.doesNotMatch(res.body, /Fatto da valutare/);
    assert.match(res.body, /<option value="did" selected>/);
    const odd = await platform.get(chiara, `${url}?purpose=interview&tipo=%3Cscript%3E`);
    assert.equal(odd.statusCode, 200, 'an unknown kind shows everything');
    assert.match(odd.body, /Fatto da valutare/);
  });

  test('notes: bad input refused with the text kept; each visibility saved and audited', async () => {
    const empty = await platform.post(chiara, `${url}/note`, {
      purpose: 'interview',
      testo: '  ',
      visibilita: 'person',
    });
    assert.equal(empty.statusCode, 400);
    assert.match(empty.body, /alert-danger/);
    const long = 'a'.repeat(2001);
    const tooLong = await platform.post(chiara, `${url}/note`, {
      purpose: 'interview',
      testo: long,
      visibilita: 'person',
    });
    assert.equal(tooLong.statusCode, 400);
    assert.ok(tooLong.body.includes(long), 'the typed text is kept');
    const control = await platform.post(chiara, `${url}/note`, {
      purpose: 'interview',
      testo: 'ciao\u0007',
      visibilita: 'person',
    });
    assert.equal(control.statusCode, 400);
    const visibility = await platform.post(chiara, `${url}/note`, {
      purpose: 'interview',
      testo: 'Nota',
      visibilita: 'everyone',
    });
    assert.equal(visibility.statusCode, 400);
    const noPurpose = await platform.post(chiara, `${url}/note`, { testo: 'Nota', visibilita: 'person' });
    assert.equal(noPurpose.statusCode, 303);
    assert.equal(noPurpose.headers.location, url);
    assert.equal((await platform.db.selectFrom('dossier_notes').select('id').execute()).length, 0);

    for (const [visibilita, testo] of [
      ['office', 'Solo per il CPI: valutare un colloquio specialistico'],
      ['apl', "Condivisa con l'agenzia: interessata alla logistica"],
      ['person', 'Per Giulia: porta il CV aggiornato al prossimo incontro'],
    ] as const) {
      const ok = await platform.post(chiara, `${url}/note`, { purpose: 'interview', testo, visibilita });
      assert.equal(ok.statusCode, 303);
      assert.equal(ok.headers.location, `${url}?purpose=interview&ok=note`);
    }
    const mail = await platform.lastQueuedEmail('dossier-note:%');
    assert.ok(mail, 'Giulia is told there is a note for her');
    assert.equal(mail.subject, 'Hai una nuova nota nel tuo fascicolo');
    assert.match(mail.text, /\/fascicolo/);
    assert.doesNotMatch(mail.text, /porta il CV/, 'never the text of the note');
    const queued = await platform.pool.query(
      "select count(*)::int as n from pgboss.job where data->>'key' like 'dossier-note:%'",
    );
    assert.equal(queued.rows[0].n, 1, 'only the note for the person sends an e-mail');
    const page = await platform.get(chiara, `${url}?purpose=interview&ok=note`);
    assert.match(page.body, /Nota salvata/);
    assert.match(page.body, /Solo per il CPI/);
    assert.match(page.body, /Per Giulia: porta il CV/);
    const audit = await platform.db
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'dossier.note_added')
      .execute();
    assert.equal(audit.length, 3);
    await assert.rejects(platform.pool.query("update dossier_notes set body = 'x'"), /never edited/);
  });

  test('an agency sees only the notes shared with it or the person; the person only theirs', async () => {
    const forApl = await notesFor(platform.db, '10', giuliaId, 'apl');
    assert.deepEqual(forApl.map((n) => n.visibility).sort(), ['apl', 'person']);
    const forPerson = await notesFor(platform.db, '10', giuliaId, 'person');
    assert.deepEqual(
      forPerson.map((n) => n.visibility),
      ['person'],
    );
    assert.equal((await notesFor(platform.db, '20', giuliaId, 'cpi')).length, 0, 'another Region: nothing');
  });

  test('the person sees their timeline, the note for them, and the reads at /i-miei-dati/accessi', async () => {
    const mine = await platform.get(giulia, '/fascicolo');
    assert.equal(mine.statusCode, 200);
    assert.match(mine.body, /Il mio fascicolo/);
    assert.match(mine.body, /Per Giulia: porta il CV aggiornato/);
    assert.match(mine.body, /Chiara Baldelli, CPI Perugia/);
    assert.doesNotMatch(mine.body, /Solo per il CPI/);
    assert.doesNotMatch(mine.body, /Condivisa con l&#x27;agenzia|Condivisa con l'agenzia/);
    assert.match(mine.body, /DID\) presentata/);
    assert.match(mine.body, /href="\/profilo\/did"/);
    const filtered = await platform.get(giulia, '/fascicolo?tipo=message');
    assert.match(filtered.body, /Domanda sul corso di inglese/);
    assert.doesNotMatch(filtered.body, /DID\) presentata/);
    const arabic = await platform.get(giulia, '/fascicolo?lang=ar');
    assert.equal(arabic.statusCode, 200);
    assert.match(arabic.body, /dir="rtl"/);
    assert.match(arabic.body, /<h1>ملفي<\/h1>/);
    const english = await platform.get(chiara, `${url}?purpose=interview&lang=en`);
    assert.match(english.body, /<h1>Dossier of Giulia Conti<\/h1>/);
    const accessi = await platform.get(giulia, '/i-miei-dati/accessi');
    assert.match(accessi.body, /Il tuo fascicolo/);
    assert.match(accessi.body, /Colloquio/);
    assert.match(accessi.body, /Chiara Baldelli/);
  });

  test('another Region, an agency without a referral, the citizen: not found or refused', async () => {
    assert.equal((await platform.get(other, `${url}?purpose=interview`)).statusCode, 404);
    const note = await platform.post(other, `${url}/note`, {
      purpose: 'interview',
      testo: 'Intrusa',
      visibilita: 'person',
    });
    assert.equal(note.statusCode, 404);
    assert.equal((await platform.get(apl, `${url}?purpose=interview`)).statusCode, 404);
    const aplNote = await platform.post(apl, `${url}/note`, {
      purpose: 'interview',
      testo: 'APL',
      visibilita: 'apl',
    });
    assert.equal(aplNote.statusCode, 404);
    assert.equal((await platform.get(giulia, `${url}?purpose=interview`)).statusCode, 403);
    assert.equal((await platform.get(chiara, '/operatore/persone/not-a-uuid/fascicolo')).statusCode, 404);
    const notes = await platform.db.selectFrom('dossier_notes').select('body').execute();
    assert.ok(!notes.some((n) => n.body === 'Intrusa' || n.body === 'APL'));
    assert.equal((await platform.get(chiara, '/fascicolo')).statusCode, 403);
  });
});
