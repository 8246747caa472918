import type { LabEvent, Recording } from '../../common/lab-events';

/**
 * An imported file is not evidence: whatever it says about signatures was not checked here, so every
 * verification claim it carries is replaced by "not verified" (a crafted file cannot make the
 * inspector show a forged token as verified).
 */
export function distrustImportedSignatures(recording: Recording): Recording {
  const events = recording.events.map((event): LabEvent => {
    if (event.type !== 'exchange') return event;
    return {
      ...event,
      jwts: event.jwts.map((jwt) => ({
        ...jwt,
        signature: { verified: null, detail: 'from an imported recording: not verified by this lab' },
      })),
    };
  });
  return { ...recording, events };
}
