export { createLabClock, type LabClock, type LabClockChange } from './lab-clock';
export { createLab, type Lab, type LabOptions, type LabSessionInfo } from './create-lab';
export { createCaptureMiddleware, type CaptureOptions } from './capture-middleware';
export { createEventBus, type EventBus } from './event-bus';
export { createJwtDecoder, type JwtDecoder, type ResolveJwtKey, type JwtToResolve } from './jwt-decoder';
export { findJwts, type FoundJwt } from './jwt-finder';
export { createRecordingStore, type RecordingStore, type RecordingMeta } from './recording-store';
export { createRecorder, type Recorder } from './recorder';
export { exportRecording, isExportFormat, EXPORT_FORMATS, type ExportFormat } from './export-recording';
export { streamSink, stringSink, type ExportSink } from './export-sink';
export { loopbackHosts } from './lab-api-security';
export {
  parseTraceparent,
  formatTraceparent,
  newTraceId,
  newSpanId,
  type TraceContext,
} from './trace-context';
