import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { startTestPlatform, type TestPlatform, type Visitor } from '../app/testing/test-platform.ts';

/** A PDF the sniffer accepts, a PNG header and an executable renamed .pdf. */
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n', 'latin1');
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);
const EXE = Buffer.from('MZ\x90\x00\x03\x00\x00\x00 this is not a document', 'latin1');

type File = { name: string; type: string; data: Buffer };

function multipart(fields: Record<string, string>, file?: File): { body: Buffer; type: string } {
  const boundary = `----sl${randomUUID().replace(/-/g, '')}`;
  const chunks: Buffer[] = [];
  for (const [name, value] of Object.entries(fields))
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
        'utf8',
      ),
    );
  if (file)
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`,
        'utf8',
      ),
      file.data,
      Buffer.from('\r\n', 'utf8'),
    );
  chunks.push(Buffer.from(`--${boundary}--\r\n`, 'utf8'));
  return { body: Buffer.concat(chunks), type: `multipart/form-data; boundary=${boundary}` };
}

describe('secure messages between the person and their operators', () => {
  let p: TestPlatform;
  let giulia: Visitor;
  let chiara: Visitor;
  let perugiaId = '';
  let threadId = '';
  let firstMessageId = '';
  let attachmentId = '';

  const send = (v: Visitor, url: string, fields: Record<string, string>, file?: File) => {
    const { body, type } = multipart({ _csrf: v.csrf, ...fields }, file);
    return p.app.inject({
      method: 'POST',
      url,
      headers: { cookie: v.cookie, 'content-type': type },
      payload: body,
    });
  };
  const jobsWithKey = async (key: string) =>
    Number(
      (
        await p.pool.query<{ n: string }>(
          "select count(*) as n from pgboss.job where name in ('send-email', 'send-sms') and data->>'key' = $1",
          [key],
        )
      ).rows[0]?.n,
    );
  const newUser = async (values: Record<string, string>) => {
    const cols = Object.keys(values);
    const { rows } = await p.pool.query<{ id: string }>(
      `insert into users (${cols.join(', ')}) values (${cols.map((_, i) => `$${i + 1}`).join(', ')}) returning id`,
      Object.values(values),
    );
    return rows[0]!.id;
  };

  before(async () => {
    p = await startTestPlatform();
    giulia = await p.signInAs('citizen');
    chiara = await p.signInAs('cpi_operator');
    const office = await p.db
      .selectFrom('users')
      .select('office_id')
      .where('id', '=', chiara.userId!)
      .executeTakeFirstOrThrow();
    perugiaId = office.office_id!;
  });
  after(async () => {
    await p?.stop();
  });

  test('the person writes to a CPI with a PDF; the office operators are told without the content', async () => {
    const page = await p.get(giulia, '/messaggi/nuovo');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /name="officeId"/, 'no office known yet: the person chooses one');
    const res = await send(
      giulia,
      '/messaggi/nuovo',
      {
        draft: randomUUID(),
        officeId: perugiaId,
        subject: 'Busta paga',
        body: 'Buongiorno,\nvi mando la busta paga di ottobre.',
        do: 'send',
      },
      { name: 'busta paga.pdf', type: 'application/pdf', data: PDF },
    );
    assert.equal(res.statusCode, 303, res.body);
    threadId = /\/messaggi\/([0-9a-f-]{36})/.exec(res.headers.location as string)![1]!;
    const thread = await p.db
      .selectFrom('message_threads')
      .selectAll()
      .where('id', '=', threadId)
      .executeTakeFirstOrThrow();
    assert.equal(thread.office_id, perugiaId);
    assert.equal(thread.citizen_id, giulia.userId);
    const message = await p.db
      .selectFrom('messages')
      .select(['id', 'author_side'])
      .where('thread_id', '=', threadId)
      .executeTakeFirstOrThrow();
    assert.equal(message.author_side, 'citizen');
    firstMessageId = message.id;
    const file = await p.db
      .selectFrom('message_attachments')
      .select(['id', 'content_type', 'filename'])
      .where('message_id', '=', message.id)
      .executeTakeFirstOrThrow();
    assert.equal(file.content_type, 'application/pdf');
    assert.equal(file.filename, 'busta paga.pdf');
    attachmentId = file.id;

    const key = `message:${message.id}:operator:${chiara.userId}`;
    const mail = await p.lastQueuedEmail(key);
    assert.ok(mail, 'the operator of the office is told by e-mail');
    assert.equal(mail.to, 'operatore.cpi@demo.sportello.example');
    assert.ok(mail.text.includes(`/operatore/messaggi/${threadId}`));
    assert.ok(
      !mail.text.includes('busta paga') && !mail.subject.includes('Busta'),
      'no content in the e-mail',
    );
    assert.equal(await jobsWithKey(key), 1);

    const list = await p.get(giulia, '/messaggi');
    assert.equal(list.statusCode, 200);
    assert.ok(list.body.includes('Busta paga'));
    const audit = await p.db
      .selectFrom('audit_log')
      .select(['action', 'subject_id'])
      .where('action', '=', 'message.sent')
      .where('object_id', '=', message.id)
      .executeTakeFirst();
    assert.equal(audit?.subject_id, giulia.userId);
  });

  test('the office inbox lists it unread; opening it is an audited read and the PDF downloads as PDF', async () => {
    const inbox = await p.get(chiara, '/operatore/messaggi');
    assert.equal(inbox.statusCode, 200);
    assert.ok(inbox.body.includes('Busta paga'));
    assert.ok(inbox.body.includes('1 da leggere'));
    const filtered = await p.get(chiara, `/operatore/messaggi?persona=${giulia.userId}`);
    assert.ok(filtered.body.includes('Busta paga'));

    const page = await p.get(chiara, `/operatore/messaggi/${threadId}`);
    assert.equal(page.statusCode, 200);
    assert.ok(page.body.includes('vi mando la busta paga di ottobre.'));
    const reads = await p.db
      .selectFrom('audit_log')
      .select(['purpose', 'subject_id', 'actor_id'])
      .where('action', '=', 'read.message_thread')
      .where('object_id', '=', threadId)
      .execute();
    assert.ok(
      reads.some(
        (r) => r.purpose === 'messages' && r.subject_id === giulia.userId && r.actor_id === chiara.userId,
      ),
    );
    const seen = await p.get(giulia, '/i-miei-dati/accessi');
    assert.ok(seen.body.includes('I tuoi messaggi'), 'the person sees who read her messages');
    assert.ok(seen.body.includes('Leggere e rispondere ai tuoi messaggi'));

    const file = await p.get(chiara, `/operatore/messaggi/${threadId}/allegati/${attachmentId}`);
    assert.equal(file.statusCode, 200);
    assert.equal(file.headers['content-type'], 'application/pdf');
    assert.equal(file.headers['x-content-type-options'], 'nosniff');
    assert.match(String(file.headers['content-disposition']), /^attachment;/);
    assert.deepEqual(file.rawPayload, PDF);
    const mine = await p.get(giulia, `/messaggi/${threadId}/allegati/${attachmentId}`);
    assert.equal(mine.statusCode, 200);
    assert.deepEqual(mine.rawPayload, PDF);

    const after = await p.get(chiara, '/operatore/messaggi');
    assert.ok(!after.body.includes('1 da leggere'), 'read once opened');
  });

  test("a template prefills the text in the person's language, and the reply notifies once, without content", async () => {
    await p.pool.query("update users set preferred_language = 'en' where id = $1", [giulia.userId]);
    const draft = randomUUID();
    const filled = await send(chiara, `/operatore/messaggi/${threadId}`, {
      draft,
      template: 'document_request',
      body: '',
      do: 'template',
    });
    assert.equal(filled.statusCode, 200);
    assert.ok(filled.body.includes('Hello Giulia,'), 'English, the person language');
    assert.ok(filled.body.includes('CPI Perugia'));

    await p.pool.query("update users set preferred_language = 'ar' where id = $1", [giulia.userId]);
    const arabic = await send(chiara, `/operatore/persone/${giulia.userId}/messaggi`, {
      draft: randomUUID(),
      template: 'pact_to_sign',
      subject: '',
      body: '',
      do: 'template',
    });
    assert.equal(arabic.statusCode, 200);
    assert.ok(arabic.body.includes('مرحباً Giulia'));
    assert.ok(arabic.body.includes('اتفاق الخدمة الخاص بك جاهز'), 'the subject too');

    const bad = await send(chiara, `/operatore/messaggi/${threadId}`, {
      draft,
      template: 'not_a_template',
      body: 'testo mio',
      do: 'template',
    });
    assert.equal(bad.statusCode, 400);
    assert.ok(bad.body.includes('testo mio'));

    await p.pool.query("update users set preferred_language = 'en' where id = $1", [giulia.userId]);
    const sent = await send(chiara, `/operatore/messaggi/${threadId}`, {
      draft,
      template: 'document_request',
      body: 'Hello Giulia,\nwe also need your identity card. Secret detail 4242.',
      do: 'send',
    });
    assert.equal(sent.statusCode, 303, sent.body);
    const reply = await p.db
      .selectFrom('messages')
      .select(['id', 'template', 'author_side'])
      .where('thread_id', '=', threadId)
      .where('id', '!=', firstMessageId)
      .executeTakeFirstOrThrow();
    assert.equal(reply.author_side, 'staff');
    assert.equal(reply.template, 'document_request');
    const key = `message:${reply.id}:person`;
    const mail = await p.lastQueuedEmail(key);
    assert.ok(mail);
    assert.equal(mail.to, 'cittadino@demo.sportello.example');
    assert.equal(mail.subject, 'You have a new message on Sportello Lavoro');
    assert.ok(mail.text.includes(`/messaggi/${threadId}`));
    assert.ok(!mail.text.includes('4242') && !mail.text.includes('identity card'));
    assert.equal(await jobsWithKey(key), 1, 'one notification per message');
    await p.pool.query("update users set preferred_language = 'it' where id = $1", [giulia.userId]);
  });

  test('the person sees the unread reply, reads it, and the operator sees the read receipt', async () => {
    const list = await p.get(giulia, '/messaggi');
    assert.ok(list.body.includes('Hai 1 messaggio da leggere.'));
    const page = await p.get(giulia, `/messaggi/${threadId}`);
    assert.equal(page.statusCode, 200);
    assert.ok(page.body.includes('Secret detail 4242.'));
    assert.ok(page.body.includes('Chiara Baldelli, CPI Perugia'));
    const again = await p.get(giulia, '/messaggi');
    assert.ok(again.body.includes('Tutto letto'));
    const op = await p.get(chiara, `/operatore/messaggi/${threadId}`);
    assert.ok(op.body.includes('Letto dalla persona'));

    const answer = await send(giulia, `/messaggi/${threadId}`, {
      draft: randomUUID(),
      body: 'Ecco la carta di identità.',
      do: 'send',
    });
    assert.equal(answer.statusCode, 303);
    // Chiara answered in this thread: she alone is told.
    const last = await p.db
      .selectFrom('messages')
      .select('id')
      .where('thread_id', '=', threadId)
      .orderBy('created_at', 'desc')
      .executeTakeFirstOrThrow();
    assert.ok(await p.lastQueuedEmail(`message:${last.id}:operator:${chiara.userId}`));
  });

  test('a person followed remotely is also told by SMS, once and without the content', async () => {
    await p.pool.query(
      `insert into channel_choices (region_code, user_id, phase, channel, source) values ('10', $1, 'search', 'remote', 'person')`,
      [giulia.userId],
    );
    const res = await send(chiara, `/operatore/messaggi/${threadId}`, {
      draft: randomUUID(),
      body: 'Riservato: appuntamento alle 9.',
      do: 'send',
    });
    assert.equal(res.statusCode, 303);
    const last = await p.db
      .selectFrom('messages')
      .select('id')
      .where('thread_id', '=', threadId)
      .orderBy('created_at', 'desc')
      .executeTakeFirstOrThrow();
    const key = `message:${last.id}:person`;
    const { rows } = await p.pool.query<{ data: { to: string; text: string } }>(
      "select data from pgboss.job where name = 'send-sms' and data->>'key' = $1",
      [key],
    );
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.data.to, '+39 333 0000001');
    assert.ok(rows[0]!.data.text.includes(`/messaggi/${threadId}`));
    assert.ok(!rows[0]!.data.text.includes('Riservato'));
    assert.equal(await jobsWithKey(key), 2, 'one e-mail and one SMS');
  });

  test('another person, an operator of another Region or office, and an agency without relation get 404', async () => {
    const otherPersonId = await newUser({
      region_code: '10',
      role: 'citizen',
      given_name: 'Marco',
      family_name: 'Estraneo',
      email: 'marco.estraneo@prova.example',
    });
    const marco = await p.signInAsUser(otherPersonId, '10');
    assert.equal((await p.get(marco, `/messaggi/${threadId}`)).statusCode, 404);
    assert.equal((await p.get(marco, `/messaggi/${threadId}/allegati/${attachmentId}`)).statusCode, 404);
    const forged = await send(marco, `/messaggi/${threadId}`, {
      draft: randomUUID(),
      body: 'intruso',
      do: 'send',
    });
    assert.equal(forged.statusCode, 404);
    assert.ok(!(await p.get(marco, '/messaggi')).body.includes('Busta paga'));

    await p.pool.query(
      "insert into regions (region_code, name, is_national) values ('20', 'Regione di prova', false)",
    );
    await p.pool.query(
      `insert into municipalities (istat_code, region_code, name, province, belfiore, latitude, longitude)
       values ('209999', '20', 'Comune di prova', 'CA', 'B354', 39.2, 9.1)`,
    );
    const office = async (region: string, municipality: string, name: string) =>
      (
        await p.pool.query<{ id: string }>(
          `insert into offices (region_code, name, address, municipality_code, hours, email, phone)
           values ($1, $2, 'Via Roma 1', $3, 'lun-ven 9-13', 'cpi@prova.example', '+39 000') returning id`,
          [region, name, municipality],
        )
      ).rows[0]!.id;
    const farOffice = await office('20', '209999', 'CPI lontano');
    const far = await p.signInAsUser(
      await newUser({
        region_code: '20',
        role: 'cpi_operator',
        given_name: 'Op',
        family_name: 'Lontano',
        office_id: farOffice,
        email: 'op.lontano@prova.example',
      }),
      '20',
    );
    assert.equal((await p.get(far, `/operatore/messaggi/${threadId}`)).statusCode, 404);
    assert.equal(
      (await p.get(far, `/operatore/messaggi/${threadId}/allegati/${attachmentId}`)).statusCode,
      404,
    );
    assert.equal((await p.get(far, `/operatore/persone/${giulia.userId}/messaggi`)).statusCode, 404);
    assert.ok(!(await p.get(far, '/operatore/messaggi')).body.includes('Busta paga'));

    const perugiaMunicipality = (
      await p.pool.query<{ municipality_code: string }>(
        'select municipality_code from offices where id = $1',
        [perugiaId],
      )
    ).rows[0]!.municipality_code;
    const otherOffice = await office('10', perugiaMunicipality, 'CPI altro ufficio');
    const neighbour = await p.signInAsUser(
      await newUser({
        region_code: '10',
        role: 'cpi_operator',
        given_name: 'Op',
        family_name: 'Vicino',
        office_id: otherOffice,
        email: 'op.vicino@prova.example',
      }),
      '10',
    );
    assert.equal((await p.get(neighbour, `/operatore/messaggi/${threadId}`)).statusCode, 404);
    assert.equal((await p.get(neighbour, `/operatore/persone/${giulia.userId}/messaggi`)).statusCode, 404);
    const apl = await p.signInAs('apl_operator');
    assert.equal((await p.get(apl, `/operatore/messaggi/${threadId}`)).statusCode, 404);
    assert.equal((await p.get(apl, `/operatore/persone/${giulia.userId}/messaggi`)).statusCode, 404);
  });

  test('an operator opens a thread with a person; the person page is an audited read', async () => {
    const page = await p.get(chiara, `/operatore/persone/${giulia.userId}/messaggi`);
    assert.equal(page.statusCode, 200);
    assert.ok(page.body.includes('Busta paga'));
    const res = await send(chiara, `/operatore/persone/${giulia.userId}/messaggi`, {
      draft: randomUUID(),
      template: 'job_offer',
      subject: 'Offerta da guardare',
      body: 'Ciao Giulia, guarda questa offerta.',
      do: 'send',
    });
    assert.equal(res.statusCode, 303, res.body);
    const id = /\/operatore\/messaggi\/([0-9a-f-]{36})/.exec(res.headers.location as string)![1]!;
    const t = await p.db
      .selectFrom('message_threads')
      .select(['office_id', 'created_by'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    assert.equal(t.office_id, perugiaId);
    assert.equal(t.created_by, chiara.userId);
    const reads = await p.db
      .selectFrom('audit_log')
      .select('object_id')
      .where('action', '=', 'read.message_thread')
      .where('subject_id', '=', giulia.userId)
      .where('actor_id', '=', chiara.userId)
      .execute();
    assert.ok(reads.length >= 2);
  });

  test('bad input is answered in the page with 400 and the typed text kept; nothing is sent', async () => {
    const count = async () =>
      Number((await p.pool.query<{ n: string }>('select count(*) as n from messages')).rows[0]?.n);
    const before = await count();
    const draft = randomUUID();
    const post = (fields: Record<string, string>, file?: File) =>
      send(giulia, `/messaggi/${threadId}`, { draft, do: 'send', ...fields }, file);

    const empty = await post({ body: '   ' });
    assert.equal(empty.statusCode, 400);
    assert.ok(empty.body.includes('Questo campo è obbligatorio.'));

    const long = 'parola '.repeat(800);
    const tooLong = await post({ body: long });
    assert.equal(tooLong.statusCode, 400);
    assert.ok(tooLong.body.includes('Il testo è troppo lungo.'));
    assert.ok(tooLong.body.includes(long.slice(0, 200)));

    const control = await post({ body: 'ciao\u0007' });
    assert.equal(control.statusCode, 400);
    assert.ok(control.body.includes('Il testo contiene caratteri non ammessi.'));

    const wrongType = await post(
      { body: 'Il mio documento' },
      { name: 'doc.pdf', type: 'application/pdf', data: EXE },
    );
    assert.equal(wrongType.statusCode, 400);
    assert.ok(wrongType.body.includes('Puoi allegare solo file PDF, JPEG o PNG.'));
    assert.ok(wrongType.body.includes('Il mio documento'));

    const big = Buffer.concat([PNG, Buffer.alloc(5 * 1024 * 1024)]);
    const tooLarge = await post({ body: 'Foto grande' }, { name: 'foto.png', type: 'image/png', data: big });
    assert.equal(tooLarge.statusCode, 400);
    assert.ok(tooLarge.body.includes('Il file è troppo grande'));
    assert.ok(tooLarge.body.includes('Foto grande'));

    for (const n of [1, 2, 3]) {
      const added = await post(
        { body: 'Tre allegati', do: 'attach' },
        { name: `foto${n}.png`, type: 'image/png', data: PNG },
      );
      assert.equal(added.statusCode, 200);
      assert.ok(added.body.includes(`foto${n}.png`));
      assert.ok(added.body.includes('Tre allegati'));
    }
    const fourth = await post(
      { body: 'Tre allegati', do: 'attach' },
      { name: 'foto4.png', type: 'image/png', data: PNG },
    );
    assert.equal(fourth.statusCode, 400);
    assert.ok(fourth.body.includes('Puoi allegare al massimo 3 file a un messaggio.'));
    assert.ok(fourth.body.includes('Tre allegati'));
    assert.equal(await count(), before, 'nothing was sent');

    const sent = await post({ body: 'Tre allegati' });
    assert.equal(sent.statusCode, 303);
    const last = await p.db
      .selectFrom('messages')
      .select('id')
      .where('thread_id', '=', threadId)
      .orderBy('created_at', 'desc')
      .executeTakeFirstOrThrow();
    const files = await p.db
      .selectFrom('message_attachments')
      .select('content_type')
      .where('message_id', '=', last.id)
      .execute();
    assert.equal(files.length, 3);
    assert.ok(files.every((f) => f.content_type === 'image/png'));
  });
  test('an agency named on the three-party pact writes to the person, who may answer it or the CPI', async () => {
    const apl = await p.signInAs('apl_operator');
    const agencyId = (
      await p.db
        .selectFrom('users')
        .select('agency_id')
        .where('id', '=', apl.userId!)
        .executeTakeFirstOrThrow()
    ).agency_id!;
    await p.pool.query(
      `insert into pacts (region_code, citizen_id, office_id, agency_id, coach_id, created_by)
       values ('10', $1, $2, $3, $4, $4)`,
      [giulia.userId, perugiaId, agencyId, chiara.userId],
    );
    const page = await p.get(apl, `/operatore/persone/${giulia.userId}/messaggi`);
    assert.equal(page.statusCode, 200);
    assert.ok(!page.body.includes('Busta paga'), "the agency does not see the CPI's threads");
    const res = await send(apl, `/operatore/persone/${giulia.userId}/messaggi`, {
      draft: randomUUID(),
      subject: 'Colloquio di orientamento',
      body: 'Ciao Giulia, ti aspettiamo in agenzia.',
      do: 'send',
    });
    assert.equal(res.statusCode, 303, res.body);
    const id = /\/operatore\/messaggi\/([0-9a-f-]{36})/.exec(res.headers.location as string)![1]!;
    const row = await p.db
      .selectFrom('message_threads')
      .select(['agency_id', 'office_id'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    assert.equal(row.agency_id, agencyId);
    assert.equal(row.office_id, perugiaId);
    assert.equal((await p.get(apl, `/operatore/messaggi/${id}`)).statusCode, 200);
    assert.equal(
      (await p.get(chiara, `/operatore/messaggi/${id}`)).statusCode,
      200,
      'the CPI follows it too',
    );
    assert.equal((await p.get(giulia, `/messaggi/${id}`)).statusCode, 200);
    assert.ok((await p.get(apl, '/operatore/messaggi')).body.includes('Colloquio di orientamento'));

    const form = await p.get(giulia, '/messaggi/nuovo');
    assert.ok(form.body.includes('name="to"'), 'with a three-party pact the person chooses CPI or agency');
    const toAgency = await send(giulia, '/messaggi/nuovo', {
      draft: randomUUID(),
      to: 'apl',
      subject: 'Per l’agenzia',
      body: 'Va bene, vengo lunedì.',
      do: 'send',
    });
    assert.equal(toAgency.statusCode, 303);
    const mine = await p.db
      .selectFrom('message_threads')
      .select('agency_id')
      .where('subject', '=', 'Per l’agenzia')
      .executeTakeFirstOrThrow();
    assert.equal(mine.agency_id, agencyId);
    const noChoice = await send(giulia, '/messaggi/nuovo', {
      draft: randomUUID(),
      subject: 'Senza destinatario',
      body: 'Testo che resta.',
      do: 'send',
    });
    assert.equal(noChoice.statusCode, 400);
    assert.ok(noChoice.body.includes('Scegli una delle opzioni.'));
    assert.ok(noChoice.body.includes('Testo che resta.'));
  });
  test('hostile values never give a server error, and what is shown is escaped', async () => {
    const hostile = [
      '<script>alert(1)</script>',
      "' or 1=1 --",
      '\u0000\u0001',
      '../../etc/passwd',
      '{{constructor}}',
      '𝕏'.repeat(3000),
      '',
    ];
    const targets: [Visitor, string][] = [
      [giulia, '/messaggi/nuovo'],
      [giulia, `/messaggi/${threadId}`],
      [chiara, `/operatore/messaggi/${threadId}`],
      [chiara, `/operatore/persone/${giulia.userId}/messaggi`],
    ];
    for (const [who, url] of targets)
      for (const v of hostile)
        for (const action of ['send', 'attach', 'template', `remove:${v}`, v]) {
          const res = await send(who, url, {
            draft: v,
            subject: v,
            body: v,
            template: v,
            officeId: v,
            to: v,
            do: action,
          });
          assert.ok(res.statusCode < 500, `${url} do=${action} → ${res.statusCode}`);
          assert.ok(!res.body.includes('<script>alert(1)</script>'), 'escaped');
        }
    const xss = await send(giulia, `/messaggi/${threadId}`, {
      draft: randomUUID(),
      body: '<script>alert(1)</script>',
      do: 'send',
    });
    assert.equal(xss.statusCode, 303);
    const page = await p.get(chiara, `/operatore/messaggi/${threadId}`);
    assert.ok(page.body.includes('&lt;script>alert(1)&lt;/script>'), 'shown as text');
    assert.ok(!page.body.includes('<script>alert(1)</script>'));
  });
});
