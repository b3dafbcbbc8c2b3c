/**
 * The appraisal model's public surface for the seller flow.
 *
 * - `load(modelDir)` → an in-process model (warm, batched, feature cache by checksum). Fine for
 *   scripts and tests; in the server prefer
 * - `createInferenceService(modelDir, { workers })` → the same `predict` running in worker threads,
 *   so inference never blocks the event loop. Its `dispose()` is async (it waits for the workers).
 *
 * `predict(photos)` takes pixels from `toModelInput(bytes, card.inputSize)` and the upload slot
 * (0 front, 1 back, 2.. other). Invalid input rejects with AppError ("validation" / "too_many").
 * The seller flow's decision rule reads `card.review`: auto-quote when
 * `confidence >= review.minConfidence` and `(p90 - p10) / p50 <= review.maxRelativeRange`.
 */
export { type AppraisalModel, type LoadOptions, load, type Prediction, type PredictPhoto } from "./appraisal-model";
export { createInferenceService, type InferenceService, type ServiceOptions } from "./inference-service";
export { type ModelCard, readModelCard, VIEW_CLASSES, type ViewClass } from "./model-card";
