/**
 * What other contexts use of assisted mode: while an operator has an active session with a person,
 * an action they do for that person is recorded on the person's behalf (`recordOnBehalf`, inside the
 * action's own transaction), and their pages show the banner (`AssistedBanner`). `onBehalfMarks`
 * tells a list of the person's appointments which were booked for them, and by whom.
 */
export { activeSession, onBehalfMarks, recordOnBehalf } from './use-cases/assisted.ts';
export { AssistedBanner } from './web/components.tsx';
