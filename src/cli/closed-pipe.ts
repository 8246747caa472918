/**
 * A reader that stops early (`trusty-lab scenarios list | head -3`) closes the pipe. Node ignores
 * SIGPIPE, so the next write fails with EPIPE, and without a listener that error ends the process with
 * its stack trace. Here what is left to print is dropped, quietly, and the command finishes with its
 * own exit status (a scenario run still says whether its scenarios passed).
 */
export function dropWritesAfterClosedPipe(stream: NodeJS.WritableStream): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') return;
    throw error;
  });
}
