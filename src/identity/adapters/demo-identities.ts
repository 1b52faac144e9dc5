import { computeCodiceFiscale } from '../domain/codice-fiscale.ts';

/** Test identities offered by the demo SPID/CIE provider (documented in the README). */
export type DemoIdentity = {
  id: string;
  givenName: string;
  familyName: string;
  birthdate: string;
  fiscalCode: string;
  email: string | null;
  phone: string | null;
  note: string;
};

function withWrongCheckCharacter(code: string): string {
  const last = code.at(-1) === 'A' ? 'B' : 'A';
  return code.slice(0, 15) + last;
}

export const DEMO_IDENTITIES: readonly DemoIdentity[] = [
  {
    id: 'giulia',
    givenName: 'Giulia',
    familyName: 'Conti',
    birthdate: '1994-05-14',
    fiscalCode: computeCodiceFiscale({
      givenName: 'Giulia',
      familyName: 'Conti',
      birthDate: '1994-05-14',
      sex: 'F',
      birthPlaceCode: 'G478',
    }),
    email: 'cittadino@demo.sportello.example',
    phone: '+39 333 0000001',
    note: 'demoIdp.noteDemoCitizen',
  },
  {
    id: 'mario',
    givenName: 'Mario',
    familyName: 'Rossi',
    birthdate: '1980-01-01',
    fiscalCode: computeCodiceFiscale({
      givenName: 'Mario',
      familyName: 'Rossi',
      birthDate: '1980-01-01',
      sex: 'M',
      birthPlaceCode: 'H501',
    }),
    email: 'mario.rossi@demo.sportello.example',
    phone: '+39 333 0000002',
    note: 'demoIdp.noteAdult',
  },
  {
    id: 'luca',
    givenName: 'Luca',
    familyName: 'Bianchi',
    birthdate: '2010-03-15',
    fiscalCode: computeCodiceFiscale({
      givenName: 'Luca',
      familyName: 'Bianchi',
      birthDate: '2010-03-15',
      sex: 'M',
      birthPlaceCode: 'G478',
    }),
    email: null,
    phone: null,
    note: 'demoIdp.noteMinor',
  },
  {
    id: 'fatima',
    givenName: 'Fatima',
    familyName: 'Benali',
    birthdate: '1990-07-20',
    fiscalCode: computeCodiceFiscale({
      givenName: 'Fatima',
      familyName: 'Benali',
      birthDate: '1990-07-20',
      sex: 'F',
      birthPlaceCode: 'Z330',
    }),
    email: 'fatima.benali@demo.sportello.example',
    phone: '+39 333 0000004',
    note: 'demoIdp.noteAbroad',
  },
  {
    id: 'paolo',
    givenName: 'Paolo',
    familyName: 'Verdi',
    birthdate: '1985-12-10',
    fiscalCode: withWrongCheckCharacter(
      computeCodiceFiscale({
        givenName: 'Paolo',
        familyName: 'Verdi',
        birthDate: '1985-12-10',
        sex: 'M',
        birthPlaceCode: 'L117',
      }),
    ),
    email: null,
    phone: null,
    note: 'demoIdp.noteInvalid',
  },
];
