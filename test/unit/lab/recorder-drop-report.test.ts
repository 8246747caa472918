import { describe, expect, it, vi } from 'vitest';
import { createRecorderDropReport, DROP_REPORT_EVERY_MS } from '../../../src/server/lab/recorder-drop-report';

function setup() {
  let time = 1_000_000;
  const logger = { info: vi.fn(), warn: vi.fn(), error: vi.fn() };
  const report = createRecorderDropReport(logger, () => time);
  return { logger, report, advance: (ms: number) => void (time += ms) };
}

const full = new Error('database or disk is full');

describe('recorder drop report', () => {
  it('says nothing while batches are written', () => {
    const { logger, report } = setup();
    report.written();
    report.written();
    expect(logger.warn).not.toHaveBeenCalled();
    expect(logger.info).not.toHaveBeenCalled();
  });

  it('tells the first loss at once, with its cause and count', () => {
    const { logger, report } = setup();
    report.dropped(3, full);
    expect(logger.warn).toHaveBeenCalledExactlyOnceWith(
      'lab recorder: events could not be written to the recordings and were dropped',
      { dropped: 3, error: 'database or disk is full' },
    );
  });

  it('then at most one line a minute, counting what was dropped since the last one', () => {
    const { logger, report, advance } = setup();
    report.dropped(1, full);
    for (let i = 0; i < 100; i++) {
      advance(20);
      report.dropped(2, full);
    }
    expect(logger.warn).toHaveBeenCalledTimes(1);
    advance(DROP_REPORT_EVERY_MS);
    report.dropped(5, full);
    expect(logger.warn).toHaveBeenCalledTimes(2);
    expect(logger.warn).toHaveBeenLastCalledWith('lab recorder: still cannot write; events dropped', {
      dropped: 205,
      error: 'database or disk is full',
    });
  });

  it('tells when batches are written again, with the loss in all, once', () => {
    const { logger, report, advance } = setup();
    report.dropped(4, full);
    advance(10);
    report.dropped(6, full);
    report.written();
    report.written();
    expect(logger.info).toHaveBeenCalledExactlyOnceWith(
      'lab recorder: events are written to the recordings again',
      {
        dropped: 10,
      },
    );
    // A new failure is told at once again, counted afresh.
    report.dropped(1, 'read-only');
    expect(logger.warn).toHaveBeenCalledTimes(2);
    expect(logger.warn).toHaveBeenLastCalledWith(
      'lab recorder: events could not be written to the recordings and were dropped',
      { dropped: 1, error: 'read-only' },
    );
  });
});
